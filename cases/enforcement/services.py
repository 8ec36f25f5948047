"""The path to closure after a decision (issue 13 items 4 and 5): service of the decisions (the party's remedies
start), the demand notice and its service, the application to the court, the court's outcome, the penalty
executed, the transfer to the police, the verification of an order to correct — each one transaction and one
timeline event on the case. What each closure code needs is `closure_refusal`."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..actors import Actor, Staff
from ..deadlines import deadline_cancel, deadline_close, deadline_start
from ..deadlines.times import end_of
from ..documents import document_issue, document_serve
from ..models import Case, ClosureCode, Deadline, Decision, Document, Enforcement, Evidence, Referral, Role
from ..penalty.rules import FINE_PAYMENT
from ..transitions import transition
from ..tx import one_transaction
from ..values import local_date, required_text
from ..workdays import period_end
from .guard import enforcement_guard, fine_due, today_local
from .rules import (
    COURT_APPLY,
    COURT_APPLY_MONTHS,
    DECISION_KINDS,
    DEMAND,
    DEMAND_DAYS,
    LITIGATION,
    LITIGATION_MONTHS,
    RECONSIDERATION,
    add_months,
    months_in_days,
)

OPEN = [Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.OVERDUE]
ACCEPTED_BY_POLICE = (Referral.Status.FILED, Referral.Status.HANDED_OVER, Referral.Status.CONCLUDED)
DECIDE = "investigation.decide"


def _enforcement(case: Case) -> Enforcement:
    return Enforcement.objects.get_or_create(case=case)[0]


def _step(case: Case, event: str, *, actor: Actor, role: str = Role.INSPECTOR, expect=(Case.Status.ENFORCING,)):
    message = _("案件当前状态为“%(status)s”，不能办理此操作。")
    return transition(
        case, expect=expect, event=event, actor=actor, role=role, subject=case, error_field="case", message=message
    )


def _close_open(case: Case, kinds, at: datetime) -> None:
    """The party's periods end as met at their due time (they are not the office's duty)."""
    for deadline in Deadline.objects.filter(case=case, kind__in=kinds, state__in=OPEN):
        deadline_close(deadline=deadline, at=min(at, deadline.due_at))


def _served_decision(case: Case) -> tuple[Document, datetime] | None:
    """The decision served last, with its first service: the party's remedies run from it."""
    best: tuple[Document, datetime] | None = None
    for document in case.documents.filter(kind__in=DECISION_KINDS).prefetch_related("services"):
        served = sorted(r.served_at for r in document.services.all())
        if served and (best is None or served[0] > best[1]):
            best = (document, served[0])
    return best


def remedies_end(case: Case):
    """The last day of the party's remedies (6 months of litigation outlast 60 days of reconsideration)."""
    served = _served_decision(case)
    # a calendar period whose last day is a rest day or holiday ends on the next working day (cases.workdays)
    return period_end(add_months(local_date(served[1]), LITIGATION_MONTHS)) if served else None


# --- service of the decisions: the party's remedies start -------------------------------------------------------


@one_transaction
def case_decisions_serve(
    *, case: Case, actor: Staff, method: str, served_at: datetime, recipient: str, proof: Evidence | None = None
) -> list:
    """送达 of every decision of the case not yet served (a handling decision goes with the penalty decision):
    each a service record and its "document.served" event; the 60-day and 6-month remedies clocks start."""
    documents = [d for d in case.documents.filter(kind__in=DECISION_KINDS).order_by("issued_at", "id")
                 if not d.services.exists()]  # fmt: skip
    if not documents:
        raise ValidationError({"case": _("没有待送达的决定文书。")})
    records = [
        document_serve(
            document=d,
            method=method,
            served_at=served_at,
            recipient=recipient,
            proof=proof,
            actor=actor,
            role=Role.INSPECTOR,
        )
        for d in documents
    ]
    if isinstance(served_at, datetime):
        served_at = records[0].served_at
        for previous in Deadline.objects.filter(case=case, kind__in=[RECONSIDERATION, LITIGATION], state__in=OPEN):
            deadline_cancel(deadline=previous)  # a new decision served: its own remedies replace the earlier's
        deadline_start(kind=RECONSIDERATION, region=case.region, start_at=served_at, case=case)
        length = months_in_days(local_date(served_at), LITIGATION_MONTHS)
        deadline_start(kind=LITIGATION, region=case.region, start_at=served_at, case=case, length=length)
        if any(d.kind == Document.Kind.PENALTY_DECISION for d in documents):  # the fine: 15 days (APL art 67)
            for previous in Deadline.objects.filter(case=case, kind=FINE_PAYMENT, state__in=OPEN):
                deadline_cancel(deadline=previous)
            deadline_start(kind=FINE_PAYMENT, region=case.region, start_at=served_at, case=case)
    return records


