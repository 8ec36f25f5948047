"""The region dashboard (SPEC §7; issue P6): per region and period — received, accepted, closed,
overdue, amounts owed and recovered, workers paid, supervised and referred cases.

Two kinds of figure:

- **Flows** (what happened in a period) come from `RegionDayStats`, one row per office and local
  day, and `RegionMonthStats`, their monthly sums, written only by `stats_refresh`: a few GROUP BY
  queries over the source tables (one per measure), upserted on (region, day), then the months
  those days are in. A period × subtree is one SUM over its whole months plus one over the days at
  its ends: a few thousand rows at most, whatever the number of cases. Celery refreshes yesterday
  and today (`cases.tasks.dashboard_refresh`); `manage.py refresh_dashboard` rebuilds everything.
  A figure of an older day moves only when its source changes after the fact (a complaint grouped
  onto an old case or a ledger entered later changes that case's amount owed; an extension takes
  back an overdue): the next full rebuild puts it right.
- **States** (open cases, overdue deadlines, open supervisions *now*) are counted live: one indexed
  query each, grouped by region.

`dashboard_for` answers for one region of the user's scope (cases.scope, READ_CASE) and its
children: 404 for a region outside the scope, 403 for a user who reads no cases (the administrator).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from time import monotonic

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import StrIndex, Substr, TruncDate, TruncMonth
from django.http import Http404
from django.utils import timezone

from . import scope
from .models import (
    ArrearsEntry,
    Case,
    Complaint,
    Deadline,
    Payment,
    Referral,
    Region,
    RegionDayStats,
    RegionMonthStats,
    Supervision,
)
from .values import month_end

COUNTS = ("received", "accepted", "closed", "overdue", "workers_paid", "supervised", "referred")
AMOUNTS = ("amount_owed", "amount_recovered")
MEASURES = COUNTS[:4] + AMOUNTS + COUNTS[4:]
LIVE = ("open_now", "overdue_now", "supervised_now")
OPEN_CASE = [
    Case.Status.FILED,
    Case.Status.INVESTIGATING,
    Case.Status.SUSPENDED,
    Case.Status.DECIDING,
    Case.Status.ENFORCING,
]
OPEN_SUPERVISION = [Supervision.Status.ACTIVE, Supervision.Status.CLOSING, Supervision.Status.OVERDUE]
ZERO = Decimal("0.00")
UPSERT_BATCH = 2000


# --- refresh ---------------------------------------------------------------------------------


def _local_tz():
    return timezone.get_default_timezone()


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=_local_tz())


def _within(field: str, since: date | None, until: date | None) -> Q:
    """`field` (a datetime) set and within the local days since..until, either end open when None."""
    q = Q(**{f"{field}__isnull": False})
    if since is not None:
        q &= Q(**{f"{field}__gte": _start_of(since)})
    if until is not None:
        q &= Q(**{f"{field}__lt": _start_of(until + timedelta(days=1))})
    return q


def _per_day(qs: QuerySet, *, region: str, at: str, **aggregates) -> QuerySet:
    """qs grouped by (region id, local day of `at`), with `aggregates`."""
    return (
        qs.order_by()
        .values(r=F(region), d=TruncDate(at, tzinfo=_local_tz()))
        .annotate(**aggregates)
        .values_list("r", "d", *aggregates)
    )


def _workers_paid(within: Q) -> QuerySet:
    """A worker of a case becomes paid in full with the payment that leaves none of its ledger
    entries in that case outstanding: the last payment (by recorded time, then id) of a worker
    whose entries are all paid. Counted on the day that payment was recorded."""
    same_worker = {"case_id": OuterRef("entry__case_id"), "worker_id": OuterRef("entry__worker_id")}
    unpaid = ArrearsEntry.objects.filter(amount_paid__lt=F("amount_owed"), **same_worker)
    later = Payment.objects.filter(
        Q(recorded_at__gt=OuterRef("recorded_at")) | Q(recorded_at=OuterRef("recorded_at"), pk__gt=OuterRef("pk")),
        entry__case_id=OuterRef("entry__case_id"),
        entry__worker_id=OuterRef("entry__worker_id"),
    )
    qs = Payment.objects.filter(within).filter(~Exists(unpaid), ~Exists(later))
    return _per_day(qs, region="entry__case__region_id", at="recorded_at", workers_paid=Count("pk"))


def _measures(since: date | None, until: date | None) -> list[tuple[tuple[str, ...], QuerySet]]:
    """(measure names, query of (region id, day, *values)): one GROUP BY per source."""
    w = _within
    return [
        (
            ("received",),
            _per_day(
                Complaint.objects.filter(w("received_at", since, until)),
                region="region_id",
                at="received_at",
                received=Count("pk"),
            ),
        ),
        (
            ("accepted", "amount_owed"),
            _per_day(
                Case.objects.filter(w("filed_at", since, until)),
                region="region_id",
                at="filed_at",
                accepted=Count("pk"),
                amount_owed=Sum("amount_owed"),
            ),
        ),
        (
            ("closed",),
            _per_day(
                Case.objects.filter(w("closed_at", since, until), status=Case.Status.CLOSED),
                region="region_id",
                at="closed_at",
                closed=Count("pk"),
            ),
        ),
        (
            ("overdue",),
            _per_day(
                Deadline.objects.filter(w("overdue_at", since, until)),
                region="region_id",
                at="overdue_at",
                overdue=Count("pk"),
            ),
        ),
        (
            ("amount_recovered",),
            _per_day(
                Payment.objects.filter(w("recorded_at", since, until)),
                region="entry__case__region_id",
                at="recorded_at",
                amount_recovered=Sum("amount"),
            ),
        ),
        (("workers_paid",), _workers_paid(w("recorded_at", since, until))),
        (
            ("supervised",),
            _per_day(
                Supervision.objects.filter(w("started_at", since, until)),
                region="case__region_id",
                at="started_at",
                supervised=Count("pk"),
            ),
        ),
        (
            ("referred",),
            _per_day(
                Referral.objects.filter(w("transferred_at", since, until)),
                region="case__region_id",
                at="transferred_at",
                referred=Count("pk"),
            ),
        ),
    ]


def _zero() -> dict:
    return {m: (ZERO if m in AMOUNTS else 0) for m in MEASURES}


def _range(field: str, since: date | None, until: date | None) -> Q:
    q = Q()
    if since is not None:
        q &= Q(**{f"{field}__gte": since})
    if until is not None:
        q &= Q(**{f"{field}__lte": until})
    return q


def _upsert(model, key: str, rows: dict[tuple[int, date], dict], within: Q) -> int:
    """Make `model`'s rows `within` exactly `rows` ((region id, day or month) -> measures): upsert
    the new and changed ones (refreshed_at: when a row's figures were last written), delete the
    ones left with nothing to count. Returns the number of rows written."""
    stale, unchanged = [], set()
    for pk, region_id, when, *values in model.objects.filter(within).values_list("pk", "region_id", key, *MEASURES):
        row = rows.get((region_id, when))
        if row is None:
            stale.append(pk)
        elif all(row[m] == v for m, v in zip(MEASURES, values, strict=True)):
            unchanged.add((region_id, when))
    for i in range(0, len(stale), 500):
        model.objects.filter(pk__in=stale[i : i + 500]).delete()
    now = timezone.now()
    written = [
        model(region_id=r, refreshed_at=now, **{key: when}, **m)
        for (r, when), m in rows.items()
        if (r, when) not in unchanged
    ]
    model.objects.bulk_create(
        written,
        update_conflicts=True,
        unique_fields=["region", key],
        update_fields=[*MEASURES, "refreshed_at"],
        batch_size=UPSERT_BATCH,
    )
    return len(written)


@transaction.atomic
def stats_refresh(
    *,
    since: date | None = None,
    until: date | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> int:
    """Recompute the RegionDayStats rows of the local days since..until (None: unbounded) from the
    source tables, then the RegionMonthStats rows of the months those days are in from the day rows.
    Upserts on (region, day|month) what is new or changed and deletes the rows of the range left
    with nothing to count: idempotent. Returns the number of day rows written.
    `progress(measure, groups)` is called after each query."""
    if since is not None and until is not None and since > until:
        raise ValidationError({"since": "起始日期不能晚于截止日期。"})
    days: dict[tuple[int, date], dict] = defaultdict(_zero)
    for names, qs in _measures(since, until):
        n = 0
        for region_id, day, *values in qs:
            row = days[(region_id, day)]
            for name, value in zip(names, values, strict=True):
                row[name] = (value or ZERO).quantize(ZERO) if name in AMOUNTS else value
            n += 1
        if progress:
            progress(names[0], n)
    written = _upsert(RegionDayStats, "day", days, _range("day", since, until))

    first = since.replace(day=1) if since is not None else None
    last = month_end(until) if until is not None else None
    monthly = (
        RegionDayStats.objects.filter(_range("day", first, last))
        .order_by()
        .values(r=F("region_id"), m=TruncMonth("day"))
        .annotate(**_sums())
        .values_list("r", "m", *MEASURES)
    )
    months = {(r, _as_date(m)): _clean(dict(zip(MEASURES, values, strict=True))) for r, m, *values in monthly}
    _upsert(RegionMonthStats, "month", months, _range("month", first, last))
    if progress:
        progress("months", len(months))
    return written


def _as_date(value) -> date:
    """TruncMonth of a DateField: a date (SQLite) or a datetime (PostgreSQL's date_trunc)."""
    return value.date() if isinstance(value, datetime) else value


def stats_refresh_recent(*, days: int = 2) -> int:
    """The last `days` local days up to today (2: yesterday and today), for the periodic job."""
    today = timezone.localdate()
    return stats_refresh(since=today - timedelta(days=days - 1), until=today)


def stats_first_day() -> date | None:
    """The earliest local day a measure can count: the first complaint received or case filed
    (deadlines, payments, supervisions and referrals come after one of those)."""
    moments = [
        Complaint.objects.order_by("received_at").values_list("received_at", flat=True).first(),
        Case.objects.order_by("filed_at").values_list("filed_at", flat=True).first(),
    ]
    firsts = [timezone.localdate(moment) for moment in moments if moment is not None]
    return min(firsts) if firsts else None


def stats_rebuild(*, since: date | None = None, progress: Callable[[str], None] | None = None) -> int:
    """Recompute every day from `since` (None: all of them), one calendar year per transaction, so
    memory and transactions stay the size of a year at any number of cases. The first step is open
    at the start when `since` is None (rows older than any data go), the last one at the end."""
    first = since or stats_first_day()
    if first is None:  # no complaints and no cases: clear whatever is left
        return stats_refresh()
    years = list(range(first.year, max(first.year, timezone.localdate().year) + 1))
    written = 0
    for i, year in enumerate(years, 1):
        lo = since if i == 1 else date(year, 1, 1)
        hi = None if i == len(years) else date(year, 12, 31)
        started = monotonic()
        n = stats_refresh(since=lo, until=hi)
        written += n
        if progress:
            span = f"{lo or '…'} – {hi or '…'}"
            progress(f"[{i}/{len(years)}] {span}: {n:,} day rows written ({monotonic() - started:.1f} s)")
    return written


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


def _sums() -> dict:
    return {m: Sum(m) for m in MEASURES}


def _clean(values: dict) -> dict:
    return {m: ((values.get(m) or ZERO).quantize(ZERO) if m in AMOUNTS else values.get(m) or 0) for m in MEASURES}


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
