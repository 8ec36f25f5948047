"""The weekly progress figures of a campaign (调度), per region with its subtree rolled up, as of the end of a
reporting week (the campaign's reporting weekday). Each figure is one Q over Hazard (or CheckRecord): the table
counts it grouped by the responsible office, the records page filters by it, so a figure and the records
behind it are the same rows by construction. Two queries a week and region tree, whatever the records.

Cumulative from the campaign's start to the week's last day (a hazard's state is read from its dates, so an
earlier week shows what was true then):
  checked_projects / checked_employers  distinct projects / employers checked;
  found, found_week                     hazards found (in the campaign / in that week);
  resolved, to_case, open, overdue      put right / turned into a case (proposal) / neither / open past its due day;
  cases                                 cases filed from them;
  workers, amount, paid                 workers and amounts of the hazards found, wages paid on resolution."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Region

from .models import Campaign, CheckRecord, Hazard

HAZARD_FIGURES = {
    "found": _("发现隐患（个）"),
    "found_week": _("本周新发现（个）"),
    "resolved": _("已整改（个）"),
    "to_case": _("转立案查处（个）"),
    "open": _("未整改（个）"),
    "overdue": _("逾期未整改（个）"),
    "cases": _("已立案（件）"),
}
CHECK_FIGURES = {"checked_projects": _("排查项目（个）"), "checked_employers": _("排查用人单位（户）")}
SUMS = {"workers": _("涉及人数（人）"), "amount": _("涉及金额（元）"), "paid": _("已支付金额（元）")}
COLUMNS = ["checked_projects", "checked_employers", "found", "found_week", "resolved", "to_case", "open",
           "overdue", "cases", "workers", "amount", "paid"]  # fmt: skip
LABELS = {**CHECK_FIGURES, **HAZARD_FIGURES, **SUMS}
# the sums' records: the hazards found (workers, amount) and those resolved (paid)
SUM_RECORDS = {"workers": "found", "amount": "found", "paid": "resolved"}


def hazard_q(figure: str, end: date) -> Q:
    """The hazards a figure counts as of the end of `end` (a figure of SUM_RECORDS: its records)."""
    figure = SUM_RECORDS.get(figure, figure)
    found = Q(found_on__lte=end)
    resolved = Q(resolved_on__lte=end)
    to_case = Q(case_proposed_on__lte=end)
    open_ = found & ~resolved & ~to_case
    return {
        "found": found,
        "found_week": Q(found_on__gt=end - timedelta(days=7), found_on__lte=end),
        "resolved": resolved,
        "to_case": to_case,
        "open": open_,
        "overdue": open_ & Q(due_on__lt=end),
        "cases": Q(case_filed_on__lte=end),
    }[figure]


def check_q(figure: str, end: date) -> Q:
    target = {"checked_projects": Q(project__isnull=False), "checked_employers": Q(employer__isnull=False)}[figure]
    return target & Q(checked_on__lte=end)


def weeks(campaign: Campaign) -> list[date]:
    """The reporting days of the campaign: each `report_weekday` from its start to the first on or after its end."""
    first = campaign.period_start + timedelta(days=(campaign.report_weekday - campaign.period_start.weekday()) % 7)
    days, day = [], first
    while True:
        days.append(day)
        if day >= campaign.period_end:
            return days
        day += timedelta(days=7)


def current_week(campaign: Campaign, today: date | None = None) -> date:
    """The last reporting day on or before today (the first one before the campaign's first)."""
    today = today or timezone.localdate()
    past = [d for d in weeks(campaign) if d <= today]
    return past[-1] if past else weeks(campaign)[0]


@dataclass
class Row:
    region: Region | None  # None: the totals
    own: bool  # the region's own office (本级) only, not its subtree
    figures: dict

    @property
    def code(self) -> str:
        return self.region.code if self.region else ""


def _count(qs: QuerySet, aggregates: dict) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for row in qs.values("region_id").annotate(**aggregates):
        out[row.pop("region_id")] = row
    return out


def by_office(campaign: Campaign, end: date, root: Region) -> dict[int, dict]:
    """The figures of each responsible office under `root` (its own records only): two grouped queries."""
    hazards = Hazard.objects.filter(campaign=campaign, region__path__startswith=root.path)
    aggregates: dict = {k: Count("pk", filter=hazard_q(k, end)) for k in HAZARD_FIGURES}
    aggregates["workers"] = Sum("workers", filter=hazard_q("workers", end))
    aggregates["amount"] = Sum("amount", filter=hazard_q("amount", end))
    aggregates["paid"] = Sum("amount_paid", filter=hazard_q("paid", end))
    figures = _count(hazards, aggregates)
    checks = CheckRecord.objects.filter(campaign=campaign, region__path__startswith=root.path)
    check_aggregates = {
        "checked_projects": Count("project", filter=check_q("checked_projects", end), distinct=True),
        "checked_employers": Count("employer", filter=check_q("checked_employers", end), distinct=True),
    }
    for region_id, row in _count(checks, check_aggregates).items():
        figures.setdefault(region_id, {}).update(row)
    return figures


def _empty() -> dict:
    return {k: (Decimal("0.00") if k in ("amount", "paid") else 0) for k in COLUMNS}


def _add(into: dict, row: dict) -> None:
    for key, value in row.items():
        into[key] += value or 0


def table(campaign: Campaign, end: date, root: Region) -> list[Row]:
    """One row per region directly under `root` (its subtree rolled up), 本级 first when `root`'s own office
    has records, then the totals (a project or employer checked by two offices counts once in each)."""
    offices = by_office(campaign, end, root)
    paths = dict(Region.objects.filter(pk__in=offices).values_list("pk", "path"))
    children = list(Region.objects.filter(parent=root).order_by("code"))
    rolled: dict[int, dict] = defaultdict(_empty)
    own = _empty()
    total = _empty()
    for region_id, figures in offices.items():
        _add(total, figures)
        if region_id == root.pk:
            _add(own, figures)
            continue
        for child in children:
            if paths[region_id].startswith(child.path):
                _add(rolled[child.pk], figures)
                break
    rows = [Row(root, True, own)] if root.pk in offices else []
    rows += [Row(child, False, rolled[child.pk]) for child in children]
    if not children:
        rows = [Row(root, True, own)]
    rows.append(Row(None, False, total))
    return rows


def records(campaign: Campaign, figure: str, end: date, region: Region, *, own: bool) -> QuerySet:
    """The rows behind a figure: hazards, or check records for the checked figures (distinct targets counted)."""
    where = Q(region=region) if own else Q(region__path__startswith=region.path)
    if figure in CHECK_FIGURES:
        return CheckRecord.objects.filter(where, check_q(figure, end), campaign=campaign)
    return Hazard.objects.filter(where, hazard_q(figure, end), campaign=campaign)
