"""The emergency wage fund (欠薪应急周转金, WPR art 63): a fund per county-or-above region; an advance of wages
or living costs to the workers of a case on the leader's approval, paid per worker into the case's ledger
(应急周转金垫付), then recovered from the employer until nothing is owed to the fund.

The balance is never negative: a CHECK constraint, and every movement locks the fund's row (SELECT ... FOR
UPDATE) and checks the balance before writing — two advances at once cannot both spend the last yuan."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.actors import Staff
from cases.ledger import day, money, payment_record
from cases.models import ArrearsEntry, Case, Payment, Region, Role
from cases.transitions import lock, transition
from cases.tx import one_transaction
from cases.values import moment, required_text

from .models import AdvanceLine, EmergencyFund, FundAdvance, FundMovement

A = FundAdvance.Status
M = FundMovement.Kind
_requested_hooks: list[Callable[[FundAdvance], None]] = []


def on_advance_requested(fn: Callable[[FundAdvance], None]) -> Callable:
    """Call fn(advance) in the request's transaction (workflows starts the leader's approval step)."""
    if fn not in _requested_hooks:
        _requested_hooks.append(fn)
    return fn


def fund_for(region: Region) -> EmergencyFund | None:
    """The fund serving `region`: its own, else the nearest above it."""
    chain = []
    node: Region | None = region
    while node is not None:
        chain.append(node.pk)
        node = node.parent
    funds = {f.region_id: f for f in EmergencyFund.objects.filter(region_id__in=chain)}
    return next((funds[pk] for pk in chain if pk in funds), None)


def _move(fund: EmergencyFund, *, kind: str, amount: Decimal, actor: Staff, at, on, advance=None, note=""):
    """One movement of the locked fund: the balance checked, changed and recorded."""
    sign = -1 if kind == M.ADVANCE else 1
    balance = fund.balance + sign * amount
    if balance < 0:
        raise ValidationError({"amount": _("应急周转金余额不足：余额 %(b)s 元。") % {"b": fund.balance}})
    fund.balance = balance
    fields = ["balance"]
    if kind == M.ADVANCE:
        fund.advanced_total += amount
        fields.append("advanced_total")
    elif kind == M.RECOVERY:
        fund.recovered_total += amount
        fields.append("recovered_total")
    fund.save(update_fields=fields)
    return FundMovement.objects.create(fund=fund, kind=kind, amount=amount, balance_after=balance, advance=advance,
                                       on=on, note=note, actor=actor, at=at)  # fmt: skip


@one_transaction
def fund_allocate(
    *, region: Region, amount: Any, on: Any, actor: Staff, note: str = "", at: Any = None
) -> EmergencyFund:
    """Money put into the region's fund by its government (the fund created with the first allocation)."""
    at = moment(at)
    if region.level not in (Region.Level.COUNTY, Region.Level.CITY, Region.Level.PROVINCE):
        raise ValidationError({"region": _("应急周转金由县级以上人民政府设立。")})
    amount = money(amount, "amount", "拨入金额")
    on = day(on, "on", "拨入日期")
    fund, _created = EmergencyFund.objects.get_or_create(region=region)
    lock(fund)
    movement = _move(fund, kind=M.ALLOCATION, amount=amount, actor=actor, at=at, on=on, note=note[:200])
    from cases import timeline

    timeline.record(region, "fund.allocated", actor=actor, role=Role.LEADER,
                    data={"fund": fund.pk, "amount": amount, "balance": fund.balance,
                          "movement": movement.pk})  # fmt: skip
    return fund


def _plan(case: Case, amounts: dict) -> list[tuple[ArrearsEntry, Decimal]]:
    """{entry id: amount} checked against the case's ledger: each at most what the entry still owes."""
    if not isinstance(amounts, dict) or not amounts:
        raise ValidationError({"amounts": _("请填写每名劳动者的垫付金额。")})
    entries = {e.pk: e for e in ArrearsEntry.objects.filter(case=case, pk__in=[int(k) for k in amounts])}
    plan = []
    for key, value in amounts.items():
        entry = entries.get(int(key))
        if entry is None:
            raise ValidationError({"amounts": _("台账中没有这名劳动者（%(k)s）。") % {"k": key}})
        amount = money(value, f"amounts.{key}", "垫付金额")
        if amount > entry.amount_owed - entry.amount_paid:
            raise ValidationError({f"amounts.{key}": _("垫付金额超过该劳动者尚欠工资。")})
        plan.append((entry, amount))
    return plan


