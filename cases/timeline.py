"""The timeline: the ONLY writer of TimelineEvent, and its verifier.

Each case (or, before filing, each complaint) has its own SHA-256 hash chain:
hash = sha256(prev_hash + canonical_json(event)). Call record() inside the
service's transaction; it locks the subject row so concurrent appends serialise.
record_many() writes many events (the deadline sweep's) in a fixed number of statements.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connections, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone as dj_timezone

from .bulk import bulk_insert
from .models import Case, Complaint, TimelineEvent

GENESIS = "0" * 64


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"timeline data: {type(value).__name__} is not JSON serialisable")


def normalise(data: dict) -> dict:
    """What the database will give back: plain JSON types only."""
    return json.loads(json.dumps(data, default=_json_default))


def _subject_key(event: TimelineEvent) -> str:
    return f"case:{event.case_id}" if event.case_id else f"complaint:{event.complaint_id}"


# What json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")) builds on every call,
# built once: the verifier hashes millions of events.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def compute_hash(event: TimelineEvent) -> str:
    body = {
        "subject": _subject_key(event),
        "seq": event.seq,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "actor_role": event.actor_role,
        "actor_region": event.actor_region,
        "kind": event.kind,
        "data": event.data,
    }
    canonical = _CANONICAL.encode(body)
    return hashlib.sha256((event.prev_hash + canonical).encode("utf-8")).hexdigest()


def record(
    subject: Case | Complaint,
    kind: str,
    *,
    actor=None,
    role: str = "",
    region_code: str = "",
    data: dict | None = None,
    at: datetime | None = None,
    first: bool = False,
) -> TimelineEvent:
    """Append one event to the subject's chain. Must run inside a transaction.

    `first=True` when the subject was created in this very transaction: no other
    transaction can see it yet, so the lock and the look-up of the last event are
    skipped (the unique (subject, seq) constraint still refuses a second #1).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("timeline.record() must run inside the service's transaction")
    if role and not region_code and actor is not None:
        from .scope import grants

        region_code = next((g.region_code for g in grants(actor) if g.role == role), "")
    model = type(subject)
    field = "case" if model is Case else "complaint"
    # Lock the subject row: appends to one chain are serialised (a no-op on SQLite,
    # where the write transaction is already exclusive).
    if first:
        seq, prev_hash = 1, GENESIS
    else:
        if not _lock(model, [subject.pk]):
            raise model.DoesNotExist(f"{model.__name__} {subject.pk} does not exist")
        last = _last_links(field, [subject.pk])  # a statement of its own: see _last_links
        seq, prev_hash = (last[0][1] + 1, last[0][2]) if last else (1, GENESIS)
    event = TimelineEvent(
        **{field: subject},
        seq=seq,
        at=at or dj_timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=(actor.get_username() if actor is not None and actor.is_authenticated else "system"),
        actor_role=role,
        actor_region=region_code,
        kind=kind,
        data=normalise(data or {}),
        prev_hash=prev_hash,
    )
    event.hash = compute_hash(event)
    event.save(force_insert=True)
    return event


class Entry(NamedTuple):
    """One event for record_many(): the arguments of record(), minus `first`."""

    subject: Case | Complaint
    kind: str
    actor: Any = None
    role: str = ""
    region_code: str = ""
    data: dict | None = None
    at: datetime | None = None


def record_many(entries: Iterable[Entry]) -> list[TimelineEvent]:
    """Append many events, to one or many chains, in a fixed number of statements. Must run inside
    a transaction. The same chains, hashes and lock as record() called once per entry, in order:

    1. one SELECT ... FOR UPDATE of the subjects, ordered by id (cases, then complaints: the lock
       order the deadline sweep uses), so concurrent writers serialise per chain as with record();
    2. then one query for each subject's last (seq, hash): DISTINCT ON on PostgreSQL;
    3. seq, prev_hash and hash computed here, entries of one subject chained in the given order;
    4. one bulk INSERT (COPY on PostgreSQL for a few hundred events or more: cases.bulk).

    Returns the events, in the order of `entries`.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("timeline.record_many() must run inside the service's transaction")
    entries = list(entries)
    if not entries:
        return []
    ids: dict[type, set[int]] = {Case: set(), Complaint: set()}
    for entry in entries:
        model = type(entry.subject)
        if model not in ids or entry.subject.pk is None:
            raise TypeError(f"timeline subject must be a saved Case or Complaint, not {entry.subject!r}")
        ids[model].add(entry.subject.pk)
    last: dict[tuple[type, int], tuple[int, str]] = {}
    for model, field in ((Case, "case"), (Complaint, "complaint")):
        if not ids[model]:
            continue
        wanted = sorted(ids[model])
        locked = _lock(model, wanted)
        if len(locked) != len(wanted):
            raise model.DoesNotExist(f"{model.__name__} {sorted(set(wanted) - set(locked))} does not exist")
        for subject_id, seq, digest in _last_links(field, wanted):
            last[(model, subject_id)] = (seq, digest)
    now = dj_timezone.now()
    events = []
    for entry in entries:
        model = type(entry.subject)
        field = "case" if model is Case else "complaint"
        key = (model, entry.subject.pk)
        seq, prev_hash = last.get(key, (0, GENESIS))
        actor = entry.actor
        authenticated = actor is not None and actor.is_authenticated
        region_code = entry.region_code
        if entry.role and not region_code and actor is not None:
            from .scope import grants

            region_code = next((g.region_code for g in grants(actor) if g.role == entry.role), "")
        event = TimelineEvent(
            **{field: entry.subject},
            seq=seq + 1,
            at=entry.at or now,
            actor=actor if authenticated else None,
            actor_name=actor.get_username() if authenticated else "system",
            actor_role=entry.role,
            actor_region=region_code,
            kind=entry.kind,
            data=normalise(entry.data or {}),
            prev_hash=prev_hash,
        )
        event.hash = compute_hash(event)
        last[key] = (event.seq, event.hash)
        events.append(event)
    return bulk_insert(TimelineEvent, events)


def _lock(model, subject_ids: list[int]) -> list[int]:
    """Lock the subjects' rows, in id order; the ids found."""
    return list(
        model.objects.select_for_update().filter(pk__in=subject_ids).order_by("pk").values_list("pk", flat=True)
    )


def _last_links(field: str, subject_ids: list[int]) -> list[tuple[int, int, str]]:
    """(subject id, seq, hash) of the last event of each subject that has one: one query.

    Must be a statement of its own, AFTER the lock: under READ COMMITTED a statement reads from the
    snapshot taken when it began, so a look-up inside the locking SELECT that waited for another
    writer's lock would not see the events that writer committed (and would reuse their seq)."""
    column = f"{field}_id"
    qs = TimelineEvent.objects.filter(**{f"{column}__in": subject_ids})
    if transaction.get_connection().features.can_distinct_on_fields:
        qs = qs.order_by(column, "-seq").distinct(column)
    else:
        newest = TimelineEvent.objects.filter(**{column: OuterRef(column)}).order_by("-seq").values("seq")[:1]
        qs = qs.filter(seq=Subquery(newest))
    return list(qs.values_list(column, "seq", "hash"))


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


def verify(*, case: Case | None = None, complaint: Complaint | None = None, jobs: int = 1) -> Verification:
    """Recompute one chain, or every chain, stopping at the first broken event.

    `jobs` > 1 splits a whole-database pass by subject id over that many forked processes (each with
    its own database connection); the result is the same as with one: the chains and events before the
    first broken event, in (cases, then complaints; subject id; seq) order. Only on PostgreSQL, and only
    outside a transaction (other processes would not see what it has written): otherwise one process."""
    connection = transaction.get_connection()
    parallel = jobs > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block
    if case is not None or complaint is not None or not parallel:
        return _verify_chains(_chains(case=case, complaint=complaint))
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
    for field in ("case", "complaint"):
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
    "id", "case_id", "complaint_id", "seq", "at", "actor_id", "actor_name", "actor_role", "actor_region", "kind",
    "data", "prev_hash", "hash",
)  # fmt: skip


class _Row:
    """What _check_chain and compute_hash read of an event, from a values_list() tuple: the verifier
    reads millions of rows, and building a model instance for each cost more than hashing it."""

    __slots__ = _ROW_FIELDS

    def __init__(self, values: tuple) -> None:
        (self.id, self.case_id, self.complaint_id, self.seq, self.at, self.actor_id, self.actor_name, self.actor_role,
         self.actor_region, self.kind, self.data, self.prev_hash, self.hash) = values  # fmt: skip


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


def _chains(*, case: Case | None, complaint: Complaint | None) -> Iterator[Iterator[_Row]]:
    if case is not None:
        yield _rows(TimelineEvent.objects.filter(case=case).order_by("seq"))
        return
    if complaint is not None:
        yield _rows(TimelineEvent.objects.filter(complaint=complaint).order_by("seq"))
        return
    # Every chain, streamed in (subject, seq) order: one pass, constant memory.
    for field in ("case", "complaint"):
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


def chain_ok(subject: Case | Complaint) -> bool:
    """The subject's chain verifies; for a case, so do the chains of its complaints."""
    if isinstance(subject, Complaint):
        return verify(complaint=subject).ok
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
