"""Investigation services (SPEC §4.2). The flow's first step: assigning the inspectors."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import scope, timeline
from .deadlines import RULES, deadline_close, deadline_extend, deadline_pause, deadline_resume, deadline_start
from .documents import document_issue
from .ledger import ledger_all_paid, ledger_summary
from .models import (
    Case,
    CaseInspector,
    ClosureCode,
    Complaint,
    Deadline,
    Decision,
    Document,
    Role,
    Satisfaction,
    StaffRole,
)
from .values import required_text

MIN_INSPECTORS = 2  # LSIR art 16: at least two inspectors per action


def inspectors_of(region) -> list:
    """Inspectors holding the inspector role at the case's office."""
    User = get_user_model()
    ids = StaffRole.objects.filter(region=region, role=Role.INSPECTOR).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))


@transaction.atomic
def case_assign_inspectors(*, case: Case, inspectors: list, actor, conflict_declared: bool) -> list[CaseInspector]:
    """A leader assigns at least two inspectors of the office, who declare no conflict of interest."""
    eligible = {u.pk for u in inspectors_of(case.region)}
    chosen = {u.pk: u for u in inspectors}
    if len(chosen) < MIN_INSPECTORS:
        raise ValidationError({"inspectors": _("至少指派两名监察员。")})
    if set(chosen) - eligible:
        raise ValidationError({"inspectors": _("只能指派本机构的监察员。")})
    if not conflict_declared:
        raise ValidationError({"conflict_declared": _("请确认被指派人员与本案无利害关系（回避）。")})
    now = timezone.now()
    CaseInspector.objects.filter(case=case, active=True).exclude(inspector_id__in=chosen).update(active=False)
    existing = set(CaseInspector.objects.filter(case=case, active=True).values_list("inspector_id", flat=True))
    rows = [
        CaseInspector(case=case, inspector=u, assigned_by=actor, assigned_at=now, conflict_declared=True)
        for pk, u in chosen.items()
        if pk not in existing
    ]
    CaseInspector.objects.bulk_create(rows)
    if case.status == Case.Status.FILED:
        case.status = Case.Status.INVESTIGATING
        case.save(update_fields=["status"])
        Complaint.objects.filter(case=case, status=Complaint.Status.ACCEPTED).update(
            status=Complaint.Status.INVESTIGATING
        )
    for user in inspectors:
        scope.forget(user)
    timeline.record(
        case,
        "case.inspectors_assigned",
        actor=actor,
        role=Role.LEADER,
        data={"inspectors": sorted(u.get_username() for u in inspectors), "conflict_declared": True},
    )
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


@transaction.atomic
def case_extend_investigation(*, case: Case, actor, reason: str) -> Deadline:
    """+30 working days, once, on the leader's approval (LSIR art 17). deadline_extend records the event."""
    deadline = _clock(case, INVESTIGATION)
    if deadline is None:
        raise ValidationError({"case": _("该案件没有进行中的调查期限。")})
    return deadline_extend(
        deadline=deadline,
        length=RULES["investigation.extension"].length,
        reason=reason,
        approved_by=actor,
        role=Role.LEADER,
    )


@transaction.atomic
def case_suspend(*, case: Case, actor, reason: str) -> Case:
    """中止调查 (employer absconded, evidence missing): the investigation clock pauses."""
    required_text(reason, field="reason")
    if case.status != Case.Status.INVESTIGATING:
        raise ValidationError({"case": _("只有调查中的案件可以中止调查。")})
    deadline = _clock(case, INVESTIGATION)
    if deadline is not None and deadline.state != Deadline.State.PAUSED:
        deadline_pause(deadline=deadline, reason=reason, actor=actor)
    case.status = Case.Status.SUSPENDED
    case.save(update_fields=["status"])
    timeline.record(case, "case.suspended", actor=actor, role=Role.INSPECTOR, data={"reason": reason})
    return case


@transaction.atomic
def case_resume(*, case: Case, actor, reason: str) -> Case:
    required_text(reason, field="reason")
    if case.status != Case.Status.SUSPENDED:
        raise ValidationError({"case": _("只有已中止调查的案件可以恢复调查。")})
    deadline = _clock(case, INVESTIGATION)
    data: dict = {"reason": reason}
    if deadline is not None and deadline.state == Deadline.State.PAUSED:
        deadline_resume(deadline=deadline, actor=actor)
        deadline.refresh_from_db(fields=["due_at"])
        data["new_due"] = deadline.due_at
    case.status = Case.Status.INVESTIGATING
    case.save(update_fields=["status"])
    timeline.record(case, "case.resumed", actor=actor, role=Role.INSPECTOR, data=data)
    return case


