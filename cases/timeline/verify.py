"""The verifier of the timeline: recompute every chain (or one) and compare it with its anchors, stopping
at the first break.

Detected, each reported with the subject and the sequence number (Break.kind in brackets):
- an edited event [content], a deleted event in the middle [gap], swapped or inserted events [gap,
  prev_hash] — by the hash chain itself;
- the last event(s) deleted [missing_tail], a whole chain deleted [chain_deleted], an event appended
  behind the writer's back [unanchored], a head that does not match its chain [head_mismatch], events
  of a chain that has no head [no_head] — by the heads, kept in the transaction of every append;
- a chain edited and rehashed from an event on, heads included [rewritten], chains (and heads) deleted
  with the triggers dropped or by TRUNCATE [chain_deleted] — by the latest keyed checkpoint;
- a tampered checkpoint [checkpoint_mac] — its HMAC, whose key is not in the database.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import cast

from django.db import connections, transaction
from django.db.models import Max, Min, Model

from ..models import Case, Complaint, TimelineEvent
from ..models.timeline import SUBJECT_FIELDS, TimelineCheckpointEntry, TimelineHead
from . import anchor
from .breaks import Break
from .chain import GENESIS, _subject_key, compute_hash, subject_field
from .streams import _grouped, _rows


@dataclass
class Verification:
    chains: int = 0
    events: int = 0
    first_broken: Break | None = None
    checkpoint: int | None = None  # the checkpoint compared with

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def _check_chain(events: Iterable[TimelineEvent]) -> tuple[int, Break | None]:
    prev_hash, expected_seq, count = GENESIS, 1, 0
    for event in events:
        count += 1
        subject = _subject_key(event)
        if event.seq != expected_seq:
            return count, Break(subject, event.seq, event.id, f"sequence gap: expected #{expected_seq}", "gap")
        if event.prev_hash != prev_hash:
            return count, Break(subject, event.seq, event.id, "previous hash does not match the chain", "prev_hash")
        if compute_hash(event) != event.hash:
            return count, Break(subject, event.seq, event.id, "hash does not match the event's content", "content")
        prev_hash, expected_seq = event.hash, expected_seq + 1
    return count, None


Anchor = tuple[int, int, str]  # (subject id, count, last hash): a head, or a head as a checkpoint saw it


def _check_anchors(
    subject: str, events: list, head: Anchor | None, seen: Anchor | None, checkpoint: int | None
) -> Break | None:
    """A chain that verifies by itself against its head and its latest checkpoint entry."""
    n = len(events)
    if head is None and n:
        return Break(subject, 1, events[0].id, "the chain has no head: written behind the timeline's back", "no_head")
    if head is not None:
        count, last_hash = head[1], head[2]
        if n < count:
            what = "the whole chain is missing" if n == 0 else f"events #{n + 1}..{count} missing"
            kind = "chain_deleted" if n == 0 else "missing_tail"
            return Break(subject, n + 1, None, f"head says {count} events, chain has {n}: {what}", kind)
        if n > count:
            return Break(
                subject, count + 1, events[count].id,
                f"chain has {n} events, head says {count}: #{count + 1}..{n} appended behind the writer's back",
                "unanchored",
            )  # fmt: skip
        if events[-1].hash != last_hash:
            return Break(subject, n, events[-1].id, "the last event's hash is not the head's", "head_mismatch")
    if seen is not None:
        count, last_hash = seen[1], seen[2]
        if n < count:
            what = "the whole chain is missing" if n == 0 else f"events #{n + 1}..{count} missing"
            return Break(
                subject, n + 1, None, f"checkpoint #{checkpoint} saw {count} events, chain has {n}: {what}",
                "chain_deleted" if n == 0 else "missing_tail",
            )  # fmt: skip
        if events[count - 1].hash != last_hash:
            return Break(
                subject, count, events[count - 1].id,
                f"hash differs from checkpoint #{checkpoint}'s: an event up to #{count} was changed and rehashed",
                "rewritten",
            )  # fmt: skip
    return None


_END = (float("inf"),)  # after the last subject id


def _found(item: tuple, sid: float) -> Anchor | None:
    """The head or checkpoint entry `item` if it is subject `sid`'s, else None. The sentinel's id (inf) is
    no subject's, so what comes out is a real row (a type checker cannot follow that through the merge)."""
    return cast(Anchor, item) if item[0] == sid else None


