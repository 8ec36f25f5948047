"""What the party does during the penalty procedure, recorded by the case's inspectors whenever it comes: statements
(陈述、申辩), a hearing request within 5 working days of service, the hearing (its notice served at least 7 working
days before, then held and recorded), a written waiver. Each one service, one timeline event."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from .. import timeline
from ..actors import Actor, Staff
from ..deadlines import deadline_start
from ..documents import document_issue, document_serve
from ..models import Case, Document, Evidence, Hearing, PartyStatement, PenaltyProcedure, Role, ServiceRecord
from ..tx import one_transaction
from ..values import LOCAL_TZ, local_date, required_text
from ..workdays import add_working_days, working_days_between
from .procedure import clocks_close, hearing_pending, procedure_of, served
from .rules import HEARING_NOTICE, HEARING_NOTICE_WD, HEARING_REQUEST


def _date(value, field: str) -> date:
    if isinstance(value, datetime):
        return local_date(value if timezone.is_aware(value) else timezone.make_aware(value, LOCAL_TZ))
    if isinstance(value, date):
        return value
    try:
        parsed = parse_date(str(value or "").strip()) if value else None
    except ValueError:  # well formed, not a date (2026-02-30)
        parsed = None
    if parsed is None:
        raise ValidationError({field: _("请填写日期（YYYY-MM-DD）。")})
    return parsed


def _moment(value, field: str) -> datetime:
    parsed = value if isinstance(value, datetime) else None
    if parsed is None and value:
        try:
            parsed = parse_datetime(str(value).strip())
        except ValueError:
            parsed = None
    if parsed is None:
        raise ValidationError({field: _("请填写时间（YYYY-MM-DD HH:MM）。")})
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, LOCAL_TZ)


def _on_or_after_service(procedure: PenaltyProcedure, day: date, field: str) -> None:
    if procedure.served_at is not None and day < local_date(procedure.served_at):
        raise ValidationError({field: _("日期不能早于告知书送达之日。")})
    if day > timezone.localdate():
        raise ValidationError({field: _("日期不能晚于今天。")})


def _open(case: Case) -> PenaltyProcedure:
    procedure = procedure_of(case)
    served(procedure)
    if procedure.outcome:
        raise ValidationError({"case": _("当事人陈述申辩已复核，不能再补充记录。")})
    return procedure


@one_transaction
def penalty_statement_record(*, case: Case, actor: Staff, text: str, made_on) -> PartyStatement:
    """陈述、申辩 of the party (written, or said and recorded), within the statement window."""
    procedure = _open(case)
    text = required_text(text, field="text", label=_("陈述申辩内容"), limit=8000)
    made_on = _date(made_on, "made_on")
    _on_or_after_service(procedure, made_on, "made_on")
    if procedure.waived_on is not None:
        raise ValidationError({"made_on": _("当事人已书面放弃陈述申辩的权利。")})
    if procedure.statement_due is not None and made_on > local_date(procedure.statement_due):
        raise ValidationError({"made_on": _("陈述申辩期限已届满。")})
    statement = PartyStatement.objects.create(
        procedure=procedure, text=text, made_on=made_on, recorded_by=actor, recorded_at=timezone.now()
    )
    timeline.record(
        case, "penalty.statement_recorded", actor=actor, role=Role.INSPECTOR, data={"made_on": made_on, "text": text}
    )
    return statement


@one_transaction
def penalty_hearing_request(*, case: Case, actor: Actor, requested_on) -> PenaltyProcedure:
    """The party asks for a hearing: only when the proposed fine reaches the hearing threshold, within 5 working
    days of the notice's service (APL arts 63–64, 85)."""
    procedure = _open(case)
    requested_on = _date(requested_on, "requested_on")
    if not procedure.hearing_right:
        raise ValidationError(
            {
                "requested_on": _("拟罚款金额未达到本省听证标准（%(n)s元），当事人无权要求听证。")
                % {"n": procedure.hearing_threshold}
            }
        )
    if procedure.hearing_requested_on is not None:
        raise ValidationError({"requested_on": _("当事人已要求听证。")})
    _on_or_after_service(procedure, requested_on, "requested_on")
    if procedure.waived_on is not None:
        raise ValidationError({"requested_on": _("当事人已书面放弃听证的权利。")})
    if procedure.hearing_request_due is not None and requested_on > local_date(procedure.hearing_request_due):
        raise ValidationError({"requested_on": _("要求听证的期限（送达之日起五个工作日）已届满。")})
    procedure.hearing_requested_on = requested_on
    procedure.save(update_fields=["hearing_requested_on"])
    clocks_close(procedure, [HEARING_REQUEST])
    timeline.record(
        case, "penalty.hearing_requested", actor=actor, role=Role.INSPECTOR, data={"requested_on": requested_on}
    )
    return procedure


def _earliest_hearing_day(served_on: date) -> date:
    return add_working_days(served_on, HEARING_NOTICE_WD)


