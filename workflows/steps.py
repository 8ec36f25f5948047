"""What each human step does: map the form's cleaned data to one cases service.

Signature: step(*, activation, actor, data). Routing flags go on the process; the
domain state changes in the service (which writes the timeline event).
"""

from __future__ import annotations

from cases import acceptance, investigation
from cases.models import Region


def acceptance_decide(*, activation, actor, data) -> None:
    process = activation.process
    complaint = process.complaint
    decision = data["decision"]
    reason = data.get("reason", "")
    if decision == "accept":
        process.case = acceptance.complaint_accept(complaint=complaint, actor=actor)
    elif decision == "refuse":
        acceptance.complaint_refuse(complaint=complaint, actor=actor, reason=reason)
    elif decision == "supplement":
        acceptance.complaint_request_supplement(complaint=complaint, actor=actor, reason=reason)
    elif decision == "transfer":
        source = process.region
        acceptance.complaint_transfer(complaint=complaint, actor=actor, target=data["target_region"], reason=reason)
        process.data["transferred_from"] = source.code
        process.region = data["target_region"]
    elif decision == "dispute":
        source = Region.objects.get(code=process.data["transferred_from"])
        superior = acceptance.complaint_dispute_transfer(complaint=complaint, actor=actor, source=source, reason=reason)
        process.region = superior
    process.decision = decision
    process.save()


def supplement_receive(*, activation, actor, data) -> None:
    acceptance.complaint_supplement_received(complaint=activation.process.complaint, actor=actor, note=data["note"])


def jurisdiction_designate(*, activation, actor, data) -> None:
    process = activation.process
    acceptance.complaint_designate(
        complaint=process.complaint,
        actor=actor,
        superior=process.region,
        target=data["target_region"],
        reason=data["reason"],
    )
    process.data.pop("transferred_from", None)
    process.region = data["target_region"]
    process.save()


def escalation_review(*, activation, actor, data) -> None:
    acceptance.complaint_escalation_reviewed(
        complaint=activation.process.complaint, actor=actor, instruction=data["instruction"]
    )


def inspectors_assign(*, activation, actor, data) -> None:
    investigation.case_assign_inspectors(
        case=activation.process.case,
        inspectors=list(data["inspectors"]),
        actor=actor,
        conflict_declared=data["conflict_declared"],
    )
