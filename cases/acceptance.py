"""Acceptance of a complaint (SPEC §4.1 step 5): accept, refuse, supplement, transfer,
a disputed transfer and its designation by the common superior.

Each service is one transaction with one timeline event on the complaint, moves the
acceptance deadline (5 working days, domain-rules §2 row 1) and notifies the complainant.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from . import timeline
from .deadlines import deadline_cancel, deadline_close, deadline_pause, deadline_resume, deadline_start
from .models import Case, Complaint, Deadline, Region, Role
from .notifications import complainant_notify
from .services import case_file
from .tx import one_transaction
from .values import required_text

ACCEPTANCE = "intake.acceptance"
OPEN_STATES = [Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.OVERDUE]


def acceptance_deadline(complaint: Complaint) -> Deadline | None:
    return complaint.deadlines.filter(kind=ACCEPTANCE, state__in=OPEN_STATES).order_by("-id").first()


def acceptance_start(*, complaint: Complaint, at=None) -> Deadline:
    """The 5-working-day acceptance clock of the office now holding the complaint."""
    return deadline_start(
        kind=ACCEPTANCE, region=complaint.region, start_at=at or complaint.received_at, complaint=complaint
    )


def _expect(complaint: Complaint, *statuses: str) -> None:
    if complaint.status not in statuses:
        raise ValidationError(
            {"decision": _("投诉当前状态为“%(status)s”，不能办理此操作。") % {"status": complaint.get_status_display()}}
        )


def _decided(complaint: Complaint, status: str, reason: str, now) -> None:
    complaint.status = status
    complaint.decision_reason = reason
    complaint.decided_at = now
    complaint.save(update_fields=["status", "decision_reason", "decided_at", "case"])


def _close_clock(complaint: Complaint, now) -> dict:
    deadline = acceptance_deadline(complaint)
    if deadline is None:
        return {}
    deadline_close(deadline=deadline, at=now)  # re-reads the row under its lock and sets the state
    return {"deadline_due": deadline.due_at, "deadline_state": deadline.state}


@one_transaction
def complaint_accept(*, complaint: Complaint, actor) -> Case:
    """受理即立案: file a case (or join the open case the complaint was grouped with)."""
    _expect(complaint, Complaint.Status.RECEIVED, Complaint.Status.TRANSFERRED)
    now = timezone.now()
    clock = _close_clock(complaint, now)
    case = complaint.case
    if case is None or case.status in {Case.Status.CLOSED, Case.Status.WITHDRAWN}:
        case = case_file(actor=actor, role=Role.CLERK, region=complaint.region, complaints=[complaint], filed_at=now)
        complaint.case = case
    _decided(complaint, Complaint.Status.ACCEPTED, "", now)
    timeline.record(
        complaint, "complaint.accepted", actor=actor, role=Role.CLERK, data={"case_no": case.case_no, **clock}
    )
    complainant_notify(complaint=complaint, event="accepted")
    return case


@one_transaction
def complaint_refuse(*, complaint: Complaint, actor, reason: str) -> Complaint:
    _expect(complaint, Complaint.Status.RECEIVED, Complaint.Status.TRANSFERRED)
    required_text(reason, field="reason", label=_("理由"))
    now = timezone.now()
    clock = _close_clock(complaint, now)
    if complaint.case_id:
        # grouped onto an open case at receipt: it stays linked (nothing is dropped) but no longer counts
        Case.objects.filter(pk=complaint.case_id).update(
            workers_count=F("workers_count") - complaint.workers_count,
            amount_owed=F("amount_owed") - complaint.amount_owed,
        )
        clock["uncounted_from_case"] = complaint.case.case_no
    _decided(complaint, Complaint.Status.REFUSED, reason, now)
    timeline.record(complaint, "complaint.refused", actor=actor, role=Role.CLERK, data={"reason": reason, **clock})
    complainant_notify(complaint=complaint, event="refused")
    return complaint


@one_transaction
def complaint_request_supplement(*, complaint: Complaint, actor, reason: str) -> Complaint:
    """补正: the acceptance clock pauses until the supplement arrives."""
    _expect(complaint, Complaint.Status.RECEIVED, Complaint.Status.TRANSFERRED)
    required_text(reason, field="reason", label=_("理由"))
    now = timezone.now()
    deadline = acceptance_deadline(complaint)
    if deadline is not None and deadline.state != Deadline.State.PAUSED:
        deadline_pause(deadline=deadline, reason=reason, actor=actor, at=now)
    _decided(complaint, Complaint.Status.SUPPLEMENT_REQUESTED, reason, now)
    timeline.record(complaint, "complaint.supplement_requested", actor=actor, role=Role.CLERK, data={"reason": reason})
    complainant_notify(complaint=complaint, event="supplement_requested")
    return complaint


@one_transaction
def complaint_supplement_received(*, complaint: Complaint, actor, note: str) -> Complaint:
    _expect(complaint, Complaint.Status.SUPPLEMENT_REQUESTED)
    now = timezone.now()
    deadline = acceptance_deadline(complaint)
    data: dict = {"note": note}
    if deadline is not None and deadline.state == Deadline.State.PAUSED:
        deadline_resume(deadline=deadline, actor=actor, at=now)
        deadline.refresh_from_db(fields=["due_at"])
        data["deadline_due"] = deadline.due_at
    complaint.status = Complaint.Status.RECEIVED
    complaint.save(update_fields=["status"])
    timeline.record(complaint, "complaint.supplemented", actor=actor, role=Role.CLERK, data=data)
    return complaint


@one_transaction
def complaint_transfer(*, complaint: Complaint, actor, target: Region, reason: str) -> Complaint:
    """移送管辖: the target office gets the complaint and a fresh acceptance clock."""
    _expect(complaint, Complaint.Status.RECEIVED, Complaint.Status.TRANSFERRED)
    required_text(reason, field="reason", label=_("理由"))
    if target.pk == complaint.region_id:
        raise ValidationError({"target_region_code": _("不能移送给本机构。")})
    now = timezone.now()
    source = complaint.region
    clock = _close_clock(complaint, now)
    complaint.region = target
    complaint.status = Complaint.Status.TRANSFERRED
    complaint.decision_reason = reason
    complaint.save(update_fields=["region", "status", "decision_reason"])
    new = acceptance_start(complaint=complaint, at=now)
    timeline.record(
        complaint,
        "complaint.transferred",
        actor=actor,
        role=Role.CLERK,
        data={"from": source.code, "to": target.code, "reason": reason, "new_due": new.due_at, **clock},
    )
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
def complaint_dispute_transfer(*, complaint: Complaint, actor, source: Region, reason: str) -> Region:
    """The receiving office contests jurisdiction: the common superior's leader designates."""
    _expect(complaint, Complaint.Status.TRANSFERRED)
    required_text(reason, field="reason", label=_("理由"))
    superior = common_superior(source, complaint.region)
    deadline = acceptance_deadline(complaint)
    if deadline is not None and deadline.state != Deadline.State.PAUSED:
        deadline_pause(deadline=deadline, reason=reason, actor=actor, at=timezone.now())
    timeline.record(
        complaint,
        "complaint.transfer_disputed",
        actor=actor,
        role=Role.CLERK,
        data={"from": source.code, "disputed_by": complaint.region.code, "superior": superior.code, "reason": reason},
    )
    return superior