@transaction.atomic
def case_conclude_investigation(*, case: Case, actor, violation: bool, findings: str) -> Case:
    """The investigation ends: its clock closes and the 15 working days to decide begin."""
    required_text(findings, field="findings")
    if case.status != Case.Status.INVESTIGATING:
        raise ValidationError({"case": _("案件当前状态为“%(s)s”，不能结束调查。") % {"s": case.get_status_display()}})
    now = timezone.now()
    deadline = _clock(case, INVESTIGATION)
    if deadline is not None:
        deadline_close(deadline=deadline, at=now)
    decide = deadline_start(kind=DECIDE, region=case.region, start_at=now, case=case)
    case.status = Case.Status.DECIDING
    case.save(update_fields=["status"])
    timeline.record(
        case,
        "case.investigation_concluded",
        actor=actor,
        role=Role.INSPECTOR,
        data={"violation": violation, "findings": findings, "decide_due": decide.due_at},
    )
    return case


def _close_decide_clock(case: Case, now) -> None:
    deadline = _clock(case, DECIDE)
    if deadline is not None:
        deadline_close(deadline=deadline, at=now)


# --- decisions ----------------------------------------------------------------------------


@transaction.atomic
def case_withdraw(*, case: Case, actor, reason: str) -> Case:
    """撤销立案 on the leader's approval: no violation established."""
    required_text(reason, field="reason")
    now = timezone.now()
    _close_decide_clock(case, now)
    case.status, case.decision, case.closure_code, case.closed_at = (
        Case.Status.WITHDRAWN,
        Decision.WITHDRAW,
        ClosureCode.WITHDRAWN,
        now,
    )
    case.save(update_fields=["status", "decision", "closure_code", "closed_at"])
    document = document_issue(
        case=case, kind=Document.Kind.WITHDRAWAL_DECISION, actor=actor, role=Role.LEADER, data={"reason": reason}
    )
    timeline.record(
        case, "case.withdrawn", actor=actor, role=Role.LEADER, data={"reason": reason, "document": document.number}
    )
    _complaints_closed(case)
    return case


@transaction.atomic
def case_order(*, case: Case, actor, decision: str, order_due, facts: str) -> Document:
    """责令限期支付 / 责令改正: the order, numbered and rendered; the employer must comply by `order_due`."""
    required_text(facts, field="facts")
    if decision not in (Decision.ORDER_TO_PAY, Decision.ORDER_TO_CORRECT):
        raise ValidationError({"decision": _("无效的处理决定。")})
    today = timezone.localdate()
    if order_due <= today:
        raise ValidationError({"order_due": _("履行期限须晚于今天。")})
    now = timezone.now()
    _close_decide_clock(case, now)
    case.status, case.decision, case.order_due = Case.Status.ENFORCING, decision, order_due
    case.save(update_fields=["status", "decision", "order_due"])
    kind = Document.Kind.ORDER_TO_PAY if decision == Decision.ORDER_TO_PAY else Document.Kind.ORDER_TO_CORRECT
    document = document_issue(
        case=case, kind=kind, actor=actor, role=Role.INSPECTOR, data={"facts": facts, "due_date": order_due.isoformat()}
    )
    timeline.record(
        case,
        "case.decided",
        actor=actor,
        role=Role.INSPECTOR,
        data={"decision": decision, "order_due": order_due, "document": document.number},
    )
    return document


@transaction.atomic
def case_pre_decision(*, case: Case, actor, proposed_penalty, facts: str) -> Document:
    """行政处罚告知书: facts, basis and the party's right to state its case and ask for a hearing."""
    required_text(facts, field="facts")
    if proposed_penalty is None or proposed_penalty <= 0:
        raise ValidationError({"proposed_penalty": _("请填写拟处罚金额。")})
    case.decision, case.penalty_amount = Decision.PENALTY, proposed_penalty
    case.save(update_fields=["decision", "penalty_amount"])
    document = document_issue(
        case=case,
        kind=Document.Kind.PRE_DECISION_NOTICE,
        actor=actor,
        role=Role.INSPECTOR,
        data={"facts": facts, "proposed_penalty": str(proposed_penalty)},
    )
    timeline.record(
        case,
        "case.pre_decision_notified",
        actor=actor,
        role=Role.INSPECTOR,
        data={"proposed_penalty": proposed_penalty, "document": document.number},
    )
    return document


