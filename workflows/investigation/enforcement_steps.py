"""What the enforcement steps do (after "unpaid"): each maps its form to one cases.enforcement service and
routes the process (CaseProcess.decision)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases import enforcement, investigation
from cases.models import Case


def _case(activation) -> Case:
    return activation.process.case


def _route(activation, decision: str) -> None:
    activation.process.decision = decision
    activation.process.save()


def case_demand(*, activation, actor, data) -> None:
    enforcement.case_demand_issue(case=_case(activation), actor=actor, facts=data.get("facts", ""))


def case_demand_serve(*, activation, actor, data) -> None:
    enforcement.case_demand_serve(
        case=_case(activation),
        actor=actor,
        method=data["method"],
        served_at=data["served_at"],
        recipient=data["recipient"],
        proof=data.get("proof"),
    )


def case_enforce(*, activation, actor, data) -> None:
    case, outcome, note = _case(activation), data["outcome"], data.get("note", "")
    if outcome == "court":
        enforcement.case_court_apply(
            case=case, actor=actor, remedies=data.get("remedies", ""), note=note, court=data.get("court", "")
        )
    elif outcome == "penalty_executed":
        enforcement.case_penalty_executed(case=case, actor=actor, note=note)
    elif outcome == "demand":  # a fine unpaid (no wage order): the demand notice, then its service
        enforcement.case_demand_issue(case=case, actor=actor, facts=note)
    elif outcome == "transferred":
        enforcement.case_transfer_close(case=case, actor=actor, note=note)
    elif not investigation.case_verify(case=case, actor=actor, note=note or str(_("催告后核查支付情况。"))):
        raise ValidationError({"outcome": _("台账显示仍有未足额支付的劳动者，不能以“已全额支付”办结。")})
    _route(activation, outcome)


def case_court_outcome(*, activation, actor, data) -> None:
    enforcement.case_court_outcome(
        case=_case(activation), actor=actor, outcome=data["outcome"], note=data.get("note", "")
    )
    _route(activation, data["outcome"])
