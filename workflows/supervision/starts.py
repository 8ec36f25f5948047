"""What starts the supervision flows: the manual start (listed in workflows.wiring.STARTABLE) and the sweep's
reactions connected there (proposals, missed reports, overdue supervisions). The flows' steps are in .steps.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction

from cases import scope
from cases import supervision as supervision_services
from cases.models import Supervision
from cases.scope import Right

from .flow import SupervisionAlertFlow, SupervisionFlow

logger = logging.getLogger(__name__)


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
    return SupervisionFlow.start.run(supervision=supervision)


# --- the sweep: proposals, missed reports, overdue supervisions (connected in workflows.wiring) ----------


def supervision_proposals_check(*, now: datetime) -> int:
    """PERIODIC_CHECKS entry: propose a supervision for each case the rules now cover (one transaction each)."""
    proposed = 0
    for case in supervision_services.supervision_candidates():
        try:
            with transaction.atomic():
                supervision = supervision_services.supervision_propose_if_due(case, now=now)
                if supervision is not None:
                    SupervisionFlow.start_proposal.run(supervision=supervision)
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
        SupervisionAlertFlow.start.run(supervision=supervision, region=supervision.case.region, alert="reminder")


def supervision_report_still_missing(deadline, now, *, supervision=None) -> None:
    """One more interval and still no report: escalated to the supervising office's leader."""
    supervision = supervision or supervision_services.supervision_for_deadline(deadline)
    if supervision is None:
        return
    if supervision_services.supervision_escalate_missed_report(supervision=supervision, now=now):
        SupervisionAlertFlow.start.run(
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
    SupervisionAlertFlow.start.run(
        supervision=supervision, region=supervision_services.supervision_next_level(supervision), alert="overdue"
    )
