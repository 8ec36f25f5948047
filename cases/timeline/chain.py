"""The writer of the timeline: record() and record_many(), and the hash of an event.

Each subject has its own SHA-256 hash chain: hash = sha256(prev_hash + canonical_json(event)).
A subject is a case, a complaint (before filing), a staff account (`account`: roles, password, flags)
or a region (`region`: its administration — province parameters, working-day overrides, names).
Call record() inside the service's transaction; it locks the subject row so concurrent appends serialise.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Model, OuterRef, Subquery
from django.utils import timezone as dj_timezone

from ..actors import Actor
from ..bulk import bulk_insert
from ..models import Case, Complaint, Region, TimelineEvent
from ..models.timeline import SUBJECT_FIELDS, TimelineHead
from .anchor import head_written, heads_written

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


@cache
def subject_models() -> dict[type[Model], str]:
    """Subject model → the TimelineEvent field that points at it (also its key's prefix), in lock order."""
    return dict(zip((Case, Complaint, get_user_model(), Region), SUBJECT_FIELDS, strict=True))


def subject_field(subject: Model) -> str:
    """'case', 'complaint', 'account' or 'region'; TypeError for anything else or an unsaved object."""
    model = type(subject)._meta.concrete_model if isinstance(subject, Model) else None
    field = subject_models().get(model) if model is not None else None
    if field is None or subject.pk is None:
        raise TypeError(f"timeline subject must be a saved Case, Complaint, User or Region, not {subject!r}")
    return field


def _subject_key(event) -> str:
    # Case and complaint keys first and unchanged: their events' hashes stay byte-identical (and objects
    # carrying only case_id/complaint_id, as bench/generate.py's, still hash).
    if event.case_id:
        return f"case:{event.case_id}"
    if event.complaint_id:
        return f"complaint:{event.complaint_id}"
    if event.account_id:
        return f"account:{event.account_id}"
    return f"region:{event.region_id}"


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
    subject: Model,
    kind: str,
    *,
    actor: Actor = None,
    role: str = "",
    region_code: str = "",
    data: dict | None = None,
    at: datetime | None = None,
    first: bool = False,
) -> TimelineEvent:
    """Append one event to the subject's chain (a Case, Complaint, User or Region). Must run inside
    a transaction.

    `first=True` when the subject was created in this very transaction: no other
    transaction can see it yet, so the lock and the look-up of the last event are
    skipped (the unique (subject, seq) constraint still refuses a second #1).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("timeline.record() must run inside the service's transaction")
    field = subject_field(subject)
    if role and not region_code and actor is not None:
        from ..scope import grants

        region_code = next((g.region_code for g in grants(actor) if g.role == role), "")
    model = type(subject)._meta.concrete_model
    assert model is not None  # subject_field() found it
    # Lock the subject row: appends to one chain are serialised (a no-op on SQLite,
    # where the write transaction is already exclusive).
    if first:
        seq, prev_hash = 1, GENESIS
    else:
        if not _lock(model, [subject.pk]):
            # django-stubs declares DoesNotExist on each model class, not on Model
            raise model.DoesNotExist(f"{model.__name__} {subject.pk} does not exist")  # type: ignore[attr-defined]
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
    head_written(field, subject.pk, seq, event.hash, first=first)  # one statement, same transaction
    return event


class Entry(NamedTuple):
    """One event for record_many(): the arguments of record(), minus `first`."""

    subject: Model
    kind: str
    actor: Actor = None
    role: str = ""
    region_code: str = ""
    data: dict | None = None
    at: datetime | None = None


def record_many(entries: Iterable[Entry]) -> list[TimelineEvent]:
    """Append many events, to one or many chains, in a fixed number of statements. Must run inside
    a transaction. The same chains, hashes and lock as record() called once per entry, in order:

    1. one SELECT ... FOR UPDATE of the subjects of each kind, ordered by id (cases, complaints, accounts,
       regions: the lock order the deadline sweep uses), so concurrent writers serialise per chain as
       with record();
    2. then one query for each kind's subjects' last (seq, hash): DISTINCT ON on PostgreSQL;
    3. seq, prev_hash and hash computed here, entries of one subject chained in the given order;
    4. one bulk INSERT (COPY on PostgreSQL for a few hundred events or more: cases.bulk);
    5. one upsert of the subjects' heads (cases.timeline.anchor).

    Returns the events, in the order of `entries`.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("timeline.record_many() must run inside the service's transaction")
    entries = list(entries)
    if not entries:
        return []
    fields = [subject_field(entry.subject) for entry in entries]
    ids: dict[str, set[int]] = {}
    for entry, field in zip(entries, fields, strict=True):
        ids.setdefault(field, set()).add(entry.subject.pk)
    last: dict[tuple[str, int], tuple[int, str]] = {}
    for model, field in subject_models().items():
        if field not in ids:
            continue
        wanted = sorted(ids[field])
        locked = _lock(model, wanted)
        if len(locked) != len(wanted):
            missing = sorted(set(wanted) - set(locked))
            # django-stubs declares DoesNotExist on each model class, not on Model
            raise model.DoesNotExist(f"{model.__name__} {missing} does not exist")  # type: ignore[attr-defined]
        for subject_id, seq, digest in _last_links(field, wanted):
            last[(field, subject_id)] = (seq, digest)
    now = dj_timezone.now()
    events = []
    for entry, field in zip(entries, fields, strict=True):
        key = (field, entry.subject.pk)
        seq, prev_hash = last.get(key, (0, GENESIS))
        actor = entry.actor
        user = actor if actor is not None and actor.is_authenticated else None
        region_code = entry.region_code
        if entry.role and not region_code and actor is not None:
            from ..scope import grants

            region_code = next((g.region_code for g in grants(actor) if g.role == entry.role), "")
        event = TimelineEvent(
            **{field: entry.subject},
            seq=seq + 1,
            at=entry.at or now,
            actor=user,
            actor_name=user.get_username() if user is not None else "system",
            actor_role=entry.role,
            actor_region=region_code,
            kind=entry.kind,
            data=normalise(entry.data or {}),
            prev_hash=prev_hash,
        )
        event.hash = compute_hash(event)
        last[key] = (event.seq, event.hash)
        events.append(event)
    bulk_insert(TimelineEvent, events)
    # the heads after the batch, in lock order: one upsert
    order = {field: i for i, field in enumerate(SUBJECT_FIELDS)}
    heads_written(
        [
            TimelineHead(subject_kind=field, subject_id=pk, count=seq, last_hash=digest, updated_at=now)
            for (field, pk), (seq, digest) in sorted(last.items(), key=lambda item: (order[item[0][0]], item[0][1]))
        ]
    )
    return events


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
