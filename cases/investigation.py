"""Investigation services (SPEC §4.2). The flow's first step: assigning the inspectors."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import penalty, scope, timeline
from .actors import Actor, Staff
from .case_step import case_step as _step
from .case_step import document_after as _document_after
from .complainant_notices import case_complainants_tell
from .deadlines import deadline_close, deadline_pause, deadline_resume, deadline_start
from .enforcement import handling_decision_issue
from .extension import (  # noqa: F401  (importers)
    case_extend_investigation,
    case_extension_refused,
    case_extension_request,
    extension_request_check,
)
from .models import (
    Case,
    CaseInspector,
    CaseLiableUnit,
    ClosureCode,
    Complaint,
    Deadline,
    Decision,
    Document,
    Role,
    StaffRole,
)
from .proactive import (  # noqa: F401  (importers)
    PROACTIVE_ORIGINS,
    case_file_proactive,
    filing_proposal_validate,
    filing_propose,
    filing_reject,
)
from .transitions import transition
from .tx import one_transaction
from .values import required_text
from .verification import (  # noqa: F401  (importers: the flows' steps, tests)
    _complaints_closed,
    case_close,
    case_unpaid_after_order,
    case_verify,
)

MIN_INSPECTORS = 2  # LSIR art 16: at least two inspectors per action


def inspectors_of(region) -> list:
    """Inspectors holding the inspector role at the case's office."""
    User = get_user_model()
    ids = StaffRole.objects.filter(region=region, role=Role.INSPECTOR).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))


@one_transaction
def case_assign_inspectors(
    *, case: Case, inspectors: list, actor: Actor, conflict_declared: bool
) -> list[CaseInspector]:
    """A leader assigns at least two inspectors of the office, who declare no conflict of interest."""
    eligible = {u.pk for u in inspectors_of(case.region)}
    chosen = {u.pk: u for u in inspectors}
    if len(chosen) < MIN_INSPECTORS:
        raise ValidationError({"inspectors": _("至少指派两名监察员。")})
    if set(chosen) - eligible:
        raise ValidationError({"inspectors": _("只能指派本机构的监察员。")})
    if not conflict_declared:
        raise ValidationError({"conflict_declared": _("请确认被指派人员与本案无利害关系（回避）。")})
    with transition(case, expect=None, event="case.inspectors_assigned", actor=actor, role=Role.LEADER) as step:
        now = timezone.now()
        CaseInspector.objects.filter(case=case, active=True).exclude(inspector_id__in=chosen).update(active=False)
        existing = set(CaseInspector.objects.filter(case=case, active=True).values_list("inspector_id", flat=True))
        rows = [
            CaseInspector(case=case, inspector=u, assigned_by=actor, assigned_at=now, conflict_declared=True)
            for pk, u in chosen.items()
            if pk not in existing
        ]
        CaseInspector.objects.bulk_create(rows)
        if case.status == Case.Status.FILED:  # the first assignment opens the investigation
            step.to(Case.Status.INVESTIGATING)
            Complaint.objects.filter(case=case, status=Complaint.Status.ACCEPTED).update(
                status=Complaint.Status.INVESTIGATING
            )
        for user in inspectors:
            scope.forget(user)
        step.data.update(inspectors=sorted(u.get_username() for u in inspectors), conflict_declared=True)
    return list(CaseInspector.objects.filter(case=case, active=True))


# --- clocks: 60 WD to investigate, +30 once, suspension, 15 WD to decide -------------

INVESTIGATION = "investigation.complete"
DECIDE = "investigation.decide"
OPEN = [Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.OVERDUE]


def _clock(case: Case, kind: str) -> Deadline | None:
    return case.deadlines.filter(kind=kind, state__in=OPEN).order_by("-id").first()


def case_investigation_open(*, case: Case) -> Deadline:
    """The 60-working-day investigation clock from filing (LSIR art 17). Part of the filing change."""
    return deadline_start(kind=INVESTIGATION, region=case.region, start_at=case.filed_at, case=case)


@one_transaction
def case_suspend(*, case: Case, actor: Actor, reason: str) -> Case:
    """中止调查 (employer absconded, evidence missing): the investigation clock pauses."""
    required_text(reason, field="reason")
    with _step(
        case, [Case.Status.INVESTIGATING], "case.suspended", actor=actor, message=_("只有调查中的案件可以中止调查。")
    ) as step:
        deadline = _clock(case, INVESTIGATION)
        if deadline is not None and deadline.state != Deadline.State.PAUSED:
            deadline_pause(deadline=deadline, reason=reason, actor=actor)
        step.to(Case.Status.SUSPENDED)
        step.data["reason"] = reason
    case_complainants_tell(case=case, event="suspended", actor=actor, role=Role.INSPECTOR, reason=reason)
    return case


