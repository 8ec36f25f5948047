"""The services of a warning signal: raised (or updated, reopened) by a check or by hand, resolved when its
condition no longer holds, then handled — dismissed, the unit asked to explain, the unit interviewed (约谈),
a proactive case proposed and filed — or escalated to the leader when a red signal is not handled in time.

Each is keyword-only with an explicit `actor` (None: the system), runs in one transaction and records one
event per state change on the timeline of the signal's region (the event names the signal and its
project); the case filed from a signal gets its own event on the case's timeline."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import timeline
from cases.actors import Actor
from cases.models import Case, Employer, FilingProposal, Region
from cases.tx import one_transaction
from cases.values import local_date
from cases.workdays import add_working_days
from projects.models import Project, ProjectUnit

from .config import config_for
from .explanation import explanation_clock_end, explanation_clock_start, explanation_window_ended
from .models import Signal

Level = Signal.Level
Status = Signal.Status


def signal_key(*, rule: str, project: Project | None, unit: ProjectUnit | None, employer: Employer | None,
               month: date | None) -> str:  # fmt: skip
    """What makes a signal the same signal on a re-run: project, unit (or employer), rule and month."""
    return ":".join([
        str(project.pk) if project else "-",
        f"u{unit.pk}" if unit else (f"e{employer.pk}" if employer else "-"),
        rule,
        f"{month:%Y-%m}" if month else "-",
    ])  # fmt: skip


def _event(signal: Signal, kind: str, *, actor: Actor, data: dict | None = None, at: datetime | None = None) -> None:
    body = {
        "signal": signal.pk,
        "rule": signal.rule,
        "level": signal.level,
        **({"project": signal.project_id, "project_no": signal.project.project_no} if signal.project else {}),
        **({"month": f"{signal.month:%Y-%m}"} if signal.month else {}),
        **(data or {}),
    }
    timeline.record(signal.region, kind, actor=actor, data=body, at=at)


def _today(now: datetime) -> date:
    return timezone.localdate(now)


def _red_due(signal: Signal, now: datetime) -> None:
    if signal.level == Level.RED and signal.due_on is None:
        signal.due_on = add_working_days(_today(now), config_for(signal.region).handle_workdays)


@one_transaction
def signal_raise(
    *,
    actor: Actor,
    source: str,
    rule: str,
    level: str,
    region: Region | None = None,
    project: Project | None = None,
    unit: ProjectUnit | None = None,
    employer: Employer | None = None,
    month: date | None = None,
    evidence: dict | None = None,
    amount: Decimal | int = 0,
    workers: int = 0,
    key: str | None = None,
    now: datetime | None = None,
) -> tuple[Signal, str]:
    """Raise the signal of (project, unit, rule, month), or find it again. Returns (signal, outcome):

    - "raised": a new signal ("signal.raised");
    - "updated": an open signal whose level changed ("signal.level_changed"; new evidence without a new
      level is kept quietly);
    - "reopened": a signal resolved earlier whose condition holds again ("signal.reopened");
    - "unchanged": the same signal, or one already handled (dismissed, interviewed, a case): kept as is.
    A signal entered by hand gets a key of its own (`key="manual"`): never merged with another."""
    if level not in Level.values:
        raise ValidationError({"level": [_("预警等级无效。")]})
    if source not in Signal.Source.values:
        raise ValidationError({"source": [_("预警来源无效。")]})
    region = region or (project.region if project is not None else None)
    if region is None:
        raise ValidationError({"region": [_("请指定预警所在区划。")]})
    employer = employer or (unit.employer if unit is not None else None)
    now = now or timezone.now()
    if key == "manual":
        key = f"manual:{uuid.uuid4().hex}"
    key = key or signal_key(rule=rule, project=project, unit=unit, employer=employer, month=month)
    values = {
        "level": level,
        "evidence": evidence or {},
        "amount": Decimal(amount).quantize(Decimal("0.01")),
        "workers": int(workers),
    }
    signal = Signal.objects.select_for_update(of=("self",)).select_related("project").filter(key=key).first()
    if signal is None:
        signal = Signal(
            key=key, region=region, project=project, unit=unit, employer=employer, source=source, rule=rule,
            month=month, raised_at=now, updated_at=now, raised_by=actor, **values,
        )  # fmt: skip
        _red_due(signal, now)
        signal.save(force_insert=True)
        _event(signal, "signal.raised", actor=actor, data={"amount": str(signal.amount), "workers": signal.workers},
               at=now)  # fmt: skip
        return signal, "raised"
    if signal.status == Status.RESOLVED:
        for field, value in values.items():
            setattr(signal, field, value)
        signal.status, signal.closed_at, signal.updated_at = Status.OPEN, None, now
        signal.due_on = signal.escalated_at = None
        _red_due(signal, now)
        signal.save()
        _event(signal, "signal.reopened", actor=actor, at=now)
        return signal, "reopened"
    if not signal.is_open:
        return signal, "unchanged"
    before = signal.level
    changed = [f for f, v in values.items() if getattr(signal, f) != v]
    if not changed:
        return signal, "unchanged"
    for field in changed:
        setattr(signal, field, values[field])
    signal.updated_at = now
    _red_due(signal, now)
    signal.save(update_fields=[*changed, "updated_at", "due_on"])
    if before != signal.level:
        _event(signal, "signal.level_changed", actor=actor, data={"from": before}, at=now)
        return signal, "updated"
    return signal, "unchanged"


@one_transaction
def signal_resolve(*, signal: Signal, actor: Actor, now: datetime | None = None) -> Signal:
    """The condition no longer holds (the month's check found it met): an open signal is resolved."""
    signal = Signal.objects.select_for_update(of=("self",)).select_related("project").get(pk=signal.pk)
    if not signal.is_open:
        return signal
    now = now or timezone.now()
    signal.status, signal.closed_at, signal.updated_at = Status.RESOLVED, now, now
    signal.save(update_fields=["status", "closed_at", "updated_at"])
    explanation_clock_end(signal, now, explained=False)
    _event(signal, "signal.resolved", actor=actor, at=now)
    return signal


def _locked_open(signal: Signal) -> Signal:
    signal = Signal.objects.select_for_update(of=("self",)).select_related("project", "region").get(pk=signal.pk)
    if not signal.is_open:
        raise ValidationError({"decision": [_("该预警已处置，不能再次处置。")]})
    return signal


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [message]})
    return value


