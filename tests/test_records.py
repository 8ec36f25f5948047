"""Investigation records: at least two inspectors, all of them investigating this case, the recorder among them."""

import hashlib
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, InvestigationRecord, Role, TimelineEvent
from cases.records import case_investigators, record_add
from cases.services import case_exception_grant, staff_create
from tests import world
from tests.matrix import assigned_case_target
from tests.matrix_investigation import READS, sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return Case.objects.get(case_no=assigned_case_target("360302").case_no)


@pytest.fixture
def inspector(case):
    return world.user(Role.INSPECTOR, "360302")


@pytest.fixture
def colleague(case):
    return world.second_inspector("360302")


def _held():
    return timezone.now() - timedelta(hours=2)


def _add(case, actor, inspectors, **changes):
    body = {
        "kind": InvestigationRecord.Kind.INQUIRY,
        "held_at": _held(),
        "place": "项目部会议室",
        "subject": "王五（班组长）",
        "content": "问：工资发放情况？答：自五月起未发。",
        **changes,
    }
    return record_add(case=case, inspectors=inspectors, actor=actor, **body)


def test_two_assigned_inspectors_make_a_record_and_one_event(case, inspector, colleague):
    record = _add(case, inspector, [inspector, colleague], kind=InvestigationRecord.Kind.SITE)
    assert set(record.inspectors.all()) == {inspector, colleague}
    assert record.recorded_by == inspector
    event = TimelineEvent.objects.filter(case=case).order_by("-seq").first()
    assert event.kind == "record.added"
    assert event.data["record"] == record.pk
    assert event.data["kind"] == "site_inspection"
    assert event.data["inspectors"] == sorted([inspector.username, colleague.username])
    assert event.data["content_sha256"] == hashlib.sha256(record.content.encode()).hexdigest()
    assert "content" not in event.data and "subject" not in event.data


def test_one_inspector_is_not_enough(case, inspector):
    with pytest.raises(ValidationError) as exc:
        _add(case, inspector, [inspector, inspector])
    assert list(exc.value.message_dict) == ["inspectors"]
    assert not InvestigationRecord.objects.filter(case=case).exists()


def test_every_inspector_must_investigate_this_case(case, inspector):
    unassigned = staff_create(username="inspector3_360302", region=world.region("360302"), role=Role.INSPECTOR)
    with pytest.raises(ValidationError) as exc:
        _add(case, inspector, [inspector, unassigned])
    assert "inspector3_360302" in exc.value.message_dict["inspectors"][0]
    # a clerk of the office is not an inspector of the case either
    with pytest.raises(ValidationError):
        _add(case, inspector, [inspector, world.user(Role.CLERK, "360302")])


def test_an_assisting_inspector_of_another_office_may_take_part(case, inspector):
    helper = world.user(Role.INSPECTOR, "360313")
    assert helper not in case_investigators(case)
    case_exception_grant(
        case=case, codename="assist_case", actor=world.user(Role.LEADER, "360302"), role=Role.LEADER, user=helper
    )
    assert helper in case_investigators(case)
    record = _add(case, helper, [inspector, helper])
    assert record.recorded_by == helper


def test_the_recorder_must_be_one_of_them(case, inspector, colleague):
    helper = world.user(Role.INSPECTOR, "360313")
    case_exception_grant(
        case=case, codename="assist_case", actor=world.user(Role.LEADER, "360302"), role=Role.LEADER, user=helper
    )
    with pytest.raises(ValidationError) as exc:
        _add(case, helper, [inspector, colleague])
    assert list(exc.value.message_dict) == ["inspectors"]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"held_at": timezone.now() + timedelta(hours=1)}, "held_at"),
        ({"held_at": "2026-13-01T09:00"}, "held_at"),
        ({"held_at": ""}, "held_at"),
        ({"kind": "phone_call"}, "kind"),
        ({"place": " "}, "place"),
        ({"subject": ""}, "subject"),
        ({"content": ""}, "content"),
        ({"place": "地" * 201}, "place"),
    ],
)
def test_fields_are_checked(case, inspector, colleague, changes, field):
    with pytest.raises(ValidationError) as exc:
        _add(case, inspector, [inspector, colleague], **changes)
    assert list(exc.value.message_dict) == [field]


def test_a_naive_time_is_local(case, inspector, colleague):
    record = _add(case, inspector, [inspector, colleague], held_at="2026-11-20T09:30")
    assert timezone.localtime(record.held_at).replace(tzinfo=None) == datetime(2026, 11, 20, 9, 30)


def test_the_page_adds_or_shows_errors(client, case, inspector, colleague):
    client.force_login(inspector)
    url = reverse("cases:record-add", args=[case.case_no])
    body = {
        "kind": "inquiry",
        "held_at": "2026-11-20T09:30",
        "place": "项目部",
        "subject": "班组长",
        "content": "询问内容",
        "inspectors": [inspector.pk, colleague.pk],
    }
    response = client.post(url, body)
    assert response.status_code == 302
    assert response["Location"].endswith("#records")
    response = client.post(url, {**body, "inspectors": [inspector.pk]})
    assert response.status_code == 400
    assert "inspectors" in response.context["record_form"].errors
    assert InvestigationRecord.objects.filter(case=case).count() == 1


def test_the_api_adds_by_username_and_lists(client, case, inspector, colleague):
    client.force_login(inspector)
    url = reverse("api-case-records", args=[case.case_no])
    body = {
        "kind": "inquiry",
        "held_at": "2026-11-20T09:30:00+08:00",
        "place": "项目部",
        "subject": "班组长",
        "content": "询问内容",
        "inspectors": [inspector.username, colleague.username],
    }
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["inspectors"] == sorted([inspector.username, colleague.username])
    response = client.post(url, {**body, "inspectors": [inspector.username, "nobody"]}, content_type="application/json")
    assert response.status_code == 400
    assert "nobody" in response.json()["errors"]["inspectors"][0]
    client.force_login(world.user(Role.LEGAL, "360302"))
    listed = client.get(url).json()
    assert [r["place"] for r in listed] == ["项目部"]
    assert client.post(url, body, content_type="application/json").status_code == 403


def test_the_records_api_reads_follow_the_matrix(client):
    assert not sweep(client, READS["api-case-records"])
