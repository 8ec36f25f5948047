"""挂牌督办 begins: the rules' proposal, a start by hand, the superior's confirmation or refusal.

Starting issues the numbered notice (by the supervising office), starts the completion and report clocks
and grants the supervising office "supervise_case" on the case (read-only), each writing its own event
(document_issue, case_exception_grant), then the supervision's "supervision.started".
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..actors import Actor
from ..deadlines import deadline_start
from ..documents import document_issue
from ..models import Case, Document, Region, Role, Supervision
from ..provinces import province_config
from ..services import case_exception_grant
from ..transitions import Step
from ..tx import one_transaction
from ..values import required_text
from .clocks import lock_case, report_clock_start, step
from .offices import check_supervisor, strictly_above
from .rules import CASE_CLOSED, COMPLETE, EXCEPTION, OPEN, S, reasons_text, supervision_rules


def _lock_case_for_new(case: Case) -> None:
    """Serialise starts on one case, then refuse a second open supervision (the constraint backs this up)."""
    lock_case(case.pk)
    case.refresh_from_db(fields=["status"])
    if case.status in CASE_CLOSED:
        raise ValidationError({"case_no": _("案件已办结，不能挂牌督办。")})
    if Supervision.objects.filter(case=case, status__in=OPEN).exists():
        raise ValidationError({"case_no": _("该案件已在督办中（或已建议督办）。")})


@one_transaction
def supervision_propose(
    *, case: Case, supervising_region: Region, reasons: list[str], now: datetime | None = None
) -> Supervision:
    """A PROPOSED supervision for the superior's leader to confirm (or decline)."""
    if not strictly_above(supervising_region, case.region):
        raise ValidationError({"supervising_region": _("督办机构须为案件承办机构的上级机构。")})
    if not reasons:
        raise ValidationError({"reasons": _("没有符合督办条件的情形。")})
    _lock_case_for_new(case)
    supervision = Supervision.objects.create(
        case=case, supervising_region=supervising_region, status=S.PROPOSED, rule_reasons=list(reasons)
    )
    with step(supervision, expect=None, event="supervision.proposed", at=now, locked=True) as change:
        change.data.update({"supervising_region": supervising_region.code, "reasons": reasons})
    return supervision


def supervision_propose_if_due(case: Case, *, now: datetime | None = None) -> Supervision | None:
    """Propose to the superior of the case's office when a rule holds and the case was never proposed."""
    reasons = supervision_rules(case)
    superior = case.region.parent
    if not reasons or superior is None or case.status in CASE_CLOSED or case.supervisions.exists():
        return None
    return supervision_propose(case=case, supervising_region=superior, reasons=reasons, now=now)


def _activate(
    change: Step,
    supervision: Supervision,
    *,
    actor: Actor,
    complex: bool,
    requirements: str,
    proposed: bool,
    now: datetime,
) -> None:
    """Issue the notice: days and interval from the province's settings, the clocks, the exception."""
    case, office = supervision.case, supervision.supervising_region
    config = province_config(case.region)
    days = config.supervision_days_complex if complex else config.supervision_days
    interval = config.supervision_report_wd
    # the clocks start with the supervision: supervision_complete_deadline() matches on started_at
    complete = deadline_start(kind=COMPLETE, region=case.region, start_at=now, case=case, length=days)
    report = report_clock_start(supervision, now, length=interval)
    reasons = supervision.rule_reasons or supervision_rules(case)
    notice = document_issue(
        case=case,
        kind=Document.Kind.SUPERVISION_NOTICE,
        actor=actor,
        role=Role.LEADER,
        office=office,
        at=now,
        data={
            "due_date": complete.due_at,
            "report_interval": interval,
            "reason": reasons_text(reasons),
            "requirements": requirements,
        },
    )
    change.to(
        S.ACTIVE,
        started_at=now,
        report_interval_wd=interval,
        complex=complex,
        days=days,
        notice=notice,
        requirements=requirements,
        started_by=actor,
        rule_reasons=reasons,
    )
    case_exception_grant(case=case, codename=EXCEPTION, actor=actor, role=Role.LEADER, region=office)
    change.data.update(
        {
            "supervising_region": office.code,
            "proposed": proposed,
            "complex": complex,
            "days": days,
            "due_at": complete.due_at,
            "report_interval_wd": interval,
            "first_report_due": report.due_at,
            "notice": notice.number,
            "requirements": requirements,
            "reasons": reasons,
        }
    )


@one_transaction
def supervision_start(
    *, case: Case, supervising_region: Region, actor: Actor, complex: bool, requirements: str
) -> Supervision:
    """A city or province leader puts a case of an office below under supervision: the numbered notice
    (issued by the supervising office), the completion and report clocks, the supervising office's access."""
    check_supervisor(case=case, supervising_region=supervising_region, actor=actor)
    requirements = required_text(requirements, field="requirements")
    _lock_case_for_new(case)
    supervision = Supervision.objects.create(case=case, supervising_region=supervising_region, status=S.PROPOSED)
    now = timezone.now()
    with step(
        supervision, expect=None, event="supervision.started", actor=actor, role=Role.LEADER, at=now, locked=True
    ) as change:
        _activate(change, supervision, actor=actor, complex=complex, requirements=requirements, proposed=False, now=now)
    return supervision


@one_transaction
def supervision_confirm(*, supervision: Supervision, actor: Actor, complex: bool, requirements: str) -> Supervision:
    """The superior's leader confirms a proposal: the same notice, clocks and access as a start by hand."""
    check_supervisor(case=supervision.case, supervising_region=supervision.supervising_region, actor=actor)
    requirements = required_text(requirements, field="requirements")
    now = timezone.now()
    with step(
        supervision,
        expect=[S.PROPOSED],
        field="approved",
        event="supervision.started",
        actor=actor,
        role=Role.LEADER,
        at=now,
    ) as change:
        if supervision.case.status in CASE_CLOSED:
            raise ValidationError({"approved": _("案件已办结，不能挂牌督办。")})
        _activate(change, supervision, actor=actor, complex=complex, requirements=requirements, proposed=True, now=now)
    return supervision


@one_transaction
def supervision_decline(*, supervision: Supervision, actor: Actor, opinion: str) -> Supervision:
    """The superior's leader declines a proposal (it is not proposed again; a start by hand remains possible)."""
    check_supervisor(case=supervision.case, supervising_region=supervision.supervising_region, actor=actor)
    opinion = required_text(opinion, field="opinion")
    with step(
        supervision, expect=[S.PROPOSED], field="approved", event="supervision.declined", actor=actor, role=Role.LEADER
    ) as change:
        change.to(S.DECLINED, closed_at=timezone.now())
        change.data["opinion"] = opinion
    return supervision