@one_transaction
def signal_dismiss(*, signal: Signal, actor: Actor, reason: str) -> Signal:
    reason = _text(reason, "reason", _("请填写排除理由。"))
    signal = _locked_open(signal)
    signal.status, signal.outcome, signal.closed_at = Status.DISMISSED, reason, timezone.now()
    signal.updated_at = signal.closed_at
    signal.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
    explanation_clock_end(signal, signal.updated_at, explained=False)
    _event(signal, "signal.dismissed", actor=actor, data={"reason": reason})
    return signal


@one_transaction
def signal_explain_request(*, signal: Signal, actor: Actor, note: str = "") -> Signal:
    """Ask the unit to explain within the province's working days (the due day on the signal)."""
    signal = _locked_open(signal)
    if signal.status == Status.EXPLAINING:
        raise ValidationError({"decision": [_("已要求单位说明情况，请先登记单位的说明。")]})
    now = timezone.now()
    signal.status = Status.EXPLAINING
    # the unit's window on the deadline engine (earlywarning.explanation); its due day kept on the signal for lists
    signal.explain_due_on = local_date(explanation_clock_start(signal, now).due_at)
    signal.updated_at = now
    signal.save(update_fields=["status", "explain_due_on", "updated_at"])
    _event(signal, "signal.explanation_requested", actor=actor,
           data={"due_on": signal.explain_due_on.isoformat(), "note": (note or "").strip()})  # fmt: skip
    return signal


@one_transaction
def signal_explanation_record(*, signal: Signal, actor: Actor, explanation: str = "", received: bool = True) -> Signal:
    """The unit's explanation is recorded — or, once its window has run out, that none came (`received=False`);
    either way the signal is open again for the inspector's decision."""
    if received:
        explanation = _text(explanation, "explanation", _("请填写单位的说明内容。"))
    signal = _locked_open(signal)
    if signal.status != Status.EXPLAINING:
        raise ValidationError({"explanation": [_("未要求单位说明情况。")]})
    now = timezone.now()
    if not received and not explanation_window_ended(signal, now):
        raise ValidationError({"received": [_("单位说明期限尚未届满，不能登记为逾期未说明。")]})
    signal.status, signal.updated_at = Status.OPEN, now
    signal.save(update_fields=["status", "updated_at"])
    if received:
        explanation_clock_end(signal, now, explained=True)
        _event(signal, "signal.explained", actor=actor, data={"explanation": explanation})
    else:
        _event(signal, "signal.explanation_missed", actor=actor, data={"note": (explanation or "").strip()})
    return signal


