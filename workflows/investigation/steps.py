"""What the investigation, filing and extension steps do: each maps its form to one cases service.

Signature: step(*, activation, actor, data). The process reaches its case one way: `process.case`
(a filing process has none until the leader files it). Routing flags go on the process; the domain state
changes in the service (which writes the timeline event), and so do the facts: the withdrawal's reason is
`Case.withdraw_reason`, a filing's proposal and an extension's request are rows, the process's artifact.
The manual starts (filing, extension) are here too.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns.services import hazard_case_filed
from cases import enforcement, investigation
from cases.ledger import ledger_summary
from cases.models import Case, CaseLiableUnit, Decision, ExtensionRequest, FilingProposal
from earlywarning.services import signal_case_filed
from inspections.rectification import inspection_case_filed
from reviews.findings import review_case_filed


def _case(activation) -> Case:
    return activation.process.case


def _route(activation, decision: str) -> None:
    activation.process.decision = decision
    activation.process.save()


def _approved(data) -> str:
    return "approved" if data["approved"] else "returned"


def case_inspectors_assign(*, activation, actor, data) -> None:
    investigation.case_assign_inspectors(
        case=_case(activation),
        inspectors=list(data["inspectors"]),
        actor=actor,
        conflict_declared=data["conflict_declared"],
    )


def case_investigation_conclude(*, activation, actor, data) -> None:
    investigation.case_conclude_investigation(
        case=_case(activation), actor=actor, violation=data["violation"], findings=data["findings"]
    )


def _liable_unit(case, unit_id) -> CaseLiableUnit | None:
    """The liable unit of the case the order is addressed to (none chosen: the employer)."""
    if not unit_id:
        return None
    unit = CaseLiableUnit.objects.filter(case=case, pk=unit_id).first()
    if unit is None:
        raise ValidationError({"liable_unit": _("请选择本案已列明的责任单位。")})
    return unit


def case_decide(*, activation, actor, data) -> None:
    case, decision = _case(activation), data["decision"]
    if decision in ("order_to_pay", "order_to_correct"):
        investigation.case_order(
            case=case, actor=actor, decision=decision, order_due=data["order_due"], facts=data["facts"],
            liable_unit=_liable_unit(case, data.get("liable_unit")),
        )  # fmt: skip
    elif decision == "penalty":
        investigation.case_pre_decision(
            case=case,
            actor=actor,
            proposed_penalty=data["proposed_penalty"],
            facts=data["facts"],
            basis=data.get("penalty_basis"),
            workers_concerned=data.get("workers_concerned") or 1,
            party_is_unit=None if data.get("penalty_basis") == "wpr_54_person" else not data.get("party_is_individual"),
        )
    else:
        investigation.case_withdrawal_propose(case=case, actor=actor, reason=data["facts"])
    _route(activation, decision)


def case_withdrawal_approve(*, activation, actor, data) -> None:
    case = _case(activation)
    if data["approved"]:
        investigation.case_withdraw(case=case, actor=actor, reason=case.withdraw_reason)
    else:
        investigation.case_withdrawal_returned(case=case, actor=actor, opinion=data["opinion"])
    _route(activation, _approved(data))


def case_legal_review(*, activation, actor, data) -> None:
    investigation.case_legal_review(
        case=_case(activation), actor=actor, approved=data["approved"], opinion=data["opinion"]
    )
    _route(activation, _approved(data))


def case_penalty_decide(*, activation, actor, data) -> None:
    case = _case(activation)
    if data["approved"]:
        if ledger_summary(case)["outstanding"] > 0 and not data.get("order_due"):
            raise ValidationError({"order_due": [_("本案有拖欠工资，请填写限期支付工资的履行期限。")]})
        investigation.case_penalty_decide(case=case, actor=actor, amount=data["amount"])
        if ledger_summary(case)["outstanding"] > 0:  # wages owed: ordered paid by the handling decision (item 3)
            enforcement.case_handling_decide(case=case, actor=actor, order_due=data["order_due"])
    else:
        investigation.case_penalty_returned(case=case, actor=actor, opinion=data["opinion"])
    _route(activation, _approved(data))


def case_order_serve(*, activation, actor, data) -> None:
    """Every decision not yet served (a handling decision goes with the penalty decision): the remedies start."""
    enforcement.case_decisions_serve(
        case=_case(activation),
        actor=actor,
        method=data["method"],
        served_at=data["served_at"],
        recipient=data["recipient"],
        proof=data.get("proof"),
    )


def case_verify(*, activation, actor, data) -> None:
    """An order to correct: corrected or not (never the ledger); else were the wages paid (the ledger)."""
    case = _case(activation)
    if case.decision == Decision.ORDER_TO_CORRECT:
        if data.get("corrected") not in ("yes", "no"):
            raise ValidationError({"corrected": [_("请核查并选择是否已按责令改正指令改正。")]})
        corrected = enforcement.case_correction_verify(
            case=case, actor=actor, corrected=data["corrected"] == "yes", note=data["note"]
        )
        _route(activation, "corrected" if corrected else "not_corrected")
        return
    all_paid = investigation.case_verify(case=case, actor=actor, note=data["note"])
    if not all_paid and not case.documents.filter(kind__in=enforcement.WAGE_ORDER_KINDS).exists():
        _route(activation, "penalty_only")  # a fine and no wages ordered paid: no compensation, no demand for wages
        return
    _route(activation, "paid" if all_paid else "unpaid")


def case_unpaid_handle(*, activation, actor, data) -> None:
    investigation.case_unpaid_after_order(
        case=_case(activation),
        actor=actor,
        compensation_rate=data["compensation_rate"],
        penalty_amount=data.get("penalty_amount"),
        penalty_basis=data.get("penalty_basis", ""),
    )


def case_close(*, activation, actor, data) -> None:
    investigation.case_close(
        case=_case(activation),
        actor=actor,
        closure_code=data["closure_code"],
        satisfaction=data["satisfaction"],
        note=data.get("note", ""),
    )


def filing_approve(*, activation, actor, data) -> None:
    process = activation.process
    filing = FilingProposal.objects.get(pk=process.artifact_object_id)
    if data["approved"]:
        process.case = investigation.case_file_proactive(
            region=filing.region, proposal=filing.proposal, actor=actor, opinion=data["opinion"], filing=filing
        )
        # a case proposed from warning signals: the signals link it, its ledger is pre-filled from their shortfall
        signal_case_filed(filing=filing, case=process.case, actor=actor)
        # a case proposed from a double-random inspection: the case's timeline names the inspection
        inspection_case_filed(filing=filing, case=process.case, actor=actor)
        # a case proposed from campaign hazards (专项行动): the case's timeline names each hazard
        hazard_case_filed(filing=filing, case=process.case, actor=actor)
        # a case proposed from a written-review report: the finding links it, the report's files become evidence
        review_case_filed(filing=filing, case=process.case, actor=actor)
    else:
        investigation.filing_reject(filing=filing, actor=actor, opinion=data["opinion"])
    _route(activation, "approved" if data["approved"] else "rejected")


def extension_decide(*, activation, actor, data) -> None:
    case = _case(activation)
    request = ExtensionRequest.objects.get(pk=activation.process.artifact_object_id)
    if data["approved"]:
        investigation.case_extend_investigation(case=case, actor=actor, reason=request.reason, request=request)
    else:
        investigation.case_extension_refused(case=case, actor=actor, opinion=data["opinion"], request=request)
