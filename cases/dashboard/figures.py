"""The dashboard of one region and period: the precomputed flows summed, the live states counted (see the
package's docstring)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Max, Q, Value
from django.db.models.functions import StrIndex, Substr, TruncMonth
from django.http import Http404

from .. import scope
from ..models import Case, Deadline, Region, RegionDayStats, RegionMonthStats, Supervision
from ..values import month_end
from .stats import (
    AMOUNTS,
    LIVE,
    MEASURES,
    OPEN_CASE,
    OPEN_SUPERVISION,
    ZERO,
    _as_date,
    _clean,
    _sums,
    _within,
    _zero,
)

# --- the dashboard ---------------------------------------------------------------------------


def _default_region(user) -> int:
    """The user's highest region where it reads cases (the shortest path; then the lowest code)."""
    grants = [g for g in scope.grants(user) if scope.Right.READ_CASE in scope.RIGHTS[g.role]]
    return min(grants, key=lambda g: (len(g.path), g.region_code)).region_id


def _child_key(path: str, base: str) -> str:
    """The path of the child of `base` that `path` is in (`base` itself for the region itself)."""
    rest = path[len(base) :]
    return base + rest[: rest.index("/") + 1] if rest else base


def _child_prefix(base: str):
    """_child_key in SQL over region__path: the path up to the first "/" after `base`."""
    n = len(base)
    return Substr("region__path", 1, StrIndex(Substr("region__path", n + 1), Value("/")) + n)


def _split(date_from: date, date_to: date) -> tuple[Q, Q | None]:
    """The period as (its days outside whole months, its whole months — None if there are none)."""
    first = date_from if date_from.day == 1 else month_end(date_from) + timedelta(days=1)
    last = date_to if date_to == month_end(date_to) else date_to.replace(day=1) - timedelta(days=1)
    if first > last:
        return Q(day__gte=date_from, day__lte=date_to), None
    ends = Q(day__gte=date_from, day__lt=first) | Q(day__gt=last, day__lte=date_to)
    return ends, Q(month__gte=first, month__lte=last.replace(day=1))


def _months(date_from: date, date_to: date) -> list[date]:
    months, month = [], date_from.replace(day=1)
    while month <= date_to:
        months.append(month)
        month = month_end(month) + timedelta(days=1)
    return months


def _period_sums(region_ids: list[int], base: str, date_from: date, date_to: date):
    """(child path, month, *MEASURES, refreshed_at) rows: whole months from RegionMonthStats, the
    ends of the period from RegionDayStats; each one query grouped by child region and month."""
    ends, months = _split(date_from, date_to)
    sources: list[tuple[type[RegionDayStats | RegionMonthStats], Q, TruncMonth | F]] = [
        (RegionDayStats, ends, TruncMonth("day"))
    ]
    if months is not None:
        sources.append((RegionMonthStats, months, F("month")))
    for model, within, month in sources:
        yield from (
            model.objects.filter(within, region_id__in=region_ids)
            .order_by()
            .values(child=_child_prefix(base), m=month)
            .annotate(**_sums(), refreshed=Max("refreshed_at"))
            .values_list("child", "m", *MEASURES, "refreshed")
        )


