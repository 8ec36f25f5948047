"""The signals of a set-based run brought in line with its findings in bulk (the outcomes of
earlywarning.services.signal_raise / signal_resolve, applied to every project of the set at once):

- a finding without a signal: a new signal, all inserted in one go (cases.bulk: COPY on PostgreSQL);
- a finding whose signal was resolved: the signal reopened; an open signal whose level or evidence changed:
  updated (one bulk UPDATE for both);
- an open signal of the check no finding names any more: resolved (one UPDATE);
- a signal handled already (dismissed, interviewed, a case): kept as it is;
- one timeline event per state change (signal.raised, .reopened, .level_changed, .resolved), on the region of
  the signal, all written by one cases.timeline.record_many.

A fixed number of statements whatever the number of projects (tests/test_earlywarning_setbased.py counts them).
Runs inside the caller's transaction; the existing signals are locked first (SELECT … FOR UPDATE)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from cases import timeline
from cases.actors import Actor
from cases.bulk import bulk_insert
from cases.workdays import Calendar

from ..models import Signal
from .monthset import Found, MonthSet, region_objects

Status = Signal.Status
CHANGEABLE = ("level", "evidence", "amount", "workers")


def _key(f: Found, ms: MonthSet, employer_id: int | None) -> str:
    """earlywarning.services.signal_key for a finding: project, unit (or employer), rule and month."""
    month = f"{ms.month:%Y-%m}" if f.monthly else "-"
    who = f"u{f.unit_id}" if f.unit_id else (f"e{employer_id}" if employer_id else "-")
    return ":".join([str(f.project_id), who, f.rule, month])


class _RedDue:
    """The due day of a red signal (the province's working days from today), each province once."""

    def __init__(self, ms: MonthSet, now: datetime) -> None:
        self.ms, self.today, self.calendar = ms, timezone.localdate(now), Calendar()

    def __call__(self, signal: Signal) -> None:
        if signal.level == Signal.Level.RED and signal.due_on is None:
            assert signal.project_id is not None
            days = self.ms.config(signal.project_id).handle_workdays
            signal.due_on = self.calendar.add_working_days(self.today, days)


def signals_sync(*, ms: MonthSet, found: list[Found], rules: list[str], actor: Actor, now: datetime) -> dict[str, int]:
    """Bring the check's signals of the set's projects (for the month, and month-less) in line with `found`;
    returns the outcomes counted ("raised", "reopened", "updated", "unchanged", "resolved")."""
    existing = {
        s.key: s
        for s in Signal.objects.select_for_update(of=("self",)).filter(
            Q(month=ms.month) | Q(month__isnull=True),
            project_id__in=ms.projects,
            source=Signal.Source.CHECK,
            rule__in=rules,
        )
    }
    red_due = _RedDue(ms, now)
    outcomes: dict[str, int] = {}
    new: list[Signal] = []
    changed: list[Signal] = []
    events: list[tuple[Signal, str, dict]] = []
    seen: set[str] = set()

    def count(outcome: str) -> None:
        outcomes[outcome] = outcomes.get(outcome, 0) + 1

    for f in found:
        employer_id = ms.units[f.unit_id][1] if f.unit_id else None
        key = _key(f, ms, employer_id)
        seen.add(key)
        evidence = {"month": f"{ms.month:%Y-%m}", **f.evidence} if f.monthly else f.evidence
        values = {
            "level": f.level,
            "evidence": evidence,
            "amount": Decimal(f.amount).quantize(Decimal("0.01")),
            "workers": int(f.workers),
        }
        signal = existing.get(key)
        if signal is None:
            signal = Signal(
                key=key,
                region_id=ms.info[f.project_id].region_id,
                project_id=f.project_id,
                unit_id=f.unit_id,
                employer_id=employer_id,
                source=Signal.Source.CHECK,
                rule=f.rule,
                month=ms.month if f.monthly else None,
                raised_at=now,
                updated_at=now,
                raised_by=actor,
                **values,
            )
            red_due(signal)
            new.append(signal)
            events.append((signal, "signal.raised", {"amount": str(signal.amount), "workers": signal.workers}))
            count("raised")
            continue
        if signal.status == Status.RESOLVED:
            for name, value in values.items():
                setattr(signal, name, value)
            signal.status, signal.closed_at, signal.updated_at = Status.OPEN, None, now
            signal.due_on = signal.escalated_at = None
            red_due(signal)
            changed.append(signal)
            events.append((signal, "signal.reopened", {}))
            count("reopened")
            continue
        if not signal.is_open:
            count("unchanged")
            continue
        before = signal.level
        differs = [name for name, value in values.items() if getattr(signal, name) != value]
        if not differs:
            count("unchanged")
            continue
        for name in differs:
            setattr(signal, name, values[name])
        signal.updated_at = now
        red_due(signal)
        changed.append(signal)
        if before != signal.level:
            events.append((signal, "signal.level_changed", {"from": before}))
            count("updated")
        else:
            count("unchanged")  # new evidence, the same level: kept quietly, as signal_raise does
    stale = [s for key, s in existing.items() if key not in seen and s.is_open]
    if new:
        bulk_insert(Signal, new)
    if changed:
        Signal.objects.bulk_update(
            changed, [*CHANGEABLE, "status", "closed_at", "updated_at", "due_on", "escalated_at"], batch_size=None
        )
    if stale:
        Signal.objects.filter(pk__in=[s.pk for s in stale]).update(
            status=Status.RESOLVED, closed_at=now, updated_at=now
        )
        for s in stale:
            s.status, s.closed_at, s.updated_at = Status.RESOLVED, now, now
            events.append((s, "signal.resolved", {}))
            count("resolved")
    _events(ms, events, actor=actor, now=now)
    return outcomes


def _events(ms: MonthSet, events: list[tuple[Signal, str, dict]], *, actor: Actor, now: datetime) -> None:
    """The events, as earlywarning.services._event writes them one by one, in one record_many."""
    if not events:
        return
    regions = region_objects(s.region_id for s, _kind, _data in events)
    entries = []
    for signal, kind, data in events:
        body: dict = {"signal": signal.pk, "rule": signal.rule, "level": signal.level}
        if signal.project_id:
            body |= {"project": signal.project_id, "project_no": _project_no(ms, signal)}
        if signal.month:
            body["month"] = f"{signal.month:%Y-%m}"
        entries.append(timeline.Entry(regions[signal.region_id], kind, actor=actor, data=body | data, at=now))
    timeline.record_many(entries)


def _project_no(ms: MonthSet, signal: Signal) -> str:
    assert signal.project_id is not None
    row = ms.info.get(signal.project_id)
    return row.project_no if row else ""
