"""Drawing on the deposit (DEP2021; WPR arts 32-33) when a case's order to pay is overdue on a project that
holds one: the notice to the bank (pays within 5 WD, row 54, a deadline of the case), the bank's payment
recorded per worker into the case's ledger (source 保证金支付), the contractor ordered to top up within
10 WD (row 55), the top-up or — past its day — a missed top-up recorded on the case (a finding).

The deposit pays this project's workers and nothing else (art 33): `deposit_use_check` refuses any other use
and every drawdown passes through it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.actors import Actor, Staff
from cases.deadlines import deadline_close, deadline_start
from cases.deadlines.rules import Rule, rules_register
from cases.documents.context import ledger_rows
from cases.documents.services import document_write
from cases.ledger import day, ledger_summary, money, payment_record
from cases.models import ArrearsEntry, Case, Deadline, Document, Payment, Role
from cases.transitions import lock, transition
from cases.tx import one_transaction
from cases.values import local_date, moment
from projects.links import cases_on, registry_project

from .models import Deposit, DepositDraw, DrawLine
from .ratio import rate_table

DEP2021 = "《工程建设领域农民工工资保证金规定》"
BANK_PAY = "deposit.bank_pay"
TOPUP = "deposit.topup"
Unit = Deadline.Unit
rules_register(
    {
        # rows 54, 55 [S]: per-province settings (DepositRateTable) with these defaults
        BANK_PAY: Rule(_("银行从保证金中支付工资期限"), 5, Unit.WORKING_DAYS, DEP2021, "deposit.drawn", 1),
        TOPUP: Rule(_("补足工资保证金期限"), 10, Unit.WORKING_DAYS, DEP2021, "deposit.bank_paid", 2),
    }
)
D = DepositDraw.Status
_drawn_hooks: list[Callable[[DepositDraw], None]] = []


def on_deposit_drawn(fn: Callable[[DepositDraw], None]) -> Callable:
    """Call fn(draw) in the drawdown's transaction (workflows starts the drawdown's flow); never imports it."""
    if fn not in _drawn_hooks:
        _drawn_hooks.append(fn)
    return fn


OPEN = (Deadline.State.RUNNING, Deadline.State.OVERDUE, Deadline.State.PAUSED)


def order_overdue(case: Case, today: date | None = None) -> bool:
    """The handling decision (order to pay) is past its day with wages still owed."""
    today = today or timezone.localdate()
    if case.status in (Case.Status.CLOSED, Case.Status.WITHDRAWN):
        return False
    due_passed = case.order_due is not None and case.order_due < today
    return (case.unpaid_after_order or due_passed) and ledger_summary(case)["outstanding"] > 0


def deposit_for_case(case: Case) -> Deposit | None:
    """The deposit of the registered project the case is on (its project, else a unit of the chain as employer)."""
    project = registry_project(case.project)
    if project is not None:
        return Deposit.objects.filter(project=project).select_related("project", "region").first()
    return (
        Deposit.objects.filter(project__units__employer_id=case.employer_id)
        .select_related("project", "region")
        .order_by("-id")
        .first()
    )


def deposit_use_check(*, deposit: Deposit, case: Case) -> None:
    """WPR art 33: the deposit pays the wages owed on its own project, nothing else — refused on "case"."""
    on_project = Case.objects.filter(Q(pk=case.pk) & cases_on(deposit.project)).exists()
    if not on_project:
        raise ValidationError({"case": _("工资保证金只能用于支付本项目拖欠的农民工工资，不得用于其他用途。")})


def _deadline(case: Case, kind: str) -> Deadline | None:
    return Deadline.objects.filter(case=case, kind=kind, state__in=OPEN).order_by("-id").first()


@one_transaction
def deposit_draw(*, case: Case, actor: Staff, at: Any = None) -> DepositDraw:
    """Draw on the project's deposit for the workers still owed (ledger entries, in order, up to the balance):
    the notice to the bank (保证金支付通知书) with its 5 WD clock. Refused unless the order to pay is overdue
    and the deposit is held on this case's project."""
    at = moment(at)
    deposit = deposit_for_case(case)
    if deposit is None:
        raise ValidationError({"case": _("该案件所涉项目没有登记工资保证金。")})
    deposit_use_check(deposit=deposit, case=case)
    lock(case)  # the case before the document's number (cases.documents' lock order)
    if not order_overdue(case, local_date(at)):
        raise ValidationError({"case": _("责令限期支付期限尚未届满或已无拖欠，不能动用工资保证金。")})
    table = rate_table(deposit.region)
    with transition(deposit, expect=[Deposit.Status.HELD], event="deposit.drawn", actor=actor, role=Role.INSPECTOR,
                    subject=case, error_field="case") as step:  # fmt: skip
        if deposit.balance <= 0:
            raise ValidationError({"case": _("工资保证金已无可用余额。")})
        if DepositDraw.objects.filter(case=case, status=D.NOTIFIED).exists():
            raise ValidationError({"case": _("该案件已通知银行支付，尚待银行支付。")})
        left = deposit.balance
        plan: list[tuple[ArrearsEntry, Decimal]] = []
        for entry in ArrearsEntry.objects.filter(case=case).order_by("id"):
            pay = min(entry.amount_owed - entry.amount_paid, left)
            if pay > 0:
                plan.append((entry, pay))
                left -= pay
        total = sum((p for _, p in plan), Decimal("0.00"))
        clock = deadline_start(kind=BANK_PAY, region=case.region, start_at=at, case=case, length=table.bank_pay_wd)
        due = local_date(clock.due_at)
        notice = document_write(
            kind=Document.Kind.DEPOSIT_DRAW_NOTICE,
            office=case.region,
            case=case,
            at=at,
            actor=actor,
            due=due,
            workers=ledger_rows(case),
            data={"addressee": deposit.bank, "contractor": deposit.contractor.name,
                  "project": deposit.project.name, "form_label": str(deposit.get_form_display()),
                  "reference": deposit.guarantee_no or _("专用账户"), "amount": str(total), "due_date": str(due)},
        )  # fmt: skip
        draw = DepositDraw.objects.create(deposit=deposit, case=case, amount=total, notice=notice, bank_due=due,
                                          created_by=actor, created_at=at)  # fmt: skip
        DrawLine.objects.bulk_create([DrawLine(draw=draw, entry=e, amount=p) for e, p in plan])
        step.set(balance=deposit.balance - total, drawn_total=deposit.drawn_total + total)
        step.data.update(draw=draw.pk, deposit=deposit.pk, project=deposit.project.project_no, amount=total,
                         workers=len(plan), notice=notice.number, bank_due=due,
                         balance=deposit.balance - total)  # fmt: skip
    for fn in _drawn_hooks:
        fn(draw)
    return draw


