"""The deadline services: start (one or many), pause, resume, extend, close, cancel.

Services run in the caller's transaction (and refuse to run outside one), without a savepoint.
start/pause/resume/close/cancel write no timeline event: the calling service records the state change
that caused them (with the due date in its data). extend, and the sweep's warnings and overdue
transitions, are state changes of their own and write "deadline.extended", "deadline.warned" and
"deadline.overdue".

Lock order: a deadline service locks the deadline row; timeline.record() locks the subject. The
sweep does the same (deadlines, then subjects in ascending order), so callers should call the
deadline service *before* timeline.record() — which they do anyway, since the event carries the
new due date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import timeline
from ..actors import Actor
from ..bulk import bulk_insert
from ..models import Case, Complaint, Deadline, DeadlineExtension, DeadlinePause, Region
from ..transitions import lock
from ..tx import in_callers_transaction
from ..values import local_date
from ..workdays import Calendar
from .rules import RULES, State, Unit, rule_of, stored_title, warn_before_of
from .subjects import subject_parse
from .times import add_units, aware, days_end, due_times, end_of, warn_time


def _lock(deadline: Deadline) -> None:
    """Lock the row and reload it into the caller's instance (the sweep may have moved it on)."""
    lock(deadline)


def _user(actor: Actor):
    return actor if actor is not None and actor.is_authenticated else None


def _new(
    *,
    kind: str,
    region: Region,
    start_at: datetime,
    case: Case | None = None,
    complaint: Complaint | None = None,
    subject_ref: str = "",
    task_id: int | None = None,
    length: int | None = None,
    calendar: Calendar | None = None,
) -> Deadline:
    """An unsaved deadline of `kind`, validated, its due and warning times computed."""
    rule = rule_of(kind)
    if subject_ref:
        if case is not None or complaint is not None or subject_parse(subject_ref) is None:
            raise ValidationError({"subject_ref": _("时限的办理事项无效")})
    elif case is None and complaint is None:
        raise ValidationError(_("时限必须属于一个案件或投诉"))
    if case is not None and complaint is not None and complaint.case_id not in (None, case.pk):
        raise ValidationError({"complaint": _("该投诉不属于此案件")})
    length = rule.length if length is None else length
    if length < 0:
        raise ValidationError({"length": _("期限不能为负数")})
    start_at = aware(start_at, "start_at")
    due_at, warn_at = due_times(kind, start_at, length=length, calendar=calendar)
    return Deadline(
        case=case,
        complaint=complaint,
        subject_ref=subject_ref,
        region=region,
        kind=kind,
        title=stored_title(kind),
        legal_basis=rule.legal_basis,
        start_event=rule.start_event,
        start_at=start_at,
        length=length,
        unit=rule.unit,
        due_at=due_at,
        warn_at=warn_at,
        task_id=task_id,
    )


@in_callers_transaction
def deadline_start(
    *,
    kind: str,
    region: Region,
    start_at: datetime,
    case: Case | None = None,
    complaint: Complaint | None = None,
    subject_ref: str = "",
    task_id: int | None = None,
    length: int | None = None,
) -> Deadline:
    """Start the clock of `kind` for a case, a complaint or (`subject_ref`, see subjects.py) something of an app
    above cases. `length` overrides the rule's (per province)."""
    deadline = _new(
        kind=kind, region=region, start_at=start_at, case=case, complaint=complaint, subject_ref=subject_ref,
        task_id=task_id, length=length,
    )  # fmt: skip
    deadline.save(force_insert=True)
    return deadline


@in_callers_transaction
def deadline_start_many(*, starts: Iterable[dict]) -> list[Deadline]:
    """deadline_start() for many clocks in one INSERT: each item holds deadline_start()'s arguments.
    The batch handlers of the sweep use it (e.g. a watch for each of 10,000 overdue deadlines)."""
    cal = Calendar()
    deadlines = [_new(**start, calendar=cal) for start in starts]
    return bulk_insert(Deadline, deadlines) if deadlines else []


