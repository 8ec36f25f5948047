"""The penalty procedure's main line: the proposal (its 行政处罚告知书 with the basis and the party's windows), the
notice's service (which opens the windows), the review of what the party said, and the check the penalty decision
runs (cases.investigation.case_penalty_decide): window passed or waived, a requested hearing held, the review done,
the amount within its basis's range and not above the proposal (APL art 45: no heavier penalty for speaking)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import timeline
from ..actors import Actor, Staff
from ..deadlines import deadline_close, deadline_start
from ..documents import document_serve
from ..models import Case, Deadline, Evidence, PenaltyProcedure, Role, ServiceRecord
from ..provinces import province_config
from ..transitions import lock
from ..tx import one_transaction
from ..values import LOCAL_TZ, required_text
from .bounds import amount_check, basis_get
from .rules import CLOCKS, HEARING_REQUEST, NOTICE_SERVE, STATEMENT

OPEN = [Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.OVERDUE]


def current(case: Case) -> PenaltyProcedure | None:
    """The case's procedure not yet decided (the latest proposal)."""
    return case.penalty_procedures.filter(decided=False).select_related("basis", "notice").order_by("-id").first()


def procedure_of(case: Case, *, field: str = "case") -> PenaltyProcedure:
    procedure = current(case)
    if procedure is None:
        raise ValidationError({field: _("本案没有待决的行政处罚告知。")})
    return lock(procedure)


def served(procedure: PenaltyProcedure, *, field: str = "case") -> None:
    if procedure.served_at is None:
        raise ValidationError({field: _("行政处罚告知书尚未送达当事人。")})


def _clock(procedure: PenaltyProcedure, kind: str) -> Deadline | None:
    return procedure.case.deadlines.filter(kind=kind, state__in=OPEN).order_by("-id").first()


def clocks_close(procedure: PenaltyProcedure, kinds=CLOCKS, *, now: datetime | None = None) -> None:
    """Close the procedure's open clocks; a party's window that has run out closes at its end (it was kept)."""
    now = now or timezone.now()
    for kind in kinds:
        deadline = _clock(procedure, kind)
        if deadline is not None:
            at = min(now, deadline.due_at) if kind in (STATEMENT, HEARING_REQUEST) else now
            deadline_close(deadline=deadline, at=at)


def notice_data(*, case: Case, basis, amount, workers_concerned: int, party_is_unit: bool | None) -> dict:
    """Check a proposal and compute what its notice says: the basis, the statement window, the hearing right."""
    basis = basis_get(basis, field="penalty_basis")
    if basis.measure == basis.Measure.PERCENT:
        raise ValidationError({"penalty_basis": _("加付赔偿金不是罚款，请选择罚款的依据。")})
    amount = amount_check(basis, amount, workers=workers_concerned, field="proposed_penalty")
    unit = (basis.party != basis.Party.PERSON) if party_is_unit is None else bool(party_is_unit)
    config = province_config(case.region)
    threshold = config.hearing_threshold_unit if unit else config.hearing_threshold_individual
    return {
        "basis": basis,
        "amount": amount,
        "workers": workers_concerned,
        "unit": unit,
        "threshold": threshold,
        "hearing_right": amount >= threshold,
        "statement_wd": config.penalty_statement_wd,
    }


def procedure_open(*, case: Case, notice, actor: Staff, facts: dict) -> PenaltyProcedure:
    """Part of the proposal (case_pre_decision's transaction): the procedure row and the 7-WD service clock.
    An earlier undecided proposal is superseded: its clocks close."""
    now = timezone.now()
    for old in case.penalty_procedures.filter(decided=False):
        clocks_close(old, now=now)
        PenaltyProcedure.objects.filter(pk=old.pk).update(decided=True)
    procedure = PenaltyProcedure.objects.create(
        case=case,
        notice=notice,
        basis=facts["basis"],
        proposed_amount=facts["amount"],
        workers_concerned=facts["workers"],
        party_is_unit=facts["unit"],
        hearing_threshold=facts["threshold"],
        hearing_right=facts["hearing_right"],
        statement_wd=facts["statement_wd"],
        created_by=actor,
        created_at=now,
    )
    deadline_start(kind=NOTICE_SERVE, region=case.region, start_at=notice.issued_at, case=case)
    return procedure


