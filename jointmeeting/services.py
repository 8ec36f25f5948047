"""督办 and 约谈 of the joint-meeting office: issue, progress reports by the addressee, 约谈 records, closure;
and the sweep's overdue handler. Each service is one transaction and writes one event on the office region's
timeline; every status change goes through cases.transitions.transition (a second concurrent closure: 409)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from cases import deadlines, timeline
from cases.actors import Actor
from cases.models import Case, Deadline, Region, Role, StaffRole
from cases.transitions import lock, transition
from cases.tx import one_transaction
from cases.values import local_date, moment, required_text
from earlywarning.models import Signal
from projects.models import Project

from . import scope
from .clocks import FOLLOWUP, MATTER, open_clock
from .config import config_for
from .models import Department, Interview, Matter, MatterReport, MemberRole

S = Matter.Status
OPEN = [S.ISSUED, S.IN_PROGRESS, S.OVERDUE]
OFFICE_ROLE = Department.OFFICE.value


def office_leaders(region: Region) -> list[str]:
    """Who hears of an overdue matter: the bureau's leaders of the office's region and its office seats."""
    leaders = StaffRole.objects.filter(region=region, role=Role.LEADER).values_list("user__username", flat=True)
    office = MemberRole.objects.filter(region=region, department=Department.OFFICE).values_list(
        "user__username", flat=True
    )
    return sorted({*leaders, *office})


def _conflict() -> str:
    return _("督办事项当前状态为“%(status)s”，不能办理此操作。")


def _linked(office_region: Region, project: Project | None, case: Case | None, signal: Signal | None) -> None:
    """A linked project, case or signal must be of the office's region or below."""
    for name, obj, label in (("project", project, _("关联项目")), ("case", case, _("关联案件")),
                             ("signal", signal, _("关联预警"))):  # fmt: skip
        if obj is not None and not obj.region.path.startswith(office_region.path):
            raise ValidationError({name: _("%(label)s不在本级联席会议办公室辖区内。") % {"label": label}})


@one_transaction
def matter_issue(
    *,
    actor: Actor,
    office_region: Region,
    kind: str,
    subject: str,
    addressee_department: str,
    addressee_region: Region | None,
    description: str = "",
    project: Project | None = None,
    case: Case | None = None,
    signal: Signal | None = None,
) -> Matter:
    """The office issues a 督办 or 约谈 to a department (of its region or below) or to the government of a
    region below it; its deadline starts (the province's `matter_days`)."""
    if actor is None:
        raise PermissionDenied
    scope.check_issue(actor, office_region=office_region)
    subject = required_text(subject, field="subject", label=_("事项"), limit=200)
    if kind not in Matter.Kind.values:
        raise ValidationError({"kind": _("请选择督办或约谈。")})
    if addressee_region is None:
        raise ValidationError({"addressee_region": _("请选择承办单位所在区划。")})
    if not scope.addressable(office_region, department=addressee_department, region=addressee_region):
        raise ValidationError(
            {"addressee_department": _("只能向本级或下级成员单位、下级人民政府交办（人民政府须为下级）。")}
        )
    _linked(office_region, project, case, signal)
    now = moment()
    matter = Matter(
        kind=kind, office_region=office_region, subject=subject, description=(description or "").strip(),
        project=project, case=case, signal=signal, addressee_department=addressee_department,
        addressee_region=addressee_region, issued_by=actor, issued_at=now, due_at=now,
    )  # fmt: skip
    matter.save(force_insert=True)
    clock = deadlines.deadline_start(
        kind=MATTER, region=office_region, start_at=now, subject_ref=deadlines.subject_ref_of(matter),
        length=config_for(office_region).matter_days,
    )  # fmt: skip
    matter.due_at = clock.due_at
    matter.save(update_fields=["due_at"])
    timeline.record(office_region, "jointmeeting.matter_issued", actor=actor, role=OFFICE_ROLE, data={
        "matter": matter.pk, "kind": kind, "subject": subject, "addressee_department": addressee_department,
        "addressee_region": addressee_region.code, "due_at": clock.due_at,
        "project": project.project_no if project else None, "case": case.case_no if case else None,
        "signal": signal.pk if signal else None,
    })  # fmt: skip
    return matter