@one_transaction
def complaint_designate(*, complaint: Complaint, actor, superior: Region, target: Region, reason: str) -> Complaint:
    """指定管辖 by the common superior's leader: the target gets a fresh acceptance clock."""
    _expect(complaint, Complaint.Status.TRANSFERRED)
    if not target.path.startswith(superior.path):
        raise ValidationError({"target_region_code": _("只能指定本辖区内的机构。")})
    now = timezone.now()
    deadline = acceptance_deadline(complaint)
    if deadline is not None:
        deadline_cancel(deadline=deadline, at=now)
    complaint.region = target
    complaint.save(update_fields=["region"])
    new = acceptance_start(complaint=complaint, at=now)
    timeline.record(
        complaint,
        "complaint.jurisdiction_designated",
        actor=actor,
        role=Role.LEADER,
        data={"superior": superior.code, "to": target.code, "reason": reason, "new_due": new.due_at},
    )
    return complaint


@one_transaction
def complaint_escalation_reviewed(*, complaint: Complaint, actor, instruction: str) -> Complaint:
    """The leader's instruction on an overdue acceptance (督办意见)."""
    if not (instruction or "").strip():
        raise ValidationError({"instruction": _("请填写督办意见。")})
    timeline.record(
        complaint, "complaint.escalation_reviewed", actor=actor, role=Role.LEADER, data={"instruction": instruction}
    )
    return complaint