def dashboard_for(*, user, region_code: str | None, date_from: date, date_to: date) -> dict:
    """Totals and one row per child region (and one for the region's own office, 本级) of a region
    in the user's scope, over the local days date_from..date_to, with a monthly trend and the live
    figures. Only regions in the user's scope count.

    A constant number of queries whatever the number of cases: the scope (two), the regions (two),
    the period's sums (two, grouped by child region and month) and one per live figure.
    """
    if date_from > date_to:
        raise ValidationError({"to": "截止日期不能早于起始日期。"})
    in_scope = set(scope.region_ids(user, scope.Right.READ_CASE))
    if not in_scope:  # the administrator (no case data), or a user with per-case exceptions only
        raise PermissionDenied
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None or region.pk not in in_scope:
            raise Http404
    else:
        region = Region.objects.get(pk=_default_region(user))
    base = region.path
    ancestors = [base[: i + 1] for i, ch in enumerate(base[:-1]) if ch == "/"]
    regions = list(
        Region.objects.filter(Q(path__startswith=base) | Q(path__in=ancestors))
        .order_by()
        .only("code", "name", "level", "path")
    )
    by_path = {r.path: r for r in regions}
    child_of = {r.pk: _child_key(r.path, base) for r in regions if r.path.startswith(base) and r.pk in in_scope}
    region_ids = sorted(child_of)

    per_child: dict[str, dict] = defaultdict(_zero)
    per_month: dict[date, dict] = defaultdict(_zero)
    refreshed = []
    for child, month, *values in _period_sums(region_ids, base, date_from, date_to):
        sums = _clean(dict(zip(MEASURES, values[:-1], strict=True)))
        for target in (per_child[child], per_month[_as_date(month)]):
            for m in MEASURES:
                target[m] += sums[m]
        refreshed.append(values[-1])
    live = _live(region_ids, child_of)

    rows = []
    for key in sorted(set(child_of.values()), key=lambda p: (p != base, by_path[p].code)):
        child = by_path[key]
        rows.append(
            {
                "code": child.code,
                "name": child.name,
                "level": child.level,
                "own": key == base,  # the region's own office (本级)
                "drill": key != base and child.pk in in_scope,
                **per_child.get(key, _zero()),
                **{name: live[name].get(key, 0) for name in LIVE},
            }
        )
    totals = {m: sum((row[m] for row in rows), ZERO if m in AMOUNTS else 0) for m in (*MEASURES, *LIVE)}
    return {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "period": {"from": date_from, "to": date_to},
        "breadcrumbs": [
            {"code": by_path[p].code, "name": by_path[p].name}
            for p in ancestors
            if p in by_path and by_path[p].pk in in_scope
        ],
        "totals": totals,
        "rows": rows,
        "trend": [{"month": month, **per_month.get(month, _zero())} for month in _months(date_from, date_to)],
        "refreshed_at": max(refreshed) if refreshed else None,
    }


def _live(region_ids: list[int], child_of: dict[int, str]) -> dict[str, dict[str, int]]:
    """The state figures now, per child key: one indexed query each, grouped by region."""
    queries = {
        # (region_id, status, -id) index: an index-only scan.
        "open_now": Case.objects.filter(region_id__in=region_ids, status__in=OPEN_CASE).values(r=F("region_id")),
        # (region_id, state) index: an index-only scan.
        "overdue_now": Deadline.objects.filter(region_id__in=region_ids, state=Deadline.State.OVERDUE).values(
            r=F("region_id")
        ),
        # Open supervisions of the cases handled in these regions.
        "supervised_now": Supervision.objects.filter(
            case__region_id__in=region_ids, status__in=OPEN_SUPERVISION
        ).values(r=F("case__region_id")),
    }
    live: dict[str, dict[str, int]] = {}
    for name, qs in queries.items():
        counts: dict[str, int] = defaultdict(int)
        # COUNT(*), not COUNT(id): the deadline index holds no id, and the count stays index-only.
        for region_id, n in qs.order_by().annotate(n=Count("*")).values_list("r", "n"):
            counts[child_of[region_id]] += n
        live[name] = counts
    return live


# --- the case list behind a figure --------------------------------------------------------------------------

# The figures a case list can count exactly (one row per case): the live open and supervised cases, and the
# cases accepted (filed) and closed in a period. The others count deadlines, payments, workers or money:
# the dashboard shows them without a link rather than open a list of another size.
FIGURE_FILTERS = ("open_now", "supervised_now", "accepted", "closed")


def figure_q(figure: str, date_from: date | None = None, date_to: date | None = None) -> Q:
    """Q over Case: the cases `figure` counts (the same conditions as _live and stats._measures)."""
    if figure == "open_now":
        return Q(status__in=OPEN_CASE)
    if figure == "supervised_now":
        return Q(pk__in=Supervision.objects.filter(status__in=OPEN_SUPERVISION).values("case_id"))
    if figure == "accepted":
        return _within("filed_at", date_from, date_to)
    if figure == "closed":
        return _within("closed_at", date_from, date_to) & Q(status=Case.Status.CLOSED)
    return Q(pk__in=[])
