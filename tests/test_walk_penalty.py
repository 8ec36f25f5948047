"""Issue 13 item 2, the API walk (REST only): a proposed penalty's notice served → the party's statement → a hearing
asked for, its notice served 7 working days before, held → the review of what was said → legal review → decision.
The clock moves by patching django.utils.timezone.now (the hearing is 7 working days after its notice)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cases.models import Case, Document
from cases.workdays import add_working_days
from tests import factories
from tests.flowkit import api

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
INSPECTOR, LEGAL, LEADER = "inspector_360302", "legal_360302", "leader_360302"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def task_of(username: str, case_no: str) -> dict:
    client = api(username)
    rows = [*client.get("/api/v1/tasks/", {"scope": "mine"}).json()["results"],
            *client.get("/api/v1/tasks/", {"scope": "queue"}).json()["results"]]  # fmt: skip
    matching = [r for r in rows if r["case_no"] == case_no]
    assert matching, f"{username} has no queued task on {case_no}: {rows}"
    return matching[-1]


def complete(username: str, case_no: str, step: str, expect: int = 200, **data):
    task = task_of(username, case_no)
    assert task["step"] == step, task
    client = api(username)
    if task.get("owner") is None:
        assert client.post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 200
    response = client.post(f"/api/v1/tasks/{task['id']}/complete/", data, format="json")
    assert response.status_code == expect, response.json()
    return response.json()


def act(case_no: str, action: str, expect: int = 201, username: str = INSPECTOR, **data) -> dict:
    response = api(username).post(f"/api/v1/cases/{case_no}/penalty/{action}/", data, format="json")
    assert response.status_code == expect, response.json()
    return response.json()


def move_clock(monkeypatch, to: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: to)


def test_served_notice_statement_hearing_review_and_decision_through_the_api(monkeypatch):
    case = factories.case("deciding")
    no = case.case_no
    # 拟作出行政处罚: a fine on the basis of LSIR art 30; 20,000 reaches the hearing threshold of a unit
    outside = complete(
        INSPECTOR, no, "decide", 400, decision="penalty", facts="拒不履行处理决定。", proposed_penalty="20000.01",
        penalty_basis="lsir_30",
    )  # fmt: skip
    assert "第三十条" in outside["errors"]["proposed_penalty"][0]
    complete(
        INSPECTOR, no, "decide", decision="penalty", facts="拒不履行处理决定。", proposed_penalty="20000.00",
        penalty_basis="lsir_30",
    )  # fmt: skip
    task = task_of(INSPECTOR, no)
    assert task["step"] == "penalty_notice_serve"
    # the new step: another office's inspector 404, a legal reviewer of the office 403
    assert api("inspector_360313").post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 404
    assert api(LEGAL).post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 403
    state = api(INSPECTOR).get(f"/api/v1/cases/{no}/penalty/").json()["procedure"]
    assert state["hearing_right"] is True and state["served_at"] is None

    # served today: the statement (3 WD) and hearing-request (5 WD) windows run
    served = timezone.now()
    complete(INSPECTOR, no, "penalty_notice_serve", method="direct", served_at=served.isoformat(), recipient="王某")
    refused = complete(INSPECTOR, no, "party_hearing", 400, outcome="not_adopted", reasons="理由不成立。")
    assert "届满" in refused["errors"]["case"][0]

    today = timezone.localdate()
    act(no, "statement", text="我单位已经支付部分工资，请求从轻处罚。", made_on=today.isoformat())
    act(no, "hearing-request", requested_on=today.isoformat())
    day = add_working_days(today, 7)
    at = datetime.combine(day, time(9, 30), tzinfo=SH)
    too_soon = datetime.combine(add_working_days(today, 6), time(9, 30), tzinfo=SH)
    assert "scheduled_at" in act(no, "hearing", 400, scheduled_at=too_soon.isoformat(), place="本局听证室")["errors"]
    act(no, "hearing", scheduled_at=at.isoformat(), place="本局听证室")
    assert Document.objects.filter(case=case, kind=Document.Kind.HEARING_NOTICE).count() == 1
    act(no, "hearing-notice-served", method="direct", served_at=timezone.now().isoformat(), recipient="王某")

    # the windows pass; the hearing is still to be held
    move_clock(monkeypatch, datetime.combine(add_working_days(today, 6), time(10), tzinfo=SH))
    refused = complete(INSPECTOR, no, "party_hearing", 400, outcome="not_adopted", reasons="理由不成立。")
    assert "听证" in refused["errors"]["case"][0]
    move_clock(monkeypatch, at + timedelta(hours=2))
    act(no, "hearing-held", held_at=(at + timedelta(minutes=5)).isoformat(), record="当事人陈述已支付部分工资……")
    complete(INSPECTOR, no, "party_hearing", outcome="partly", reasons="已支付部分工资属实，予以部分采纳。")
    complete(LEGAL, no, "legal_review", approved="yes", opinion="事实清楚，程序合法。")
    due = (timezone.localdate() + timedelta(days=15)).isoformat()
    above = complete(
        LEADER, no, "penalty_decision", 400, approved="yes", opinion="同意", amount="20000.01", order_due=due
    )
    assert "amount" in above["errors"]
    complete(LEADER, no, "penalty_decision", approved="yes", opinion="同意", amount="15000.00", order_due=due)

    case = Case.objects.get(pk=case.pk)
    assert case.status == Case.Status.ENFORCING and case.penalty_amount == 15000
    state = api(INSPECTOR).get(f"/api/v1/cases/{no}/penalty/").json()["procedure"]
    assert state["decided"] and state["outcome"] == "partly" and len(state["statements"]) == 1
    assert state["hearing"]["held_at"] is not None
    kinds = list(case.events.values_list("kind", flat=True))
    for kind in [
        "case.pre_decision_notified",
        "document.served",
        "penalty.statement_recorded",
        "penalty.hearing_requested",
        "penalty.hearing_scheduled",
        "penalty.hearing_held",
        "penalty.statements_reviewed",
        "case.legal_reviewed",
        "case.penalty_decided",
    ]:
        assert kind in kinds, kind
    assert task_of(INSPECTOR, no)["step"] == "serve"


def test_the_penalty_actions_answer_404_out_of_scope_and_403_to_another_role():
    case = factories.case("deciding")
    assert act(case.case_no, "statement", 404, username="inspector_360313", text="x", made_on="2026-01-01")
    assert act(case.case_no, "statement", 403, username="clerk_360302", text="x", made_on="2026-01-01")
    assert api("inspector_360313").get(f"/api/v1/cases/{case.case_no}/penalty/").status_code == 404
    no_procedure = act(case.case_no, "statement", 400, text="陈述", made_on="2026-01-01")
    assert "case" in no_procedure["errors"]
    assert api(INSPECTOR).post(f"/api/v1/cases/{case.case_no}/penalty/nonsense/", {}).status_code == 404


def test_bad_input_to_the_penalty_actions_is_a_400_naming_the_field():
    case = factories.case("deciding")
    client = api(INSPECTOR)
    url = f"/api/v1/cases/{case.case_no}/penalty/"
    assert client.post(url + "cause/", ["no_deposit"], format="json").status_code == 400
    assert client.post(url + "cause/", {"violation": {"x": 1}}, format="json").status_code == 400
    complete(
        INSPECTOR, case.case_no, "decide", decision="penalty", facts="拒不履行处理决定。", proposed_penalty="5000.00",
        penalty_basis="lsir_30",
    )  # fmt: skip
    complete(
        INSPECTOR, case.case_no, "penalty_notice_serve", method="direct", served_at=timezone.now().isoformat(),
        recipient="王某",
    )  # fmt: skip
    for body, field in [
        ({"text": "陈述", "made_on": "2026-02-30"}, "made_on"),
        ({"text": 12345, "made_on": ["x"]}, "made_on"),
        ({"text": "", "made_on": timezone.localdate().isoformat()}, "text"),
    ]:
        response = client.post(url + "statement/", body, format="json")
        assert response.status_code == 400 and field in response.json()["errors"], response.json()
    hearing = client.post(url + "hearing-request/", {"requested_on": timezone.localdate().isoformat()}, format="json")
    assert hearing.status_code == 400 and "requested_on" in hearing.json()["errors"]  # 5,000: no hearing right
    served = client.post(
        url + "hearing-notice-served/", {"method": 3, "served_at": None, "recipient": 7}, format="json"
    )
    assert served.status_code == 400