@one_transaction
def matter_report(*, matter: Matter, actor: Actor, text: str, completed: bool = False) -> MatterReport:
    """A user of the addressee reports progress (`completed`: the work is done, the office may close it).
    A completed report also ends the follow-up clock of a 约谈."""
    if actor is None or not scope.acts_for_addressee(actor, matter):
        raise PermissionDenied
    text = required_text(text, field="text", label=_("进展情况"))
    with transition(
        matter, expect=OPEN, event="jointmeeting.matter_reported", actor=actor, role=matter.addressee_department,
        subject=matter.office_region, message=_conflict(),
    ) as step:  # fmt: skip
        now = moment()
        report = MatterReport.objects.create(matter=matter, author=actor, reported_at=now, text=text,
                                             completed=completed)  # fmt: skip
        if matter.status == S.ISSUED:
            step.to(S.IN_PROGRESS, last_report_at=now)
        else:
            step.set(last_report_at=now)
        followup = open_clock(matter, FOLLOWUP) if completed else None
        if followup is not None:
            deadlines.deadline_close(deadline=followup, at=now)
        late = followup is not None and followup.state == Deadline.State.CLOSED_LATE
        step.data.update({"matter": matter.pk, "report": report.pk, "completed": completed, "followup_late": late})
    return report


@one_transaction
def interview_record(
    *, matter: Matter, actor: Actor, held_on: date | None, attendees: str, commitments: str
) -> Interview:
    """The office records a 约谈 held with the addressee: the commitments' follow-up clock starts (the
    province's `followup_days`)."""
    if actor is None or not scope.acts_for_office(actor, matter.office_region):
        raise PermissionDenied
    attendees = required_text(attendees, field="attendees", label=_("参加人员"))
    commitments = required_text(commitments, field="commitments", label=_("整改承诺"))
    now = moment()
    if held_on is None:
        raise ValidationError({"held_on": _("请填写约谈日期。")})
    if held_on > local_date(now):
        raise ValidationError({"held_on": _("约谈日期不能晚于今天。")})
    if held_on < local_date(matter.issued_at):
        raise ValidationError({"held_on": _("约谈日期不能早于交办日期。")})
    with transition(matter, expect=OPEN, event="jointmeeting.interview_recorded", actor=actor, role=OFFICE_ROLE,
                    subject=matter.office_region, message=_conflict()) as step:  # fmt: skip
        clock = deadlines.deadline_start(
            kind=FOLLOWUP, region=matter.office_region, start_at=now, subject_ref=deadlines.subject_ref_of(matter),
            length=config_for(matter.office_region).followup_days,
        )  # fmt: skip
        interview = Interview.objects.create(matter=matter, held_on=held_on, attendees=attendees,
                                             commitments=commitments, followup_due_at=clock.due_at,
                                             recorded_by=actor)  # fmt: skip
        step.data.update({"matter": matter.pk, "interview": interview.pk, "held_on": held_on,
                          "followup_due": clock.due_at})  # fmt: skip
    return interview


@one_transaction
def matter_close(*, matter: Matter, actor: Actor, result: str) -> Matter:
    """The office closes (销号) a matter the addressee has reported on: its clocks close, met or late."""
    if not scope.acts_for_office(actor, matter.office_region):
        raise PermissionDenied
    result = required_text(result, field="result", label=_("办结情况"))
    with transition(matter, expect=OPEN, event="jointmeeting.matter_closed", actor=actor, role=OFFICE_ROLE,
                    subject=matter.office_region, message=_conflict()) as step:  # fmt: skip
        if not matter.reports.exists():
            raise ValidationError({"result": _("承办单位尚未报告办理进展，不能办结。")})
        now = moment()
        late = False
        for kind in (MATTER, FOLLOWUP):
            clock = open_clock(matter, kind)
            if clock is not None:
                deadlines.deadline_close(deadline=clock, at=now)
                late = late or clock.state == Deadline.State.CLOSED_LATE
        step.to(S.CLOSED, closed_at=now, closed_by=actor, result=result)
        step.data.update({"matter": matter.pk, "late": late})
    return matter


def matter_of(deadline: Deadline) -> Matter | None:
    ref = getattr(deadline, "subject_ref", "") or ""
    label, _sep, pk = ref.partition(":")
    if label != "jointmeeting.matter" or not pk.isdigit():
        return None
    return Matter.objects.select_related("office_region").filter(pk=int(pk)).first()


def matter_clock_overdue(*, deadline: Deadline, now: datetime) -> Matter | None:
    """The sweep's handler (in its transaction): the matter, or its 约谈 follow-up, ran out — OVERDUE, and the
    office's leaders are named on the event (their landing page lists it)."""
    matter = matter_of(deadline)
    if matter is None:
        return None
    lock(matter)
    if matter.status not in OPEN:
        return None
    event = "jointmeeting.matter_overdue" if deadline.kind == MATTER else "jointmeeting.followup_overdue"
    data: dict[str, Any] = {"matter": matter.pk, "due_at": deadline.due_at,
                            "leaders": office_leaders(matter.office_region)}  # fmt: skip
    with transition(matter, expect=OPEN, event=event, actor=None, subject=matter.office_region, at=now,
                    locked=True, data=data) as step:  # fmt: skip
        if matter.status != S.OVERDUE:
            step.to(S.OVERDUE)
    return matter
