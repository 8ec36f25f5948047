"""挂牌督办: the clocks on the case (cases.deadlines) and the one way a supervision row is changed.

Lock order, as in the deadline sweep: deadlines first, then the case, then the supervision row. A service
touches its deadlines, then calls step(): the case row is locked explicitly, then cases.transitions locks,
re-reads and checks the supervision, saves it and records the one event.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from ..actors import Actor
from ..deadlines import deadline_close, deadline_start
from ..models import Case, Deadline, Supervision
from ..transitions import Step, expect_status, lock, transition
from .rules import COMPLETE, GRACE, OPEN_DEADLINE, REPORT


def conflict_message() -> str:
    return _("督办当前状态为“%(status)s”，不能办理此操作。")


def lock_case(case_id: int) -> None:
    """Lock the case row (the subject the sweep locks before the supervision)."""
    Case.objects.select_for_update().filter(pk=case_id).values_list("pk").get()


def expect(supervision: Supervision, statuses: Iterable[str], field: str) -> None:
    """StateConflict on `field` unless the supervision is at one of `statuses` (as read, no lock)."""
    expect_status(supervision, statuses, error_field=field, message=conflict_message())


def lock_supervision(supervision: Supervision) -> Supervision:
    """Lock the case, then the supervision row, and re-read it (for a sweep step that may have nothing to do)."""
    lock_case(supervision.case_id)
    return lock(supervision)


@contextmanager
def step(
    supervision: Supervision,
    *,
    expect: Iterable[str] | None,
    event: str,
    field: str = "status",
    actor: Actor = None,
    role: str = "",
    at: datetime | None = None,
    locked: bool = False,
) -> Iterator[Step]:
    """cases.transitions.transition() on the supervision after its case (unless `locked`: the caller did
    both in this transaction); the event is on the case's timeline and names the supervision."""
    if not locked:
        lock_case(supervision.case_id)
    with transition(
        supervision,
        expect=expect,
        event=event,
        actor=actor,
        role=role,
        subject=supervision.case,
        at=at,
        error_field=field,
        message=conflict_message(),
        locked=locked,
    ) as change:
        change.data["supervision"] = supervision.pk
        yield change


def clock(supervision: Supervision, kind: str) -> Deadline | None:
    """The supervision's open clock of `kind` (the newest)."""
    return (
        Deadline.objects.filter(case_id=supervision.case_id, kind=kind, state__in=OPEN_DEADLINE).order_by("-id").first()
    )


def supervision_complete_deadline(supervision: Supervision) -> Deadline | None:
    """The notice's deadline: started with the supervision (same start time), open or not."""
    if supervision.started_at is None:
        return None
    return (
        Deadline.objects.filter(case_id=supervision.case_id, kind=COMPLETE, start_at=supervision.started_at)
        .order_by("-id")
        .first()
    )


def supervision_report_opens(supervision: Supervision) -> datetime:
    """When the next report may be made: the start of the open report interval (the flow's Timer)."""
    deadline = clock(supervision, REPORT)
    return deadline.start_at if deadline is not None else timezone.now()


def report_clock_start(supervision: Supervision, start_at: datetime, *, length: int | None = None) -> Deadline:
    """A report interval from `start_at`: the supervision's interval (working days) unless `length`."""
    return deadline_start(
        kind=REPORT,
        region=supervision.case.region,
        start_at=start_at,
        case=supervision.case,
        length=length if length is not None else supervision.report_interval_wd,
    )


def close_report_clocks(supervision: Supervision, at: datetime) -> list[Deadline]:
    """A report (or a closure application) arrived: the report clock, then its grace clock, close.

    The grace clock is looked up after the report clock is locked: a sweep that made the report overdue
    meanwhile has committed the grace clock it started.
    """
    closed = []
    for kind in (REPORT, GRACE):
        deadline = clock(supervision, kind)
        if deadline is not None:
            closed.append(deadline_close(deadline=deadline, at=at))
    return closed
