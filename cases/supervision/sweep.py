"""挂牌督办 and the deadline sweep: missed reports (a reminder, then escalation), an overdue supervision
(OVERDUE, the next level up notified, the registered hooks run), and a leader's handling of those alerts.

The handlers run in the sweep's transaction, after it locked the deadlines: each locks the case, then the
supervision row (clocks.lock_supervision / clocks.step), and may find nothing left to do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db import transaction

from .. import timeline
from ..actors import Actor
from ..deadlines import deadline_start
from ..models import Deadline, Role, Supervision
from ..tx import one_transaction
from ..values import required_text
from .clocks import clock, lock_supervision, step
from .offices import office_leaders, supervision_next_level
from .rules import GRACE, REPORT, REPORTING, RUNNING, S


def supervision_for_deadline(deadline: Deadline) -> Supervision | None:
    """The running supervision a supervision clock belongs to (one at most per case)."""
    if deadline.case_id is None:
        return None
    return supervisions_for_deadlines([deadline]).get(deadline.case_id)


def supervisions_for_deadlines(deadlines: list[Deadline]) -> dict[int, Supervision]:
    """The running supervision of each deadline's case, by case id: one query for a sweep batch."""
    case_ids = {d.case_id for d in deadlines if d.case_id is not None}
    running: dict[int, Supervision] = {}
    if case_ids:
        qs = Supervision.objects.select_related("case__region", "supervising_region__parent")
        for supervision in qs.filter(case_id__in=case_ids, status__in=RUNNING).order_by("pk"):
            running.setdefault(supervision.case_id, supervision)
    return running


def each_supervised(handler: Callable[..., object], deadlines: list[Deadline], now: datetime) -> None:
    """Run handler(deadline, now, supervision=…) for the deadlines of a sweep batch whose case has a
    running supervision, found in one query (most supervision clocks of a batch have one; none may)."""
    running = supervisions_for_deadlines(deadlines)
    for deadline in deadlines:
        supervision = running.get(deadline.case_id) if deadline.case_id is not None else None
        if supervision is not None:
            handler(deadline, now, supervision=supervision)


def _last_overdue(supervision: Supervision, kind: str) -> Deadline | None:
    return (
        Deadline.objects.filter(case_id=supervision.case_id, kind=kind, state=Deadline.State.OVERDUE)
        .order_by("-id")
        .first()
    )


@one_transaction
def supervision_remind(*, supervision: Supervision, now: datetime) -> Deadline | None:
    """A report is overdue: remind the case office (timeline; its leader gets a task from the flow layer)
    and give it one more interval (the grace clock) before the supervising office hears of it."""
    lock_supervision(supervision)
    if supervision.status not in REPORTING:
        return None
    missed = _last_overdue(supervision, REPORT)
    if missed is None or clock(supervision, GRACE) is not None:
        return None
    case = supervision.case
    with step(supervision, expect=None, event="supervision.report_reminded", at=now, locked=True) as change:
        grace = deadline_start(
            kind=GRACE, region=case.region, start_at=missed.due_at, case=case, length=supervision.report_interval_wd
        )
        change.data.update(
            {
                "report_due": missed.due_at,
                "grace_due": grace.due_at,
                "office": case.region.code,
                "leaders": office_leaders(case.region),
            }
        )
    return grace


@one_transaction
def supervision_escalate_missed_report(*, supervision: Supervision, now: datetime) -> bool:
    """Still no report one interval after the reminder: escalated to the supervising office."""
    lock_supervision(supervision)
    if supervision.status not in REPORTING:
        return False
    grace = _last_overdue(supervision, GRACE)
    office = supervision.supervising_region
    with step(supervision, expect=None, event="supervision.report_escalated", at=now, locked=True) as change:
        change.data.update(
            {
                "grace_due": grace.due_at if grace is not None else None,
                "office": office.code,
                "leaders": office_leaders(office),
            }
        )
    return True


SupervisionHook = Callable[[Supervision, datetime], None]
OVERDUE_HOOKS: list[SupervisionHook] = []


def supervisions_overdue(deadlines: list[Deadline], now: datetime) -> None:
    """on_overdue_many("supervision.complete"): supervision_overdue() for each of a sweep batch."""
    each_supervised(supervision_overdue, deadlines, now)


def on_supervision_overdue(fn: SupervisionHook) -> SupervisionHook:
    """Call fn(supervision, now) when a supervision runs out, in the sweep's transaction (after its status
    and timeline event). The accountability app registers its proposal (SPEC §4.5b) here; the flow layer
    its task for the next level's leader. A failing hook rolls the transition back for the next sweep."""
    if fn not in OVERDUE_HOOKS:
        OVERDUE_HOOKS.append(fn)
    return fn


def supervision_overdue(
    deadline: Deadline, now: datetime, *, supervision: Supervision | None = None
) -> Supervision | None:
    """Deadline handler for "supervision.complete": OVERDUE, the next level up notified, the hooks run."""
    supervision = supervision or supervision_for_deadline(deadline)
    if supervision is None or supervision.started_at != deadline.start_at:
        return None
    with transaction.atomic():
        lock_supervision(supervision)
        if supervision.status not in REPORTING:
            return None
        notified = supervision_next_level(supervision)
        with step(supervision, expect=None, event="supervision.overdue", at=now, locked=True) as change:
            change.to(S.OVERDUE)
            change.data.update(
                {
                    "due_at": deadline.due_at,
                    "days": supervision.days,
                    "supervising_region": supervision.supervising_region.code,
                    "notified": notified.code,
                    "leaders": office_leaders(notified),
                }
            )
        for hook in list(OVERDUE_HOOKS):
            hook(supervision, now)
    return supervision


@one_transaction
def supervision_alert_handled(*, supervision: Supervision, actor: Actor, kind: str, note: str) -> None:
    """A leader deals with a reminder, an escalated missed report or an overdue supervision (督办意见).
    No change of the supervision: its one event only."""
    note = required_text(note, field="note")
    timeline.record(
        supervision.case,
        "supervision.alert_handled",
        actor=actor,
        role=Role.LEADER,
        data={"supervision": supervision.pk, "alert": kind, "note": note},
    )
