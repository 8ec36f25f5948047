"""What the signal steps do: each maps its form to earlywarning's services (one per decision).

Signature: step(*, activation, actor, data). The process reaches its signal through its artifact."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from cases import investigation
from cases.models import Case, FilingProposal
from earlywarning import services
from earlywarning.models import Signal
from earlywarning.selectors import signal_summary
from projects.models import ProjectUnit

from ..nodes import routing_save


def signal_of(process) -> Signal:
    return Signal.objects.select_related("region", "project", "unit__employer", "employer").get(
        pk=process.artifact_object_id
    )


def _liable_unit(signal: Signal) -> ProjectUnit | None:
    if signal.unit is not None:
        return signal.unit
    if signal.project is not None:
        return signal.project.units.filter(role=ProjectUnit.Role.GENERAL).select_related("employer").first()
    return None


def proposal_for(signal: Signal, facts: str) -> dict:
    """The proactive case's proposal (立案审批表) from the signal: its unit, project, evidence and amounts."""
    unit = _liable_unit(signal)
    employer = unit.employer if unit is not None else signal.employer
    if employer is None:
        raise ValidationError({"decision": ["该预警未关联单位，不能直接立案，请通过主动立案录入用人单位。"]})
    body = {
        "origin": Case.Origin.EARLY_WARNING,
        "employer": {"name": employer.name, "uscc": employer.uscc, "address": employer.address},
        "project": {"name": signal.project.name, "address": signal.project.address} if signal.project else {},
        "workers_count": max(signal.workers, 1),
        "amount_owed": str(signal.amount),
        "facts": "\n".join(x for x in [signal_summary(signal), (facts or "").strip()] if x),
    }
    return investigation.filing_proposal_validate(body)


def signal_triage_decide(*, activation, actor, data) -> None:
    from ..investigation.flow import FilingFlow

    process = activation.process
    signal = signal_of(process)
    decision = data["decision"]
    if not signal.is_open:
        decision = "closed"  # resolved by a later check while the task waited: nothing left to decide
    elif decision == "dismiss":
        services.signal_dismiss(signal=signal, actor=actor, reason=data["reason"])
    elif decision == "explain":
        services.signal_explain_request(signal=signal, actor=actor, note=data.get("note", ""))
    elif decision == "interview":
        services.signal_interview(signal=signal, actor=actor, held_on=data["held_on"], record=data["record"])
    elif decision == "case":
        proposal = proposal_for(signal, data.get("facts", ""))
        filing_process = FilingFlow.start.run(region=signal.region, proposal=proposal, proposer=actor)
        filing = FilingProposal.objects.get(pk=filing_process.artifact_object_id)
        services.signal_case_propose(signal=signal, actor=actor, filing=filing)
    process.decision = decision
    routing_save(process)


def signal_explanation_record(*, activation, actor, data) -> None:
    services.signal_explanation_record(
        signal=signal_of(activation.process), actor=actor, explanation=data.get("explanation", ""),
        received=data.get("received", True),
    )  # fmt: skip


def signal_escalation_handle(*, activation, actor, data) -> None:
    services.signal_escalation_handle(signal=signal_of(activation.process), actor=actor, note=data["note"])
