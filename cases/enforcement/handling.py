"""行政处理决定书 (责令限期支付工资; issue 13 item 3): the order to pay wages is its own document, issued for an
order-to-pay decision and alongside a penalty decision on a case with arrears (the penalty decision then carries
only the fine). Referral and listing rely on it once served (guard.wage_order_served)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..actors import Actor
from ..complainant_notices import case_complainants_tell
from ..documents import document_issue
from ..models import Case, CaseLiableUnit, Document, Role
from ..transitions import transition
from ..tx import in_callers_transaction, one_transaction
from .guard import today_local


def _check_due(order_due: date | None) -> None:
    if order_due is None:
        raise ValidationError({"order_due": _("请填写限期支付工资的履行期限。")})
    if order_due <= today_local():
        raise ValidationError({"order_due": _("履行期限须晚于今天。")})


@in_callers_transaction
def handling_decision_issue(
    *,
    case: Case,
    actor: Actor,
    order_due: date,
    facts: str = "",
    role: str,
    liable_unit: CaseLiableUnit | None = None,
) -> Document:
    """The document alone (a part of the service that decides: case_order, case_handling_decide). Addressed to
    `liable_unit` when given (the general contractor ordered to pay first, WPR art. 30), else to the employer."""
    _check_due(order_due)
    data: dict = {"due_date": order_due.isoformat()}
    if liable_unit is not None:
        data["liable_unit"] = liable_unit.pk
    if facts and facts.strip():
        data["facts"] = facts.strip()
    return document_issue(case=case, kind=Document.Kind.HANDLING_DECISION, actor=actor, role=role, data=data)


@one_transaction
def case_handling_decide(
    *,
    case: Case,
    actor: Actor,
    order_due: date,
    facts: str = "",
    role: str = Role.LEADER,
    liable_unit: CaseLiableUnit | None = None,
) -> Document:
    """行政处理决定书 ordering the wages paid by `order_due` (alongside a penalty decision): one event,
    "case.handling_decided"; the case's order_due is the decision's (the enforcement guard reads it)."""
    _check_due(order_due)
    with transition(case, expect=None, event="case.handling_decided", actor=actor, role=role) as step:
        step.set(order_due=order_due)
        case.order_due = order_due
        document = handling_decision_issue(
            case=case, actor=actor, order_due=order_due, facts=facts, role=role, liable_unit=liable_unit
        )
        step.data.update(order_due=order_due, document=document.number)
    case_complainants_tell(case=case, event="order_issued", actor=actor, role=role, reason=order_due.isoformat())
    return document
