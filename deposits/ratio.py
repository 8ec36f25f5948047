"""The deposit ratio (DEP2021 art 11 ff.; WPR art 32) of a project from the province's rate table and the
general contractor's record in this system, with its reasons in Chinese:

1. a contract below the small-contract limit, with no arrears in the prior year and no listing → exempt;
2. listed (失信联合惩戒名单) within the look-back years → the listed rate (the highest);
3. arrears (a case against it with wages owed) within the look-back years → the arrears rate;
4. clean for `clean_years_exempt` years with real-name management and a wage account → exempt;
5. clean for `clean_years_reduce` years → the reduced rate;
6. otherwise the base rate.
The amount is contract sum × rate, never above the cap per project.

A "record" is read from cases only (the layer below): the contractor's cases — as the employer or a liable
unit — filed with wages owed (not withdrawn), and the "listing.listed" events on their timelines. Clean years
count from the last arrears, or from the contractor's first appearance in the system (its record, its first
project's start) when it has none."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Min, Q
from django.utils import timezone

from cases.models import Case, Employer, Region, TimelineEvent
from cases.values import LOCAL_TZ
from projects.models import Project, ProjectUnit

from .models import DepositRateTable

ZERO = Decimal("0.00")


def rate_table(region: Region) -> DepositRateTable:
    """The province's table (created with the defaults the first time it is asked for)."""
    province = region
    while province.parent is not None and province.level != Region.Level.PROVINCE:
        province = province.parent
    table, _ = DepositRateTable.objects.get_or_create(province=province)
    return table


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def full_years(since: date, day: date) -> int:
    years = day.year - since.year - ((day.month, day.day) < (since.month, since.day))
    return max(years, 0)


@dataclass
class Record:
    """The contractor's record as of `day`."""

    last_arrears: date | None
    last_listed: date | None
    history_start: date
    arrears_days: list[date] = field(default_factory=list)

    def arrears_since(self, since: date) -> bool:
        """Arrears after `since` (a case filed on the very day N years back is N clean years ago)."""
        return any(d > since for d in self.arrears_days)

    def clean_years(self, day: date) -> int:
        return full_years(self.last_arrears or self.history_start, day)


def _local(moment) -> date:
    return timezone.localtime(moment, LOCAL_TZ).date()


def contractor_record(contractor: Employer, day: date) -> Record:
    """Arrears cases (filed, wages owed, not withdrawn) and listings of `contractor` up to `day`."""
    cases = Case.objects.filter(
        Q(employer=contractor) | Q(liable_units__employer=contractor), filed_at__date__lte=day
    ).exclude(status=Case.Status.WITHDRAWN)
    arrears = cases.filter(Q(amount_owed__gt=0) | Q(unpaid_after_order=True))
    arrears_days = sorted({_local(at) for at in arrears.values_list("filed_at", flat=True)})
    listed = (
        TimelineEvent.objects.filter(case__in=cases.values("pk"), kind="listing.listed")
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    first_project = ProjectUnit.objects.filter(employer=contractor, role=ProjectUnit.Role.GENERAL).aggregate(
        first=Min("project__start_on")
    )["first"]
    starts = [_local(contractor.created_at)] + ([first_project] if first_project else [])
    return Record(
        last_arrears=arrears_days[-1] if arrears_days else None,
        last_listed=_local(listed) if listed else None,
        history_start=min(starts),
        arrears_days=arrears_days,
    )


@dataclass
class Ratio:
    rate: Decimal  # percent
    amount: Decimal
    exempt: bool
    reasons: list[str]


def _pct(rate: Decimal) -> str:
    return f"{rate.normalize():f}%"


def _real_name_and_account(project: Project) -> bool:
    return project.workers.exists() and hasattr(project, "wage_account")


def deposit_ratio(*, project: Project, contractor: Employer, day: date, table: DepositRateTable | None = None) -> Ratio:
    """The rate, amount and reasons for `project` whose general contractor is `contractor`, as of `day`."""
    t = table or rate_table(project.region)
    record = contractor_record(contractor, day)
    contract_sum = project.contract_sum or ZERO
    lookback = _years_before(day, t.arrears_lookback_years)
    listed = record.last_listed is not None and record.last_listed > lookback
    clean = record.clean_years(day)
    reasons: list[str] = []
    if record.last_arrears:
        reasons.append(f"本系统记录该单位最近一次拖欠工资案件立案于{record.last_arrears:%Y-%m-%d}")
    else:
        reasons.append("本系统无该单位拖欠工资案件记录")
    if contract_sum < t.small_contract_limit and not record.arrears_since(_years_before(day, 1)) and not listed:
        reasons.append(
            f"合同价{contract_sum:,.2f}元低于{t.small_contract_limit:,.2f}元且上一年度无拖欠记录，可免予存储"
        )
        return Ratio(ZERO, ZERO, True, reasons)
    if listed:
        rate = t.listed_rate
        reasons.append(
            f"近{t.arrears_lookback_years}年内被列入失信联合惩戒名单（{record.last_listed:%Y-%m-%d}），比例上浮为{_pct(rate)}"
        )
    elif record.arrears_since(lookback):
        rate = t.arrears_rate
        reasons.append(f"近{t.arrears_lookback_years}年内有拖欠工资记录，比例上浮为{_pct(rate)}")
    elif clean >= t.clean_years_exempt and _real_name_and_account(project):
        reasons.append(
            f"连续{clean}年无拖欠（满{t.clean_years_exempt}年）且项目已实行实名制管理、开设工资专用账户，免予存储"
        )
        return Ratio(ZERO, ZERO, True, reasons)
    elif clean >= t.clean_years_reduce:
        rate = t.reduced_rate
        extra = "（未同时实行实名制管理并开设工资专用账户，不予免存）" if clean >= t.clean_years_exempt else ""
        reasons.append(f"连续{clean}年无拖欠（满{t.clean_years_reduce}年），比例下浮为{_pct(rate)}{extra}")
    else:
        rate = t.base_rate
        reasons.append(f"按基准比例{_pct(rate)}存储")
    amount = (contract_sum * rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if amount > t.cap_amount:
        reasons.append(f"按比例应存{amount:,.2f}元，超过单个项目上限，按上限{t.cap_amount:,.2f}元存储")
        return Ratio(rate, t.cap_amount, False, reasons)
    reasons.append(f"应存金额{amount:,.2f}元（合同价{contract_sum:,.2f}元 × {_pct(rate)}）")
    return Ratio(rate, amount, False, reasons)
