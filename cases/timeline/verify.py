"""The verifier of the timeline: recompute every chain (or one), stopping at the first broken event."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connections, transaction
from django.db.models import Model

from ..models import Case, Complaint, TimelineEvent
from ..models.timeline import SUBJECT_FIELDS
from .chain import GENESIS, _subject_key, compute_hash, subject_field


@dataclass(frozen=True)
class Break:
    subject: str
    seq: int
    event_id: int
    reason: str

    def __str__(self) -> str:
        return f"{self.subject} event #{self.seq} (id {self.event_id}): {self.reason}"


@dataclass
class Verification:
    chains: int = 0
    events: int = 0
    first_broken: Break | None = None

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def _check_chain(events: Iterable[TimelineEvent]) -> tuple[int, Break | None]:
    prev_hash, expected_seq, count = GENESIS, 1, 0
    for event in events:
        count += 1
        subject = _subject_key(event)
        if event.seq != expected_seq:
            return count, Break(subject, event.seq, event.id, f"sequence gap: expected #{expected_seq}")
        if event.prev_hash != prev_hash:
            return count, Break(subject, event.seq, event.id, "previous hash does not match the chain")
        if compute_hash(event) != event.hash:
            return count, Break(subject, event.seq, event.id, "hash does not match the event's content")
        prev_hash, expected_seq = event.hash, expected_seq + 1
    return count, None


def verify(
    *, case: Case | None = None, complaint: Complaint | None = None, subject: Model | None = None, jobs: int = 1
) -> Verification:
    """Recompute one chain (`case`, `complaint`, or any `subject`: a Case, Complaint, User or Region), or
    every chain, stopping at the first broken event.

    `jobs` > 1 splits a whole-database pass by subject id over that many forked processes (each with
    its own database connection); the result is the same as with one: the chains and events before the
    first broken event, in (cases, complaints, accounts, regions; subject id; seq) order. Only on PostgreSQL, and only
    outside a transaction (other processes would not see what it has written): otherwise one process."""
    connection = transaction.get_connection()
    parallel = jobs > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block
    one = subject if subject is not None else case if case is not None else complaint
    if one is not None or not parallel:
        return _verify_chains(_chains(one))
    return verify_slices(_slices(jobs * 4), jobs=jobs)


def _verify_chains(chains: Iterable[Iterable]) -> Verification:
    result = Verification()
    for chain in chains:
        count, broken = _check_chain(chain)
        result.chains += 1
        result.events += count
        if broken:
            result.first_broken = broken
            break
    return result


Slice = tuple[str, int, int]  # (subject field, first subject id, last subject id + 1)


def _slices(parts: int) -> list[Slice]:
    """The subject ids of each chain kind cut into `parts` ranges of equal width, in verification order."""
    from django.db.models import Max, Min

    slices: list[Slice] = []
    for field in SUBJECT_FIELDS:
        column = f"{field}_id"
        bounds = TimelineEvent.objects.filter(**{f"{column}__isnull": False}).aggregate(lo=Min(column), hi=Max(column))
        if bounds["lo"] is None:
            continue
        lo, hi = bounds["lo"], bounds["hi"] + 1
        width = max(1, -(-(hi - lo) // parts))
        slices += [(field, start, min(start + width, hi)) for start in range(lo, hi, width)]
    return slices


def _verify_slice(piece: Slice) -> Verification:
    field, lo, hi = piece
    column = f"{field}_id"
    qs = TimelineEvent.objects.filter(**{f"{column}__gte": lo, f"{column}__lt": hi}).order_by(column, "seq")
    return _verify_chains(_grouped(_rows(qs, stream=True), column))


def _verify_slice_in_child(piece: Slice) -> Verification:
    try:
        return _verify_slice(piece)
    finally:
        connections.close_all()


def verify_slices(slices: list[Slice], *, jobs: int = 1, mapper=None) -> Verification:
    """Verify the slices (by `mapper`, or a pool of `jobs` forked processes) and add their results up to
    the first broken slice, which ends the pass as the first broken event ends a one-process pass."""
    if mapper is None and jobs > 1:
        import multiprocessing

        connections.close_all()  # the children must not share the parent's connection
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return _combine(pool.imap(_verify_slice_in_child, slices))
    return _combine((mapper or map)(_verify_slice, slices))


def _combine(results: Iterable[Verification]) -> Verification:
    total = Verification()
    for part in results:
        total.chains += part.chains
        total.events += part.events
        if part.first_broken:
            total.first_broken = part.first_broken
            break
    return total


_ROW_FIELDS = (
    "id", "case_id", "complaint_id", "account_id", "region_id", "seq", "at", "actor_id", "actor_name",
    "actor_role", "actor_region", "kind", "data", "prev_hash", "hash",
)  # fmt: skip


class _Row:
    """What _check_chain and compute_hash read of an event, from a values_list() tuple: the verifier
    reads millions of rows, and building a model instance for each cost more than hashing it."""

    __slots__ = _ROW_FIELDS

    def __init__(self, values: tuple) -> None:
        (self.id, self.case_id, self.complaint_id, self.account_id, self.region_id, self.seq, self.at,
         self.actor_id, self.actor_name, self.actor_role, self.actor_region, self.kind, self.data, self.prev_hash,
         self.hash) = values  # fmt: skip


def _rows(qs, *, stream: bool = False) -> Iterator[_Row]:
    rows = qs.values_list(*_ROW_FIELDS)
    if not stream:
        return map(_Row, rows)
    if connections[rows.db].vendor == "postgresql":
        return _fetch_raw(rows)
    return map(_Row, rows.iterator(chunk_size=5000))


def _fetch_raw(rows) -> Iterator[_Row]:
    """The rows of a values_list() through a server-side cursor, without Django's per-value
    converters: on PostgreSQL the only one these columns need is JSONField's (jsonb arrives as
    text; json.loads, as JSONField.from_db_value does). Half the verifier's time went there."""
    connection = connections[rows.db]
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    loads = json.loads
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(5000):
            for values in chunk:
                row = _Row(values)
                if isinstance(row.data, str):
                    row.data = loads(row.data)
                yield row