@one_transaction
def deposit_bank_paid(*, draw: DepositDraw, paid_on: Any, actor: Staff, at: Any = None) -> DepositDraw:
    """The bank paid: each worker's payment into the case's ledger (保证金支付); the contractor ordered to top
    the deposit up within 10 WD (补足通知书, its clock)."""
    at = moment(at)
    paid_on = day(paid_on, "paid_on", "支付日期")
    case = draw.case
    table = rate_table(draw.deposit.region)
    lock(case)
    with transition(draw, expect=[D.NOTIFIED], event="deposit.bank_paid", actor=actor, role=Role.INSPECTOR,
                    subject=case, error_field="paid_on") as step:  # fmt: skip
        for line in draw.lines.select_related("entry"):
            payment = payment_record(entry=line.entry, amount=line.amount, paid_on=paid_on, actor=actor,
                                     source=Payment.Source.DEPOSIT)  # fmt: skip
            DrawLine.objects.filter(pk=line.pk).update(payment=payment)
        clock = _deadline(case, BANK_PAY)
        if clock is not None:
            deadline_close(deadline=clock, at=at)
        topup = deadline_start(kind=TOPUP, region=case.region, start_at=at, case=case, length=table.topup_wd)
        due = local_date(topup.due_at)
        deposit = draw.deposit
        order = document_write(
            kind=Document.Kind.DEPOSIT_TOPUP_ORDER,
            office=case.region,
            case=case,
            at=at,
            actor=actor,
            due=due,
            data={"liable_unit": {"employer_id": deposit.contractor_id, "name": deposit.contractor.name},
                  "project": deposit.project.name, "amount": str(draw.amount),
                  "required": str(deposit.amount), "due_date": str(due), "addressee": deposit.contractor.name},
        )  # fmt: skip
        step.to(D.PAID, paid_on=paid_on, topup_order=order, topup_due=due)
        step.data.update(draw=draw.pk, amount=draw.amount, paid_on=paid_on, workers=draw.lines.count(),
                         topup_order=order.number, topup_due=due, contractor=deposit.contractor.name)  # fmt: skip
    return draw


@one_transaction
def deposit_topped_up(*, draw: DepositDraw, amount: Any, on: Any, actor: Staff, at: Any = None) -> DepositDraw:
    """The contractor topped the deposit up (late after a miss too): the balance restored."""
    at = moment(at)
    amount = money(amount, "amount", "补足金额")
    on = day(on, "on", "补足日期")
    if amount < draw.amount:
        raise ValidationError({"amount": _("补足金额不得少于动用金额 %(a)s 元。") % {"a": draw.amount}})
    deposit = draw.deposit
    with transition(draw, expect=[D.PAID, D.MISSED], event="deposit.topped_up", actor=actor, role=Role.INSPECTOR,
                    subject=draw.case, error_field="amount") as step:  # fmt: skip
        lock(deposit)
        Deposit.objects.filter(pk=deposit.pk).update(balance=deposit.balance + amount)
        clock = _deadline(draw.case, TOPUP)
        if clock is not None:
            deadline_close(deadline=clock, at=at)
        step.to(D.TOPPED_UP, topped_up_on=on)
        step.data.update(draw=draw.pk, amount=amount, on=on, late=draw.topup_due is not None and on > draw.topup_due)
    return draw


@one_transaction
def deposit_topup_missed(*, draw: DepositDraw, today: date | None = None, actor: Actor = None) -> bool:
    """Past the top-up day and not topped up: the draw marked missed and the fact recorded on the case."""
    today = today or timezone.localdate()
    if draw.status != D.PAID or draw.topup_due is None or draw.topup_due >= today:
        return False
    with transition(draw, expect=[D.PAID], event="deposit.topup_missed", actor=actor, subject=draw.case,
                    error_field="status") as step:  # fmt: skip
        step.to(D.MISSED)
        step.data.update(draw=draw.pk, amount=draw.amount, topup_due=draw.topup_due,
                         contractor=draw.deposit.contractor.name, project=draw.deposit.project.project_no)  # fmt: skip
    return True


def deposit_topups_sweep(*, today: date | None = None) -> int:
    """Every draw past its top-up day (the periodic check, deposits.tasks): how many were marked missed."""
    today = today or timezone.localdate()
    done = 0
    for draw in DepositDraw.objects.filter(status=D.PAID, topup_due__lt=today).select_related("deposit", "case"):
        done += deposit_topup_missed(draw=draw, today=today)
    return done
