"""What the flows do when a deadline warns or runs out (registered in WorkflowsConfig.ready)."""

from cases import deadlines
from cases.models import Complaint, Region

UNDECIDED = {Complaint.Status.RECEIVED, Complaint.Status.TRANSFERRED}


def acceptance_overdue(batch, now) -> None:
    """SPEC §4.1 step 6: an undecided complaint past 5 working days → a task for the office's leader.
    A sweep batch's complaints and offices are read in two queries, then one escalation flow each."""
    from .flows import EscalationFlow

    ids = {d.complaint_id for d in batch if d.complaint_id is not None}
    undecided = Complaint.objects.filter(pk__in=ids, status__in=UNDECIDED).in_bulk()
    offices = Region.objects.in_bulk({d.region_id for d in batch if d.complaint_id in undecided})
    for deadline in batch:
        complaint = undecided.pop(deadline.complaint_id, None)  # one escalation per complaint
        if complaint is not None:
            EscalationFlow.start.run(complaint=complaint, region=offices[deadline.region_id])


def register() -> None:
    deadlines.on_overdue_many("intake.acceptance", acceptance_overdue)