@in_callers_transaction
def deadline_pause(*, deadline: Deadline, reason: str, actor: Actor, at: datetime | None = None) -> Deadline:
    """Stop the clock (e.g. supplement requested, investigation suspended).

    An overdue deadline may be paused too; it stays overdue when resumed (overdue_at is kept).
    """
    at = aware(at, "at")
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("请填写暂停理由")})
    _lock(deadline)
    if deadline.state not in (State.RUNNING, State.OVERDUE):
        raise ValidationError(_("该时限不能暂停（当前状态：%(state)s）") % {"state": deadline.get_state_display()})
    DeadlinePause.objects.create(deadline=deadline, started_at=at, reason=reason.strip(), actor=_user(actor))
    deadline.state = State.PAUSED
    deadline.paused_at = at
    deadline.save(update_fields=["state", "paused_at"])
    return deadline


@in_callers_transaction
def deadline_resume(*, deadline: Deadline, actor: Actor, at: datetime | None = None) -> Deadline:
    """Restart the clock with the time that was left when it was paused.

    `actor` is explicit by convention; the calling service records it on the timeline
    (DeadlinePause has no field for who resumed).
    """
    at = aware(at, "at")
    _lock(deadline)
    if deadline.state != State.PAUSED:
        raise ValidationError(_("该时限未暂停"))
    paused_at = _paused_at(deadline)
    if at < paused_at:
        raise ValidationError({"at": _("恢复时间不能早于暂停时间")})
    DeadlinePause.objects.filter(deadline=deadline, ended_at=None).update(ended_at=at)
    if deadline.overdue_at is not None:
        # It was overdue when paused: no time was left to preserve, and the due time stands.
        deadline.state = State.OVERDUE
    else:
        cal = Calendar()
        pause_day, resume_day = local_date(paused_at), local_date(at)
        if deadline.unit == Unit.WORKING_DAYS:
            remaining = cal.working_days_between(pause_day, local_date(deadline.due_at))
            deadline.due_at = end_of(cal.add_working_days(resume_day, remaining))
        elif deadline.unit == Unit.DAYS:
            remaining_days = (local_date(deadline.due_at) - pause_day).days
            rule = RULES.get(deadline.kind)
            deadline.due_at = days_end(
                resume_day + timedelta(days=remaining_days), cal, holiday_rolls=rule.holiday_rolls if rule else True
            )
        else:
            deadline.due_at = at + (deadline.due_at - paused_at)
        _rewarn(deadline, at, cal)
        deadline.state = State.RUNNING
    deadline.paused_at = None
    deadline.save(update_fields=["state", "paused_at", "due_at", "warn_at", "warned_at"])
    return deadline


def _rewarn(deadline: Deadline, at: datetime, cal: Calendar) -> None:
    """Recompute warn_at after the due time moved; a warning still ahead is sent (again)."""
    deadline.warn_at = warn_time(deadline.unit, deadline.due_at, warn_before_of(deadline), cal)
    if deadline.warn_at is not None and deadline.warn_at > at:
        deadline.warned_at = None


