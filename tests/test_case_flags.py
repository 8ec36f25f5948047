"""Case flags (issue 13 item 11): 群体性事件, 媒体反映, 领导批示, 上级督办, 政府投资项目 — set and cleared with a
reason by the case's inspectors and the leaders of its office (and of the offices above it), each a timeline event with
a human label; a section on the case page and a REST endpoint; the flags feed the supervision proposal rules
(seed 二(六): 领导批示、上级督办、媒体反映 first) and the listing criteria's incident branch (DL2021 art 5 (2))."""

from __future__ import annotations

import pytest
from django.test import Client

from accountability.listing.criteria import listing_assess
from cases.flags import FLAGS, case_flag_set
from cases.models import Case, Role
from cases.supervision import supervision_candidates, supervision_rules
from cases.timeline.labels import event_label
from tests import factories, world
from tests.clock import days_later
from tests.flowkit import api

pytestmark = pytest.mark.django_db


def _url(case: Case) -> str:
    return f"/api/v1/cases/{case.case_no}/flags/"


def _flags(response) -> dict:
    return {f["flag"]: f["set"] for f in response.json()["flags"]}


def test_every_flag_is_settable():
    assert set(FLAGS) == {
        "group_incident",
        "media_reported",
        "leader_instructed",
        "superior_supervised",
        "government_invested",
    }


def test_an_assigned_inspector_sets_a_flag_with_a_reason_as_one_labelled_event():
    case = factories.case("investigating")
    response = api("inspector_360302").post(
        _url(case), {"flag": "leader_instructed", "value": True, "reason": "市长批示：限期解决"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert _flags(response)["leader_instructed"] is True
    case.refresh_from_db()
    assert case.leader_instructed
    event = case.events.get(kind="case.flag_set")
    assert event.data == {"flag": "leader_instructed", "reason": "市长批示：限期解决"}
    assert event.actor_role == Role.INSPECTOR
    assert event_label("case.flag_set") == "设置案件标记" and event_label("case.flag_cleared") == "取消案件标记"


def test_the_offices_leader_clears_a_flag_with_a_reason():
    case = factories.case("investigating")
    leader = world.user(Role.LEADER, "360302")
    case_flag_set(case=case, flag="media_reported", value=True, reason="某报报道", actor=leader, role=Role.LEADER)
    response = api("leader_360302").post(
        _url(case), {"flag": "media_reported", "value": False, "reason": "经核实报道不实"}, format="json"
    )
    assert response.status_code == 200 and _flags(response)["media_reported"] is False
    assert case.events.filter(kind="case.flag_cleared").count() == 1


def test_a_superior_leader_records_superior_supervision():
    case = factories.case("investigating")
    response = api("leader_360300").post(
        _url(case), {"flag": "superior_supervised", "value": True, "reason": "市局督办"}, format="json"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"flag": "leader_instructed", "value": True, "reason": "  "}, "reason"),
        ({"flag": "no_such_flag", "value": True, "reason": "x"}, "flag"),
        ({"flag": "leader_instructed", "value": "maybe", "reason": "x"}, "value"),
        ({"flag": "leader_instructed", "value": False, "reason": "x"}, "flag"),  # not set: nothing to clear
    ],
)
def test_bad_input_is_refused_naming_the_field(data, field):
    case = factories.case("investigating")
    response = api("inspector_360302").post(_url(case), data, format="json")
    assert response.status_code == 400 and field in response.json()["errors"]
    case.refresh_from_db()
    assert not case.leader_instructed and not case.events.filter(kind__startswith="case.flag").exists()


