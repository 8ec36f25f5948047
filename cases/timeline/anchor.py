"""The anchors of the timeline: each chain's head, kept by the writer, and the keyed checkpoints over
every head, taken on a schedule and exported for the auditors (docs/timeline.md).

A head (subject, count, last hash) is written in the transaction of every append, by one statement
(an upsert; with record(first=True) a plain INSERT). A checkpoint is an HMAC-SHA256, keyed by
settings.ZHIQIAN_TIMELINE_KEY (from the environment, never in the database), of the canonical list of
every head; its rows record the heads that changed since the previous one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone as dj_timezone

from ..bulk import bulk_insert
from ..models.timeline import SUBJECT_FIELDS, TimelineCheckpoint, TimelineCheckpointEntry, TimelineHead
from .breaks import Break
from .streams import _tuples

logger = logging.getLogger(__name__)

FORMAT = "zhiqian-timeline-checkpoint/1"


def head_written(field: str, subject_id: int, count: int, last_hash: str, *, first: bool = False) -> None:
    """The subject's head after an append: one statement (INSERT when the chain is new in this transaction)."""
    head = TimelineHead(
        subject_kind=field, subject_id=subject_id, count=count, last_hash=last_hash, updated_at=dj_timezone.now()
    )
    heads_written([head], first=first)


def heads_written(heads: list[TimelineHead], *, first: bool = False) -> None:
    """The heads after an append (one per subject): one upsert statement (per batch on SQLite)."""
    if first:
        TimelineHead.objects.bulk_create(heads)
        return
    TimelineHead.objects.bulk_create(
        heads,
        update_conflicts=True,
        unique_fields=["subject_kind", "subject_id"],
        update_fields=["count", "last_hash", "updated_at"],
    )


# Heads of chains that have none (the events written before migration 0013, or by bench/generate.py):
# one set-based statement, each chain's last event. The migration keeps its own copy of this text.
HEADS_BACKFILL = """
INSERT INTO cases_timelinehead (subject_kind, subject_id, count, last_hash, updated_at)
SELECT kind, sid, seq, hash, CURRENT_TIMESTAMP FROM (
    SELECT CASE WHEN case_id IS NOT NULL THEN 'case' WHEN complaint_id IS NOT NULL THEN 'complaint'
                WHEN account_id IS NOT NULL THEN 'account' ELSE 'region' END AS kind,
           COALESCE(case_id, complaint_id, account_id, region_id) AS sid, seq, hash,
           ROW_NUMBER() OVER (
               PARTITION BY case_id, complaint_id, account_id, region_id ORDER BY seq DESC
           ) AS newest
    FROM cases_timelineevent
) AS last_events
WHERE newest = 1
ON CONFLICT (subject_kind, subject_id) DO NOTHING
"""


def heads_backfill(using: str = "default") -> int:
    """Insert the missing heads (never changes an existing one); the number inserted."""
    with connections[using].cursor() as cursor:
        cursor.execute(HEADS_BACKFILL)
        return cursor.rowcount


# --- the keyed checkpoint -------------------------------------------------------------------------


def checkpoint_key() -> bytes:
    return settings.ZHIQIAN_TIMELINE_KEY.encode("utf-8")


def _message_start(taken_at: datetime, heads: int, events: int) -> bytes:
    at = taken_at.astimezone(UTC).isoformat(timespec="microseconds")
    return f"{FORMAT}\n{at}\n{heads}\n{events}\n".encode()


def _line(subject: str, count: int, last_hash: str) -> bytes:
    return f"{subject} {count} {last_hash}\n".encode()


def checkpoint_mac(taken_at: datetime, entries: Iterable[tuple[str, int, str]], *, key: bytes | None = None) -> str:
    """HMAC-SHA256 over the canonical message: the format, the time, the numbers of heads and of events,
    then one line "kind:id count last_hash" per head in (case, complaint, account, region; id) order."""
    entries = list(entries)
    mac = hmac.new(checkpoint_key() if key is None else key, digestmod=hashlib.sha256)
    mac.update(_message_start(taken_at, len(entries), sum(e[1] for e in entries)))
    for entry in entries:
        mac.update(_line(*entry))
    return mac.hexdigest()


def latest_checkpoint() -> TimelineCheckpoint | None:
    return TimelineCheckpoint.objects.order_by("-id").first()


def anchored_rows(field: str, checkpoint_id: int, lo: int | None = None, hi: int | None = None):
    """(subject id, count, last hash) of each subject of `field` as checkpoint `checkpoint_id` saw it
    (its latest entry up to that checkpoint), in subject id order: one query."""
    qs = TimelineCheckpointEntry.objects.filter(subject_kind=field, checkpoint_id__lte=checkpoint_id)
    if lo is not None:
        qs = qs.filter(subject_id__gte=lo, subject_id__lt=hi)
    if connections[qs.db].features.can_distinct_on_fields:
        qs = qs.order_by("subject_id", "-checkpoint_id").distinct("subject_id")
    else:
        newest = (
            TimelineCheckpointEntry.objects.filter(
                subject_kind=field, subject_id=OuterRef("subject_id"), checkpoint_id__lte=checkpoint_id
            )
            .order_by("-checkpoint_id")
            .values("checkpoint_id")[:1]
        )
        qs = qs.filter(checkpoint_id=Subquery(newest)).order_by("subject_id")
    return _tuples(qs.values_list("subject_id", "count", "last_hash"))