@one_transaction
def case_resume(*, case: Case, actor: Actor, reason: str) -> Case:
    required_text(reason, field="reason")
    with _step(
        case, [Case.Status.SUSPENDED], "case.resumed", actor=actor, message=_("只有已中止调查的案件可以恢复调查。")
    ) as step:
        deadline = _clock(case, INVESTIGATION)
        step.data["reason"] = reason
        if deadline is not None and deadline.state == Deadline.State.PAUSED:
            deadline_resume(deadline=deadline, actor=actor)
            deadline.refresh_from_db(fields=["due_at"])
            step.data["new_due"] = deadline.due_at
        step.to(Case.Status.INVESTIGATING)
    case_complainants_tell(case=case, event="resumed", actor=actor, role=Role.INSPECTOR)
    return case


@one_transaction
def case_conclude_investigation(*, case: Case, actor: Actor, violation: bool, findings: str) -> Case:
    """The investigation ends: its clock closes and the 15 working days to decide begin."""
    required_text(findings, field="findings")
    message = _("案件当前状态为“%(status)s”，不能结束调查。")
    with _step(case, [Case.Status.INVESTIGATING], "case.investigation_concluded", actor=actor, message=message) as step:
        now = timezone.now()
        deadline = _clock(case, INVESTIGATION)
        if deadline is not None:
            deadline_close(deadline=deadline, at=now)
        decide = deadline_start(kind=DECIDE, region=case.region, start_at=now, case=case)
        step.to(Case.Status.DECIDING)
        step.data.update(violation=violation, findings=findings, decide_due=decide.due_at)
    return case


def _close_decide_clock(case: Case, now) -> None:
    deadline = _clock(case, DECIDE)
    if deadline is not None:
        deadline_close(deadline=deadline, at=now)


# --- decisions ----------------------------------------------------------------------------


@one_transaction
def case_withdrawal_propose(*, case: Case, actor: Actor, reason: str) -> Case:
    """The inspector proposes 撤销立案: the reason is kept on the case for the leader (no event: the case does not
    change state until the leader approves; the withdrawal's event carries the reason)."""
    Case.objects.filter(pk=case.pk).update(withdraw_reason=reason)
    case.withdraw_reason = reason
    return case


@one_transaction
def case_withdraw(*, case: Case, actor: Actor, reason: str) -> Case:
    """撤销立案 on the leader's approval: no violation established."""
    required_text(reason, field="reason")
    with _step(case, None, "case.withdrawn", actor=actor, role=Role.LEADER) as step:
        now = timezone.now()
        _close_decide_clock(case, now)
        step.to(Case.Status.WITHDRAWN, decision=Decision.WITHDRAW, closure_code=ClosureCode.WITHDRAWN, closed_at=now)
        document = _document_after(
            step,
            case=case,
            kind=Document.Kind.WITHDRAWAL_DECISION,
            actor=actor,
            role=Role.LEADER,
            data={"reason": reason},
        )
        step.data.update(reason=reason, document=document.number)
    _complaints_closed(case)
    return case


@one_transaction
def case_order(
    *, case: Case, actor: Actor, decision: str, order_due, facts: str, liable_unit: CaseLiableUnit | None = None
) -> Document:
    """责令限期支付 / 责令改正: the order, numbered and rendered; the employer — or the liable unit chosen for an
    order to pay (the general contractor paying first, WPR art. 30) — must comply by `order_due`."""
    required_text(facts, field="facts")
    if decision not in (Decision.ORDER_TO_PAY, Decision.ORDER_TO_CORRECT):
        raise ValidationError({"decision": _("无效的处理决定。")})
    today = timezone.localdate()
    if order_due <= today:
        raise ValidationError({"order_due": _("履行期限须晚于今天。")})
    with _step(case, None, "case.decided", actor=actor) as step:
        now = timezone.now()
        _close_decide_clock(case, now)
        step.to(Case.Status.ENFORCING, decision=decision, order_due=order_due)
        if decision == Decision.ORDER_TO_PAY:  # the order to pay is the handling decision (行政处理决定书)
            for name, value in step.changes.items():
                setattr(case, name, value)
            document = handling_decision_issue(
                case=case, actor=actor, order_due=order_due, facts=facts, role=Role.INSPECTOR,
                liable_unit=liable_unit,
            )  # fmt: skip
        else:
            document = _document_after(
                step,
                case=case,
                kind=Document.Kind.ORDER_TO_CORRECT,
                actor=actor,
                role=Role.INSPECTOR,
                data={"facts": facts, "due_date": order_due.isoformat()},
            )
        step.data.update(decision=decision, order_due=order_due, document=document.number)
    case_complainants_tell(
        case=case, event="order_issued", actor=actor, role=Role.INSPECTOR, reason=order_due.isoformat()
    )
    return document


