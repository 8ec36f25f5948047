"""Proactive cases (主动立案: inspection, written review, double-random check, early warning): the proposal
(立案审批表) and the leader's filing approval. The case row is made by cases.services._case_create, as a
complaint case's is."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import timeline
from .actors import Actor
from .documents import document_issue
from .models import Case, Decided, Document, FilingProposal, Role
from .tx import one_transaction

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


@one_transaction
def filing_propose(*, region, proposal: dict, actor: Actor) -> FilingProposal:
    """The inspector's proposal (validated by filing_proposal_validate), kept for the leader's decision. No case
    yet, so no timeline event: the filing's event tells the proposal's facts."""
    return FilingProposal.objects.create(region=region, proposal=proposal, proposer=actor, proposed_at=timezone.now())


@one_transaction
def filing_reject(*, filing: FilingProposal, actor: Actor, opinion: str) -> FilingProposal:
    """The leader does not file: the opinion is kept on the proposal (no case, no event)."""
    filing.decision, filing.opinion, filing.decided_by = Decided.REFUSED, opinion, actor
    filing.decided_at = timezone.now()
    filing.save(update_fields=["decision", "opinion", "decided_by", "decided_at"])
    return filing


@one_transaction
def case_file_proactive(*, region, proposal: dict, actor: Actor, opinion: str, filing: FilingProposal | None = None):
    """The leader approves the proposal: the case is filed (approval date = filing date); the proposal row, when
    given, records the decision and the case."""
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
    if filing is not None:
        filing.decision, filing.opinion, filing.decided_by, filing.decided_at = Decided.APPROVED, opinion, actor, now
        filing.case = case
        filing.save(update_fields=["decision", "opinion", "decided_by", "decided_at", "case"])
    return case
