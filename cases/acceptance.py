"""Acceptance of a complaint (SPEC §4.1 step 5): accept, refuse, supplement, transfer,
a disputed transfer and its designation by the common superior.

Each service is one transaction with one timeline event on the complaint, moves the
acceptance deadline (5 working days, domain-rules §2 row 1) and notifies the complainant.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .actors import Actor
from .deadlines import deadline_cancel, deadline_close, deadline_pause, deadline_resume, deadline_start
from .documents.complaint_notices import complaint_document_issue
from .models import Case, Complaint, Deadline, Document, Region, Role
from .notifications import complainant_notify
from .services import case_file
from .totals import case_totals_refresh
from .transitions import transition
from .tx import one_transaction
from .values import required_text

ACCEPTANCE = "intake.acceptance"
OPEN_STATES = [Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.OVERDUE]


def acceptance_deadline(complaint: Complaint, *, lock: bool = False) -> Deadline | None:
    """The complaint's open acceptance clock; `lock`: read with SELECT ... FOR UPDATE (the sweep may be
    moving it on)."""
    found = complaint.deadlines.filter(kind=ACCEPTANCE, state__in=OPEN_STATES).order_by("-id")
    return (found.select_for_update() if lock else found).first()


def acceptance_start(*, complaint: Complaint, at=None) -> Deadline:
    """The 5-working-day acceptance clock of the office now holding the complaint."""
    return deadline_start(
        kind=ACCEPTANCE, region=complaint.region, start_at=at or complaint.received_at, complaint=complaint
    )


PENDING = (Complaint.Status.RECEIVED, Complaint.Status.TRANSFERRED)  # awaiting the acceptance decision
STATE_MESSAGE = gettext_lazy("投诉当前状态为“%(status)s”，不能办理此操作。")


def _step(complaint: Complaint, expect, event: str, *, actor: Actor, role: str = Role.CLERK):
    """The complaint's step through the transition kernel: checked (a conflict on "decision"), saved, one
    event on the complaint's own timeline. Every caller is a step of the complaint's flow, which holds its
    process row locked and read the complaint afresh after taking it (workflows.services._locked): the
    complaint's steps are serialised there, so the kernel is told the row is locked (no second lock)."""
    return transition(
        complaint,
        expect=expect,
        event=event,
        actor=actor,
        role=role,
        subject=complaint,
        locked=True,
        error_field="decision",
        message=str(STATE_MESSAGE),
    )


def _decided(step, status: str, reason: str, now) -> None:
    step.to(status, decision_reason=reason, decided_at=now)


def _close_clock(complaint: Complaint, now) -> dict:
    deadline = acceptance_deadline(complaint, lock=True)  # read under its lock: deadline_close needs no re-read
    if deadline is None:
        return {}
    deadline_close(deadline=deadline, at=now, locked=True)
    return {"deadline_due": deadline.due_at, "deadline_state": deadline.state}


@one_transaction
def complaint_accept(*, complaint: Complaint, actor: Actor) -> Case:
    """受理即立案: file a case (or join the open case the complaint was grouped with)."""
    with _step(complaint, PENDING, "complaint.accepted", actor=actor) as step:
        now = timezone.now()
        clock = _close_clock(complaint, now)
        case = complaint.case
        if case is None or case.status in {Case.Status.CLOSED, Case.Status.WITHDRAWN}:
            case = case_file(
                actor=actor, role=Role.CLERK, region=complaint.region, complaints=[complaint], filed_at=now
            )
        _decided(step, Complaint.Status.ACCEPTED, "", now)
        step.set(case=case)
        step.data.update(case_no=case.case_no, **clock)
    complaint_document_issue(
        complaint=complaint, kind=Document.Kind.ACCEPTANCE_NOTICE, actor=actor, role=Role.CLERK, data={}
    )
    complainant_notify(complaint=complaint, event="accepted")
    return case


@one_transaction
def complaint_refuse(*, complaint: Complaint, actor: Actor, reason: str) -> Complaint:
    with _step(complaint, PENDING, "complaint.refused", actor=actor) as step:
        required_text(reason, field="reason", label=_("理由"))
        now = timezone.now()
        clock = _close_clock(complaint, now)
        if complaint.case_id:
            # grouped onto an open case at receipt: it stays linked (nothing is dropped) but no longer counts
            case = complaint.case
            assert case is not None  # case_id is set
            clock["uncounted_from_case"] = case.case_no
        _decided(step, Complaint.Status.REFUSED, reason, now)
        step.data.update(reason=reason, **clock)
    if complaint.case is not None:
        case_totals_refresh(case=complaint.case)  # the refused claim no longer counts
    complaint_document_issue(
        complaint=complaint, kind=Document.Kind.NON_ACCEPTANCE_NOTICE, actor=actor, role=Role.CLERK,
        data={"reason": reason},
    )  # fmt: skip
    complainant_notify(complaint=complaint, event="refused")
    return complaint


