"""cases.scope: region rules per role and the per-case exceptions (SPEC §2)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cases import scope
from cases.models import Role
from cases.services import case_exception_grant, case_exception_revoke
from tests import world

pytestmark = pytest.mark.django_db


def _visible_regions(user) -> set[str]:
    return set(scope.cases_visible(user).values_list("region__code", flat=True))


def test_own_region_roles_see_only_their_office():
    for role in [Role.CLERK, Role.INSPECTOR, Role.LEGAL]:
        assert _visible_regions(world.user(role, "360302")) == {"360302"}
        assert _visible_regions(world.user(role, "360300")) == {"360300"}


def test_leaders_and_auditors_see_their_region_and_below():
    for role in [Role.LEADER, Role.AUDITOR]:
        assert _visible_regions(world.user(role, "360300")) == {"360300", "360302", "360313"}
        assert _visible_regions(world.user(role, "360000")) == {"360000", "360300", "360302", "360313", "360102"}
        assert _visible_regions(world.user(role, "360302")) == {"360302"}


def test_the_administrator_sees_no_case_data():
    admin = world.user(Role.ADMIN, "360000")
    with pytest.raises(PermissionDenied):
        scope.cases_visible(admin)
    with pytest.raises(Http404):
        scope.case_for_user(admin, world.case_in("360302").case_no)


def test_a_complaint_in_scope_without_the_right_is_403_and_out_of_scope_404():
    complaint = world.case_in("360302").complaints.first()
    assert scope.complaint_for_user(world.user(Role.CLERK, "360302"), complaint.receipt_no) == complaint
    with pytest.raises(PermissionDenied):
        scope.complaint_for_user(world.user(Role.INSPECTOR, "360302"), complaint.receipt_no)
    with pytest.raises(Http404):
        scope.complaint_for_user(world.user(Role.CLERK, "360313"), complaint.receipt_no)
    with pytest.raises(PermissionDenied):
        scope.complaints_visible(world.user(Role.LEGAL, "360302"))


def test_rights_follow_the_level():
    county = world.case_in("360302")
    city_leader = world.user(Role.LEADER, "360300")
    county_leader = world.user(Role.LEADER, "360302")
    # a leader approves for its own office and supervises the offices below
    assert scope.can(county_leader, scope.Right.APPROVE, region=county.region)
    assert not scope.can(county_leader, scope.Right.SUPERVISE, region=county.region)
    assert scope.can(city_leader, scope.Right.SUPERVISE, region=county.region)
    assert not scope.can(city_leader, scope.Right.APPROVE, region=county.region)
    assert not scope.can(world.user(Role.AUDITOR, "360000"), scope.Right.APPROVE, region=county.region)
    assert scope.can_unmask(world.user(Role.CLERK, "360302"), county)
    assert not scope.can_unmask(world.user(Role.LEADER, "360302"), county)
    assert not scope.can_unmask(world.user(Role.AUDITOR, "360000"), county)


def _fresh(user):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user.pk)  # grants are cached per user object


def test_assistance_gives_an_inspector_of_another_county_the_case():
    case = world.case_in("360302")
    helper = world.user(Role.INSPECTOR, "360313")
    with pytest.raises(Http404):
        scope.case_for_user(helper, case.case_no)
    leader = world.user(Role.LEADER, "360302")
    case_exception_grant(case=case, codename="assist_case", actor=leader, role=Role.LEADER, user=helper)
    helper = _fresh(helper)
    assert scope.case_for_user(helper, case.case_no) == case
    assert scope.can(helper, scope.Right.INVESTIGATE, region=case.region, case_id=case.pk)
    assert set(scope.cases_visible(helper).values_list("region__code", flat=True)) == {"360313", "360302"}
    event = case.events.order_by("-seq").first()
    assert event.kind == "permission.granted" and event.data["permission"] == "assist_case"
    assert event.actor_region == "360302"
    case_exception_revoke(case=case, codename="assist_case", actor=leader, role=Role.LEADER, user=helper)
    with pytest.raises(Http404):
        scope.case_for_user(_fresh(helper), case.case_no)


def test_previous_office_reads_but_cannot_act():
    case = world.case_in("360302")
    other_office = world.case_in("360313").region
    leader = world.user(Role.LEADER, "360302")
    case_exception_grant(
        case=case, codename="read_transferred_case", actor=leader, role=Role.LEADER, region=other_office
    )
    clerk = _fresh(world.user(Role.CLERK, "360313"))
    assert scope.case_for_user(clerk, case.case_no) == case
    with pytest.raises(PermissionDenied):
        scope.case_for_user(clerk, case.case_no, scope.Right.INTAKE)


def test_unknown_exception_is_refused():
    with pytest.raises(ValueError):
        scope.exception_grant(case=world.case_in("360302"), codename="anything", user=world.user("clerk", "360302"))


def test_an_unmasked_view_of_a_complainant_is_recorded(client):
    complaint = world.case_in("360302").complaints.first()
    client.force_login(world.user(Role.LEADER, "360302"))
    page = client.get(f"/complaints/{complaint.receipt_no}/").content.decode()
    assert complaint.complainant.id_number not in page  # masked for the leader
    assert not complaint.events.filter(kind="personal_data.viewed").exists()
    client.force_login(world.user(Role.CLERK, "360302"))
    page = client.get(f"/complaints/{complaint.receipt_no}/").content.decode()
    assert complaint.complainant.id_number in page
    event = complaint.events.get(kind="personal_data.viewed")
    assert event.actor_name == "clerk_360302" and event.data == {"what": "complainant"}


def test_an_office_grant_does_not_reach_the_offices_administrator():
    case = world.case_in("360302")
    other_office = world.region("360313")
    case_exception_grant(
        case=case, codename="read_transferred_case", actor=world.user(Role.LEADER, "360302"), role=Role.LEADER,
        region=other_office,
    )  # fmt: skip
    assert scope.case_for_user(_fresh(world.user(Role.CLERK, "360313")), case.case_no) == case
    with pytest.raises(Http404):
        scope.case_for_user(_fresh(world.user(Role.ADMIN, "360313")), case.case_no)


@pytest.mark.parametrize("many", [False, True], ids=["loaded", "asked in SQL"])
def test_a_helper_on_more_cases_than_are_loaded_gets_the_same_answers(monkeypatch, many):
    """Past scope.MANY per-case exceptions nothing is loaded: each question goes to SQL. Same answers."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.models import Complaint
    from cases.services import staff_create

    helper = staff_create(username=f"helper_{many}", region=world.region("360313"), role=Role.INSPECTOR)
    leader = world.user(Role.LEADER, "360302")
    assisted = [world.make_case("360302") for _ in range(3)]
    read_only = world.make_case("360302")
    office_case = world.make_case("360302")
    not_mine = world.make_case("360302")
    for case in assisted:
        case_exception_grant(case=case, codename="assist_case", actor=leader, role=Role.LEADER, user=helper)
    case_exception_grant(case=read_only, codename="read_transferred_case", actor=leader, role=Role.LEADER,
                         user=helper)  # fmt: skip
    case_exception_grant(case=office_case, codename="supervise_case", actor=leader, role=Role.LEADER,
                         region=world.region("360313"))  # fmt: skip
    monkeypatch.setattr(scope, "MANY", 2 if many else 200)
    user = _fresh(helper)
    assert scope._exceptions(user).complete is not many

    own = set(scope.cases_visible(user).filter(region__code="360313").values_list("pk", flat=True))
    visible = set(scope.cases_visible(user).values_list("pk", flat=True)) - own
    assert visible == {c.pk for c in [*assisted, read_only, office_case]}
    complaints = set(scope.complaints_visible(user).exclude(region__code="360313").values_list("case_id", flat=True))
    assert complaints == {office_case.pk}  # only the office's grant reads complaints
    assert Complaint.objects.filter(case=office_case).exists()
    for case in assisted:
        assert scope.can(user, scope.Right.INVESTIGATE, region=case.region, case_id=case.pk)
    assert not scope.can(user, scope.Right.INVESTIGATE, region=read_only.region, case_id=read_only.pk)
    assert scope.in_scope(user, region=read_only.region, case_id=read_only.pk)
    assert not scope.in_scope(user, region=not_mine.region, case_id=not_mine.pk)
    assert scope.has_exception(user, scope.Right.INVESTIGATE) and not scope.has_exception(user, scope.Right.APPROVE)
    with CaptureQueriesContext(connection) as ctx:
        list(scope.cases_visible(_fresh(helper))[:25])
    # the user, its roles, its exceptions (one statement: loaded, or found to be many), the page
    assert len(ctx.captured_queries) == 4