def head_rows(field: str, lo: int | None = None, hi: int | None = None):
    """(subject id, count, last hash) of each head of `field`, in subject id order: one query."""
    qs = TimelineHead.objects.filter(subject_kind=field)
    if lo is not None:
        qs = qs.filter(subject_id__gte=lo, subject_id__lt=hi)
    return _tuples(qs.order_by("subject_id").values_list("subject_id", "count", "last_hash"))


def checkpoint_entries(checkpoint_id: int) -> Iterator[tuple[str, int, str]]:
    """Every head as the checkpoint saw it, canonical order: what its MAC covers."""
    for field in SUBJECT_FIELDS:
        for subject_id, count, last_hash in anchored_rows(field, checkpoint_id):
            yield f"{field}:{subject_id}", count, last_hash


def checkpoint_ok(checkpoint: TimelineCheckpoint, *, key: bytes | None = None) -> bool:
    entries = list(checkpoint_entries(checkpoint.pk))
    if len(entries) != checkpoint.heads or sum(e[1] for e in entries) != checkpoint.events:
        return False
    return hmac.compare_digest(checkpoint_mac(checkpoint.taken_at, entries, key=key), checkpoint.mac)


@dataclass
class CheckpointTaken:
    checkpoint: TimelineCheckpoint
    entries: list[tuple[str, int, str]]
    path: Path | None = None
    pushed: bool = False


class CheckpointRefused(Exception):
    """The previous checkpoint does not verify, or a head moved off the chain it signed: signing the
    heads now would launder a tamper. Carries the Break."""

    def __init__(self, broken) -> None:
        super().__init__(str(broken))
        self.broken = broken


def _refuse_to_launder(previous: TimelineCheckpoint, earlier: list, extended: list) -> None:

    events = sum(e[1] for e in earlier)
    if not (
        len(earlier) == previous.heads
        and events == previous.events
        and hmac.compare_digest(checkpoint_mac(previous.taken_at, earlier), previous.mac)
    ):
        raise CheckpointRefused(
            Break(f"checkpoint #{previous.pk}", 0, None, "HMAC does not match: the checkpoint was altered (or the "
                  "key is not the one it was taken with)", "checkpoint_mac")
        )  # fmt: skip
    if broken := prefix_break(extended, f"checkpoint #{previous.pk}"):
        raise CheckpointRefused(broken)


def timeline_checkpoint_take(
    *, out_dir: str | Path | None = None, push_url: str | None = None, force: bool = False
) -> CheckpointTaken:
    """Take a checkpoint of every head (one transaction, serialised with other checkpoints), then export
    it as a JSON file in `out_dir` (settings.ZHIQIAN_CHECKPOINT_DIR) and, when a URL is configured, POST
    its summary there (short timeout; a failure is logged, not raised).

    Refused (CheckpointRefused, nothing written) when the previous checkpoint's HMAC does not verify, or
    when a head it signed is gone or no longer a prefix of its chain (the event at its count has another
    hash): the new checkpoint would sign a rewritten chain. `force` skips this (after a key rotation, or
    once the break has been investigated)."""
    with transaction.atomic():
        connection = transaction.get_connection()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {TimelineCheckpoint._meta.db_table} IN EXCLUSIVE MODE")
        previous = latest_checkpoint()
        entries: list[tuple[str, int, str]] = []
        earlier: list[tuple[str, int, str]] = []  # the previous checkpoint's heads, for its MAC
        changed: list[TimelineCheckpointEntry] = []
        extended: list[tuple[str, int, int, str]] = []  # previous entries the moved heads must extend
        for field in SUBJECT_FIELDS:
            before = {}
            for sid, count, digest in anchored_rows(field, previous.pk) if previous else ():
                before[sid] = (count, digest)
                earlier.append((f"{field}:{sid}", count, digest))
            for subject_id, count, last_hash in head_rows(field):
                entries.append((f"{field}:{subject_id}", count, last_hash))
                was = before.pop(subject_id, None)
                if was != (count, last_hash):
                    changed.append(
                        TimelineCheckpointEntry(
                            subject_kind=field, subject_id=subject_id, count=count, last_hash=last_hash
                        )
                    )
                    if was is not None:
                        extended.append((field, subject_id, *was))
            extended += [(field, sid, count, digest) for sid, (count, digest) in before.items()]  # heads gone
        if previous is not None and not force:
            _refuse_to_launder(previous, earlier, extended)
        taken_at = dj_timezone.now()
        checkpoint = TimelineCheckpoint.objects.create(
            taken_at=taken_at,
            heads=len(entries),
            events=sum(e[1] for e in entries),
            changed=len(changed),
            mac=checkpoint_mac(taken_at, entries),
        )
        for entry in changed:
            entry.checkpoint = checkpoint
        bulk_insert(TimelineCheckpointEntry, changed)
    taken = CheckpointTaken(checkpoint, entries)
    taken.path = checkpoint_export(taken, out_dir=out_dir)
    url = settings.ZHIQIAN_CHECKPOINT_URL if push_url is None else push_url
    if url:
        taken.pushed = checkpoint_push(taken, url=url)
    return taken


