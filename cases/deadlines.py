"""The deadline engine (SPEC §5, domain-rules §2): rules, services, the sweep and its handlers.

Times are computed in Asia/Shanghai local time and stored as aware datetimes:

- working days: due at 23:59:59 of the n-th working day after the start date (the start day is
  not counted); warning at 00:00 of the working day `warn_before` working days before the end of
  the due day (warn_before=1: 00:00 of the due day itself);
- days: due at 23:59:59 of start date + n calendar days; warning `warn_before` days earlier;
- hours: due exactly n hours after the start; warning `warn_before` hours earlier.

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

import functools
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import timeline
from .bulk import bulk_insert
from .models import Case, Complaint, Deadline, DeadlineExtension, DeadlinePause, Region
from .tx import in_callers_transaction
from .values import LOCAL_TZ
from .workdays import Calendar

logger = logging.getLogger(__name__)

TZ = LOCAL_TZ
END_OF_DAY = time(23, 59, 59)
BATCH_SIZE = 500

Unit = Deadline.Unit
State = Deadline.State

D25 = "《关于实施〈劳动保障监察条例〉若干规定》"
LSIR = "《劳动保障监察条例》"
R310 = "《行政执法机关移送涉嫌犯罪案件的规定》"
DL2021 = "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》"
PROVINCE_CONFIG = "（省级配置，默认值）"


@dataclass(frozen=True)
class Rule:
    title: Any  # a lazy (translatable) string; stored in Chinese on the deadline
    length: int
    unit: str
    legal_basis: str
    start_event: str
    warn_before: int  # in `unit`; 0 = no warning
    max_extensions: int | None = None  # None = unlimited


RULES: dict[str, Rule] = {
    # domain-rules §2 row 1 [S]
    "intake.acceptance": Rule(
        gettext_lazy("投诉受理期限"), 5, Unit.WORKING_DAYS, f"{D25}第十八条", "complaint.received", 1
    ),
    # rows 4-5 [V]: 60 WD from filing, +30 WD once with the head's approval
    "investigation.complete": Rule(
        gettext_lazy("调查期限"), 60, Unit.WORKING_DAYS, f"{LSIR}第十七条", "case.filed", 10, max_extensions=1
    ),
    "investigation.extension": Rule(
        gettext_lazy("延长调查期限"), 30, Unit.WORKING_DAYS, f"{LSIR}第十七条", "investigation.extended", 5
    ),
    # row 8 [S]: the article number is not verified ("art 36?"), so it is not cited
    "investigation.decide": Rule(
        gettext_lazy("作出处理决定期限"), 15, Unit.WORKING_DAYS, D25, "investigation.completed", 3
    ),
    # rows 23, 24, 28 [V]
    "referral.approve": Rule(gettext_lazy("移送审批期限"), 3, Unit.DAYS, f"{R310}第五条", "referral.reported", 1),
    "referral.transfer": Rule(
        gettext_lazy("向公安机关移送期限"), 24, Unit.HOURS, f"{R310}第五条", "referral.approved", 6
    ),
    "police.decide": Rule(
        gettext_lazy("公安机关立案审查期限"), 3, Unit.DAYS, f"{R310}第八条", "referral.transferred", 1
    ),
    # row 39 [U] and SPEC §4.5a: a per-province setting with this default
    "listing.defence": Rule(
        gettext_lazy("陈述申辩期限"), 5, Unit.WORKING_DAYS, f"{DL2021}{PROVINCE_CONFIG}", "listing.noticed", 1
    ),
    # row 60 [P] and SPEC §4.3: per-province settings with these defaults
    "supervision.complete": Rule(
        gettext_lazy("挂牌督办办结期限"), 15, Unit.DAYS, f"挂牌督办通知书{PROVINCE_CONFIG}", "supervision.issued", 3
    ),
    "supervision.report": Rule(
        gettext_lazy("督办进展报告期限"),
        5,
        Unit.WORKING_DAYS,
        f"挂牌督办通知书{PROVINCE_CONFIG}",
        "supervision.acknowledged",
        1,
    ),
}


# --- time arithmetic -------------------------------------------------------------------------


def _local_date(moment: datetime) -> date:
    return moment.astimezone(TZ).date()


def _end_of(day: date) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=TZ)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=TZ)


def _aware(moment: datetime | None, name: str) -> datetime:
    if moment is None:
        return timezone.now()
    if timezone.is_naive(moment):
        raise ValueError(f"{name} must be timezone-aware")
    return moment


def _add(unit: str, moment: datetime, length: int, cal: Calendar) -> datetime:
    """`length` units after `moment`, by the due-time conventions of the module docstring."""
    if unit == Unit.WORKING_DAYS:
        return _end_of(cal.add_working_days(_local_date(moment), length))
    if unit == Unit.DAYS:
        return _end_of(_local_date(moment) + timedelta(days=length))
    return moment + timedelta(hours=length)


def _warn_at(unit: str, due_at: datetime, warn_before: int, cal: Calendar) -> datetime | None:
    if warn_before <= 0:
        return None
    if unit == Unit.WORKING_DAYS:
        return _start_of(cal.add_working_days(_local_date(due_at), -(warn_before - 1)))
    if unit == Unit.DAYS:
        return due_at - timedelta(days=warn_before)
    return due_at - timedelta(hours=warn_before)


def _rule(kind: str) -> Rule:
    try:
        return RULES[kind]
    except KeyError:
        raise ValidationError({"kind": _("未知的时限类型：%(kind)s") % {"kind": kind}})


def _warn_before(deadline: Deadline) -> int:
    rule = RULES.get(deadline.kind)
    return rule.warn_before if rule else 0


def due_times(
    kind: str, start_at: datetime, *, length: int | None = None, calendar: Calendar | None = None
) -> tuple[datetime, datetime | None]:
    """(due_at, warn_at) of a deadline of `kind` started at `start_at`; `length` overrides the rule's."""
    rule = _rule(kind)
    cal = calendar or Calendar()
    due_at = _add(rule.unit, _aware(start_at, "start_at"), rule.length if length is None else length, cal)
    return due_at, _warn_at(rule.unit, due_at, rule.warn_before, cal)