def test_who_may_change_flags():
    case = factories.case("investigating")
    data = {"flag": "group_incident", "value": True, "reason": "工人聚集"}
    assert api("inspector_360313").post(_url(case), data, format="json").status_code == 404  # out of scope
    assert api("leader_360313").post(_url(case), data, format="json").status_code == 404
    assert api("clerk_360302").post(_url(case), data, format="json").status_code == 403  # wrong role
    assert api("legal_360302").post(_url(case), data, format="json").status_code == 403
    assert api("auditor_360300").post(_url(case), data, format="json").status_code == 403
    # reading: every reader in scope
    assert api("clerk_360302").get(_url(case)).status_code == 200
    assert api("clerk_360313").get(_url(case)).status_code == 404
    assert api("admin_360302").get(_url(case)).status_code == 404


def test_a_closed_case_keeps_its_flags():
    case = factories.case("closed")
    data = {"flag": "group_incident", "value": True, "reason": "工人聚集"}
    response = api("leader_360302").post(_url(case), data, format="json")
    assert response.status_code == 400 and "case" in response.json()["errors"]  # a state conflict, nothing changed
    case.refresh_from_db()
    assert not case.group_incident


def test_the_case_page_shows_the_flags_and_the_form_to_those_who_may():
    case = factories.case("investigating")
    client = Client()
    client.force_login(world.user(Role.INSPECTOR, "360302"))
    page = client.get(f"/cases/{case.case_no}/").content.decode()
    assert "案件标记" in page and "上级督办" in page and f"/cases/{case.case_no}/flags/" in page
    response = client.post(
        f"/cases/{case.case_no}/flags/", {"flag": "group_incident", "value": "set", "reason": "工人在项目部聚集"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.group_incident
    timeline = client.get(f"/cases/{case.case_no}/").content.decode()
    assert "设置案件标记" in timeline
    client.force_login(world.user(Role.CLERK, "360302"))
    assert f"/cases/{case.case_no}/flags/" not in client.get(f"/cases/{case.case_no}/").content.decode()


def test_leader_instruction_and_superior_supervision_meet_the_supervision_rules_and_come_first():
    big = factories.case("investigating", workers=150)  # meets the 100-worker rule, no flag
    flagged = factories.case("investigating")
    assert supervision_rules(flagged) == []
    leader = world.user(Role.LEADER, "360302")
    case_flag_set(case=flagged, flag="leader_instructed", value=True, reason="省领导批示", actor=leader, role="leader")
    assert supervision_rules(flagged) == ["leader_instructed"]
    ids = [c.pk for c in supervision_candidates()]
    assert ids.index(flagged.pk) < ids.index(big.pk)  # seed 二(六): priority
    other = factories.case("investigating")
    case_flag_set(case=other, flag="superior_supervised", value=True, reason="市局督办", actor=leader, role="leader")
    assert "superior_supervised" in supervision_rules(other)


def test_media_report_puts_a_case_first_among_the_proposals():
    big = factories.case("investigating", workers=150)
    flagged = factories.case("investigating", workers=120)
    leader = world.user(Role.LEADER, "360302")
    case_flag_set(case=flagged, flag="media_reported", value=True, reason="电视台报道", actor=leader, role="leader")
    ids = [c.pk for c in supervision_candidates()]
    assert ids.index(flagged.pk) < ids.index(big.pk)


def test_group_incident_flag_feeds_the_listing_incident_branch_with_its_reason():
    case = factories.case("enforcing", workers=2, amount="3000.00")  # far below the crime's amounts
    assert "未引发群体性事件或极端事件" in listing_assess(case).failures
    leader = world.user(Role.LEADER, "360302")
    case_flag_set(
        case=case, flag="group_incident", value=True, reason="30名工人堵路讨薪", actor=leader, role=Role.LEADER
    )
    case.refresh_from_db()
    assert "未引发群体性事件或极端事件" not in listing_assess(case).failures
    Case.objects.filter(pk=case.pk).update(unpaid_after_order=True)  # the order left unpaid past its deadline
    case.refresh_from_db()
    with days_later(11):  # listing only after the order's deadline (cases.enforcement)
        assessment = listing_assess(case)
    assert assessment.eligible
    assert any("群体性事件" in r and "30名工人堵路讨薪" in r for r in assessment.reasons)
