"""What the supervision steps do: each maps its form to one cases.supervision service.

Signature: step(*, activation, actor, data). The process reaches its supervision one way: its artifact
(`_supervision`). Each step moves the process's region to the office that acts next. The manual start and
the sweep's reactions (proposals, missed reports, overdue supervisions) are here too.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction

from cases import scope
from cases import supervision as supervision_services
from cases.models import Supervision
from cases.scope import Right

from ..nodes import routing_save

logger = logging.getLogger(__name__)


def _flows():
    from . import flow  # flow.py imports this module for its nodes' services

    return flow


def supervision_of(process) -> Supervision:
    return Supervision.objects.select_related("case__region", "supervising_region").get(pk=process.artifact_object_id)


def supervision_confirm_decide(*, activation, actor, data) -> None:
    process = activation.process
    supervision = supervision_of(process)
    if data["approved"]:
        supervision_services.supervision_confirm(
            supervision=supervision, actor=actor, complex=data["complex"], requirements=data["requirements"]
        )
        process.region = supervision.case.region
        process.decision = "confirmed"
    else:
        supervision_services.supervision_decline(supervision=supervision, actor=actor, opinion=data["opinion"])
        process.decision = "declined"
    routing_save(process)


def supervision_notice_acknowledge(*, activation, actor, data) -> None:
    supervision_services.supervision_acknowledge(
        supervision=supervision_of(activation.process), actor=actor, note=data.get("note", "")
    )


def supervision_progress_report(*, activation, actor, data) -> None:
    process = activation.process
    supervision = supervision_of(process)
    if data["decision"] == "apply_close":
        supervision_services.supervision_apply_close(supervision=supervision, actor=actor, result=data["result"])
        process.region = supervision.supervising_region
    else:
        supervision_services.supervision_report(supervision=supervision, actor=actor, progress=data["progress"])
    process.decision = data["decision"]
    routing_save(process)


def supervision_closure_review(*, activation, actor, data) -> None:
    process = activation.process
    supervision = supervision_of(process)
    supervision_services.supervision_close(
        supervision=supervision, actor=actor, approved=data["approved"], opinion=data["opinion"]
    )
    if not data["approved"]:
        process.region = supervision.case.region
    process.decision = "approved" if data["approved"] else "returned"
    routing_save(process)


def supervision_alert_handle(*, activation, actor, data) -> None:
    process = activation.process
    supervision_services.supervision_alert_handled(
        supervision=supervision_of(process), actor=actor, kind=process.decision, note=data["note"]
    )


# --- the manual start (listed in workflows.wiring.STARTABLE) ------------------------------------------


def supervision_flow_start(actor, form):
    case = scope.case_for_user(actor, form.cleaned_data["case_no"].strip(), Right.SUPERVISE)
    office = supervision_services.supervising_office_for(actor, case)
    supervision = supervision_services.supervision_start(
        case=case,
        supervising_region=office,
        actor=actor,
        complex=form.cleaned_data["complex"],
        requirements=form.cleaned_data["requirements"],
    )
    return _flows().SupervisionFlow.start.run(supervision=supervision)


# --- the sweep: proposals, missed reports, overdue supervisions (connected in workflows.wiring) ----------


def supervision_proposals_check(*, now: datetime) -> int:
    """PERIODIC_CHECKS entry: propose a supervision for each case the rules now cover (one transaction each)."""
    proposed = 0
    for case in supervision_services.supervision_candidates():
        try:
            with transaction.atomic():
                supervision = supervision_services.supervision_propose_if_due(case, now=now)
                if supervision is not None:
                    _flows().SupervisionFlow.start_proposal.run(supervision=supervision)
                    proposed += 1
        except Exception:
            logger.exception("supervision proposal for case %s failed; retried next sweep", case.pk)
    return proposed


def supervision_report_missed(deadline, now, *, supervision=None) -> None:
    """A report interval ran out: a reminder, and a task for the case office's leader."""
    supervision = supervision or supervision_services.supervision_for_deadline(deadline)
    if supervision is None:
        return
    if supervision_services.supervision_remind(supervision=supervision, now=now) is not None:
        _flows().SupervisionAlertFlow.start.run(
            supervision=supervision, region=supervision.case.region, alert="reminder"
        )


def supervision_report_still_missing(deadline, now, *, supervision=None) -> None:
    """One more interval and still no report: escalated to the supervising office's leader."""
    supervision = supervision or supervision_services.supervision_for_deadline(deadline)
    if supervision is None:
        return
    if supervision_services.supervision_escalate_missed_report(supervision=supervision, now=now):
        _flows().SupervisionAlertFlow.start.run(
            supervision=supervision, region=supervision.supervising_region, alert="missed_report"
        )


def supervisions_report_missed(deadlines, now) -> None:
    """on_overdue_many("supervision.report"): supervision_report_missed() for a sweep batch, one look-up in all."""
    supervision_services.each_supervised(supervision_report_missed, deadlines, now)


def supervisions_report_still_missing(deadlines, now) -> None:
    """on_overdue_many("supervision.report_grace"): supervision_report_still_missing() for a sweep batch."""
    supervision_services.each_supervised(supervision_report_still_missing, deadlines, now)


def supervision_next_level_notify(supervision: Supervision, now) -> None:
    """on_supervision_overdue hook: a task for the leader of the next level up."""
    _flows().SupervisionAlertFlow.start.run(
        supervision=supervision, region=supervision_services.supervision_next_level(supervision), alert="overdue"
    )