# --- services -------------------------------------------------------------------------------


def _lock(deadline: Deadline) -> None:
    """Lock the row and reload it into the caller's instance (the sweep may have moved it on)."""
    deadline.refresh_from_db(from_queryset=Deadline.objects.select_for_update())


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


@functools.cache
def _stored_title(kind: str) -> str:
    """A kind's title as stored on the deadline: in the site's language (Chinese), whoever starts it."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(RULES[kind].title)


def _new(
    *,
    kind: str,
    region: Region,
    start_at: datetime,
    case: Case | None = None,
    complaint: Complaint | None = None,
    task_id: int | None = None,
    length: int | None = None,
    calendar: Calendar | None = None,
) -> Deadline:
    """An unsaved deadline of `kind`, validated, its due and warning times computed."""
    rule = _rule(kind)
    if case is None and complaint is None:
        raise ValidationError(_("时限必须属于一个案件或投诉"))
    if case is not None and complaint is not None and complaint.case_id not in (None, case.pk):
        raise ValidationError({"complaint": _("该投诉不属于此案件")})
    length = rule.length if length is None else length
    if length < 0:
        raise ValidationError({"length": _("期限不能为负数")})
    start_at = _aware(start_at, "start_at")
    due_at, warn_at = due_times(kind, start_at, length=length, calendar=calendar)
    return Deadline(
        case=case,
        complaint=complaint,
        region=region,
        kind=kind,
        title=_stored_title(kind),
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
    task_id: int | None = None,
    length: int | None = None,
) -> Deadline:
    """Start the clock of `kind` for a case or complaint. `length` overrides the rule's (per province)."""
    deadline = _new(
        kind=kind, region=region, start_at=start_at, case=case, complaint=complaint, task_id=task_id, length=length
    )
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
def deadline_pause(*, deadline: Deadline, reason: str, actor, at: datetime | None = None) -> Deadline:
    """Stop the clock (e.g. supplement requested, investigation suspended).

    An overdue deadline may be paused too; it stays overdue when resumed (overdue_at is kept).
    """
    at = _aware(at, "at")
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
def deadline_resume(*, deadline: Deadline, actor, at: datetime | None = None) -> Deadline:
    """Restart the clock with the time that was left when it was paused.

    `actor` is explicit by convention; the calling service records it on the timeline
    (DeadlinePause has no field for who resumed).
    """
    at = _aware(at, "at")
    _lock(deadline)
    if deadline.state != State.PAUSED:
        raise ValidationError(_("该时限未暂停"))
    if at < deadline.paused_at:
        raise ValidationError({"at": _("恢复时间不能早于暂停时间")})
    DeadlinePause.objects.filter(deadline=deadline, ended_at=None).update(ended_at=at)
    if deadline.overdue_at is not None:
        # It was overdue when paused: no time was left to preserve, and the due time stands.
        deadline.state = State.OVERDUE
    else:
        cal = Calendar()
        pause_day, resume_day = _local_date(deadline.paused_at), _local_date(at)
        if deadline.unit == Unit.WORKING_DAYS:
            remaining = cal.working_days_between(pause_day, _local_date(deadline.due_at))
            deadline.due_at = _end_of(cal.add_working_days(resume_day, remaining))
        elif deadline.unit == Unit.DAYS:
            remaining_days = (_local_date(deadline.due_at) - pause_day).days
            deadline.due_at = _end_of(resume_day + timedelta(days=remaining_days))
        else:
            deadline.due_at = at + (deadline.due_at - deadline.paused_at)
        _rewarn(deadline, at, cal)
        deadline.state = State.RUNNING
    deadline.paused_at = None
    deadline.save(update_fields=["state", "paused_at", "due_at", "warn_at", "warned_at"])
    return deadline