def _subjects(field: str, chains, heads, seen) -> Iterator[tuple[str, list, Anchor | None, Anchor | None]]:
    """Merge the (subject id ordered) streams of chains, heads and checkpoint entries by subject: a head
    or an entry without events comes out with an empty chain."""
    heads, seen = iter(heads), iter(seen)
    head, entry = next(heads, _END), next(seen, _END)
    for sid, chain in itertools.chain(chains, [(_END[0], None)]):
        while head[0] < sid or entry[0] < sid:  # subjects that have lost every event
            lone = min(head[0], entry[0])
            h, e = _found(head, lone), _found(entry, lone)
            yield f"{field}:{lone}", [], h, e
            head = next(heads, _END) if h else head
            entry = next(seen, _END) if e else entry
        if chain is None:
            return
        h, e = _found(head, sid), _found(entry, sid)
        if h:
            head = next(heads, _END)
        if e:
            entry = next(seen, _END)
        yield f"{field}:{sid}", chain, h, e


# Breaks between a chain and its head that an append committed between the two reads also shows (they
# are separate statements; under READ COMMITTED each sees the commits made before it began): such a
# chain is read again, alone, before it is reported. A real break stays; a checkpoint's entries never change.
_RACY = frozenset({"missing_tail", "chain_deleted", "unanchored", "head_mismatch", "no_head"})
RECHECKS = 2


def _verify_subjects(subjects: Iterable, checkpoint: int | None, *, recheck: bool = True) -> Verification:
    result = Verification(checkpoint=checkpoint)
    for subject, events, head, seen in subjects:
        count, broken = _check_chain(events)
        broken = broken or _check_anchors(subject, events, head, seen, checkpoint)
        if broken and broken.kind in _RACY and recheck:
            field, _, subject_id = subject.partition(":")
            broken = _verify_one(field, int(subject_id)).first_broken
        result.chains += 1
        result.events += count
        if broken:
            result.first_broken = broken
            break
    return result


def verify(
    *, case: Case | None = None, complaint: Complaint | None = None, subject: Model | None = None, jobs: int = 1
) -> Verification:
    """Recompute one chain (`case`, `complaint`, or any `subject`: a Case, Complaint, User or Region), or
    every chain, and compare each with its head and the latest checkpoint, stopping at the first break.
    A whole-database pass first checks the latest checkpoint's HMAC.

    `jobs` > 1 splits a whole-database pass by subject id over that many forked processes (each with
    its own database connection); the result is the same as with one: the chains and events before the
    first break, in (cases, complaints, accounts, regions; subject id; seq) order. Only on PostgreSQL,
    and only outside a transaction (other processes would not see what it has written): otherwise one."""
    one = subject if subject is not None else case if case is not None else complaint
    if one is not None:
        return _verify_one(subject_field(one), one.pk)
    connection = transaction.get_connection()
    parallel = jobs > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block
    return verify_slices(_slices(jobs * 4 if parallel else 1), jobs=jobs if parallel else 1)


def _verify_one(field: str, subject_id: int) -> Verification:
    """One chain, its head and its latest checkpoint entry: three queries (again, up to RECHECKS times,
    while the chain and its head disagree: see _RACY)."""
    for _attempt in range(RECHECKS + 1):
        events = list(_rows(TimelineEvent.objects.filter(**{f"{field}_id": subject_id}).order_by("seq")))
        heads = TimelineHead.objects.filter(subject_kind=field, subject_id=subject_id)
        entries = TimelineCheckpointEntry.objects.filter(subject_kind=field, subject_id=subject_id)
        head = heads.values_list("subject_id", "count", "last_hash").first()
        seen = (
            entries.order_by("-checkpoint_id").values_list("subject_id", "count", "last_hash", "checkpoint_id").first()
        )
        checkpoint = seen[3] if seen else None
        result = _verify_subjects([(f"{field}:{subject_id}", events, head, seen)], checkpoint, recheck=False)
        if result.first_broken is None or result.first_broken.kind not in _RACY:
            break
    return result


