"""What the flows do when a deadline warns or runs out (registered in WorkflowsConfig.ready)."""

from cases import deadlines
from cases.models import Complaint

UNDECIDED = {Complaint.Status.RECEIVED, Complaint.Status.TRANSFERRED}


def acceptance_overdue(deadline, now) -> None:
    """SPEC §4.1 step 6: an undecided complaint past 5 working days → a task for the office's leader."""
    from .flows import EscalationFlow

    complaint = deadline.complaint
    if complaint is not None and complaint.status in UNDECIDED:
        EscalationFlow.start.run(complaint=complaint, region=deadline.region)


def register() -> None:
    deadlines.on_overdue("intake.acceptance", acceptance_overdue)