@transaction.atomic
def case_legal_review(*, case: Case, actor, approved: bool, opinion: str) -> Case:
    """法制审核 of a proposed penalty before the leader decides."""
    required_text(opinion, field="opinion")
    timeline.record(
        case, "case.legal_reviewed", actor=actor, role=Role.LEGAL, data={"approved": approved, "opinion": opinion}
    )
    return case


@transaction.atomic
def case_penalty_decide(*, case: Case, actor, amount, order_due) -> Document:
    """行政处罚决定书 by the leader; the employer must also pay the wages by `order_due`."""
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("请填写罚款金额。")})
    if order_due <= timezone.localdate():
        raise ValidationError({"order_due": _("履行期限须晚于今天。")})
    now = timezone.now()
    _close_decide_clock(case, now)
    case.status, case.penalty_amount, case.order_due = Case.Status.ENFORCING, amount, order_due
    case.save(update_fields=["status", "penalty_amount", "order_due"])
    document = document_issue(
        case=case,
        kind=Document.Kind.PENALTY_DECISION,
        actor=actor,
        role=Role.LEADER,
        data={"penalty": str(amount), "due_date": order_due.isoformat()},
    )
    timeline.record(
        case,
        "case.penalty_decided",
        actor=actor,
        role=Role.LEADER,
        data={"amount": amount, "document": document.number},
    )
    return document


# --- after the order's deadline --------------------------------------------------------------


@transaction.atomic
def case_verify(*, case: Case, actor, note: str) -> bool:
    """Verification after the order's deadline: were all workers paid (per the ledger)?"""
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


@transaction.atomic
def case_unpaid_after_order(*, case: Case, actor, compensation_rate: int, penalty_amount) -> Document:
    """Not paid by the deadline: extra compensation (50–100 %) and a penalty. The case stays
    ENFORCING with `unpaid_after_order` set: the hand-off point for criminal referral and credit listing."""
    if not COMPENSATION_MIN <= compensation_rate <= COMPENSATION_MAX:
        raise ValidationError(
            {
                "compensation_rate": _("加付赔偿金比例须在 %(a)d%% 至 %(b)d%% 之间。")
                % {"a": COMPENSATION_MIN, "b": COMPENSATION_MAX}
            }
        )
    outstanding = ledger_summary(case)["outstanding"]
    compensation = (outstanding * compensation_rate / 100).quantize(Decimal("0.01"))
    case.unpaid_after_order, case.compensation_rate = True, compensation_rate
    if penalty_amount:
        case.penalty_amount = penalty_amount
    case.save(update_fields=["unpaid_after_order", "compensation_rate", "penalty_amount"])
    document = document_issue(
        case=case,
        kind=Document.Kind.COMPENSATION_ORDER,
        actor=actor,
        role=Role.INSPECTOR,
        data={"rate": compensation_rate, "outstanding": str(outstanding), "compensation": str(compensation)},
    )
    timeline.record(
        case,
        "case.order_overdue",
        actor=actor,
        role=Role.INSPECTOR,
        data={"outstanding": outstanding, "compensation_rate": compensation_rate, "compensation": compensation,
              "penalty": penalty_amount, "document": document.number},
    )  # fmt: skip
    return document


@transaction.atomic
def case_close(*, case: Case, actor, closure_code: str, satisfaction: str, note: str = "") -> Case:
    """结案 on the leader's approval, with a standard closure code and the complainants' follow-up."""
    if closure_code not in ClosureCode.values:
        raise ValidationError({"closure_code": _("无效的结案方式。")})
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("请记录投诉人满意度回访结果。")})
    if closure_code == ClosureCode.PAID_IN_FULL and not ledger_all_paid(case):
        raise ValidationError({"closure_code": _("台账显示仍有未足额支付的劳动者，不能以“已全额支付”结案。")})
    now = timezone.now()
    case.status, case.closure_code, case.satisfaction, case.closed_at = (
        Case.Status.CLOSED,
        closure_code,
        satisfaction,
        now,
    )
    case.save(update_fields=["status", "closure_code", "satisfaction", "closed_at"])
    timeline.record(
        case,
        "case.closed",
        actor=actor,
        role=Role.LEADER,
        data={"closure_code": closure_code, "satisfaction": satisfaction, "note": note},
    )
    _complaints_closed(case)
    return case


def _complaints_closed(case: Case) -> None:
    from .notifications import complainant_notify

    for complaint in case.complaints.exclude(status=Complaint.Status.REFUSED):
        Complaint.objects.filter(pk=complaint.pk).update(status=Complaint.Status.CLOSED)
        complaint.status = Complaint.Status.CLOSED
        complainant_notify(complaint=complaint, event="closed")