def _rewarn(deadline: Deadline, at: datetime, cal: Calendar) -> None:
    """Recompute warn_at after the due time moved; a warning still ahead is sent (again)."""
    deadline.warn_at = _warn_at(deadline.unit, deadline.due_at, _warn_before(deadline), cal)
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
    at = _aware(at, "at")
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
    deadline.due_at = _add(deadline.unit, deadline.due_at, length, cal)
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
            **_event_data(deadline),
            "length": length,
            "unit": deadline.unit,
            "previous_due_at": previous_due_at,
            "reason": reason.strip(),
        },
        at=at,
    )
    return deadline


def _judged_at(deadline: Deadline, at: datetime) -> datetime:
    """The moment that counts against the due time: a paused clock stopped when it was paused."""
    return deadline.paused_at if deadline.state == State.PAUSED else at


@in_callers_transaction
def deadline_close(*, deadline: Deadline, at: datetime | None = None) -> Deadline:
    """The awaited step is done: MET if on time, else CLOSED_LATE.

    A paused deadline is judged at the moment it was paused (its clock was stopped since).
    """
    at = _aware(at, "at")
    _lock(deadline)
    if not deadline.is_open:
        raise ValidationError(_("该时限已结束"))
    deadline.state = State.MET if _judged_at(deadline, at) <= deadline.due_at else State.CLOSED_LATE
    _finish(deadline, at)
    return deadline


@in_callers_transaction
def deadline_cancel(*, deadline: Deadline, at: datetime | None = None) -> Deadline:
    """The awaited step no longer applies (complaint transferred, case withdrawn, ...)."""
    at = _aware(at, "at")
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


# --- warning and overdue handlers (registered by outer layers, e.g. workflows) ------------------

Handler = Callable[[Deadline, datetime], None]
BatchHandler = Callable[[list[Deadline], datetime], None]
ANY_KIND = "*"
_warning_handlers: dict[str, list[Handler]] = defaultdict(list)
_overdue_handlers: dict[str, list[Handler]] = defaultdict(list)
_overdue_batch_handlers: dict[str, list[BatchHandler]] = defaultdict(list)


def _register(registry: dict[str, list], kind: str, fn: Callable) -> Callable:
    if kind != ANY_KIND and kind not in RULES:
        raise ValueError(f"unknown deadline kind {kind!r}")
    if fn not in registry[kind]:
        registry[kind].append(fn)
    return fn


def on_warning(kind: str, fn: Handler) -> Handler:
    """Call fn(deadline, now) when a deadline of `kind` ("*": any) is warned, in the same transaction."""
    return _register(_warning_handlers, kind, fn)


def rules_register(rules: dict[str, Rule]) -> None:
    """Add the deadline kinds of a feature module (supervision, referral, listing …). A kind is defined once."""
    clash = set(rules) & set(RULES)
    if clash and any(RULES[k] != rules[k] for k in clash):
        raise ValueError(f"deadline kinds defined twice: {sorted(clash)}")
    RULES.update(rules)


def on_overdue(kind: str, fn: Handler) -> Handler:
    """Call fn(deadline, now) when a deadline of `kind` ("*": any) becomes overdue, in the same transaction."""
    return _register(_overdue_handlers, kind, fn)


