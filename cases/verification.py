"""After the order's deadline: verification of the order (paid, corrected), the unpaid hand-off with its
compensation order and fine, and closure (结案) on the leader's approval with a closure code."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import penalty, timeline
from .actors import Actor
from .case_step import case_step as _step
from .case_step import document_after as _document_after
from .enforcement import closure_refusal, enforcement_guard
from .ledger import ledger_all_paid, ledger_summary
from .models import Case, ClosureCode, Complaint, Decision, Document, Role, Satisfaction
from .tx import one_transaction
from .values import in_office_language

# --- after the order's deadline --------------------------------------------------------------


@one_transaction
def case_verify(*, case: Case, actor: Actor, note: str) -> bool:
    """Verification after the order's deadline: were all workers paid (per the ledger)? Refused before the
    deadline has passed (cases.enforcement.enforcement_guard)."""
    enforcement_guard(case=case)
    all_paid = ledger_all_paid(case)
    summary = ledger_summary(case)
    timeline.record(
        case,
        "case.verified",
        actor=actor,
        role=Role.INSPECTOR,
        data={"all_paid": all_paid, "note": note, **{k: summary[k] for k in ("owed", "paid", "outstanding")}},
    )
    return all_paid


COMPENSATION_MIN, COMPENSATION_MAX = 50, 100  # WPR art 54 / LSIR art 26: 50 %–100 % of the amount owed


@one_transaction
def case_unpaid_after_order(
    *, case: Case, actor: Actor, compensation_rate: int, penalty_amount, penalty_basis: str = ""
) -> Document:
    """Not paid by the deadline: extra compensation (50–100 %) and a penalty. The case stays
    ENFORCING with `unpaid_after_order` set: the hand-off point for criminal referral and credit listing.
    Refused before the order's deadline has passed, for an order to correct, and with nothing owed. A fine named
    here names its basis and lies within its range (per worker: the workers still owed)."""
    enforcement_guard(case=case)
    basis = None
    if penalty_amount not in (None, ""):
        summary = ledger_summary(case)
        workers = (summary["workers"] - summary["workers_paid_in_full"]) or 1
        basis, penalty_amount = penalty.fine_check(penalty_basis, penalty_amount, workers=workers)
    if case.decision == Decision.ORDER_TO_CORRECT:
        raise ValidationError({"compensation_rate": _("责令改正不涉及拖欠工资，不适用加付赔偿金。")})
    if ledger_summary(case)["outstanding"] <= 0:
        raise ValidationError({"compensation_rate": _("台账没有尚未支付的工资，不能责令加付赔偿金。")})
    if not COMPENSATION_MIN <= compensation_rate <= COMPENSATION_MAX:
        raise ValidationError(
            {
                "compensation_rate": _("加付赔偿金比例须在 %(a)d%% 至 %(b)d%% 之间。")
                % {"a": COMPENSATION_MIN, "b": COMPENSATION_MAX}
            }
        )
    with _step(case, None, "case.order_overdue", actor=actor) as step:
        outstanding = ledger_summary(case)["outstanding"]
        compensation = (outstanding * compensation_rate / 100).quantize(Decimal("0.01"))
        step.set(
            unpaid_after_order=True,
            compensation_rate=compensation_rate,
            penalty_amount=penalty_amount or case.penalty_amount,
        )
        document = _document_after(
            step,
            case=case,
            kind=Document.Kind.COMPENSATION_ORDER,
            actor=actor,
            role=Role.INSPECTOR,
            data={"rate": compensation_rate, "outstanding": str(outstanding), "compensation": str(compensation)},
        )
        step.data.update(outstanding=outstanding, compensation_rate=compensation_rate, compensation=compensation,
                         penalty=penalty_amount, document=document.number)  # fmt: skip
        if basis is not None:
            step.data["basis"] = basis.code
    return document


@one_transaction
def case_close(*, case: Case, actor: Actor, closure_code: str, satisfaction: str, note: str = "") -> Case:
    """结案 on the leader's approval, with a standard closure code and the complainants' follow-up."""
    if closure_code not in ClosureCode.values:
        raise ValidationError({"closure_code": _("无效的结案方式。")})
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("请记录投诉人满意度回访结果。")})
    if closure_code == ClosureCode.PAID_IN_FULL and not ledger_all_paid(case):
        raise ValidationError({"closure_code": _("台账显示仍有未足额支付的劳动者，不能以“已全额支付”结案。")})
    why = closure_refusal(case, closure_code)
    if why:
        raise ValidationError({"closure_code": why})
    with _step(case, None, "case.closed", actor=actor, role=Role.LEADER) as step:
        step.to(Case.Status.CLOSED, closure_code=closure_code, satisfaction=satisfaction, closed_at=timezone.now())
        step.data.update(closure_code=closure_code, satisfaction=satisfaction, note=note)
    _complaints_closed(case)
    return case


def _complaints_closed(case: Case) -> None:
    from .notifications import complainant_notify

    outcome = in_office_language(lambda: str(case.get_closure_code_display()))  # the SMS is in Chinese
    for complaint in case.complaints.exclude(status=Complaint.Status.REFUSED):
        Complaint.objects.filter(pk=complaint.pk).update(status=Complaint.Status.CLOSED)
        complaint.status = Complaint.Status.CLOSED
        complainant_notify(complaint=complaint, event="closed", reason=outcome)