@in_callers_transaction
def deadline_extend(
    *,
    deadline: Deadline,
    length: int,
    reason: str,
    approved_by,
    at: datetime | None = None,
    role: str = "",
) -> Deadline:
    """Add `length` units to the due time (an approved extension); one "deadline.extended" event."""
    at = aware(at, "at")
    if length is None or length <= 0:
        raise ValidationError({"length": _("延长期限必须大于零")})
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("请填写延长理由")})
    if _user(approved_by) is None:
        raise ValidationError({"approved_by": _("延长须经负责人批准")})
    _lock(deadline)
    if not deadline.is_open:
        raise ValidationError(_("该时限已结束，不能延长"))
    if _judged_at(deadline, at) > deadline.due_at:
        raise ValidationError(_("时限已届满，不能再延长"))
    rule = RULES.get(deadline.kind)
    if rule is not None and rule.max_extensions is not None:
        if deadline.extensions.count() >= rule.max_extensions:
            raise ValidationError(
                {"length": _("“%(title)s”最多延长%(n)d次") % {"title": deadline.title, "n": rule.max_extensions}}
            )
    cal = Calendar()
    previous_due_at = deadline.due_at
    deadline.due_at = add_units(
        deadline.unit, deadline.due_at, length, cal, holiday_rolls=rule.holiday_rolls if rule else True
    )
    _rewarn(deadline, at, cal)
    deadline.extended_by += length
    if deadline.overdue_at is not None:
        # Approved before the old due time, recorded after the sweep marked it overdue.
        deadline.overdue_at = None
        if deadline.state == State.OVERDUE:
            deadline.state = State.RUNNING
    deadline.save(update_fields=["due_at", "warn_at", "warned_at", "extended_by", "state", "overdue_at"])
    DeadlineExtension.objects.create(
        deadline=deadline, length=length, reason=reason.strip(), approved_by=approved_by, approved_at=at
    )
    timeline.record(
        _subject(deadline),
        "deadline.extended",
        actor=approved_by,
        role=role,
        data={
            **event_data(deadline),
            "length": length,
            "unit": deadline.unit,
            "previous_due_at": previous_due_at,
            "reason": reason.strip(),
        },
        at=at,
    )
    return deadline


def _paused_at(deadline: Deadline) -> datetime:
    """When a paused clock was paused (every paused deadline has it)."""
    assert deadline.paused_at is not None, f"paused deadline {deadline.pk} without paused_at"
    return deadline.paused_at


def _judged_at(deadline: Deadline, at: datetime) -> datetime:
    """The moment that counts against the due time: a paused clock stopped when it was paused."""
    return _paused_at(deadline) if deadline.state == State.PAUSED else at


@in_callers_transaction
def deadline_close(*, deadline: Deadline, at: datetime | None = None, locked: bool = False) -> Deadline:
    """The awaited step is done: MET if on time, else CLOSED_LATE.

    A paused deadline is judged at the moment it was paused (its clock was stopped since). `locked`: the
    caller read the row with SELECT ... FOR UPDATE in this transaction (no second read).
    """
    at = aware(at, "at")
    if not locked:
        _lock(deadline)
    if not deadline.is_open:
        raise ValidationError(_("该时限已结束"))
    deadline.state = State.MET if _judged_at(deadline, at) <= deadline.due_at else State.CLOSED_LATE
    _finish(deadline, at)
    return deadline


@in_callers_transaction
def deadline_cancel(*, deadline: Deadline, at: datetime | None = None) -> Deadline:
    """The awaited step no longer applies (complaint transferred, case withdrawn, ...)."""
    at = aware(at, "at")
    _lock(deadline)
    if not deadline.is_open:
        raise ValidationError(_("该时限已结束"))
    deadline.state = State.CANCELLED
    _finish(deadline, at)
    return deadline


def _finish(deadline: Deadline, at: datetime) -> None:
    if deadline.paused_at is not None:  # only a paused clock has an open pause
        DeadlinePause.objects.filter(deadline=deadline, ended_at=None).update(ended_at=at)
    deadline.closed_at = at
    deadline.paused_at = None
    deadline.save(update_fields=["state", "closed_at", "paused_at"])


def _subject(deadline: Deadline) -> Case | Complaint | Region:
    """The timeline chain of the deadline's events: its case or complaint, else its region's."""
    if deadline.subject_ref:
        return deadline.region
    subject = deadline.case if deadline.case_id else deadline.complaint
    assert subject is not None  # the deadline_has_subject constraint
    return subject


def event_data(deadline: Deadline) -> dict:
    return {
        "deadline": deadline.pk,
        "kind": deadline.kind,
        "title": deadline.title,
        "legal_basis": deadline.legal_basis,
        "due_at": deadline.due_at,
    }
