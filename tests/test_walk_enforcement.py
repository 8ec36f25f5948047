"""Issue 13, API walks (REST only) of the paths to closure:

- an order to pay left unpaid → 催告书 served → application to the court (10 days after the demand, the party's
  60-day / 6-month remedies run out unused) → the court's outcome → 结案 (court_enforcement) on the leader's approval;
- an order to correct with no wages owed → verified "corrected" (never the ledger) → 结案 (corrected);
and the permission of each new step: in scope, out of scope (404), wrong role (403)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from stdnum.cn import ric

from cases import timeline
from cases.models import Case, Complaint, Deadline, Document
from tests import world
from tests.clock import days_later
from tests.flowkit import api, claim_and_complete, queue_task, submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def worker_id(i: int) -> str:
    base = f"36030219850101{i:03d}"
    return base + ric.calc_check_digit(base + "0")


def decided_case(decision: str, *, workers: int = 0) -> tuple[str, Case, object]:
    """A complaint accepted, two inspectors assigned, a ledger of `workers` workers (6,000 yuan each), the
    investigation concluded, `decision` made (due in 5 days) and served — all through the API."""
    receipt = submit(workers_count=max(workers, 1), amount_owed=f"{6000 * max(workers, 1)}.00")["receipt_no"]
    claim_and_complete("clerk_360302", receipt, decision="accept")
    case = Complaint.objects.select_related("case").get(receipt_no=receipt).case
    inspector, second = world.user("inspector", "360302"), world.second_inspector("360302")
    claim_and_complete("leader_360302", receipt, inspectors=[inspector.pk, second.pk], conflict_declared=True)
    for i in range(workers):
        added = api("inspector_360302").post(
            f"/api/v1/cases/{case.case_no}/ledger/",
            {"worker": {"name": f"工人{i + 1}", "id_number": worker_id(i + 1)}, "period_start": "2026-05-01",
             "period_end": "2026-10-31", "amount_owed": "6000.00"},
            format="json",
        )  # fmt: skip
        assert added.status_code == 201, added.json()
    claim_and_complete("inspector_360302", receipt, violation=True, findings="查实违法事实。")
    due = timezone.localdate() + timedelta(days=5)
    claim_and_complete(
        "inspector_360302", receipt, decision=decision, facts="违法事实清楚。", order_due=due.isoformat()
    )
    claim_and_complete(
        "inspector_360302", receipt, method="direct", served_at=timezone.now().isoformat(), recipient="法定代表人王某"
    )
    call_command("sweep_deadlines", "--at", f"{due + timedelta(days=1)}T00:00:01")  # the flow's timer
    case.refresh_from_db()
    return receipt, case, due


def complete(username: str, receipt: str, **data):
    """Complete the user's task of the case (claimed already after a refused attempt, else claimed now);
    the response, not asserted."""
    client = api(username)
    case = Complaint.objects.select_related("case").get(receipt_no=receipt).case
    mine = [
        t for t in client.get("/api/v1/tasks/", {"scope": "mine"}).json()["results"] if t["case_no"] == case.case_no
    ]
    if mine:
        task = mine[-1]
    else:
        task = queue_task(username, receipt)
        assert client.post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 200
    return client.post(f"/api/v1/tasks/{task['id']}/complete/", data, format="json")


def assert_step_permissions(receipt: str, step: str, role: str = "inspector") -> None:
    """The open task `step`: a wrong role of the office gets 403, the same role out of scope 404."""
    task = queue_task(f"{role}_360302", receipt, routed=True)
    assert task["step"] == step, task
    wrong = "clerk" if role != "clerk" else "inspector"
    assert api(f"{wrong}_360302").post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 403
    assert api(f"{role}_360313").post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 404


def test_walk_order_unpaid_demand_court_enforcement_closure():
    receipt, case, due = decided_case("order_to_pay", workers=3)
    assert case.documents.filter(kind=Document.Kind.HANDLING_DECISION).get().services.count() == 1
    assert {"enforcement.reconsideration", "enforcement.litigation"} <= set(
        case.deadlines.values_list("kind", flat=True)
    )

    with days_later(6):  # the day after the order's deadline
        assert claim_and_complete("inspector_360302", receipt, note="逾期未支付。")
        claim_and_complete("inspector_360302", receipt, compensation_rate=50)
        # the demand notice (催告书), then its service
        assert_step_permissions(receipt, "demand")
        claim_and_complete("inspector_360302", receipt, facts="")
        demand = case.documents.get(kind=Document.Kind.DEMAND_NOTICE)
        assert "人社监催" in demand.number
        assert_step_permissions(receipt, "demand_serve")
        claim_and_complete(
            "inspector_360302", receipt, method="direct", served_at=timezone.now().isoformat(), recipient="王某"
        )
        assert demand.services.count() == 1
        assert case.deadlines.get(kind="enforcement.demand").length == 10
        # within 10 days of the demand's service the court may not be applied to
        assert_step_permissions(receipt, "enforce")
        early = complete("inspector_360302", receipt, outcome="court", remedies="expired")
        assert early.status_code == 400 and "十日" in early.json()["errors"]["case"][0], early.json()

    with days_later(6 + 11):  # 10 days after the demand, but the party may still sue (6 months)
        waiting = complete("inspector_360302", receipt, outcome="court", remedies="expired")
        assert waiting.status_code == 400 and "remedies" in waiting.json()["errors"], waiting.json()
        assert not case.documents.filter(kind=Document.Kind.ENFORCEMENT_APPLICATION).exists()

    with days_later(200):  # reconsideration (60 days) and litigation (6 months) ran out unused
        applied = complete("inspector_360302", receipt, outcome="court", remedies="expired", court="安源区人民法院")
        assert applied.status_code == 200, applied.json()
        application = case.documents.get(kind=Document.Kind.ENFORCEMENT_APPLICATION)
        assert "人社监执" in application.number
        assert case.deadlines.get(kind="enforcement.court_apply").state == Deadline.State.MET
        assert_step_permissions(receipt, "court_outcome")
        claim_and_complete("inspector_360302", receipt, outcome="accepted", note="法院已立案受理。")
        # the leader approves the closure; a code the facts do not support is refused
        assert_step_permissions(receipt, "closure_approval", role="leader")
        wrong = complete("leader_360302", receipt, closure_code="penalty_executed", satisfaction="satisfied")
        assert wrong.status_code == 400 and "closure_code" in wrong.json()["errors"]
        ok = complete("leader_360302", receipt, closure_code="court_enforcement", satisfaction="basically", note="")
        assert ok.status_code == 200, ok.json()

    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.closure_code == "court_enforcement"
    kinds = list(timeline.for_case(case).values_list("kind", flat=True))
    order = ["case.order_overdue", "enforcement.demand_issued", "enforcement.demand_served",
             "enforcement.court_applied", "enforcement.court_outcome", "case.closed"]  # fmt: skip
    assert [kinds.index(k) for k in order] == sorted(kinds.index(k) for k in order), kinds
    assert timeline.chain_ok(case)


def test_walk_order_to_correct_without_arrears_corrected_closure():
    receipt, case, due = decided_case("order_to_correct", workers=0)
    assert case.documents.filter(kind=Document.Kind.ORDER_TO_CORRECT).get().services.count() == 1
    with days_later(6):
        # verification of an order to correct asks "corrected / not corrected", never the (empty) ledger
        missing = complete("inspector_360302", receipt, note="现场核查。")
        assert missing.status_code == 400 and "corrected" in missing.json()["errors"], missing.json()
        ok = complete("inspector_360302", receipt, note="已开设工资专用账户并实行实名制管理。", corrected="yes")
        assert ok.status_code == 200, ok.json()
        assert [t["step"] for t in ok.json()["next_tasks"]] == ["closure_approval"]
        claim_and_complete("leader_360302", receipt, closure_code="corrected", satisfaction="satisfied", note="")
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.closure_code == "corrected"
    assert not case.documents.filter(kind=Document.Kind.COMPENSATION_ORDER).exists()
    assert not case.unpaid_after_order
    assert case.events.filter(kind="case.correction_verified").get().data["corrected"] is True


def test_walk_order_to_correct_not_corrected_goes_back_to_decide_never_to_compensation():
    receipt, case, due = decided_case("order_to_correct", workers=0)
    with days_later(6):
        done = complete("inspector_360302", receipt, note="仍未整改。", corrected="no")
        assert done.status_code == 200, done.json()
        assert [t["step"] for t in done.json()["next_tasks"]] == ["decide"]
    case.refresh_from_db()
    assert case.status == Case.Status.DECIDING and not case.unpaid_after_order
    assert case.deadlines.filter(kind="investigation.decide", state=Deadline.State.RUNNING).count() == 1
    assert not case.documents.filter(kind=Document.Kind.COMPENSATION_ORDER).exists()