@one_transaction
def fund_advance_request(
    *, case: Case, purpose: str, amounts: dict, reason: Any, actor: Staff, at: Any = None
) -> FundAdvance:
    """The inspector asks the fund to advance wages or living costs to workers of the case (per ledger entry)."""
    at = moment(at)
    if purpose not in FundAdvance.Purpose.values:
        raise ValidationError({"purpose": _("请选择垫付用途。")})
    reason = required_text(reason, field="reason", label=_("理由"))
    fund = fund_for(case.region)
    if fund is None:
        raise ValidationError({"case": _("本地区尚未设立欠薪应急周转金。")})
    plan = _plan(case, amounts)
    total = sum((a for _, a in plan), Decimal("0.00"))
    advance = FundAdvance.objects.create(fund=fund, case=case, purpose=purpose, amount=total, reason=reason,
                                         requested_by=actor, requested_at=at)  # fmt: skip
    AdvanceLine.objects.bulk_create([AdvanceLine(advance=advance, entry=e, amount=a) for e, a in plan])
    with transition(advance, expect=[A.REQUESTED], event="fund.advance_requested", actor=actor,
                    role=Role.INSPECTOR, subject=case, locked=True) as step:  # fmt: skip
        step.data.update(advance=advance.pk, purpose=purpose, amount=total, workers=len(plan), reason=reason)
    for fn in _requested_hooks:
        fn(advance)
    return advance


@one_transaction
def fund_advance_decide(
    *, advance: FundAdvance, approved: bool, opinion: Any, actor: Staff, paid_on: Any = None, at: Any = None
) -> FundAdvance:
    """The leader's decision. Approved: the fund pays each worker (ledger, 应急周转金垫付) on `paid_on`, the
    balance checked under the fund's lock."""
    at = moment(at)
    opinion = required_text(opinion, field="opinion", label=_("审批意见"))
    event = "fund.advanced" if approved else "fund.advance_refused"
    with transition(advance, expect=[A.REQUESTED], event=event, actor=actor, role=Role.LEADER,
                    subject=advance.case, error_field="opinion") as step:  # fmt: skip
        if not approved:
            step.to(A.REFUSED, decided_by=actor, decided_at=at, opinion=opinion)
            step.data["opinion"] = opinion
            return advance
        paid = day(paid_on, "paid_on", "垫付日期")
        fund = lock(advance.fund)
        _move(fund, kind=M.ADVANCE, amount=advance.amount, actor=actor, at=at, on=paid, advance=advance)
        for line in advance.lines.select_related("entry"):
            payment = payment_record(entry=line.entry, amount=line.amount, paid_on=paid, actor=actor,
                                     source=Payment.Source.FUND)  # fmt: skip
            AdvanceLine.objects.filter(pk=line.pk).update(payment=payment)
        step.to(A.PAID, decided_by=actor, decided_at=at, opinion=opinion, paid_on=paid)
        step.data.update(advance=advance.pk, amount=advance.amount, paid_on=paid, balance=fund.balance,
                         opinion=opinion)  # fmt: skip
    return advance


@one_transaction
def fund_recover(
    *, advance: FundAdvance, amount: Any, on: Any, actor: Staff, note: str = "", at: Any = None
) -> FundAdvance:
    """Money recovered from the employer (追偿) back into the fund; recovered in full → closed."""
    at = moment(at)
    amount = money(amount, "amount", "追回金额")
    on = day(on, "on", "追回日期")
    with transition(advance, expect=[A.PAID], event="fund.recovered", actor=actor, role=Role.INSPECTOR,
                    subject=advance.case, error_field="amount") as step:  # fmt: skip
        left = advance.amount - advance.recovered
        if amount > left:
            raise ValidationError({"amount": _("追回金额超过尚未追回的 %(l)s 元。") % {"l": left}})
        fund = lock(advance.fund)
        _move(fund, kind=M.RECOVERY, amount=amount, actor=actor, at=at, on=on, advance=advance, note=note[:200])
        recovered = advance.recovered + amount
        if recovered == advance.amount:
            step.to(A.RECOVERED, recovered=recovered)
        else:
            step.set(recovered=recovered)
        step.data.update(advance=advance.pk, amount=amount, on=on, recovered=recovered,
                         outstanding=advance.amount - recovered, balance=fund.balance)  # fmt: skip
    return advance
