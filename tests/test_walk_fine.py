"""Issue 13 gaps, item 2, the API walk (REST only) of a fine-only case (no wages owed): the penalty decided and
served, its 15-day payment period (APL art 67) passes unpaid → 催告 (demand) served → 10 days later, the party's
remedies run out unused, the application to the court (AEL arts 53–54) → the court's outcome → 结案
(court_enforcement) on the leader's approval. Nothing presumes the fine unpaid before its period has passed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from cases import enforcement, timeline
from cases.models import Case, Deadline, Document
from tests import factories
from tests.clock import days_later
from tests.flowkit import api

pytestmark = pytest.mark.django_db
INSPECTOR, LEGAL, LEADER = "inspector_360302", "legal_360302", "leader_360302"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def task_of(username: str, case_no: str) -> dict:
    client = api(username)
    rows = [*client.get("/api/v1/tasks/", {"scope": "mine"}).json()["results"],
            *client.get("/api/v1/tasks/", {"scope": "queue"}).json()["results"]]  # fmt: skip
    matching = [r for r in rows if r["case_no"] == case_no]
    assert matching, f"{username} has no task on {case_no}: {rows}"
    return matching[-1]


def complete(username: str, case_no: str, step: str, expect: int = 200, **data) -> dict:
    task = task_of(username, case_no)
    assert task["step"] == step, task
    client = api(username)
    if task.get("owner") != username:
        assert client.post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 200
    response = client.post(f"/api/v1/tasks/{task['id']}/complete/", data, format="json")
    assert response.status_code == expect, response.json()
    return response.json()


def test_walk_fine_unpaid_demand_court_enforcement_closure():
    case = factories.case("deciding", region="360302", workers=2, amount="12000.00")  # no ledger: no wages owed
    no = case.case_no
    complete(INSPECTOR, no, "decide", decision="penalty", facts="阻挠劳动保障监察。", proposed_penalty="5000",
             penalty_basis="lsir_30")  # fmt: skip
    now = timezone.now().isoformat()
    complete(INSPECTOR, no, "penalty_notice_serve", method="direct", served_at=now, recipient="法定代表人王某")
    waived = api(INSPECTOR).post(
        f"/api/v1/cases/{no}/penalty/waiver/",
        {"waived_on": timezone.localdate().isoformat(), "note": "当事人书面放弃陈述申辩。"},
        format="json",
    )
    assert waived.status_code == 201, waived.json()
    complete(INSPECTOR, no, "party_hearing", outcome="not_adopted", reasons="当事人放弃陈述申辩。")
    complete(LEGAL, no, "legal_review", approved="yes", opinion="事实清楚，程序合法。")
    complete(LEADER, no, "penalty_decision", approved="yes", opinion="同意。", amount="5000")
    case = Case.objects.get(pk=case.pk)
    assert case.order_due is None and not case.documents.filter(kind=Document.Kind.HANDLING_DECISION).exists()
    complete(INSPECTOR, no, "serve", method="direct", served_at=timezone.now().isoformat(), recipient="王某")
    due = enforcement.fine_due(case)
    assert due is not None and due >= timezone.localdate() + timedelta(days=15)
    # before the fine's period has passed nothing presumes it unpaid
    with pytest.raises(ValidationError):
        enforcement.enforcement_guard(case=case)
    call_command("sweep_deadlines", "--at", f"{due + timedelta(days=1)}T00:00:01")  # the flow's timer
    after = (due - timezone.localdate()).days + 1

    with days_later(after):
        complete(INSPECTOR, no, "verify", note="罚款逾期未缴纳。")
        # the fine unpaid: the demand (催告书) asks for the fine, then its service
        complete(INSPECTOR, no, "enforce", outcome="demand", note="")
        demand = case.documents.get(kind=Document.Kind.DEMAND_NOTICE)
        assert demand.data.get("fine") in ("5000", "5000.00"), demand.data
        complete(INSPECTOR, no, "demand_serve", method="direct", served_at=timezone.now().isoformat(), recipient="王某")
        assert demand.services.count() == 1
        early = complete(INSPECTOR, no, "enforce", 400, outcome="court", remedies="expired")
        assert "十日" in early["errors"]["case"][0], early

    with days_later(after + 200):  # 10 days after the demand; reconsideration and litigation ran out unused
        complete(INSPECTOR, no, "enforce", outcome="court", remedies="expired", court="安源区人民法院")
        assert case.documents.filter(kind=Document.Kind.ENFORCEMENT_APPLICATION).count() == 1
        assert case.deadlines.get(kind="penalty.fine_payment").state != Deadline.State.RUNNING
        complete(INSPECTOR, no, "court_outcome", outcome="accepted", note="法院已立案受理。")
        complete(LEADER, no, "closure_approval", closure_code="court_enforcement", satisfaction="satisfied", note="")

    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.closure_code == "court_enforcement"
    assert not case.documents.filter(kind=Document.Kind.COMPENSATION_ORDER).exists()
    kinds = list(timeline.for_case(case).values_list("kind", flat=True))
    order = ["case.penalty_decided", "enforcement.demand_issued", "enforcement.demand_served",
             "enforcement.court_applied", "enforcement.court_outcome", "case.closed"]  # fmt: skip
    positions = [kinds.index(k) for k in order]
    assert positions == sorted(positions), kinds