# --- after "unpaid": demand, court, penalty executed, transfer -------------------------------------------------


def fine_unpaid(case: Case) -> bool:
    """A fine whose payment period (APL art 67) was served and has passed, not recorded as executed."""
    due = fine_due(case)
    if due is None or today_local() <= due:
        return False
    enforcement = Enforcement.objects.filter(case=case).first()
    return enforcement is None or enforcement.penalty_executed_at is None


def _unpaid_guard(case: Case) -> None:
    """Demand and court: after the wage order went unheeded, or — a fine-only case — after the fine's period
    passed unpaid (AEL arts 53-54 apply to the fine too)."""
    enforcement_guard(case=case)
    if not case.unpaid_after_order and not fine_unpaid(case):
        raise ValidationError({"case": _("尚未认定逾期未履行，不能催告或申请强制执行。")})


@one_transaction
def case_demand_issue(*, case: Case, actor: Actor, facts: str = "") -> Document:
    """催告书 (AEL art 35, 54): after the decision went unheeded, the party is told to perform."""
    with _step(case, "enforcement.demand_issued", actor=actor) as step:
        _unpaid_guard(case)
        decision = _served_decision(case)
        due = today_local() + timedelta(days=DEMAND_DAYS)
        data: dict = {"due_date": due}
        if decision:
            data["decision"] = f"本局作出的{decision[0].title}（{decision[0].number}）"
        if facts and facts.strip():
            data["facts"] = facts.strip()
        if fine_unpaid(case) and case.penalty_amount:
            data["fine"] = str(case.penalty_amount)
        document = document_issue(
            case=case, kind=Document.Kind.DEMAND_NOTICE, actor=actor, role=Role.INSPECTOR, data=data
        )
        enforcement = _enforcement(case)
        enforcement.demand, enforcement.demand_served_at = document, None
        enforcement.save(update_fields=["demand", "demand_served_at"])
        step.data.update(document=document.number)
    return document


@one_transaction
def case_demand_serve(
    *, case: Case, actor: Staff, method: str, served_at: datetime, recipient: str, proof: Evidence | None = None
) -> Enforcement:
    """送达 of the demand: 10 days later the court may be applied to (AEL art 54); the 3 months to apply run from
    the end of the party's remedies (AEL art 53)."""
    with _step(case, "enforcement.demand_served", actor=actor) as step:
        enforcement = _enforcement(case)
        if enforcement.demand is None:
            raise ValidationError({"case": _("尚未制发催告书。")})
        record = document_serve(
            document=enforcement.demand, method=method, served_at=served_at, recipient=recipient, proof=proof,
            actor=actor, role=Role.INSPECTOR,
        )  # fmt: skip
        enforcement.demand_served_at = record.served_at
        enforcement.save(update_fields=["demand_served_at"])
        demand = deadline_start(kind=DEMAND, region=case.region, start_at=record.served_at, case=case)
        end = remedies_end(case)
        if end is not None:
            start = end_of(end)
            length = months_in_days(end, COURT_APPLY_MONTHS)
            deadline_start(kind=COURT_APPLY, region=case.region, start_at=start, case=case, length=length)
        step.data.update(document=enforcement.demand.number, served_at=record.served_at, demand_due=demand.due_at)
    return enforcement