def _chains(subject: Model | None) -> Iterator[Iterator[_Row]]:
    if subject is not None:
        field = subject_field(subject)
        yield _rows(TimelineEvent.objects.filter(**{f"{field}_id": subject.pk}).order_by("seq"))
        return
    # Every chain, streamed in (subject, seq) order: one pass, constant memory.
    for field in SUBJECT_FIELDS:
        qs = TimelineEvent.objects.filter(**{f"{field}__isnull": False}).order_by(f"{field}_id", "seq")
        yield from _grouped(_rows(qs, stream=True), f"{field}_id")


def _grouped(rows: Iterable[_Row], column: str) -> Iterator[Iterator[_Row]]:
    """Rows in (subject, seq) order → one iterator per subject's chain."""
    current, buffer = None, []
    for event in rows:
        key = getattr(event, column)
        if key != current and buffer:
            yield iter(buffer)
            buffer = []
        current = key
        buffer.append(event)
    if buffer:
        yield iter(buffer)


def chain_ok(subject: Model) -> bool:
    """The subject's chain verifies; for a case, so do the chains of its complaints."""
    if not isinstance(subject, Case):
        return verify(subject=subject).ok
    return verify(case=subject).ok and all(verify(complaint=c).ok for c in subject.complaints.all())


def for_case(case: Case):
    """The case's events, in order, plus those of its complaints before filing.

    The complaints' ids are read first (one indexed query) and passed as a literal list: with
    `complaint__case=case` (a join) or a subquery inside the OR, PostgreSQL cannot combine the two
    (subject, seq) indexes and scans the whole event table (1.9 s at 6M events, bench/run.py P4);
    with the list it is a BitmapOr of both indexes (a few ms).
    """
    from django.db.models import Q

    complaint_ids = list(Complaint.objects.filter(case=case).values_list("pk", flat=True))
    return (
        TimelineEvent.objects.filter(Q(case=case) | Q(complaint_id__in=complaint_ids))
        .select_related("actor")
        .order_by("at", "id")
    )