@transaction.atomic
def case_withdrawal_returned(*, case: Case, actor, opinion: str) -> Case:
    required_text(opinion, field="opinion")
    timeline.record(case, "case.withdrawal_returned", actor=actor, role=Role.LEADER, data={"opinion": opinion})
    return case


@transaction.atomic
def case_penalty_returned(*, case: Case, actor, opinion: str) -> Case:
    required_text(opinion, field="opinion")
    timeline.record(case, "case.penalty_returned", actor=actor, role=Role.LEADER, data={"opinion": opinion})
    return case


@transaction.atomic
def case_extension_refused(*, case: Case, actor, opinion: str) -> Case:
    required_text(opinion, field="opinion")
    timeline.record(case, "case.extension_refused", actor=actor, role=Role.LEADER, data={"opinion": opinion})
    return case


# --- proactive cases: proposal and filing approval ------------------------------------------------

PROACTIVE_ORIGINS = [
    Case.Origin.INSPECTION,
    Case.Origin.WRITTEN_REVIEW,
    Case.Origin.DOUBLE_RANDOM,
    Case.Origin.EARLY_WARNING,
]


def filing_proposal_validate(data: dict) -> dict:
    """A proactive case's proposal (立案审批表): what the leader approves. Errors name their field."""
    from .intake.validation import employer_validate

    errors: dict[str, list[str]] = {}
    origin = (data.get("origin") or "").strip()
    if origin not in PROACTIVE_ORIGINS:
        errors["origin"] = [_("案件来源须为日常巡查、书面审查、双随机抽查或欠薪预警。")]
    employer, employer_errors = employer_validate(data.get("employer") or {}, staff=True)
    errors.update(employer_errors)
    project = data.get("project") or {}
    facts = (data.get("facts") or "").strip()
    if not facts:
        errors["facts"] = [_("请填写案件来源及基本事实。")]
    try:
        workers = int(data.get("workers_count") or 0)
        if workers < 1:
            raise ValueError
    except (TypeError, ValueError):
        errors["workers_count"] = [_("涉及人数须为正整数。")]
        workers = 0
    try:
        amount = Decimal(str(data.get("amount_owed") or "0")).quantize(Decimal("0.01"))
        if amount < 0:
            raise ValueError
    except (ArithmeticError, ValueError):
        errors["amount_owed"] = [_("金额须为不小于 0 的数字。")]
        amount = Decimal("0")
    if errors:
        raise ValidationError(errors)
    return {
        "origin": origin,
        "employer": {"name": employer.name, "uscc": employer.uscc, "address": employer.address,
                     "uscc_override_reason": employer.uscc_override_reason},
        "project": {"name": (project.get("name") or "").strip(), "address": (project.get("address") or "").strip()},
        "workers_count": workers,
        "amount_owed": str(amount),
        "facts": facts,
    }  # fmt: skip


@transaction.atomic
def case_file_proactive(*, region, proposal: dict, actor, opinion: str):
    """The leader approves the proposal: the case is filed (approval date = filing date)."""
    from .intake import CleanEmployer, CleanProject
    from .intake.submit import employer_get_or_create, project_get_or_create
    from .services import _case_create

    now = timezone.now()
    employer, _created = employer_get_or_create(CleanEmployer(**proposal["employer"]))
    project = None
    if proposal["project"]["name"]:
        project, _created = project_get_or_create(CleanProject(**proposal["project"]), region)
    case = _case_create(
        region=region,
        origin=proposal["origin"],
        employer=employer,
        project=project,
        filed_at=now,
        workers_count=proposal["workers_count"],
        amount_owed=Decimal(proposal["amount_owed"]),
    )
    timeline.record(
        case,
        "case.filed",
        actor=actor,
        role=Role.LEADER,
        data={"case_no": case.case_no, "origin": case.origin, "opinion": opinion, "facts": proposal["facts"]},
        at=now,
        first=True,
    )
    document_issue(
        case=case, kind=Document.Kind.FILING_APPROVAL, actor=actor, role=Role.LEADER,
        data={"facts": proposal["facts"], "opinion": opinion},
    )  # fmt: skip
    return case


def extension_request_check(*, case: Case) -> None:
    """May an extension still be asked for? (One only: LSIR art 17; the clock must be running.)"""
    deadline = _clock(case, INVESTIGATION)
    if deadline is None:
        raise ValidationError({"case_no": _("该案件没有进行中的调查期限。")})
    if deadline.extensions.exists():
        raise ValidationError({"case_no": _("调查期限已延长过一次，不能再次延长。")})
