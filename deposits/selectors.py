"""What the deposits know, read for others: the findings of a project for a month (the early-warning checks
read them; this app never imports earlywarning), the dashboard figures and the register rows.

    deposit_findings(project, date(2026, 11, 1))
    -> [Finding(kind="deposit_missing", project_id=…, on=date(…), amount=Decimal(…), text="…"), …]
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from cases.values import yuan
from projects.models import Project

from .models import Deposit, DepositDraw, DepositRateTable, EmergencyFund, FundAdvance
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
    end = _month_end(month)
    deposit = Deposit.objects.filter(project=project).first()
    if deposit is None:
        return []
    draws = list(_draws_open(end).filter(deposit=deposit).order_by("pk"))
    return _findings(deposit, draws, lambda d: rate_table(d.region).guarantee_warn_days, month)


def deposit_findings_many(projects: QuerySet, month: date) -> list[Finding]:
    """deposit_findings() of every project of `projects` (a queryset, used as a subquery) at once: the same
    findings in a fixed number of queries (the deposits, their draws, the provinces' rate tables), whatever
    the number of projects. Sorted by project."""
    end = _month_end(month)
    deposits = list(
        Deposit.objects.filter(project_id__in=projects.order_by().values("pk")).select_related("region")
        .order_by("project_id", "pk")
    )  # fmt: skip
    if not deposits:
        return []
    draws: dict[int, list[DepositDraw]] = {}
    for draw in _draws_open(end).filter(deposit__project_id__in=projects.order_by().values("pk")).order_by("pk"):
        draws.setdefault(draw.deposit_id, []).append(draw)
    warn = _WarnDays()
    found: list[Finding] = []
    seen: set[int] = set()
    for deposit in deposits:
        if deposit.project_id in seen:
            continue  # as deposit_findings: the project's first deposit
        seen.add(deposit.project_id)
        found += _findings(deposit, draws.get(deposit.pk, []), warn, month)
    return found


class _WarnDays:
    """The guarantee's warning days of a deposit's province: one query for the tables there are, on first use;
    rate_table() (which creates a missing table with the defaults, as deposit_findings does) for one without."""

    def __init__(self) -> None:
        self._days: dict[str, int] | None = None

    def __call__(self, deposit: Deposit) -> int:
        if self._days is None:
            self._days = {t.province.code[:2]: t.guarantee_warn_days
                          for t in DepositRateTable.objects.select_related("province")}  # fmt: skip
        prefix = deposit.region.code[:2]
        if prefix not in self._days:
            self._days[prefix] = rate_table(deposit.region).guarantee_warn_days
        return self._days[prefix]


def _draws_open(end: date) -> QuerySet[DepositDraw]:
    return DepositDraw.objects.filter(topup_due__lt=end, topup_due__isnull=False).filter(
        Q(status__in=[DepositDraw.Status.PAID, DepositDraw.Status.MISSED])
        | Q(status=DepositDraw.Status.TOPPED_UP, topped_up_on__gt=end)
    )


def _findings(
    deposit: Deposit, draws: list[DepositDraw], warn_days: Callable[[Deposit], int], month: date
) -> list[Finding]:
    start = month.replace(day=1)
    end = _month_end(month)
    project_id = deposit.project_id
    found: list[Finding] = []
    if deposit.status == Deposit.Status.REQUIRED and deposit.due_on and deposit.due_on < end:
        found.append(Finding(MISSING, project_id, deposit.due_on, deposit.required_amount,
                             f"工资保证金应于{deposit.due_on:%Y-%m-%d}前存储，至{end:%Y-%m-%d}仍未存储"))  # fmt: skip
    if (
        deposit.deposited_on
        and deposit.due_on
        and deposit.deposited_on > deposit.due_on
        and start <= deposit.deposited_on <= end
    ):
        text = f"工资保证金应于{deposit.due_on:%Y-%m-%d}前存储，实际于{deposit.deposited_on:%Y-%m-%d}存储"
        found.append(Finding(LATE_DEPOSIT, project_id, deposit.due_on, deposit.amount, text))
    expires = deposit.guarantee_expires_on
    if (
        deposit.form == Deposit.Form.GUARANTEE
        and expires
        and deposit.status in (Deposit.Status.HELD, Deposit.Status.RETURN_APPLIED, Deposit.Status.NOTICED)
    ):
        if start <= expires <= end or end <= expires <= end + timedelta(days=warn_days(deposit)):
            found.append(Finding(GUARANTEE_EXPIRING, project_id, expires, deposit.amount,
                                 f"银行保函（{deposit.guarantee_no}）将于{expires:%Y-%m-%d}到期"))  # fmt: skip
    for draw in draws:
        text = f"动用的工资保证金{draw.amount:,.2f}元应于{draw.topup_due:%Y-%m-%d}前补足，逾期未补足"
        assert draw.topup_due is not None
        found.append(Finding(TOPUP_MISSED, project_id, draw.topup_due, draw.amount, text))
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