@one_transaction
def case_court_apply(*, case: Case, actor: Actor, remedies: str, note: str = "", court: str = "") -> Document:
    """申请人民法院强制执行 (AEL arts 53-55): 10 days after the demand's service (row 21), once the party's remedies
    ran out unused (rows 18, 20) — or the decision was upheld — and within 3 months of their end (row 22)."""
    if remedies not in Enforcement.Remedies.values:
        raise ValidationError({"remedies": _("请选择复议、诉讼情况。")})
    if remedies == Enforcement.Remedies.UPHELD:
        note = required_text(note, field="note", label=_("复议决定或判决情况"))
    with _step(case, "enforcement.court_applied", actor=actor) as step:
        _unpaid_guard(case)
        enforcement = _enforcement(case)
        today = today_local()
        if enforcement.demand_served_at is None:
            raise ValidationError({"case": _("催告书尚未送达，不能申请强制执行。")})
        may_apply = local_date(enforcement.demand_served_at) + timedelta(days=DEMAND_DAYS + 1)
        if today < may_apply:
            raise ValidationError(
                {"case": _("催告书送达满十日后方可申请强制执行（%(day)s起）。") % {"day": may_apply.isoformat()}}
            )
        end = remedies_end(case)
        if remedies == Enforcement.Remedies.EXPIRED:
            if end is None or today <= end:
                raise ValidationError(
                    {"remedies": _("申请行政复议（六十日）和提起行政诉讼（六个月）的期限尚未届满（%(end)s届满）。")
                     % {"end": end.isoformat() if end else "—"}}
                )  # fmt: skip
            last = period_end(add_months(end, COURT_APPLY_MONTHS))
            if today > last:
                raise ValidationError(
                    {"remedies": _("申请人民法院强制执行的期限（%(last)s）已过。") % {"last": last.isoformat()}}
                )
        decision = _served_decision(case)
        data = {
            "decision": f"本局作出的{decision[0].title}（{decision[0].number}）" if decision else "",
            "remedies": str(Enforcement.Remedies(remedies).label) + (f"（{note.strip()}）" if note.strip() else ""),
            "demand_served": local_date(enforcement.demand_served_at).isoformat(),
        }
        if court.strip():
            data["addressee"] = court.strip()
        document = document_issue(
            case=case, kind=Document.Kind.ENFORCEMENT_APPLICATION, actor=actor, role=Role.INSPECTOR, data=data
        )
        now = timezone.now()
        enforcement.remedies, enforcement.application, enforcement.applied_at = remedies, document, now
        enforcement.court_outcome, enforcement.court_outcome_at = "", None
        enforcement.save(update_fields=["remedies", "application", "applied_at", "court_outcome", "court_outcome_at"])
        _close_open(case, [RECONSIDERATION, LITIGATION, DEMAND, COURT_APPLY, FINE_PAYMENT], now)
        step.data.update(document=document.number, remedies=remedies, note=note)
    return document


@one_transaction
def case_court_outcome(*, case: Case, actor: Actor, outcome: str, note: str = "") -> Enforcement:
    """The court's answer to the application: accepted, enforced, or refused (then another way is taken)."""
    if outcome not in Enforcement.CourtOutcome.values:
        raise ValidationError({"outcome": _("请选择人民法院的处理结果。")})
    with _step(case, "enforcement.court_outcome", actor=actor) as step:
        enforcement = _enforcement(case)
        if enforcement.applied_at is None:
            raise ValidationError({"case": _("尚未申请人民法院强制执行。")})
        enforcement.court_outcome, enforcement.court_outcome_at = outcome, timezone.now()
        enforcement.save(update_fields=["court_outcome", "court_outcome_at"])
        step.data.update(outcome=outcome, note=note)
    return enforcement


