"""What starts the intake flows from outside a step: the acceptance deadline's overdue handler (connected in
workflows.wiring) starts an escalation. The flows' steps are in .steps.
"""

from __future__ import annotations

from cases.models import Complaint, Region

from .flow import EscalationFlow

# --- deadline handler (connected in workflows.wiring) ----------------------------------------------------

UNDECIDED = {Complaint.Status.RECEIVED, Complaint.Status.TRANSFERRED}


def complaints_escalate(batch, now) -> None:
    """on_overdue_many("intake.acceptance"), SPEC §4.1 step 6: an undecided complaint past 5 working days →
    a task for the office's leader. A sweep batch's complaints and offices are read in two queries, then one
    escalation flow each."""
    ids = {d.complaint_id for d in batch if d.complaint_id is not None}
    undecided = Complaint.objects.filter(pk__in=ids, status__in=UNDECIDED).in_bulk()
    offices = Region.objects.in_bulk({d.region_id for d in batch if d.complaint_id in undecided})
    for deadline in batch:
        complaint = undecided.pop(deadline.complaint_id, None)  # one escalation per complaint
        if complaint is not None:
            EscalationFlow.start.run(complaint=complaint, region=offices[deadline.region_id])