def _checkpoint_break(checkpoint) -> Break | None:
    if checkpoint is None or anchor.checkpoint_ok(checkpoint):
        return None
    return Break(
        f"checkpoint #{checkpoint.pk}", 0, None,
        f"HMAC of the checkpoint of {checkpoint.taken_at:%Y-%m-%d %H:%M:%S} UTC does not match: "
        "the checkpoint was altered (or the key is not the one it was taken with)",
        "checkpoint_mac",
    )  # fmt: skip


Slice = tuple[str, int, int]  # (subject field, first subject id, last subject id + 1)


def _slices(parts: int) -> list[Slice]:
    """The subject ids of each chain kind (events, heads, checkpoint entries) cut into `parts` ranges of
    equal width, in verification order."""
    slices: list[Slice] = []
    for field in SUBJECT_FIELDS:
        column = f"{field}_id"
        found = [
            TimelineEvent.objects.filter(**{f"{column}__isnull": False}).aggregate(lo=Min(column), hi=Max(column)),
            TimelineHead.objects.filter(subject_kind=field).aggregate(lo=Min("subject_id"), hi=Max("subject_id")),
            TimelineCheckpointEntry.objects.filter(subject_kind=field).aggregate(
                lo=Min("subject_id"), hi=Max("subject_id")
            ),
        ]
        found = [b for b in found if b["lo"] is not None]
        if not found:
            continue
        lo, hi = min(b["lo"] for b in found), max(b["hi"] for b in found) + 1
        width = max(1, -(-(hi - lo) // parts))
        slices += [(field, start, min(start + width, hi)) for start in range(lo, hi, width)]
    return slices


def _verify_slice(piece: Slice, checkpoint: int | None = None) -> Verification:
    field, lo, hi = piece
    column = f"{field}_id"
    qs = TimelineEvent.objects.filter(**{f"{column}__gte": lo, f"{column}__lt": hi}).order_by(column, "seq")
    chains = _grouped(_rows(qs, stream=True), column)
    heads = anchor.head_rows(field, lo, hi)
    seen = anchor.anchored_rows(field, checkpoint, lo, hi) if checkpoint else ()
    return _verify_subjects(_subjects(field, chains, heads, seen), checkpoint)


def _verify_slice_in_child(piece: Slice, checkpoint: int | None = None) -> Verification:
    try:
        return _verify_slice(piece, checkpoint)
    finally:
        connections.close_all()


def verify_slices(slices: list[Slice], *, jobs: int = 1, mapper=None) -> Verification:
    """Check the latest checkpoint's HMAC, then verify the slices against it (by `mapper`, or a pool of
    `jobs` forked processes) and add their results up to the first broken slice, which ends the pass
    as the first broken event ends a one-process pass."""
    checkpoint = anchor.latest_checkpoint()
    checkpoint_id = checkpoint.pk if checkpoint else None
    if broken := _checkpoint_break(checkpoint):
        return Verification(first_broken=broken, checkpoint=checkpoint_id)
    if mapper is None and jobs > 1:
        import multiprocessing

        connections.close_all()  # the children must not share the parent's connection
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return _combine(pool.imap(partial(_verify_slice_in_child, checkpoint=checkpoint_id), slices), checkpoint_id)
    return _combine((mapper or map)(partial(_verify_slice, checkpoint=checkpoint_id), slices), checkpoint_id)


def _combine(results: Iterable[Verification], checkpoint: int | None) -> Verification:
    total = Verification(checkpoint=checkpoint)
    for part in results:
        total.chains += part.chains
        total.events += part.events
        if part.first_broken:
            total.first_broken = part.first_broken
            break
    return total


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
