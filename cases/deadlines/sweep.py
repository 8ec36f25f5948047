"""The sweep: running deadlines that are due become overdue ("deadline.overdue"), those in their warning
window are warned ("deadline.warned"); in batches claimed with SKIP LOCKED, one timeline write per batch,
then the registered handlers (cases.deadlines.handlers).

Lock order: deadlines, then subjects in ascending order (_subject_order) — as the services do (the
deadline row, then timeline.record() locks the subject).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F, QuerySet

from .. import timeline
from ..models import Case, Complaint, Deadline, Region
from .handlers import ANY_KIND, BatchHandler, Handler, _overdue_batch_handlers, _overdue_handlers, _warning_handlers
from .rules import State
from .services import event_data
from .times import aware

logger = logging.getLogger("cases.deadlines")  # the name it had as one module

BATCH_SIZE = 500


@dataclass(frozen=True)
class SweepResult:
    warned: int = 0
    overdue: int = 0


def _subject_ref(deadline: Deadline) -> Case | Complaint | Region:
    """The subject as record_many() needs it (its model and pk), without loading the row: the sweep
    claims thousands of deadlines, and a handler that needs the subject loads it (in bulk, if batched).
    A clock of an app above cases (subject_ref) writes on its region's chain."""
    if deadline.subject_ref:
        return Region(pk=deadline.region_id)
    return Case(pk=deadline.case_id) if deadline.case_id else Complaint(pk=deadline.complaint_id)


def _subject_order(deadline: Deadline) -> tuple[int, int | None]:
    # One global lock order for subjects, so two sweeps never wait on each other in a cycle.
    if deadline.subject_ref:
        return (2, deadline.region_id)
    return (0, deadline.case_id) if deadline.case_id else (1, deadline.complaint_id)


@dataclass(frozen=True)
class _Transition:
    event: str
    handlers: dict[str, list[Handler]]
    batch_handlers: dict[str, list[BatchHandler]]
    order: str

    def candidates(self, now: datetime) -> QuerySet[Deadline]:
        if self.event == "deadline.overdue":  # a party's window is never overdue (_party_windows_end)
            return Deadline.objects.filter(state=State.RUNNING, due_at__lte=now).exclude(kind__in=Deadline.PARTY_KINDS)
        # Served by the partial index (state=running, warned_at null) on warn_at. A deadline that
        # is already due is made overdue instead (the overdue pass runs first).
        return Deadline.objects.filter(state=State.RUNNING, warned_at=None, warn_at__lte=now, due_at__gt=now)

    def apply(self, batch: list[Deadline], now: datetime) -> None:
        ids = [d.pk for d in batch]
        if self.event == "deadline.overdue":
            Deadline.objects.filter(pk__in=ids).update(state=State.OVERDUE, overdue_at=now)
        else:
            Deadline.objects.filter(pk__in=ids).update(warned_at=now)
        ordered = sorted(batch, key=_subject_order)
        entries = []
        for deadline in ordered:
            if self.event == "deadline.overdue":
                deadline.state, deadline.overdue_at = State.OVERDUE, now
                data = {**event_data(deadline), "overdue_at": now}
            else:
                deadline.warned_at = now
                data = {**event_data(deadline), "warn_at": deadline.warn_at}
            entries.append(timeline.Entry(_subject_ref(deadline), self.event, data=data, at=now))
        # One batched write for the whole batch (subjects locked in _subject_order, as before).
        timeline.record_many(entries)
        # The per-deadline handlers first (e.g. an accountability watch that ran out, which may start the
        # case's next watch), then the batch handlers, which see what those did.
        for deadline in ordered:
            for fn in (*self.handlers.get(deadline.kind, ()), *self.handlers.get(ANY_KIND, ())):
                fn(deadline, now)
        by_kind: dict[str, list[Deadline]] = defaultdict(list)
        for deadline in ordered:
            by_kind[deadline.kind].append(deadline)
        for kind, same_kind in by_kind.items():
            for fn in self.batch_handlers.get(kind, ()):
                fn(same_kind, now)
        for fn in self.batch_handlers.get(ANY_KIND, ()):
            fn(ordered, now)


