"""The dashboard's precomputed flows: RegionDayStats and RegionMonthStats, written only here (see the package's
docstring)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from time import monotonic

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from ..models import (
    ArrearsEntry,
    Case,
    Complaint,
    Deadline,
    Payment,
    Referral,
    RegionDayStats,
    RegionMonthStats,
    Supervision,
)
from ..values import month_end

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


def _sums() -> dict:
    return {m: Sum(m) for m in MEASURES}


def _clean(values: dict) -> dict:
    return {m: ((values.get(m) or ZERO).quantize(ZERO) if m in AMOUNTS else values.get(m) or 0) for m in MEASURES}


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