def _document(taken: CheckpointTaken) -> dict:
    checkpoint = taken.checkpoint
    return {
        "format": FORMAT,
        "id": checkpoint.pk,
        "taken_at": checkpoint.taken_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "heads": checkpoint.heads,
        "events": checkpoint.events,
        "mac": checkpoint.mac,
        "entries": [list(e) for e in taken.entries],
    }


def checkpoint_export(taken: CheckpointTaken, *, out_dir: str | Path | None = None) -> Path:
    folder = Path(out_dir or settings.ZHIQIAN_CHECKPOINT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    at = taken.checkpoint.taken_at.astimezone(UTC)
    path = folder / f"timeline-checkpoint-{taken.checkpoint.pk:06d}-{at:%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(_document(taken), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return path


def checkpoint_push(taken: CheckpointTaken, *, url: str, timeout: float = 5.0) -> bool:
    """POST the checkpoint's summary (no entries: the MAC and the SHA-256 of the exported file)."""
    import urllib.request

    document = _document(taken)
    del document["entries"]
    if taken.path is not None:
        document["file_sha256"] = hashlib.sha256(taken.path.read_bytes()).hexdigest()
    request = urllib.request.Request(
        url, data=json.dumps(document).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured URL)
            return 200 <= response.status < 300
    except Exception as exc:  # noqa: BLE001 - the export file is the record; the push is best effort
        logger.warning("timeline checkpoint %s: push to %s failed: %s", taken.checkpoint.pk, url, exc)
        return False


def checkpoint_file_check(path: str | Path, *, key: bytes | None = None) -> dict:
    """An exported checkpoint file: its MAC recomputed with the key. Returns the document plus "ok"."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise ValueError("not a checkpoint document")
    entries = [tuple(e) for e in document.get("entries", [])]
    taken_at = datetime.fromisoformat(document["taken_at"])
    well_formed = all(
        len(e) == 3
        and isinstance(e[0], str)
        and e[0].partition(":")[0] in SUBJECT_FIELDS
        and e[0].partition(":")[2].isdigit()
        and type(e[1]) is int
        and isinstance(e[2], str)
        for e in entries
    )
    ok = (
        well_formed
        and document.get("format") == FORMAT
        and len(entries) == document["heads"]
        and sum(e[1] for e in entries) == document["events"]
        and hmac.compare_digest(checkpoint_mac(taken_at, entries, key=key), document["mac"])
    )
    return {**document, "ok": ok}


def checkpoint_file_breaks(path: str | Path, *, key: bytes | None = None):
    """The first break an exported checkpoint file shows: its HMAC, then each chain it lists must still
    have, at the recorded count, an event with the recorded hash (queries of 200 chains). None if none."""

    document = checkpoint_file_check(path, key=key)
    name = f"checkpoint file {Path(path).name}"
    if not document["ok"]:
        return Break(name, 0, None, "HMAC does not match: the file was altered (or another key)", "checkpoint_mac")
    entries = []
    for subject, count, digest in document["entries"]:
        field, _, subject_id = subject.partition(":")
        entries.append((field, int(subject_id), count, digest))
    return prefix_break(entries, name)


def prefix_break(entries: list[tuple[str, int, int, str]], name: str):
    """The first of `entries` (field, subject id, count, last hash) whose chain no longer has, at seq
    `count`, an event with that hash: one query per 200 entries. None if every chain still has it."""
    from django.db.models import Q

    from ..models import TimelineEvent

    for start in range(0, len(entries), 200):
        chunk = entries[start : start + 200]
        wanted = Q()
        for field, subject_id, count, _digest in chunk:
            wanted |= Q(**{f"{field}_id": subject_id, "seq": count})
        found = {}
        for row in TimelineEvent.objects.filter(wanted).values_list(
            *(f"{f}_id" for f in SUBJECT_FIELDS), "seq", "id", "hash"
        ):
            index = next(i for i, value in enumerate(row[: len(SUBJECT_FIELDS)]) if value is not None)
            found[(SUBJECT_FIELDS[index], row[index], row[-3])] = (row[-2], row[-1])
        for field, subject_id, count, digest in chunk:
            event = found.get((field, subject_id, count))
            subject = f"{field}:{subject_id}"
            if event is None:
                return Break(subject, count, None, f"{name} saw event #{count}; it is missing", "missing_tail")
            if event[1] != digest:
                return Break(
                    subject, count, event[0], f"hash differs from {name}'s: the chain was changed and rehashed",
                    "rewritten",
                )  # fmt: skip
    return None
