"""The coverage figures, counted set-based, and their snapshot table.

`figures_by_region(months, base)` counts, for each month, the projects under construction and each figure of
projects.coverage.FIGURES in ONE query grouped by the project's region (conditional counts over EXISTS
subqueries), and the wages due and paid in one more (the monthly payroll summary, ProjectMonth, of those
projects): two queries per month whatever the number of projects. Python then adds each region's figures to
every region above it (its path's prefixes), so every level — county, city, province — has its rolled-up
figures.

`coverage_refresh` writes them into CoverageSnapshot (replacing the months it counts): Celery beat nightly
(indicators.tasks.coverage_refresh_task), `manage.py refresh_coverage` / `coverage_report --refresh` on demand.
In eager mode (the demo, a laptop: settings.ZHIQIAN_DASHBOARD_LIVE) the page recounts the month it shows first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum
from django.utils import timezone

from cases.models import Region
from projects.coverage import FIGURES, building_q, figure_q
from projects.models import Project, ProjectMonth

from .models import CoverageSnapshot

ZERO = Decimal("0")


def blank() -> dict:
    return {"counts": {key: 0 for key in FIGURES}, "wages_due": ZERO, "wages_paid": ZERO}


def months_back(last: date, count: int) -> list[date]:
    """`count` months ending with `last` (first days), oldest first."""
    out, month = [], last.replace(day=1)
    for _ in range(count):
        out.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    return out[::-1]


def _ancestors(path: str) -> list[str]:
    """'36/3603/360302/' → ['36/', '36/3603/', '36/3603/360302/']."""
    return [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]


def figures_by_region(months: Iterable[date], base: str = "") -> dict[tuple[str, date], dict]:
    """{(region path, month): figures} for every region at or below `base` (a region path; "" for all) with
    projects under construction in the month, and every region above them, rolled up."""
    out: dict[tuple[str, date], dict] = defaultdict(blank)
    within = Q(region__path__startswith=base) if base else Q()
    paths: dict[int, str] = {}
    for month in months:
        counts = {key: Count("id", filter=figure.q(month)) for key, figure in FIGURES.items() if key != "building"}
        rows = (
            Project.objects.filter(within, building_q(month))
            .order_by()
            .values("region_id", "region__path")
            .annotate(building=Count("id"), **counts)
        )
        for row in rows:
            paths[row["region_id"]] = row["region__path"]
            for path in _ancestors(row["region__path"]):
                target = out[(path, month)]["counts"]
                for key in FIGURES:
                    target[key] += row[key]
        building = Project.objects.filter(within, building_q(month)).values("pk")
        wages = (
            ProjectMonth.objects.filter(month=month, project__in=building)
            .order_by()
            .values("project__region__path")
            .annotate(due=Sum("amount_net"), paid=Sum("paid"))
        )
        for row in wages:
            for path in _ancestors(row["project__region__path"]):
                target = out[(path, month)]
                target["wages_due"] += row["due"] or ZERO
                target["wages_paid"] += row["paid"] or ZERO
    return out


def coverage_refresh(*, months: Iterable[date] | None = None, count: int = 12) -> int:
    """Recount the snapshot of `months` (default: the last `count` months up to this one) for every region.
    Returns the number of snapshot rows written."""
    month_list = sorted(set(months)) if months is not None else months_back(timezone.localdate(), count)
    figures = figures_by_region(month_list)
    region_of = dict(Region.objects.filter(path__in={path for path, _ in figures}).values_list("path", "pk").order_by())
    now = timezone.now()
    rows = [
        CoverageSnapshot(
            region_id=region_of[path],
            month=month,
            counts=data["counts"],
            wages_due=data["wages_due"],
            wages_paid=data["wages_paid"],
            refreshed_at=now,
        )
        for (path, month), data in figures.items()
        if path in region_of
    ]
    with transaction.atomic():
        CoverageSnapshot.objects.filter(month__in=month_list).delete()
        CoverageSnapshot.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def snapshot_figures(region_ids: list[int], months: list[date]) -> tuple[dict[tuple[int, date], dict], datetime | None]:
    """{(region id, month): figures} read from the snapshot (one query), and when it was last refreshed."""
    out: dict[tuple[int, date], dict] = {}
    refreshed: datetime | None = None
    rows = CoverageSnapshot.objects.filter(region_id__in=region_ids, month__in=months).order_by()
    for row in rows.values_list("region_id", "month", "counts", "wages_due", "wages_paid", "refreshed_at"):
        data = blank()
        data["counts"].update({k: int(v) for k, v in row[2].items() if k in FIGURES})
        data["wages_due"], data["wages_paid"] = row[3], row[4]
        out[(row[0], row[1])] = data
        refreshed = max(refreshed, row[5]) if refreshed else row[5]
    return out, refreshed


def project_rows(region: Region, month: date, *, own: bool = False) -> list[dict]:
    """The projects under construction of the region (its subtree; `own`: the region itself) in `month`, each
    with its figures (one query: the same EXISTS conditions, annotated) and its wages (one more)."""
    where = Q(region=region) if own else Q(region__path__startswith=region.path)
    flags = {key: Q(figure_q(key, month)) for key in FIGURES if key != "building"}
    annotations = {f"is_{k}": ExpressionWrapper(q, output_field=BooleanField()) for k, q in flags.items()}
    qs = (
        Project.objects.filter(where, building_q(month))
        .annotate(**annotations)
        .order_by("region__code", "project_no")
        .values("pk", "project_no", "name", "region__name", "region__code", "department", *annotations)
    )
    rows = list(qs)
    behind = Project.objects.filter(where, building_q(month)).values("pk")
    summary = ProjectMonth.objects.filter(month=month, project__in=behind).order_by()
    wages = {pid: (net, paid) for pid, net, paid in summary.values_list("project_id", "amount_net", "paid")}
    for row in rows:
        row["wages_due"], row["wages_paid"] = wages.get(row["pk"], (ZERO, ZERO))
    return rows