@one_transaction
def case_penalty_executed(*, case: Case, actor: Actor, note: str) -> Enforcement:
    """处罚决定已执行: the fine of the penalty decision paid or collected."""
    note = required_text(note, field="note", label=_("执行情况"))
    with _step(case, "enforcement.penalty_executed", actor=actor) as step:
        if not case.penalty_amount or not case.documents.filter(kind=Document.Kind.PENALTY_DECISION).exists():
            raise ValidationError({"outcome": _("本案没有行政处罚决定，不能以“处罚决定已执行”办结。")})
        enforcement = _enforcement(case)
        enforcement.penalty_executed_at = timezone.now()
        enforcement.save(update_fields=["penalty_executed_at"])
        _close_open(case, [FINE_PAYMENT], enforcement.penalty_executed_at)
        step.data.update(penalty=case.penalty_amount, note=note)
    return enforcement


@one_transaction
def case_transfer_close(*, case: Case, actor: Actor, note: str) -> Enforcement:
    """移送公安机关并被立案 (R310): the administrative side ends with the transfer accepted."""
    note = required_text(note, field="note", label=_("移送情况"))
    with _step(case, "enforcement.transferred", actor=actor) as step:
        enforcement_guard(case=case)
        referral = case.referrals.filter(status__in=ACCEPTED_BY_POLICE).order_by("-id").first()
        if referral is None:
            raise ValidationError({"outcome": _("本案没有公安机关已立案的移送，不能以“已移送并被受理”办结。")})
        enforcement = _enforcement(case)
        enforcement.transferred_at = timezone.now()
        enforcement.save(update_fields=["transferred_at"])
        step.data.update(referral=referral.pk, note=note)
    return enforcement


# --- an order to correct: corrected or not (item 5) ------------------------------------------------------------


@one_transaction
def case_correction_verify(*, case: Case, actor: Actor, corrected: bool, note: str) -> bool:
    """After the order to correct's deadline: corrected → closure (CORRECTED); not corrected → back to decide
    (a penalty), with a new 15-working-day clock. Never the ledger: no wages are owed on this path."""
    note = required_text(note, field="note", label=_("核查情况"))
    with _step(case, "case.correction_verified", actor=actor) as step:
        enforcement_guard(case=case)
        if case.decision != Decision.ORDER_TO_CORRECT:
            raise ValidationError({"corrected": _("本案不是责令改正，应核查工资支付情况。")})
        enforcement = _enforcement(case)
        enforcement.corrected, enforcement.corrected_at = corrected, timezone.now()
        enforcement.save(update_fields=["corrected", "corrected_at"])
        step.data.update(corrected=corrected, note=note)
        if not corrected:
            decide = deadline_start(kind=DECIDE, region=case.region, start_at=timezone.now(), case=case)
            step.to(Case.Status.DECIDING)
            step.data["decide_due"] = decide.due_at
    return corrected


# --- closure ----------------------------------------------------------------------------------------------------


def closure_refusal(case: Case, code: str) -> str | None:
    """Why the case may not be closed with `code` (None: the facts it rests on are recorded)."""
    enforcement = Enforcement.objects.filter(case=case).first()
    if code == ClosureCode.COURT_ENFORCEMENT:
        ok = enforcement is not None and enforcement.applied_at is not None and enforcement.court_outcome in (
            Enforcement.CourtOutcome.ACCEPTED, Enforcement.CourtOutcome.ENFORCED
        )  # fmt: skip
        return None if ok else _("尚未申请人民法院强制执行并被受理，不能以“已申请法院强制执行”结案。")
    if code == ClosureCode.TRANSFERRED:
        ok = enforcement is not None and enforcement.transferred_at is not None
        return None if ok else _("尚未登记移送公安机关并被立案，不能以“已移送并被受理”结案。")
    if code == ClosureCode.PENALTY_EXECUTED:
        ok = enforcement is not None and enforcement.penalty_executed_at is not None
        return None if ok else _("尚未登记处罚决定执行完毕，不能以“处罚决定已执行”结案。")
    if code == ClosureCode.CORRECTED:
        ok = enforcement is not None and bool(enforcement.corrected)
        return None if ok else _("尚未核查确认已按责令改正指令改正，不能以“已整改”结案。")
    return None
