"""What the deposits know, read for others: the findings of a project for a month (the early-warning checks
read them; this app never imports earlywarning), the dashboard figures and the register rows.

    deposit_findings(project, date(2026, 11, 1))
    -> [Finding(kind="deposit_missing", project_id=…, on=date(…), amount=Decimal(…), text="…"), …]
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from cases.values import yuan
from projects.models import Project

from .models import Deposit, DepositDraw, EmergencyFund, FundAdvance
from .ratio import rate_table

LATE_DEPOSIT = "deposit_late"
MISSING = "deposit_missing"
GUARANTEE_EXPIRING = "guarantee_expiring"
TOPUP_MISSED = "topup_missed"
FINDING_KINDS = (LATE_DEPOSIT, MISSING, GUARANTEE_EXPIRING, TOPUP_MISSED)


@dataclass(frozen=True)
class Finding:
    kind: str  # one of FINDING_KINDS
    project_id: int
    on: date  # the day the finding is about (the due day, the expiry)
    amount: Decimal
    text: str  # one Chinese sentence for a page


def _month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def deposit_findings(project: Project, month: date) -> list[Finding]:
    """The deposit's findings for `month` (any day of it), as of the month's last day: a deposit due and not
    made (missing), one made late within the month, a guarantee expiring within the province's warning
    days, a top-up past its day."""
    start = month.replace(day=1)
    end = _month_end(month)
    deposit = Deposit.objects.filter(project=project).first()
    if deposit is None:
        return []
    found: list[Finding] = []
    if deposit.status == Deposit.Status.REQUIRED and deposit.due_on and deposit.due_on < end:
        found.append(Finding(MISSING, project.pk, deposit.due_on, deposit.required_amount,
                             f"工资保证金应于{deposit.due_on:%Y-%m-%d}前存储，至{end:%Y-%m-%d}仍未存储"))  # fmt: skip
    if (
        deposit.deposited_on
        and deposit.due_on
        and deposit.deposited_on > deposit.due_on
        and start <= deposit.deposited_on <= end
    ):
        text = f"工资保证金应于{deposit.due_on:%Y-%m-%d}前存储，实际于{deposit.deposited_on:%Y-%m-%d}存储"
        found.append(Finding(LATE_DEPOSIT, project.pk, deposit.due_on, deposit.amount, text))
    expires = deposit.guarantee_expires_on
    if (
        deposit.form == Deposit.Form.GUARANTEE
        and expires
        and deposit.status in (Deposit.Status.HELD, Deposit.Status.RETURN_APPLIED, Deposit.Status.NOTICED)
    ):
        warn = rate_table(deposit.region).guarantee_warn_days
        if end <= expires <= end + timedelta(days=warn) or start <= expires <= end:
            found.append(Finding(GUARANTEE_EXPIRING, project.pk, expires, deposit.amount,
                                 f"银行保函（{deposit.guarantee_no}）将于{expires:%Y-%m-%d}到期"))  # fmt: skip
    for draw in DepositDraw.objects.filter(deposit=deposit, topup_due__lt=end, topup_due__isnull=False).filter(
        Q(status__in=[DepositDraw.Status.PAID, DepositDraw.Status.MISSED])
        | Q(status=DepositDraw.Status.TOPPED_UP, topped_up_on__gt=end)
    ):
        text = f"动用的工资保证金{draw.amount:,.2f}元应于{draw.topup_due:%Y-%m-%d}前补足，逾期未补足"
        assert draw.topup_due is not None
        found.append(Finding(TOPUP_MISSED, project.pk, draw.topup_due, draw.amount, text))
    return found


def deposit_figures(deposits: QuerySet[Deposit], funds: QuerySet[EmergencyFund]) -> dict:
    """The dashboard's figures: deposits held, drawn, returned; the fund advanced and recovered."""
    d = deposits.aggregate(
        held=Sum("balance", filter=Q(status__in=[Deposit.Status.HELD, Deposit.Status.RETURN_APPLIED,
                                                  Deposit.Status.NOTICED])),
        drawn=Sum("drawn_total"),
        returned=Sum("returned_amount"),
    )  # fmt: skip
    f = funds.aggregate(balance=Sum("balance"), advanced=Sum("advanced_total"), recovered=Sum("recovered_total"))
    return {
        "deposits_held": yuan(d["held"]),
        "deposits_held_count": deposits.filter(status=Deposit.Status.HELD).count(),
        "deposits_drawn": yuan(d["drawn"]),
        "deposits_returned": yuan(d["returned"]),
        "deposits_missing": deposits.filter(status=Deposit.Status.REQUIRED).count(),
        "fund_balance": yuan(f["balance"]),
        "fund_advanced": yuan(f["advanced"]),
        "fund_recovered": yuan(f["recovered"]),
        "advances_open": FundAdvance.objects.filter(fund__in=funds, status=FundAdvance.Status.PAID).count(),
    }


def deposit_in_place_q(month: date) -> Q:
    """Projects (a filter over projects.Project) whose wage deposit was in place in `month`: deposited (cash or a
    bank guarantee) by the month's end and not returned before it began, or exempted by the rate table."""
    start, end = month.replace(day=1), _month_end(month)
    held = Q(deposited_on__lte=end) & (Q(returned_on__isnull=True) | Q(returned_on__gte=start))
    exempt = Q(status=Deposit.Status.EXEMPT, registered_on__lte=end)
    return Q(Exists(Deposit.objects.filter(held | exempt, project=OuterRef("pk"))))