@one_transaction
def case_pre_decision(
    *,
    case: Case,
    actor: Staff,
    proposed_penalty,
    facts: str,
    basis,
    workers_concerned: int = 1,
    party_is_unit: bool | None = None,
) -> Document:
    """行政处罚告知书: facts, the basis (its range checked), the party's statement window and, at or above the
    province's hearing threshold, the right to a hearing (cases.penalty: the procedure and its clocks start)."""
    required_text(facts, field="facts")
    if proposed_penalty is None or proposed_penalty <= 0:
        raise ValidationError({"proposed_penalty": _("请填写拟处罚金额。")})
    proposal = penalty.notice_data(
        case=case, basis=basis, amount=proposed_penalty, workers_concerned=workers_concerned,
        party_is_unit=party_is_unit,
    )  # fmt: skip
    with _step(case, None, "case.pre_decision_notified", actor=actor) as step:
        step.set(decision=Decision.PENALTY, penalty_amount=proposed_penalty)
        document = _document_after(
            step,
            case=case,
            kind=Document.Kind.PRE_DECISION_NOTICE,
            actor=actor,
            role=Role.INSPECTOR,
            data={
                "facts": facts, "proposed_penalty": str(proposed_penalty), "basis_title": proposal["basis"].title,
                "statement_wd": proposal["statement_wd"], "hearing_right": proposal["hearing_right"],
            },
        )  # fmt: skip
        penalty.procedure_open(case=case, notice=document, actor=actor, facts=proposal)
        step.data.update(
            proposed_penalty=proposed_penalty, document=document.number, basis=proposal["basis"].code,
            hearing_right=proposal["hearing_right"],
        )  # fmt: skip
    return document


@one_transaction
def case_legal_review(*, case: Case, actor: Actor, approved: bool, opinion: str) -> Case:
    """法制审核 of a proposed penalty before the leader decides."""
    required_text(opinion, field="opinion")
    timeline.record(
        case, "case.legal_reviewed", actor=actor, role=Role.LEGAL, data={"approved": approved, "opinion": opinion}
    )
    return case


@one_transaction
def case_penalty_decide(*, case: Case, actor: Actor, amount) -> Document:
    """行政处罚决定书 by the leader: the fine alone, paid within 15 days of its service (APL art 67; the clock
    penalty.fine_payment starts at service). The wage order's deadline (case.order_due) is the handling
    decision's (cases.enforcement.case_handling_decide), never the penalty decision's."""
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("请填写罚款金额。")})
    procedure = penalty.penalty_decision_check(case=case, amount=amount)  # windows, hearing, review, range
    with _step(case, None, "case.penalty_decided", actor=actor, role=Role.LEADER) as step:
        step.data["basis"] = procedure.basis.code
        now = timezone.now()
        _close_decide_clock(case, now)
        step.to(Case.Status.ENFORCING, penalty_amount=amount)
        document = _document_after(
            step,
            case=case,
            kind=Document.Kind.PENALTY_DECISION,
            actor=actor,
            role=Role.LEADER,
            data={"penalty": str(amount), "basis_title": procedure.basis.title},
        )
        step.data.update(amount=amount, document=document.number)
    return document


@one_transaction
def case_withdrawal_returned(*, case: Case, actor: Actor, opinion: str) -> Case:
    required_text(opinion, field="opinion")
    timeline.record(case, "case.withdrawal_returned", actor=actor, role=Role.LEADER, data={"opinion": opinion})
    return case


@one_transaction
def case_penalty_returned(*, case: Case, actor: Actor, opinion: str) -> Case:
    required_text(opinion, field="opinion")
    timeline.record(case, "case.penalty_returned", actor=actor, role=Role.LEADER, data={"opinion": opinion})
    return case
