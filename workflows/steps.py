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


def investigation_conclude(*, activation, actor, data) -> None:
    investigation.case_conclude_investigation(
        case=activation.process.case, actor=actor, violation=data["violation"], findings=data["findings"]
    )


def decide(*, activation, actor, data) -> None:
    process, case, decision = activation.process, activation.process.case, data["decision"]
    if decision in ("order_to_pay", "order_to_correct"):
        investigation.case_order(
            case=case, actor=actor, decision=decision, order_due=data["order_due"], facts=data["facts"]
        )
    elif decision == "penalty":
        investigation.case_pre_decision(
            case=case, actor=actor, proposed_penalty=data["proposed_penalty"], facts=data["facts"]
        )
    else:
        process.data["withdraw_reason"] = data["facts"]
    process.decision = decision
    process.save()


def withdraw_approve(*, activation, actor, data) -> None:
    process = activation.process
    if data["approved"]:
        investigation.case_withdraw(case=process.case, actor=actor, reason=process.data.get("withdraw_reason", ""))
    else:
        investigation.case_withdrawal_returned(case=process.case, actor=actor, opinion=data["opinion"])
    process.decision = "approved" if data["approved"] else "returned"
    process.save()


def legal_review(*, activation, actor, data) -> None:
    process = activation.process
    investigation.case_legal_review(case=process.case, actor=actor, approved=data["approved"], opinion=data["opinion"])
    process.decision = "approved" if data["approved"] else "returned"
    process.save()


def penalty_decide(*, activation, actor, data) -> None:
    process = activation.process
    if data["approved"]:
        investigation.case_penalty_decide(
            case=process.case, actor=actor, amount=data["amount"], order_due=data["order_due"]
        )
    else:
        investigation.case_penalty_returned(case=process.case, actor=actor, opinion=data["opinion"])
    process.decision = "approved" if data["approved"] else "returned"
    process.save()


def order_serve(*, activation, actor, data) -> None:
    from cases.documents import document_serve
    from cases.models import Document

    case = activation.process.case
    document = (
        case.documents.filter(
            kind__in=[Document.Kind.ORDER_TO_PAY, Document.Kind.ORDER_TO_CORRECT, Document.Kind.PENALTY_DECISION]
        )
        .order_by("-issued_at", "-id")
        .first()
    )
    document_serve(
        document=document,
        method=data["method"],
        served_at=data["served_at"],
        recipient=data["recipient"],
        proof=data.get("proof"),
        actor=actor,
        role="inspector",
    )


def verify(*, activation, actor, data) -> None:
    process = activation.process
    all_paid = investigation.case_verify(case=process.case, actor=actor, note=data["note"])
    process.decision = "paid" if all_paid else "unpaid"
    process.save()


def unpaid(*, activation, actor, data) -> None:
    investigation.case_unpaid_after_order(
        case=activation.process.case,
        actor=actor,
        compensation_rate=data["compensation_rate"],
        penalty_amount=data.get("penalty_amount"),
    )


def close(*, activation, actor, data) -> None:
    investigation.case_close(
        case=activation.process.case,
        actor=actor,
        closure_code=data["closure_code"],
        satisfaction=data["satisfaction"],
        note=data.get("note", ""),
    )


def filing_approve(*, activation, actor, data) -> None:
    process = activation.process
    if data["approved"]:
        process.case = investigation.case_file_proactive(
            region=process.region, proposal=process.data["proposal"], actor=actor, opinion=data["opinion"]
        )
    else:
        process.data["rejection"] = data["opinion"]
    process.decision = "approved" if data["approved"] else "rejected"
    process.save()


def extension_decide(*, activation, actor, data) -> None:
    process = activation.process
    if data["approved"]:
        investigation.case_extend_investigation(case=process.case, actor=actor, reason=process.data["reason"])
    else:
        investigation.case_extension_refused(case=process.case, actor=actor, opinion=data["opinion"])