def on_overdue_many(kind: str, fn: BatchHandler) -> BatchHandler:
    """Call fn(deadlines, now) once per sweep batch with the batch's deadlines of `kind` ("*": all of them,
    in subject order) that became overdue, in the batch's transaction. For a handler that runs on many
    deadlines (e.g. every case deadline): it can read and write with set-based queries. Should the
    batch fail, it is redone a deadline at a time, so fn is then called with one deadline."""
    return _register(_overdue_batch_handlers, kind, fn)


# --- the sweep --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    warned: int = 0
    overdue: int = 0


def _subject(deadline: Deadline) -> Case | Complaint:
    return deadline.case if deadline.case_id else deadline.complaint


def _subject_ref(deadline: Deadline) -> Case | Complaint:
    """The subject as record_many() needs it (its model and pk), without loading the row: the sweep
    claims thousands of deadlines, and a handler that needs the subject loads it (in bulk, if batched)."""
    return Case(pk=deadline.case_id) if deadline.case_id else Complaint(pk=deadline.complaint_id)


def _subject_order(deadline: Deadline) -> tuple[int, int]:
    # One global lock order for subjects, so two sweeps never wait on each other in a cycle.
    return (0, deadline.case_id) if deadline.case_id else (1, deadline.complaint_id)


def _event_data(deadline: Deadline) -> dict:
    return {
        "deadline": deadline.pk,
        "kind": deadline.kind,
        "title": deadline.title,
        "legal_basis": deadline.legal_basis,
        "due_at": deadline.due_at,
    }


@dataclass(frozen=True)
class _Transition:
    event: str
    handlers: dict[str, list[Handler]]
    batch_handlers: dict[str, list[BatchHandler]]
    order: str

    def candidates(self, now: datetime) -> QuerySet[Deadline]:
        if self.event == "deadline.overdue":
            return Deadline.objects.filter(state=State.RUNNING, due_at__lte=now)
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
                data = {**_event_data(deadline), "overdue_at": now}
            else:
                deadline.warned_at = now
                data = {**_event_data(deadline), "warn_at": deadline.warn_at}
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
    now = _aware(now, "now")
    connection = transaction.get_connection()
    if jobs > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block:
        import multiprocessing

        from django.db import connections

        connections.close_all()  # the children must not share the parent's connection
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            parts = pool.starmap(_sweep_in_child, [(now, batch_size)] * jobs)
        return SweepResult(warned=sum(p.warned for p in parts), overdue=sum(p.overdue for p in parts))
    overdue = _run(_OVERDUE, now, batch_size)
    warned = _run(_WARNING, now, batch_size)
    return SweepResult(warned=warned, overdue=overdue)


def _sweep_in_child(now: datetime, batch_size: int) -> SweepResult:
    from django.db import connections

    try:
        return deadlines_sweep(now=now, batch_size=batch_size)
    finally:
        connections.close_all()


# --- selectors ---------------------------------------------------------------------------------


def deadlines_for(*, case: Case | None = None, complaint: Complaint | None = None) -> QuerySet[Deadline]:
    """Every deadline of the subject, by due time; a case's include those of its complaints."""
    if case is not None:
        # the complaints' ids as a list: an OR across the join made PostgreSQL scan every deadline
        complaint_ids = list(Complaint.objects.filter(case=case).values_list("pk", flat=True))
        qs = Deadline.objects.filter(Q(case=case) | Q(complaint_id__in=complaint_ids))
    elif complaint is not None:
        qs = Deadline.objects.filter(complaint=complaint)
    else:
        raise ValueError("deadlines_for() needs a case or a complaint")
    return qs.select_related("region").order_by("due_at", "id")


def days_left(deadline: Deadline, now: datetime | None = None, *, calendar: Calendar | None = None) -> int | None:
    """Working days (working-day deadlines) or calendar days left; 0 = due today; negative = overdue.

    A paused deadline counts from the moment it was paused; a closed one has none (None).
    Pass one `calendar` when listing many deadlines.
    """
    if deadline.state == State.PAUSED:
        reference = deadline.paused_at
    elif deadline.state in (State.RUNNING, State.OVERDUE):
        reference = _aware(now, "now")
    else:
        return None
    today, due_day = _local_date(reference), _local_date(deadline.due_at)
    if deadline.unit == Unit.WORKING_DAYS:
        return (calendar or Calendar()).working_days_between(today, due_day)
    return (due_day - today).days
