"""The assessment's indicators (考核指标), each counted set-based for every assessed region at once.

Each indicator is one query over the assessing region's subtree grouped by the office a record belongs to,
rolled up to the assessed region (the one level below) whose path it falls under: a query per indicator for
all regions, never a query per region. Each gives a numerator and, for a rate, a denominator; the points are
worked out from them and the province's weights (`points`).

| key          | figure                                          | numerator / denominator                          |
|--------------|-------------------------------------------------|--------------------------------------------------|
| complaints   | 投诉按期受理率: complaints decided on in time   | acceptance clocks met / ended in the year          |
| cases        | 案件按期办结率: cases closed in time            | closed cases with no duty deadline missed / closed |
| wages        | 欠薪追回率: wages recovered                     | paid / owed on the ledgers of the cases closed     |
| real_name    | 实名制管理覆盖率 (December)                     | projects with real-name attendance / building      |
| account      | 工资专用账户覆盖率 (December)                   | projects with a wage account / building            |
| deposit      | 工资保证金覆盖率 (December)                     | projects with their deposit in place / building    |
| incidents    | 重大欠薪事件: deduction per case                | cases filed, flagged 群体性事件/媒体反映 |
| supervision  | 挂牌督办按期办结率                               | supervision clocks met / ended in the year         |

The project figures are projects.coverage's (the coverage indicators' own definition, so a figure and the
project list it opens are the same projects); the case figures are the dashboard's "closed" definition
(cases.dashboard.figure_q), so the closed cases and the case list it opens are the same cases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accountability.accountability import CASE_DUTY_KINDS
from cases.dashboard import figure_q as case_figure_q
from cases.models import ArrearsEntry, Case, Deadline, Region
from cases.values import LOCAL_TZ
from projects import coverage
from projects.models import Project

ENDED = [Deadline.State.MET, Deadline.State.OVERDUE, Deadline.State.CLOSED_LATE]
MISSED = [Deadline.State.OVERDUE, Deadline.State.CLOSED_LATE]
ACCEPTANCE = "intake.acceptance"  # cases.acceptance: the complaint's acceptance clock
SUPERVISION = "supervision.complete"  # cases.supervision: the supervised case's completion clock
HUNDRED = Decimal("100")
CENT = Decimal("0.01")

Counts = dict[int, tuple[Decimal, Decimal | None]]  # assessed region id → (numerator, denominator)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: Promise
    numerator_label: Promise
    denominator_label: Promise | None  # None: a count with a deduction per item (not a rate)
    count: Callable[[Region, list[Region], int], Counts]
    money: bool = False
    # the list behind the figure (region code, year, which side) or None where no list filters it
    link: Callable[[str, int, str], str | None] | None = None


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The year in Shanghai local time: [1 January, next 1 January)."""
    return (
        datetime.combine(date(year, 1, 1), time(0), LOCAL_TZ),
        datetime.combine(date(year + 1, 1, 1), time(0), LOCAL_TZ),
    )


def _rollup(rows: Iterable[tuple], children: list[Region], offices: dict[int, str]) -> dict[int, list[Decimal]]:
    """Add up rows (office id, a, b, …) into the assessed region whose path the office's path falls under."""
    out: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for office_id, *values in rows:
        path = offices.get(office_id, "")
        child = next((c for c in children if path.startswith(c.path)), None)
        if child is None:
            continue
        acc = out[child.pk]
        for i, v in enumerate(values):
            acc[i] += Decimal(v or 0)
    return out


def _offices(parent: Region) -> dict[int, str]:
    return dict(Region.objects.filter(path__startswith=parent.path).values_list("pk", "path"))


def _rate(rows, children: list[Region], parent: Region) -> Counts:
    summed = _rollup(rows, children, _offices(parent))
    return {c.pk: (summed[c.pk][0], summed[c.pk][1]) if c.pk in summed else (Decimal(0), Decimal(0)) for c in children}


def _deadlines(kind: str) -> Callable[[Region, list[Region], int], Counts]:
    def count(parent: Region, children: list[Region], year: int) -> Counts:
        start, end = year_bounds(year)
        rows = (
            Deadline.objects.filter(
                kind=kind, state__in=ENDED, due_at__gte=start, due_at__lt=end, region__path__startswith=parent.path
            )
            .values("region_id")
            .annotate(num=Count("pk", filter=Q(state=Deadline.State.MET)), den=Count("pk"))
            .values_list("region_id", "num", "den")
        )
        return _rate(rows, children, parent)

    return count


def closed_cases_q(year: int) -> Q:
    return case_figure_q("closed", date(year, 1, 1), date(year, 12, 31))


def _cases(parent: Region, children: list[Region], year: int) -> Counts:
    missed = Deadline.objects.filter(case=OuterRef("pk"), kind__in=CASE_DUTY_KINDS, state__in=MISSED)
    rows = (
        Case.objects.filter(closed_cases_q(year), region__path__startswith=parent.path)
        .annotate(late=Exists(missed))
        .values("region_id")
        .annotate(num=Count("pk", filter=Q(late=False)), den=Count("pk"))
        .values_list("region_id", "num", "den")
    )
    return _rate(rows, children, parent)