@one_transaction
def signal_interview(*, signal: Signal, actor: Actor, held_on: date, record: str) -> Signal:
    """约谈: the interview with the unit, its date and record; the signal is handled."""
    record = _text(record, "record", _("请填写约谈记录。"))
    if held_on is None or held_on > timezone.localdate():
        raise ValidationError({"held_on": [_("约谈日期不能晚于今天。")]})
    signal = _locked_open(signal)
    signal.status, signal.outcome, signal.closed_at = Status.INTERVIEWED, record, timezone.now()
    signal.updated_at = signal.closed_at
    signal.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
    explanation_clock_end(signal, signal.updated_at, explained=False)
    _event(signal, "signal.interviewed", actor=actor, data={"held_on": held_on.isoformat(), "record": record})
    return signal


@one_transaction
def signal_case_propose(*, signal: Signal, actor: Actor, filing: FilingProposal) -> Signal:
    """A proactive case is proposed from the signal (the filing flow's proposal): handled, pending the filing."""
    signal = _locked_open(signal)
    signal.status, signal.filing, signal.updated_at = Status.CASE, filing, timezone.now()
    signal.closed_at = signal.updated_at
    signal.save(update_fields=["status", "filing", "updated_at", "closed_at"])
    explanation_clock_end(signal, signal.updated_at, explained=False)
    _event(signal, "signal.case_proposed", actor=actor, data={"filing": filing.pk})
    return signal


@one_transaction
def signal_case_filed(*, filing: FilingProposal, case: Case, actor: Actor) -> list[Signal]:
    """The leader filed the case proposed from signals: each signal links the case, and the case's timeline
    names the signal with its evidence ("signal.case_linked"); the ledger is pre-filled from the shortfall
    of the signal's unit and month (projects.prefill). No signal for this filing: nothing."""
    from projects.prefill import case_ledger_prefill

    signals = list(
        Signal.objects.select_for_update(of=("self",)).select_related("project", "unit").filter(filing=filing)
    )
    for signal in signals:
        signal.case = case
        signal.save(update_fields=["case"])
        prefilled = None
        if signal.unit is not None and signal.month is not None:
            prefilled = case_ledger_prefill(case=case, actor=actor, months=[signal.month], unit=signal.unit)
        timeline.record(case, "signal.case_linked", actor=actor, data={
            "signal": signal.pk, "rule": signal.rule, "level": signal.level,
            "project_no": signal.project.project_no if signal.project else "",
            "month": f"{signal.month:%Y-%m}" if signal.month else "",
            "amount": str(signal.amount), "workers": signal.workers,
            "ledger_entries": len(prefilled.added) if prefilled else 0,
        })  # fmt: skip
    return signals


@one_transaction
def signal_escalate(*, signal: Signal, now: datetime | None = None) -> bool:
    """A red signal not handled by its due day goes to the leader (once). False when not due or handled."""
    now = now or timezone.now()
    signal = Signal.objects.select_for_update(of=("self",)).select_related("project").get(pk=signal.pk)
    if signal.escalated_at or not signal.is_open or signal.level != Level.RED or signal.due_on is None:
        return False
    if signal.due_on >= _today(now):
        return False
    signal.escalated_at = signal.updated_at = now
    signal.save(update_fields=["escalated_at", "updated_at"])
    _event(signal, "signal.escalated", actor=None, data={"due_on": signal.due_on.isoformat()}, at=now)
    return True


def signals_due_for_escalation(now: datetime):
    """Open red signals past their due day, not yet escalated (served by the index signal_red_due)."""
    return Signal.objects.filter(
        escalated_at__isnull=True, due_on__lt=_today(now), level=Level.RED, status__in=Signal.OPEN_STATUSES
    ).order_by("due_on", "pk")


@one_transaction
def signal_escalation_handle(*, signal: Signal, actor: Actor, note: str) -> Signal:
    """The leader's urging on an escalated red signal (recorded; the signal stays with its inspector)."""
    note = _text(note, "note", _("请填写督促处置意见。"))
    signal = Signal.objects.select_for_update(of=("self",)).select_related("project").get(pk=signal.pk)
    _event(signal, "signal.escalation_handled", actor=actor, data={"note": note})
    return signal
