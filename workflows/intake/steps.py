"""What the intake steps do: each maps its form's cleaned data to one cases.acceptance service.

Signature: step(*, activation, actor, data). The process reaches its complaint one way: `process.complaint`.
Routing flags go on the process (decision, region); the domain state changes in the service (which writes the
timeline event), facts included: the office a complaint was transferred from is `Complaint.transferred_from`.
"""

from __future__ import annotations

from cases import acceptance
from cases.models import Complaint

from ..nodes import routing_save


def _complaint(activation) -> Complaint:
    return activation.process.complaint


def complaint_decide(*, activation, actor, data) -> None:
    process = activation.process
    complaint = _complaint(activation)
    decision = data["decision"]
    reason = data.get("reason", "")
    if decision == "accept":
        process.case = acceptance.complaint_accept(complaint=complaint, actor=actor)
    elif decision == "refuse":
        acceptance.complaint_refuse(complaint=complaint, actor=actor, reason=reason)
    elif decision == "supplement":
        acceptance.complaint_request_supplement(complaint=complaint, actor=actor, reason=reason)
    elif decision == "transfer":
        acceptance.complaint_transfer(complaint=complaint, actor=actor, target=data["target_region"], reason=reason)
        process.region = data["target_region"]
    elif decision == "dispute":
        source = complaint.transferred_from
        superior = acceptance.complaint_dispute_transfer(complaint=complaint, actor=actor, source=source, reason=reason)
        process.region = superior
    process.decision = decision
    routing_save(process)


def complaint_supplement_receive(*, activation, actor, data) -> None:
    acceptance.complaint_supplement_received(complaint=_complaint(activation), actor=actor, note=data["note"])


def complaint_designate(*, activation, actor, data) -> None:
    process = activation.process
    acceptance.complaint_designate(
        complaint=_complaint(activation),
        actor=actor,
        superior=process.region,
        target=data["target_region"],
        reason=data["reason"],
    )
    process.region = data["target_region"]
    routing_save(process)


def complaint_escalation_review(*, activation, actor, data) -> None:
    acceptance.complaint_escalation_reviewed(
        complaint=_complaint(activation), actor=actor, instruction=data["instruction"]
    )