@one_transaction
def penalty_hearing_schedule(*, case: Case, actor: Actor, scheduled_at, place: str) -> Hearing:
    """听证通知书: the hearing's date and place, at least 7 working days after today (the notice is served
    before the hearing by at least that much: APL art 64)."""
    procedure = _open(case)
    if procedure.hearing_requested_on is None:
        raise ValidationError({"scheduled_at": _("当事人未要求听证。")})
    if Hearing.objects.filter(procedure=procedure).exists():
        raise ValidationError({"scheduled_at": _("已发出听证通知书。")})
    place = required_text(place, field="place", label=_("听证地点"), limit=200)
    scheduled_at = _moment(scheduled_at, "scheduled_at")
    earliest = _earliest_hearing_day(timezone.localdate())
    if local_date(scheduled_at) < earliest:
        raise ValidationError(
            {"scheduled_at": _("听证通知书须在听证七个工作日前送达，听证日期最早为%(d)s。") % {"d": earliest}}
        )
    when = timezone.localtime(scheduled_at, LOCAL_TZ)
    asked = procedure.hearing_requested_on
    notice = document_issue(
        case=case,
        kind=Document.Kind.HEARING_NOTICE,
        actor=actor,
        role=Role.INSPECTOR,
        data={
            "when": f"{when.year}年{when.month}月{when.day}日{when.hour}时{when.minute:02d}分",
            "place": place,
            "requested_on": f"{asked.year}年{asked.month}月{asked.day}日",
            "notice_number": procedure.notice.number,
        },
    )
    hearing = Hearing.objects.create(procedure=procedure, notice=notice, scheduled_at=scheduled_at, place=place)
    serve_by = add_working_days(local_date(scheduled_at), -HEARING_NOTICE_WD)  # the last day to serve it
    clock = deadline_start(
        kind=HEARING_NOTICE,
        region=case.region,
        start_at=notice.issued_at,
        case=case,
        length=max(0, working_days_between(local_date(notice.issued_at), serve_by)),
    )
    timeline.record(
        case,
        "penalty.hearing_scheduled",
        actor=actor,
        role=Role.INSPECTOR,
        data={"scheduled_at": scheduled_at, "place": place, "document": notice.number, "serve_by": clock.due_at},
    )
    return hearing


def _hearing(procedure: PenaltyProcedure, field: str) -> Hearing:
    hearing = Hearing.objects.filter(procedure=procedure).select_related("notice").first()
    if hearing is None:
        raise ValidationError({field: _("尚未发出听证通知书。")})
    return hearing


@one_transaction
def penalty_hearing_notice_serve(
    *, case: Case, actor: Staff, method: str, served_at, recipient: str, proof: Evidence | None = None
) -> ServiceRecord:
    """送达 of the 听证通知书: refused when it would reach the party less than 7 working days before the hearing."""
    procedure = _open(case)
    hearing = _hearing(procedure, "served_at")
    served_at = _moment(served_at, "served_at")
    if local_date(hearing.scheduled_at) < _earliest_hearing_day(local_date(served_at)):
        raise ValidationError({"served_at": _("听证通知书须在举行听证的七个工作日前送达当事人。")})
    record = document_serve(
        document=hearing.notice,
        method=method,
        served_at=served_at,
        recipient=recipient,
        proof=proof,
        actor=actor,
        role=Role.INSPECTOR,
    )
    clocks_close(procedure, [HEARING_NOTICE], now=record.served_at)
    return record


@one_transaction
def penalty_hearing_hold(*, case: Case, actor: Actor, held_at, record: str) -> Hearing:
    """The hearing held: its record (听证笔录). Only after its notice was served 7 working days before."""
    procedure = _open(case)
    hearing = _hearing(procedure, "held_at")
    if hearing.held_at is not None:
        raise ValidationError({"held_at": _("听证已举行。")})
    service = hearing.notice.services.order_by("served_at").first()
    if service is None:
        raise ValidationError({"held_at": _("听证通知书尚未送达当事人。")})
    record = required_text(record, field="record", label=_("听证笔录"), limit=20000)
    held_at = _moment(held_at, "held_at")
    if held_at > timezone.now():
        raise ValidationError({"held_at": _("举行时间不能晚于当前时间。")})
    if local_date(held_at) < _earliest_hearing_day(local_date(service.served_at)):
        raise ValidationError({"held_at": _("听证须在听证通知书送达七个工作日后举行。")})
    hearing.held_at, hearing.record = held_at, record
    hearing.save(update_fields=["held_at", "record"])
    timeline.record(
        case,
        "penalty.hearing_held",
        actor=actor,
        role=Role.INSPECTOR,
        data={"held_at": held_at, "place": hearing.place, "record": record},
    )
    return hearing


@one_transaction
def penalty_rights_waive(*, case: Case, actor: Actor, waived_on, note: str) -> PenaltyProcedure:
    """放弃陈述申辩/听证: the party's written waiver (a requested hearing not yet held is withdrawn by it)."""
    procedure = _open(case)
    if procedure.waived_on is not None:
        raise ValidationError({"waived_on": _("当事人已书面放弃。")})
    waived_on = _date(waived_on, "waived_on")
    _on_or_after_service(procedure, waived_on, "waived_on")
    note = required_text(note, field="note", label=_("书面放弃声明"), limit=2000)
    withdrawn = hearing_pending(procedure)
    procedure.waived_on, procedure.waiver_note = waived_on, note
    procedure.save(update_fields=["waived_on", "waiver_note"])
    clocks_close(procedure)
    timeline.record(
        case,
        "penalty.rights_waived",
        actor=actor,
        role=Role.INSPECTOR,
        data={"waived_on": waived_on, "note": note, "hearing_withdrawn": withdrawn},
    )
    return procedure