@one_transaction
def penalty_notice_serve(
    *, case: Case, actor: Staff, method: str, served_at: datetime, recipient: str, proof: Evidence | None = None
) -> ServiceRecord:
    """送达 of the 行政处罚告知书: the service record, then the party's windows run from the day of service —
    the statement window (the province's working days) and, with a hearing right, 5 working days to ask for one."""
    procedure = procedure_of(case)
    if procedure.served_at is not None:
        raise ValidationError({"served_at": _("行政处罚告知书已送达。")})
    record = document_serve(
        document=procedure.notice,
        method=method,
        served_at=served_at,
        recipient=recipient,
        proof=proof,
        actor=actor,
        role=Role.INSPECTOR,
    )
    clocks_close(procedure, [NOTICE_SERVE])
    statement = deadline_start(
        kind=STATEMENT, region=case.region, start_at=record.served_at, case=case, length=procedure.statement_wd
    )
    procedure.served_at = record.served_at
    procedure.statement_due = statement.due_at
    if procedure.hearing_right:
        hearing = deadline_start(kind=HEARING_REQUEST, region=case.region, start_at=record.served_at, case=case)
        procedure.hearing_request_due = hearing.due_at
    procedure.save(update_fields=["served_at", "statement_due", "hearing_request_due"])
    return record


def window_open(procedure: PenaltyProcedure, now: datetime | None = None) -> bool:
    """Whether the party may still state its case or ask for a hearing (no written waiver, a window running)."""
    if procedure.waived_on is not None or procedure.served_at is None:
        return procedure.served_at is None
    now = now or timezone.now()
    ends = [procedure.statement_due, procedure.hearing_request_due if procedure.hearing_right else None]
    return any(end is not None and now <= end for end in ends)


def hearing_pending(procedure: PenaltyProcedure) -> bool:
    """A hearing was asked for, not withdrawn in writing, and not yet held."""
    if procedure.hearing_requested_on is None or procedure.waived_on is not None:
        return False
    hearing = getattr(procedure, "hearing", None)
    return hearing is None or hearing.held_at is None


def ready_for_review(procedure: PenaltyProcedure, *, field: str = "case") -> None:
    """Refused while the party's windows run (unless waived in writing) and while a requested hearing is pending."""
    served(procedure, field=field)
    if window_open(procedure):
        end = max(d for d in (procedure.statement_due, procedure.hearing_request_due) if d is not None)
        raise ValidationError(
            {
                field: _("当事人陈述申辩（听证申请）期限至%(end)s届满，期满或当事人书面放弃后方可复核、作出处罚决定。")
                % {"end": timezone.localtime(end, LOCAL_TZ).strftime("%Y-%m-%d %H:%M")}
            }
        )
    if hearing_pending(procedure):
        raise ValidationError({field: _("当事人已要求听证，听证举行后方可复核、作出处罚决定。")})


@one_transaction
def penalty_review(*, case: Case, actor: Actor, outcome: str, reasons: str) -> PenaltyProcedure:
    """复核: the inspectors' review of what the party said (采纳 / 部分采纳 / 不予采纳, with reasons), after the
    windows have passed or were waived and any requested hearing was held."""
    procedure = procedure_of(case)
    ready_for_review(procedure)
    if outcome not in (o for o in PenaltyProcedure.Outcome.values if o):
        raise ValidationError({"outcome": _("请选择复核结果。")})
    reasons = required_text(reasons, field="reasons", label=_("复核理由"), limit=4000)
    now = timezone.now()
    clocks_close(procedure, now=now)
    procedure.outcome, procedure.outcome_reasons, procedure.reviewed_at = outcome, reasons, now
    procedure.save(update_fields=["outcome", "outcome_reasons", "reviewed_at"])
    timeline.record(
        case,
        "penalty.statements_reviewed",
        actor=actor,
        role=Role.INSPECTOR,
        data={"outcome": outcome, "reasons": reasons, "statements": procedure.statements.count()},
    )
    return procedure


def penalty_decision_check(*, case: Case, amount) -> PenaltyProcedure:
    """Part of the penalty decision (cases.investigation.case_penalty_decide): the procedure is complete and the
    amount lies within the range of its basis and not above the proposal. The procedure is marked decided."""
    procedure = procedure_of(case, field="amount")
    ready_for_review(procedure, field="amount")
    if not procedure.outcome:
        raise ValidationError({"amount": _("请先复核当事人的陈述、申辩（采纳或不予采纳，并说明理由）。")})
    value = amount_check(procedure.basis, amount, workers=procedure.workers_concerned, field="amount")
    if value > procedure.proposed_amount:
        raise ValidationError(
            {"amount": _("罚款金额不得高于告知书中的拟罚款金额（不得因当事人陈述、申辩而加重处罚）。")}
        )
    procedure.decided = True
    procedure.save(update_fields=["decided"])
    return procedure
