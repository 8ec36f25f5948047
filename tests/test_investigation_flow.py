"""The investigation flow through the REST API: two inspectors, a ledger of 12 workers, an
order to pay, partial then full payment, verification after the deadline, closure; the clocks
(60 working days, +30 once, suspension, 15 to decide) across the 2026 National Day holidays."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from stdnum.cn import ric

from cases import timeline
from cases.investigation import case_investigation_open
from cases.models import Case, Complaint, Deadline
from tests import world
from tests.clock import days_later
from tests.flowkit import api, claim_and_complete, queue_task, submit

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def worker_id(i: int) -> str:
    base = f"36030219900101{i:03d}"
    return base + ric.calc_check_digit(base + "0")  # stdnum ignores the last character given


def filed_case(receipt: str) -> Case:
    return Complaint.objects.select_related("case").get(receipt_no=receipt).case


def test_a_complaint_from_receipt_to_closure_through_the_api():
    receipt = submit(workers_count=12, amount_owed="66600.00")["receipt_no"]
    claim_and_complete("clerk_360302", receipt, decision="accept")
    case = filed_case(receipt)
    inspector, second = world.user("inspector", "360302"), world.second_inspector("360302")
    claim_and_complete("leader_360302", receipt, inspectors=[inspector.pk, second.pk], conflict_declared=True)

    ins = api("inspector_360302")
    url = f"/api/v1/cases/{case.case_no}"
    record = ins.post(
        f"{url}/records/",
        {"kind": "inquiry", "held_at": timezone.now().isoformat(), "place": "安源区人社局询问室",
         "subject": "用人单位法定代表人", "content": "承认拖欠12名农民工工资。",
         "inspectors": [inspector.username, second.username]},
        format="json",
    )  # fmt: skip
    assert record.status_code == 201, record.json()
    entries = []
    for i in range(12):
        response = ins.post(
            f"{url}/ledger/",
            {"worker": {"name": f"工人{i + 1}", "id_number": worker_id(i + 1), "phone": f"1380799{i:04d}"},
             "period_start": "2026-05-01", "period_end": "2026-10-31", "amount_owed": f"{5000 + i * 100}.00"},
            format="json",
        )  # fmt: skip
        assert response.status_code == 201, response.json()
        entries.append(response.json())
    case.refresh_from_db()
    assert case.workers_count == 12 and case.amount_owed == sum(Decimal(e["amount_owed"]) for e in entries)

    claim_and_complete("inspector_360302", receipt, violation=True, findings="查实拖欠12名劳动者工资共66600元。")
    assert Case.objects.get(pk=case.pk).deadlines.get(kind="investigation.decide").state == Deadline.State.RUNNING
    order_due = timezone.localdate() + timedelta(days=10)
    claim_and_complete(
        "inspector_360302",
        receipt,
        decision="order_to_pay",
        facts="拖欠工资事实清楚。",
        order_due=order_due.isoformat(),
    )
    case.refresh_from_db()
    # the order to pay is the handling decision (行政处理决定书, issue 13 item 3)
    assert case.status == Case.Status.ENFORCING and case.documents.filter(kind="handling_decision").count() == 1
    claim_and_complete(
        "inspector_360302", receipt, method="direct", served_at=timezone.now().isoformat(), recipient="法定代表人王某"
    )
    assert case.documents.get(kind="handling_decision").services.count() == 1

    # partial payment: six workers in full, a seventh in part
    for e in entries[:6]:
        paid = ins.post(f"{url}/ledger/{e['id']}/payments/", {"amount": e["amount_owed"], "paid_on": str(date.today())})
        assert paid.status_code == 201, paid.json()
    half = (Decimal(entries[6]["amount_owed"]) / 2).quantize(Decimal("0.01"))
    assert (
        ins.post(
            f"{url}/ledger/{entries[6]['id']}/payments/", {"amount": str(half), "paid_on": str(date.today())}
        ).status_code
        == 201
    )
    summary = ins.get(f"{url}/ledger/").json()["summary"]
    assert Decimal(summary["outstanding"]) > 0 and summary["workers_paid_in_full"] == 6
    # then the rest
    for e in entries[6:]:
        outstanding = Decimal(e["amount_owed"]) - (half if e is entries[6] else 0)
        paid = ins.post(f"{url}/ledger/{e['id']}/payments/", {"amount": str(outstanding), "paid_on": str(date.today())})
        assert paid.status_code == 201, paid.json()
    summary = ins.get(f"{url}/ledger/").json()["summary"]
    assert Decimal(summary["outstanding"]) == 0 and summary["workers_paid_in_full"] == 12

    # verification comes when the order's deadline has passed
    assert not [t for t in api("inspector_360302").get("/api/v1/tasks/", {"scope": "queue"}).json()["results"]
                if t["step"] == "verify"]  # fmt: skip
    call_command("sweep_deadlines", "--at", f"{order_due + timedelta(days=1)}T00:00:01")
    with days_later(11):  # the order's deadline has passed (verification is refused before: cases.enforcement)
        claim_and_complete("inspector_360302", receipt, note="经核查，12名劳动者工资已全部支付。")
        claim_and_complete("leader_360302", receipt, closure_code="paid_in_full", satisfaction="satisfied", note="")

    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.closure_code == "paid_in_full"
    assert case.amount_paid == case.amount_owed
    assert Complaint.objects.get(receipt_no=receipt).status == Complaint.Status.CLOSED
    kinds = list(timeline.for_case(case).values_list("kind", flat=True))
    expected_order = [
        "complaint.received", "case.filed", "complaint.accepted", "document.issued", "case.inspectors_assigned",
        "record.added", "ledger.entry_added", "case.investigation_concluded", "document.issued", "case.decided",
        "document.served", "ledger.payment_recorded", "case.verified", "case.closed",
    ]  # fmt: skip
    positions: list[int] = []
    for k in expected_order:  # each in turn, after the one before (the 受理通知书 is the first document)
        positions.append(kinds.index(k, positions[-1] + 1 if positions else 0))
    assert kinds.count("ledger.entry_added") == 12 and kinds.count("ledger.payment_recorded") == 13
    # one claim per human step: acceptance, assignment, investigation, decision, service, verification, closure
    # (the inspector's steps were routed to it: workflows.routing)
    assert kinds.count("task.claimed") + kinds.count("task.routed") == 7
    assert timeline.chain_ok(case)
    call_command("verify_timeline", "--case", case.case_no)


def test_outsiders_get_404_and_a_clerk_trying_an_inspector_step_gets_403():
    receipt = submit()["receipt_no"]
    claim_and_complete("clerk_360302", receipt, decision="accept")
    inspector, second = world.user("inspector", "360302"), world.second_inspector("360302")
    claim_and_complete("leader_360302", receipt, inspectors=[inspector.pk, second.pk], conflict_declared=True)
    task = queue_task("inspector_360302", receipt, routed=True)  # routed to an assigned inspector
    assert task["step"] == "investigate"
    assert api("inspector_360313").get(f"/api/v1/tasks/{task['id']}/").status_code == 404
    assert api("inspector_360313").post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 404
    assert api("clerk_360302").post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 403
    # an inspector of the office who is not assigned may read but not act
    from cases.services import staff_create

    staff_create(username="inspector3_360302", region=world.region("360302"), role="inspector")
    assert api("inspector3_360302").post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 403
    case_no = filed_case(receipt).case_no
    assert api("inspector_360313").get(f"/api/v1/cases/{case_no}/ledger/").status_code == 404


def _case_filed_on(day: datetime) -> Case:
    case = world.make_case("360302")
    Case.objects.filter(pk=case.pk).update(filed_at=day)
    case.refresh_from_db()
    case_investigation_open(case=case)
    return case


def test_sixty_working_days_from_filing_across_national_day():
    case = _case_filed_on(datetime(2026, 9, 28, 10, 0, tzinfo=SH))
    clock = case.deadlines.get(kind="investigation.complete")
    assert (clock.length, clock.unit) == (60, "working_days")
    # 9-29 (1), 9-30 (2); 10-01..07 off; 10-08, 10-09, make-up Saturday 10-10 (5); then five a week:
    # 10-12..16 (10) … 12-14..18 (55), 12-21..25 (60): the 60th working day is Friday 2026-12-25
    assert clock.due_at.astimezone(SH) == datetime(2026, 12, 25, 23, 59, 59, tzinfo=SH)


def test_one_extension_of_thirty_working_days_and_no_second():
    case = world.make_case("360302")
    from cases.investigation import case_assign_inspectors

    case_assign_inspectors(
        case=case, inspectors=[world.user("inspector", "360302"), world.second_inspector("360302")],
        actor=world.user("leader", "360302"), conflict_declared=True,
    )  # fmt: skip
    case_investigation_open(case=case)
    clock = case.deadlines.get(kind="investigation.complete")
    before = clock.due_at
    ins = api("inspector_360302")
    started = ins.post(
        "/api/v1/flows/extension/start/", {"case_no": case.case_no, "reason": "涉及人数多，需委托审计"}, format="json"
    )
    assert started.status_code == 201, started.json()
    assert [t["step"] for t in started.json()["next_tasks"]] == ["approve"]
    task = queue_task_by_case("leader_360302", case.case_no)
    leader = api("leader_360302")
    leader.post(f"/api/v1/tasks/{task['id']}/assign/")
    assert (
        leader.post(
            f"/api/v1/tasks/{task['id']}/complete/", {"approved": "yes", "opinion": "同意延长30个工作日"}, format="json"
        ).status_code
        == 200
    )
    clock.refresh_from_db()
    assert clock.extended_by == 30
    from cases.workdays import add_working_days

    assert clock.due_at.astimezone(SH).date() == add_working_days(before.astimezone(SH).date(), 30)
    again = ins.post("/api/v1/flows/extension/start/", {"case_no": case.case_no, "reason": "再次延长"}, format="json")
    assert again.status_code == 400 and "case_no" in again.json()["errors"]
    assert case.events.filter(kind="deadline.extended").count() == 1


def queue_task_by_case(username: str, case_no: str) -> dict:
    rows = api(username).get("/api/v1/tasks/", {"scope": "queue"}).json()["results"]
    return [r for r in rows if r["case_no"] == case_no][-1]


def test_suspension_pauses_the_clock_and_resumption_preserves_the_remainder():
    case = world.make_case("360302")
    from cases.investigation import case_assign_inspectors

    case_assign_inspectors(
        case=case, inspectors=[world.user("inspector", "360302"), world.second_inspector("360302")],
        actor=world.user("leader", "360302"), conflict_declared=True,
    )  # fmt: skip
    case_investigation_open(case=case)
    ins = api("inspector_360302")
    bad = ins.post(f"/api/v1/cases/{case.case_no}/suspend/", {}, format="json")
    assert bad.status_code == 400 and "reason" in bad.json()["errors"]
    assert (
        ins.post(f"/api/v1/cases/{case.case_no}/suspend/", {"reason": "负责人失联"}, format="json").status_code == 200
    )
    clock = case.deadlines.get(kind="investigation.complete")
    assert clock.state == Deadline.State.PAUSED
    assert Case.objects.get(pk=case.pk).status == Case.Status.SUSPENDED
    # a clerk cannot resume it; the assigned inspector can
    assert api("clerk_360302").post(f"/api/v1/cases/{case.case_no}/resume/", {"reason": "x"}).status_code == 403
    assert (
        ins.post(f"/api/v1/cases/{case.case_no}/resume/", {"reason": "负责人已到案"}, format="json").status_code == 200
    )
    clock.refresh_from_db()
    assert clock.state == Deadline.State.RUNNING
    kinds = list(case.events.values_list("kind", flat=True))
    assert "case.suspended" in kinds and "case.resumed" in kinds


def test_fifteen_working_days_to_decide_from_the_end_of_the_investigation():
    receipt = submit()["receipt_no"]
    claim_and_complete("clerk_360302", receipt, decision="accept")
    inspector, second = world.user("inspector", "360302"), world.second_inspector("360302")
    claim_and_complete("leader_360302", receipt, inspectors=[inspector.pk, second.pk], conflict_declared=True)
    claim_and_complete("inspector_360302", receipt, violation=True, findings="查实拖欠。")
    case = filed_case(receipt)
    investigation_clock = case.deadlines.get(kind="investigation.complete")
    decide = case.deadlines.get(kind="investigation.decide")
    assert investigation_clock.state == Deadline.State.MET
    assert (decide.length, decide.unit) == (15, "working_days")
    from cases.workdays import add_working_days

    assert decide.due_at.astimezone(SH).date() == add_working_days(decide.start_at.astimezone(SH).date(), 15)


def test_unpaid_after_the_deadline_hands_over_with_compensation():
    receipt = submit()["receipt_no"]
    claim_and_complete("clerk_360302", receipt, decision="accept")
    inspector, second = world.user("inspector", "360302"), world.second_inspector("360302")
    claim_and_complete("leader_360302", receipt, inspectors=[inspector.pk, second.pk], conflict_declared=True)
    case = filed_case(receipt)
    ins = api("inspector_360302")
    ins.post(
        f"/api/v1/cases/{case.case_no}/ledger/",
        {"worker": {"name": "工人甲", "id_number": worker_id(1), "phone": "13807990000"},
         "period_start": "2026-05-01", "period_end": "2026-10-31", "amount_owed": "8000.00"},
        format="json",
    )  # fmt: skip
    claim_and_complete("inspector_360302", receipt, violation=True, findings="查实拖欠。")
    due = timezone.localdate() + timedelta(days=5)
    claim_and_complete("inspector_360302", receipt, decision="order_to_pay", facts="拖欠。", order_due=due.isoformat())
    claim_and_complete(
        "inspector_360302", receipt, method="direct", served_at=timezone.now().isoformat(), recipient="王某"
    )
    call_command("sweep_deadlines", "--at", f"{due + timedelta(days=1)}T00:00:01")
    with days_later(6):  # the order's deadline has passed (verification is refused before: cases.enforcement)
        claim_and_complete("inspector_360302", receipt, note="逾期未支付。")
        task = queue_task("inspector_360302", receipt, routed=True)
        assert task["step"] == "unpaid"
        ins.post(f"/api/v1/tasks/{task['id']}/assign/")
        low = ins.post(f"/api/v1/tasks/{task['id']}/complete/", {"compensation_rate": 49}, format="json")
        assert low.status_code == 400 and "compensation_rate" in low.json()["errors"]
        high = ins.post(f"/api/v1/tasks/{task['id']}/complete/", {"compensation_rate": 101}, format="json")
        assert high.status_code == 400
        ok = ins.post(
            f"/api/v1/tasks/{task['id']}/complete/",
            {"compensation_rate": 50, "penalty_amount": "20000", "penalty_basis": "lsir_30"},
            format="json",
        )
        assert ok.status_code == 200, ok.json()
        case.refresh_from_db()
        assert case.unpaid_after_order and case.compensation_rate == 50 and case.status == Case.Status.ENFORCING
        assert case.documents.filter(kind="compensation_order").exists()
        assert case.events.filter(kind="case.order_overdue").get().data["compensation"] == "4000.00"


def test_a_proactive_case_is_numbered_and_flagged_government_invested_as_a_complaint_case_is():
    """Case creation is one constructor (cases.services._case_create): a proactive filing on a
    government-invested project is flagged as a complaint case on it is."""
    from cases.investigation import case_file_proactive, filing_proposal_validate
    from cases.models import Project

    region = world.region("360302")
    Project.objects.create(name="城南安置房项目", address="", region=region, government_invested=True)
    proposal = filing_proposal_validate(
        {
            "origin": Case.Origin.INSPECTION,
            "employer": {"name": "萍乡市某建筑劳务有限公司", "address": "萍乡市安源区"},
            "project": {"name": "城南安置房项目"},
            "workers_count": 3,
            "amount_owed": "12000",
            "facts": "日常巡查发现拖欠工资",
        }
    )
    leader = world.user("leader", "360302")
    case = case_file_proactive(region=region, proposal=proposal, actor=leader, opinion="同意立案")
    assert case.government_invested is True
    assert case.case_no.startswith(f"360302-{timezone.localdate(case.filed_at).year}-")
    assert list(timeline.for_case(case).values_list("kind", flat=True))[:1] == ["case.filed"]


def test_a_case_step_out_of_turn_is_a_state_conflict_on_the_case_field():
    """The case's steps go through the transition kernel: the row read afresh under its lock (a stale
    instance does not mislead the check), the texts of before on "case", nothing written."""
    from cases.investigation import case_assign_inspectors, case_conclude_investigation, case_resume, case_suspend
    from cases.transitions import StateConflict

    case = world.make_case("360302")
    inspector = world.user("inspector", "360302")
    case_assign_inspectors(
        case=case, inspectors=[inspector, world.second_inspector("360302")],
        actor=world.user("leader", "360302"), conflict_declared=True,
    )  # fmt: skip
    assert case.status == Case.Status.INVESTIGATING
    stale = Case.objects.get(pk=case.pk)
    case_suspend(case=case, actor=inspector, reason="负责人失联")
    events = case.events.count()
    with pytest.raises(StateConflict) as exc:
        case_suspend(case=stale, actor=inspector, reason="再次中止")  # the stale copy still says investigating
    assert exc.value.message_dict == {"case": ["只有调查中的案件可以中止调查。"]}
    assert stale.status == Case.Status.SUSPENDED  # read afresh
    with pytest.raises(StateConflict) as exc:
        case_conclude_investigation(case=case, actor=inspector, violation=True, findings="查明拖欠")
    assert exc.value.message_dict == {"case": ["案件当前状态为“中止调查”，不能结束调查。"]}
    assert case.events.count() == events
    case_resume(case=case, actor=inspector, reason="负责人已到案")
    with pytest.raises(StateConflict) as exc:
        case_resume(case=case, actor=inspector, reason="再次恢复")
    assert exc.value.message_dict == {"case": ["只有已中止调查的案件可以恢复调查。"]}
