"""挂牌督办 under way: the lower office signs for the notice, reports and applies for closure (销号); the
supervising office approves the closure or returns it.

Each service touches its clocks first, then changes the supervision (clocks.step: the case, then the row).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..actors import Actor, Staff
from ..deadlines import deadline_close, deadline_pause, deadline_resume
from ..models import Deadline, Role, Supervision, SupervisionReport
from ..services import case_exception_revoke
from ..tx import one_transaction
from ..values import required_text
from .clocks import clock, close_report_clocks, expect, report_clock_start, step
from .rules import COMPLETE, EXCEPTION, REPORT, REPORTING, S


@one_transaction
def supervision_acknowledge(*, supervision: Supervision, actor: Actor, note: str = "") -> Supervision:
    """The case office's leader signs for the notice (签收)."""
    with step(
        supervision, expect=REPORTING, field="note", event="supervision.acknowledged", actor=actor, role=Role.LEADER
    ) as change:
        if supervision.acknowledged_at is not None:
            raise ValidationError({"note": _("督办通知已签收。")})
        change.set(acknowledged_at=timezone.now())
        change.data["note"] = (note or "").strip()
    return supervision


@one_transaction
def supervision_report(*, supervision: Supervision, actor: Staff, progress: str) -> SupervisionReport:
    """A progress report: late if after the interval's due time; the next interval starts where this one
    ended (on time) or now (late)."""
    progress = required_text(progress, field="progress")
    expect(supervision, REPORTING, "progress")
    now = timezone.now()
    current = clock(supervision, REPORT)
    late = current is not None and (current.state == Deadline.State.OVERDUE or now > current.due_at)
    due = current.due_at if current is not None else None
    close_report_clocks(supervision, now)
    with step(
        supervision,
        expect=REPORTING,
        field="progress",
        event="supervision.reported",
        actor=actor,
        role=Role.LEADER,
        at=now,
    ) as change:
        following = report_clock_start(supervision, now if late or due is None else due)
        report = SupervisionReport.objects.create(
            supervision=supervision,
            seq=supervision.reports.count() + 1,
            progress=progress,
            submitted_by=actor,
            submitted_at=now,
            late=late,
        )
        change.data.update(
            {"seq": report.seq, "late": late, "due_at": due, "next_due": following.due_at, "progress": progress}
        )
    return report


@one_transaction
def supervision_apply_close(*, supervision: Supervision, actor: Actor, result: str) -> Supervision:
    """销号申请 with the results: it stands for the interval's report; the completion clock pauses while the
    supervising office reviews it."""
    result = required_text(result, field="result")
    expect(supervision, REPORTING, "result")
    now = timezone.now()
    close_report_clocks(supervision, now)
    complete = clock(supervision, COMPLETE)
    if complete is not None and complete.state != Deadline.State.PAUSED:
        deadline_pause(deadline=complete, reason=_("已申请销号，督办机构审核中"), actor=actor, at=now)
    with step(
        supervision,
        expect=REPORTING,
        field="result",
        event="supervision.close_applied",
        actor=actor,
        role=Role.LEADER,
        at=now,
    ) as change:
        change.to(S.CLOSING, result=result)
        change.data["result"] = result
    return supervision


@one_transaction
def supervision_close(*, supervision: Supervision, actor: Actor, approved: bool, opinion: str) -> Supervision:
    """The supervising leader approves the closure (CLOSED) or returns it (back to reporting).

    Approved: the completion clock closes (judged at the application: MET if it came in time), and the
    supervising office's "supervise_case" exception is revoked. Why revoke rather than keep it read-only:
    the exception is already read-only, and it exists for the supervision (SPEC §2: "the supervising office
    of a supervised case"; exceptions are few). What the superior needs afterwards — accountability, audit,
    assessment — is done by its leaders and auditors, who see the case through their own subtree scope; the
    supervision's record (notice, reports, closure) stays on the case's timeline. Clerks and inspectors of
    the superior lose a case that is no longer theirs to follow (least privilege over personal data).

    Returned: the clock resumes with the time that was left (still overdue if it was), and a new report
    interval starts now.
    """
    opinion = required_text(opinion, field="opinion")
    expect(supervision, [S.CLOSING], "approved")
    now = timezone.now()
    complete = clock(supervision, COMPLETE)
    if approved:
        if complete is not None:
            deadline_close(deadline=complete, at=now)
        close_report_clocks(supervision, now)
    elif complete is not None:
        deadline_resume(deadline=complete, actor=actor, at=now)
    event = "supervision.closed" if approved else "supervision.close_returned"
    with step(
        supervision, expect=[S.CLOSING], field="approved", event=event, actor=actor, role=Role.LEADER, at=now
    ) as change:
        change.data["opinion"] = opinion
        if approved:
            change.to(S.CLOSED, closed_at=now)
            change.data["result"] = supervision.result
            change.data["deadline_state"] = complete.state if complete is not None else None
        else:
            overdue = complete is not None and complete.overdue_at is not None
            change.to(S.OVERDUE if overdue else S.ACTIVE)
            following = report_clock_start(supervision, now)
            change.data["due_at"] = complete.due_at if complete is not None else None
            change.data["next_report_due"] = following.due_at
    if approved:
        case_exception_revoke(
            case=supervision.case,
            codename=EXCEPTION,
            actor=actor,
            role=Role.LEADER,
            region=supervision.supervising_region,
        )
    return supervision