@one_transaction
def complaint_request_supplement(*, complaint: Complaint, actor: Actor, reason: str) -> Complaint:
    """补正: the acceptance clock pauses until the supplement arrives."""
    with _step(complaint, PENDING, "complaint.supplement_requested", actor=actor) as step:
        required_text(reason, field="reason", label=_("理由"))
        now = timezone.now()
        deadline = acceptance_deadline(complaint)
        if deadline is not None and deadline.state != Deadline.State.PAUSED:
            deadline_pause(deadline=deadline, reason=reason, actor=actor, at=now)
        _decided(step, Complaint.Status.SUPPLEMENT_REQUESTED, reason, now)
        step.data["reason"] = reason
    complainant_notify(complaint=complaint, event="supplement_requested")
    return complaint


@one_transaction
def complaint_supplement_received(*, complaint: Complaint, actor: Actor, note: str) -> Complaint:
    with _step(complaint, [Complaint.Status.SUPPLEMENT_REQUESTED], "complaint.supplemented", actor=actor) as step:
        now = timezone.now()
        deadline = acceptance_deadline(complaint)
        step.data["note"] = note
        if deadline is not None and deadline.state == Deadline.State.PAUSED:
            deadline_resume(deadline=deadline, actor=actor, at=now)
            deadline.refresh_from_db(fields=["due_at"])
            step.data["deadline_due"] = deadline.due_at
        step.to(Complaint.Status.RECEIVED)
    return complaint


@one_transaction
def complaint_transfer(*, complaint: Complaint, actor: Actor, target: Region, reason: str) -> Complaint:
    """移送管辖: the target office gets the complaint and a fresh acceptance clock."""
    with _step(complaint, PENDING, "complaint.transferred", actor=actor) as step:
        required_text(reason, field="reason", label=_("理由"))
        if target.pk == complaint.region_id:
            raise ValidationError({"target_region_code": _("不能移送给本机构。")})
        now = timezone.now()
        source = complaint.region
        clock = _close_clock(complaint, now)
        complaint.region = target  # the new clock is the target office's
        new = acceptance_start(complaint=complaint, at=now)
        step.to(Complaint.Status.TRANSFERRED, region=target, decision_reason=reason, transferred_from=source)
        step.data.update({"from": source.code, "to": target.code, "reason": reason, "new_due": new.due_at, **clock})
    complainant_notify(complaint=complaint, event="transferred")
    return complaint


def _strict_ancestors(region: Region) -> list[str]:
    parts = region.path.rstrip("/").split("/")
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts))]


def common_superior(a: Region, b: Region) -> Region:
    """The lowest region strictly above both offices (LSIR art 13: it designates on a dispute)."""
    above_b = set(_strict_ancestors(b))
    shared = [path for path in _strict_ancestors(a) if path in above_b]
    if not shared:
        raise ValidationError({"target_region_code": _("两地没有共同上级机关。")})
    return Region.objects.get(path=shared[-1])


@one_transaction
def complaint_dispute_transfer(*, complaint: Complaint, actor: Actor, source: Region, reason: str) -> Region:
    """The receiving office contests jurisdiction: the common superior's leader designates."""
    with _step(complaint, [Complaint.Status.TRANSFERRED], "complaint.transfer_disputed", actor=actor) as step:
        required_text(reason, field="reason", label=_("理由"))
        superior = common_superior(source, complaint.region)
        deadline = acceptance_deadline(complaint)
        if deadline is not None and deadline.state != Deadline.State.PAUSED:
            deadline_pause(deadline=deadline, reason=reason, actor=actor, at=timezone.now())
        step.data.update(
            {"from": source.code, "disputed_by": complaint.region.code, "superior": superior.code, "reason": reason}
        )
    return superior


@one_transaction
def complaint_designate(
    *, complaint: Complaint, actor: Actor, superior: Region, target: Region, reason: str
) -> Complaint:
    """指定管辖 by the common superior's leader: the target gets a fresh acceptance clock."""
    event = "complaint.jurisdiction_designated"
    with _step(complaint, [Complaint.Status.TRANSFERRED], event, actor=actor, role=Role.LEADER) as step:
        if not target.path.startswith(superior.path):
            raise ValidationError({"target_region_code": _("只能指定本辖区内的机构。")})
        now = timezone.now()
        deadline = acceptance_deadline(complaint)
        if deadline is not None:
            deadline_cancel(deadline=deadline, at=now)
        complaint.region = target  # the new clock is the target office's
        new = acceptance_start(complaint=complaint, at=now)
        step.set(region=target, transferred_from=None)  # designated: no longer a transfer to dispute
        step.data.update(superior=superior.code, to=target.code, reason=reason, new_due=new.due_at)
    return complaint


@one_transaction
def complaint_escalation_reviewed(*, complaint: Complaint, actor: Actor, instruction: str) -> Complaint:
    """The leader's instruction on an overdue acceptance (督办意见)."""
    required_text(instruction, field="instruction", label=_("督办意见"))
    with _step(complaint, None, "complaint.escalation_reviewed", actor=actor, role=Role.LEADER) as step:
        step.data["instruction"] = instruction  # an instruction on the record: no change of the complaint
    return complaint