def _wages(parent: Region, children: list[Region], year: int) -> Counts:
    closed = Case.objects.filter(closed_cases_q(year), region__path__startswith=parent.path)
    rows = (
        ArrearsEntry.objects.filter(case__in=closed)
        .values("case__region_id")
        .annotate(paid=Sum("amount_paid"), owed=Sum("amount_owed"))
        .values_list("case__region_id", "paid", "owed")
    )
    return _rate(rows, children, parent)


PROJECT_FIGURES = {"real_name": "real_name", "account": "account", "deposit": "deposit"}


def _projects(figure: str) -> Callable[[Region, list[Region], int], Counts]:
    def count(parent: Region, children: list[Region], year: int) -> Counts:
        month = date(year, 12, 1)
        known = coverage.FIGURES.get(figure)
        hit = known.q(month) if known is not None else Q(pk__in=[])
        rows = (
            Project.objects.filter(coverage.building_q(month), region__path__startswith=parent.path)
            .values("region_id")
            .annotate(num=Count("pk", filter=hit), den=Count("pk"))
            .values_list("region_id", "num", "den")
        )
        return _rate(rows, children, parent)

    return count


def incidents_q(year: int) -> Q:
    start, end = year_bounds(year)
    return Q(filed_at__gte=start, filed_at__lt=end) & (Q(group_incident=True) | Q(media_reported=True))


def _incidents(parent: Region, children: list[Region], year: int) -> Counts:
    rows = (
        Case.objects.filter(incidents_q(year), region__path__startswith=parent.path)
        .values("region_id")
        .annotate(n=Count("pk"))
        .values_list("region_id", "n")
    )
    summed = _rollup(rows, children, _offices(parent))
    return {c.pk: (summed[c.pk][0] if c.pk in summed else Decimal(0), None) for c in children}


def _case_list(code: str, year: int, side: str) -> str | None:
    query = {"figure": "closed", "region": code, "date_from": f"{year}-01-01", "date_to": f"{year}-12-31"}
    return f"{reverse('cases:index')}?{urlencode(query)}"


def _project_list(figure: str) -> Callable[[str, int, str], str | None]:
    def link(code: str, year: int, side: str) -> str | None:
        query = {"figure": figure if side == "numerator" else "building", "month": f"{year}-12", "region": code}
        return f"{reverse('projects:index')}?{urlencode(query)}"

    return link


def _detail(key: str) -> Callable[[str, int, str], str | None]:
    """The records behind a figure no other list filters: this app's own list of them (assessment.views)."""

    def link(code: str, year: int, side: str) -> str | None:
        query = {"indicator": key, "region": code, "year": str(year)}
        return f"{reverse('assessment:records')}?{urlencode(query)}"

    return link


INDICATORS: dict[str, Indicator] = {
    i.key: i
    for i in [
        Indicator("complaints", _("投诉按期受理率"), _("按期作出受理决定"), _("到期的受理时限"),
                  _deadlines(ACCEPTANCE), link=_detail("complaints")),
        Indicator("cases", _("案件按期办结率"), _("按期办结"), _("年内结案"), _cases, link=_case_list),
        Indicator("wages", _("欠薪追回率"), _("已支付（元）"), _("应支付（元）"), _wages, money=True, link=_case_list),
        Indicator("real_name", _("实名制管理覆盖率"), _("实行实名制管理"), _("在建项目"),
                  _projects("real_name"), link=_project_list("real_name")),
        Indicator("account", _("工资专用账户覆盖率"), _("开设工资专用账户"), _("在建项目"),
                  _projects("account"), link=_project_list("account")),
        Indicator("deposit", _("工资保证金覆盖率"), _("工资保证金已落实"), _("在建项目"),
                  _projects("deposit"), link=_project_list("deposit")),
        Indicator("incidents", _("重大欠薪事件"), _("群体性事件或媒体反映的案件（起）"), None, _incidents,
                  link=_detail("incidents")),
        Indicator("supervision", _("挂牌督办按期办结率"), _("按期办结"), _("到期的督办时限"),
                  _deadlines(SUPERVISION), link=_detail("supervision")),
    ]
}  # fmt: skip


def points(indicator: Indicator, numerator: Decimal, denominator: Decimal | None, config: dict) -> Decimal:
    """The points of one figure: a rate earns its weight × numerator / denominator (the full weight when there
    was nothing to count: no clock ended, no case closed, no project building); a count of incidents loses
    `incident_deduction` each, down to nothing."""
    weight = Decimal(config["weights"][indicator.key])
    if indicator.denominator_label is None:
        value = max(Decimal(0), weight - numerator * Decimal(config["incident_deduction"]))
    elif not denominator:
        value = weight
    else:
        value = weight * min(Decimal(1), numerator / denominator)
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def grade_for(total: Decimal, config: dict) -> str:
    """A from `grade_a_min`, B from `grade_b_min`, C below it (both ends inclusive of the boundary)."""
    if total >= Decimal(config["grade_a_min"]):
        return "A"
    if total >= Decimal(config["grade_b_min"]):
        return "B"
    return "C"


def records_q(key: str, year: int) -> tuple[type, Q]:
    """The records behind a figure for assessment.views' list: (model, Q) without the region condition."""
    start, end = year_bounds(year)
    if key in ("complaints", "supervision"):
        kind = ACCEPTANCE if key == "complaints" else SUPERVISION
        return Deadline, Q(kind=kind, state__in=ENDED, due_at__gte=start, due_at__lt=end)
    if key == "incidents":
        return Case, incidents_q(year)
    raise KeyError(key)