_OVERDUE = _Transition("deadline.overdue", _overdue_handlers, _overdue_batch_handlers, "due_at")
_WARNING = _Transition("deadline.warned", _warning_handlers, {}, "warn_at")


def _claim(
    transition: _Transition, now: datetime, limit: int, *, skip: Iterable[int] = (), pk: int | None = None
) -> list[Deadline]:
    """Lock up to `limit` due rows that no other sweep holds (SKIP LOCKED); their case, complaint and
    region are loaded only if a handler asks for them."""
    qs = transition.candidates(now)
    if pk is not None:
        qs = qs.filter(pk=pk)
    if skip:
        qs = qs.exclude(pk__in=list(skip))
    return list(qs.select_for_update(skip_locked=True, of=("self",)).order_by(transition.order)[:limit])


def _run(transition: _Transition, now: datetime, batch_size: int) -> int:
    done = 0
    failed: set[int] = set()
    while True:
        ids: list[int] = []
        try:
            with transaction.atomic():
                batch = _claim(transition, now, batch_size, skip=failed)
                ids = [d.pk for d in batch]
                if not batch:
                    return done
                transition.apply(batch, now)
            done += len(batch)
        except Exception:
            if not ids:
                raise
            # One bad row (a failing handler) must not hold up the rest: redo the batch one
            # deadline per transaction; a failing one stays RUNNING and is retried next sweep.
            logger.exception("%s: batch failed, retrying its %d deadlines one by one", transition.event, len(ids))
            for pk in ids:
                try:
                    with transaction.atomic():
                        one = _claim(transition, now, 1, pk=pk)
                        if one:
                            transition.apply(one, now)
                            done += 1
                except Exception:
                    logger.exception("%s: deadline %s failed; it stays running", transition.event, pk)
                    failed.add(pk)


def _party_windows_end(now: datetime) -> int:
    """The party's windows that ran out end at their due time (已届满): no overdue, no event, no handler — a
    window the party let pass is not the bureau's failure (Rule.party)."""
    if not Deadline.PARTY_KINDS:
        return 0
    due = Deadline.objects.filter(state=State.RUNNING, due_at__lte=now, kind__in=Deadline.PARTY_KINDS)
    return due.update(state=State.MET, closed_at=F("due_at"))


def deadlines_sweep(*, now: datetime | None = None, batch_size: int = BATCH_SIZE, jobs: int = 1) -> SweepResult:
    """Mark due deadlines overdue, then warn those in their warning window; as of `now`.

    Short transactions of `batch_size` rows each, claimed with SELECT ... FOR UPDATE SKIP LOCKED,
    so concurrent sweeps share the work and never process a deadline twice; a second run finds
    nothing to do. Handlers run inside the transaction of their deadline's transition.

    `jobs` > 1 runs that many sweeps at once in forked processes (PostgreSQL, outside a transaction;
    else one): a backlog (e.g. after downtime) is worked off on every core. They take their batches
    from the same queue (SKIP LOCKED) and lock subjects in one order, so they neither repeat nor
    deadlock each other.
    """
    now = aware(now, "now")
    connection = transaction.get_connection()
    if jobs > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block:
        import multiprocessing

        from django.db import connections

        connections.close_all()  # the children must not share the parent's connection
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            parts = pool.starmap(_sweep_in_child, [(now, batch_size)] * jobs)
        return SweepResult(warned=sum(p.warned for p in parts), overdue=sum(p.overdue for p in parts))
    _party_windows_end(now)
    overdue = _run(_OVERDUE, now, batch_size)
    warned = _run(_WARNING, now, batch_size)
    return SweepResult(warned=warned, overdue=overdue)


def _sweep_in_child(now: datetime, batch_size: int) -> SweepResult:
    from django.db import connections

    try:
        return deadlines_sweep(now=now, batch_size=batch_size)
    finally:
        connections.close_all()
