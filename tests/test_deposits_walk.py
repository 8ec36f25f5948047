"""Issue 17 "What must be shown": the walk unpaid order → drawdown → workers paid from the deposit (the ledger
shows it) → top-up ordered → missed → finding; completion → notice → return; an advance from the fund to 5
workers and its full recovery with the balance right at each step."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.ledger import ledger_view
from cases.models import Deadline, Document, Payment, Role, TimelineEvent
from cases.timeline.labels import EVENT_LABELS
from cases.workdays import add_working_days
from deposits.drawdown import (
    deposit_bank_paid,
    deposit_draw,
    deposit_topped_up,
    deposit_topup_missed,
    deposit_use_check,
)
from deposits.fund import fund_advance_decide, fund_advance_request, fund_allocate, fund_recover
from deposits.models import Deposit, DepositDocument, EmergencyFund, FundAdvance
from deposits.register import deposit_record, deposit_register
from deposits.returns import deposit_return, deposit_return_apply, deposit_return_notice
from deposits.selectors import deposit_findings
from projects.models import Project
from tests import factories, world
from tests.depositkit import arrears_case, project_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def held_deposit(n: int, *, form: str = "cash") -> Deposit:
    project = project_with(n, since=date(2025, 6, 1))
    clerk = factories.staff(Role.CLERK, "360302")
    deposit = deposit_register(project=project, actor=clerk)
    extra = {"account_no": "6228480000001234"} if form == "cash" else {
        "guarantee_no": f"BH-{n}", "expires_on": timezone.localdate() + timedelta(days=400)}  # fmt: skip
    return deposit_record(deposit=deposit, form=form, bank="农业银行萍乡分行", amount=deposit.required_amount,
                          deposited_on=timezone.localdate(), actor=clerk, **extra)  # fmt: skip


def test_a_deposit_is_due_in_20_working_days_and_a_late_or_missing_one_is_a_finding():
    project = project_with(401, since=date(2025, 6, 1))
    clerk = factories.staff(Role.CLERK, "360302")
    deposit = deposit_register(project=project, actor=clerk)
    assert deposit.status == "required" and deposit.required_amount == Decimal("240000.00")
    assert deposit.due_on == add_working_days(project.contract_signed_on, 20)
    month_after = deposit.due_on + timedelta(days=31)
    kinds = [f.kind for f in deposit_findings(project, month_after)]
    assert kinds == ["deposit_missing"]
    assert [f.kind for f in deposit_findings(project, deposit.due_on.replace(day=1) - timedelta(days=40))] == []
    with pytest.raises(ValidationError) as e:
        deposit_record(deposit=deposit, form="cash", bank="农行", amount="1000.00", deposited_on=timezone.localdate(),
                       account_no="1", actor=clerk)  # fmt: skip
    assert "amount" in e.value.message_dict
    deposit_record(deposit=deposit, form="cash", bank="农行", amount="240000.00", deposited_on=timezone.localdate(),
                   account_no="6228480000001234", actor=clerk)  # fmt: skip
    deposit.refresh_from_db()
    assert deposit.status == "held" and deposit.balance == Decimal("240000.00")
    late = [f for f in deposit_findings(project, timezone.localdate()) if f.kind == "deposit_late"]
    assert len(late) == (1 if timezone.localdate() > deposit.due_on else 0)
    event = TimelineEvent.objects.filter(region=project.region, kind="deposit.deposited").last()
    assert event.data["account"].startswith("6228") and "*" in event.data["account"]


def test_a_bank_guarantee_near_its_expiry_is_a_finding():
    deposit = held_deposit(402, form="guarantee")
    expires = deposit.guarantee_expires_on
    assert [f.kind for f in deposit_findings(deposit.project, expires - timedelta(days=20))] == ["guarantee_expiring"]
    assert deposit_findings(deposit.project, expires - timedelta(days=70)) == []


def test_the_walk_unpaid_order_drawdown_ledger_topup_ordered_missed_finding():
    deposit = held_deposit(403)
    case = arrears_case(deposit.project, workers=3, amount="30000.00")
    factories.ledger(case)
    inspector = factories.staff(Role.INSPECTOR, "360302")
    with pytest.raises(ValidationError) as e:  # the order is not overdue yet
        deposit_draw(case=case, actor=inspector)
    assert "case" in e.value.message_dict
    case = factories.order_served_and_due(case)
    draw = deposit_draw(case=case, actor=inspector)
    assert draw.amount == Decimal("30000.00") and draw.lines.count() == 3
    assert draw.notice.kind == Document.Kind.DEPOSIT_DRAW_NOTICE and draw.notice.case_id == case.pk
    assert draw.bank_due == add_working_days(timezone.localdate(), 5)
    assert Deadline.objects.get(case=case, kind="deposit.bank_pay").length == 5
    deposit.refresh_from_db()
    assert deposit.balance == Decimal("210000.00") and deposit.drawn_total == Decimal("30000.00")
    with pytest.raises(ValidationError):  # the same case cannot draw twice while the bank has not paid
        deposit_draw(case=case, actor=inspector)

    deposit_bank_paid(draw=draw, paid_on=timezone.localdate(), actor=inspector)
    draw.refresh_from_db()
    assert draw.status == "paid" and draw.topup_order.kind == Document.Kind.DEPOSIT_TOPUP_ORDER
    assert draw.topup_due == add_working_days(timezone.localdate(), 10)
    payments = Payment.objects.filter(entry__case=case)
    assert payments.count() == 3 and {p.source for p in payments} == {Payment.Source.DEPOSIT}
    view = ledger_view(case=case, viewer=inspector)
    assert view["summary"]["outstanding"] == 0
    assert all(row["payments"][0]["source"] == "deposit" for row in view["entries"])
    assert Deadline.objects.get(case=case, kind="deposit.bank_pay").state == "met"

    assert deposit_topup_missed(draw=draw, today=draw.topup_due) is False  # on its day: not yet missed
    assert deposit_topup_missed(draw=draw, today=draw.topup_due + timedelta(days=1)) is True
    draw.refresh_from_db()
    assert draw.status == "missed"
    fact = TimelineEvent.objects.filter(case=case, kind="deposit.topup_missed").get()
    assert fact.data["amount"] == "30000.00" and str(EVENT_LABELS["deposit.topup_missed"]) == "逾期未补足工资保证金"
    month = draw.topup_due + timedelta(days=1)
    missed = [f for f in deposit_findings(deposit.project, month) if f.kind == "topup_missed"]
    assert len(missed) == 1 and missed[0].on == draw.topup_due and "逾期未补足" in missed[0].text
    kinds = list(TimelineEvent.objects.filter(case=case, kind__startswith="deposit.").values_list("kind", flat=True))
    assert kinds == ["deposit.drawn", "deposit.bank_paid", "deposit.topup_missed"]

    deposit_topped_up(draw=draw, amount="30000.00", on=timezone.localdate(), actor=inspector)
    deposit.refresh_from_db()
    assert deposit.balance == Decimal("240000.00")


def test_the_deposit_pays_its_own_projects_workers_and_nothing_else():
    deposit = held_deposit(404)
    other = world.make_case("360302")  # a case on another employer, another project
    with pytest.raises(ValidationError) as e:
        deposit_use_check(deposit=deposit, case=other)
    assert "不得用于其他用途" in e.value.message_dict["case"][0]


def test_completion_notice_and_return_each_with_its_document():
    deposit = held_deposit(405, form="guarantee")
    clerk = factories.staff(Role.CLERK, "360302")
    with pytest.raises(ValidationError):  # not completed yet
        deposit_return_apply(deposit=deposit, on=timezone.localdate(), actor=clerk)
    Project.objects.filter(pk=deposit.project_id).update(status="completed", completed_on=timezone.localdate())
    deposit.project.refresh_from_db()
    deposit_return_apply(deposit=deposit, on=timezone.localdate(), actor=clerk)
    deposit_return_notice(deposit=deposit, actor=clerk)
    assert deposit.notice_end == timezone.localdate() + timedelta(days=30)
    with pytest.raises(ValidationError):  # within the 30 days
        deposit_return(deposit=deposit, actor=clerk)
    case = arrears_case(deposit.project)  # an arrears claim during the notice
    with pytest.raises(ValidationError) as e:
        deposit_return(deposit=deposit, actor=clerk, at=timezone.now() + timedelta(days=31))
    assert case.case_no in e.value.message_dict["status"][0]
    from cases.models import Case

    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    deposit_return(deposit=deposit, actor=clerk, at=timezone.now() + timedelta(days=31))
    deposit.refresh_from_db()
    assert deposit.status == "returned" and deposit.balance == 0 and deposit.returned_amount == Decimal("240000.00")
    kinds = list(deposit.documents.order_by("id").values_list("kind", flat=True))
    assert kinds == [DepositDocument.Kind.APPLICATION, DepositDocument.Kind.NOTICE, DepositDocument.Kind.RETURN]
    assert all(d.file and len(d.sha256) == 64 for d in deposit.documents.all())
    assert "解除银行保函" in "".join(deposit.documents.get(kind="return_decision").lines)


def test_an_advance_to_five_workers_and_its_full_recovery_balance_right_at_each_step():
    region = world.region("360302")
    leader = factories.staff(Role.LEADER, "360302")
    inspector = factories.staff(Role.INSPECTOR, "360302")
    today = timezone.localdate()
    fund = fund_allocate(region=region, amount="100000.00", on=today, actor=leader)
    assert fund.balance == Decimal("100000.00")
    case = world.make_case("360302", workers=5, amount="50000.00")
    entries = factories.ledger(case)
    amounts = {str(e.pk): "6000.00" for e in entries}
    advance = fund_advance_request(
        case=case, purpose="wages", amounts=amounts, reason="春节前工人无钱返乡", actor=inspector
    )
    assert advance.amount == Decimal("30000.00") and advance.status == "requested"
    fund.refresh_from_db()
    assert fund.balance == Decimal("100000.00")  # nothing moves before the leader approves
    fund_advance_decide(advance=advance, approved=True, opinion="同意垫付", paid_on=today, actor=leader)
    fund.refresh_from_db()
    assert fund.balance == Decimal("70000.00") and fund.advanced_total == Decimal("30000.00")
    payments = Payment.objects.filter(entry__case=case)
    assert payments.count() == 5 and {p.source for p in payments} == {"fund"}
    case.refresh_from_db()
    assert case.amount_paid == Decimal("30000.00")
    for part, balance in (("10000.00", "80000.00"), ("15000.00", "95000.00"), ("5000.00", "100000.00")):
        fund_recover(advance=advance, amount=part, on=today, actor=inspector)
        fund.refresh_from_db()
        assert fund.balance == Decimal(balance)
    advance.refresh_from_db()
    assert advance.status == "recovered" and advance.recovered == advance.amount
    assert list(fund.movements.values_list("kind", "balance_after")) == [
        ("allocation", Decimal("100000.00")), ("advance", Decimal("70000.00")), ("recovery", Decimal("80000.00")),
        ("recovery", Decimal("95000.00")), ("recovery", Decimal("100000.00"))]  # fmt: skip
    with pytest.raises(ValidationError):  # nothing left to recover
        fund_recover(advance=advance, amount="1.00", on=today, actor=inspector)


def test_the_fund_never_goes_negative_service_and_constraint():
    region = world.region("360302")
    leader = factories.staff(Role.LEADER, "360302")
    inspector = factories.staff(Role.INSPECTOR, "360302")
    fund = fund_allocate(region=region, amount="1000.00", on=timezone.localdate(), actor=leader)
    case = world.make_case("360302", workers=2, amount="8000.00")
    entries = factories.ledger(case)
    advance = fund_advance_request(case=case, purpose="living", amounts={str(entries[0].pk): "2000.00"},
                                   reason="生活困难", actor=inspector)  # fmt: skip
    with pytest.raises(ValidationError) as e:
        fund_advance_decide(advance=advance, approved=True, opinion="同意", paid_on=timezone.localdate(), actor=leader)
    assert "余额不足" in e.value.message_dict["amount"][0]
    advance.refresh_from_db()
    assert advance.status == "requested" and not Payment.objects.filter(entry__case=case).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        EmergencyFund.objects.filter(pk=fund.pk).update(balance=Decimal("-0.01"))
    fund_advance_decide(advance=advance, approved=False, opinion="金额不足，转其他渠道", actor=leader)
    assert FundAdvance.objects.get(pk=advance.pk).status == "refused"


def test_the_demo_seeds_deposits_and_the_fund_once():
    from django.core.management import call_command

    from deposits.demo import deposits_seed

    call_command("seed_demo")
    demo = Deposit.objects.filter(project__project_no__startswith="DEMO-DEP-")
    statuses = set(demo.values_list("status", flat=True))
    assert {"held", "required", "noticed"} <= statuses and demo.count() == 5
    assert demo.filter(form="guarantee").exists()
    fund = EmergencyFund.objects.get(region__code="360302")
    assert fund.balance + fund.advanced_total - fund.recovered_total == Decimal("2000000.00")
    deposits_seed(progress=lambda _: None)
    assert demo.count() == 5 and EmergencyFund.objects.get(pk=fund.pk).balance == fund.balance
