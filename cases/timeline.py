"""The timeline: the ONLY writer of TimelineEvent, and its verifier.

Each case (or, before filing, each complaint) has its own SHA-256 hash chain:
hash = sha256(prev_hash + canonical_json(event)). Call record() inside the
service's transaction; it locks the subject row so concurrent appends serialise.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone as dj_timezone

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
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
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
        model.objects.select_for_update().filter(pk=subject.pk).values_list("pk").get()
        last = TimelineEvent.objects.filter(**{field: subject}).order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
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


def verify(*, case: Case | None = None, complaint: Complaint | None = None) -> Verification:
    """Recompute one chain, or every chain, stopping at the first broken event."""
    result = Verification()
    for chain in _chains(case=case, complaint=complaint):
        count, broken = _check_chain(chain)
        result.chains += 1
        result.events += count
        if broken:
            result.first_broken = broken
            break
    return result


def _chains(*, case: Case | None, complaint: Complaint | None) -> Iterator[Iterator[TimelineEvent]]:
    if case is not None:
        yield iter(TimelineEvent.objects.filter(case=case).order_by("seq"))
        return
    if complaint is not None:
        yield iter(TimelineEvent.objects.filter(complaint=complaint).order_by("seq"))
        return
    # Every chain, streamed in (subject, seq) order: one pass, constant memory.
    for field in ("case", "complaint"):
        qs = TimelineEvent.objects.filter(**{f"{field}__isnull": False}).order_by(f"{field}_id", "seq")
        current, buffer = None, []
        for event in qs.iterator(chunk_size=5000):
            key = getattr(event, f"{field}_id")
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
    """The case's events, in order, plus those of its complaints before filing."""
    from django.db.models import Q

    return (
        TimelineEvent.objects.filter(Q(case=case) | Q(complaint__case=case))
        .select_related("actor")
        .order_by("at", "id")
    )
