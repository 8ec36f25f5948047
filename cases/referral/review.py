"""涉嫌犯罪移送 inside the office: proposal (with the package), legal review (法制审核), amendment or
withdrawal, the head's approval (3 days, R310 art 5)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..actors import Actor, Staff
from ..deadlines import deadline_start
from ..models import Case, Referral, Role
from ..tx import one_transaction
from ..values import required_text
from .eligibility import referral_eligibility
from .package import package_issue
from .rules import APPROVE, LEGAL_DECISIONS, OPEN, TRANSFER, S
from .steps import clock_close, step


def referral_open(case: Case) -> Referral | None:
    return case.referrals.filter(status__in=OPEN).order_by("-id").first()


@one_transaction
def referral_propose(*, case: Case, actor: Staff, facts: str = "", today: date | None = None) -> Referral:
    """Propose a referral: refused with the reasons unless eligible; the package is issued with it (REVIEW)."""
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").get()
    current = referral_open(case)
    if current is not None:
        raise ValidationError(
            {"case_no": [_("本案已有正在办理的涉嫌犯罪移送（%(s)s）。") % {"s": current.get_status_display()}]}
        )
    eligibility = referral_eligibility(case, today=today)
    if not eligibility.eligible:
        raise ValidationError({"case_no": eligibility.failures})
    referral = Referral.objects.create(
        case=case, status=S.REVIEW, eligibility=eligibility.as_dict(), proposed_by=actor, proposed_at=timezone.now()
    )
    with step(
        referral, expect=None, event="referral.proposed", actor=actor, role=Role.INSPECTOR, locked=True
    ) as change:
        package = package_issue(case, eligibility, actor, facts)
        change.set(package=package)
        change.data.update({"reasons": eligibility.reasons, "package": package.number})
    return referral


@one_transaction
def referral_legal_review(*, referral: Referral, actor: Actor, decision: str, opinion: str) -> Referral:
    """法制审核: approve (the report goes to the leader: 3 days, R310 art 5), return to amend, or end."""
    opinion = required_text(opinion, field="opinion", label=_("审核意见"))
    if decision not in LEGAL_DECISIONS:
        raise ValidationError({"decision": _("无效的审核意见。")})
    with step(referral, expect=[S.REVIEW], event="referral.legal_reviewed", actor=actor, role=Role.LEGAL) as change:
        change.data.update({"decision": decision, "opinion": opinion})
        if decision == "approved":
            clock = deadline_start(
                kind=APPROVE, region=referral.case.region, start_at=timezone.now(), case=referral.case
            )
            change.to(S.APPROVAL)
            change.data["approve_due"] = clock.due_at
        elif decision == "ended":
            change.to(S.CONCLUDED, outcome=_("法制审核不同意移送：%(o)s") % {"o": opinion})
    return referral


@one_transaction
def referral_amend(*, referral: Referral, actor: Actor, facts: str, withdraw: bool = False) -> Referral:
    """Returned by legal review: the inspector amends (eligibility re-checked, package re-issued) or withdraws."""
    facts = required_text(facts, field="facts", label=_("补充修改说明"))
    event = "referral.withdrawn" if withdraw else "referral.amended"
    with step(referral, expect=[S.REVIEW], event=event, actor=actor, role=Role.INSPECTOR) as change:
        if withdraw:
            change.to(S.CONCLUDED, outcome=_("承办人撤回移送：%(f)s") % {"f": facts})
            change.data["reason"] = facts
        else:
            eligibility = referral_eligibility(referral.case)
            if not eligibility.eligible:
                raise ValidationError({"facts": eligibility.failures})
            package = package_issue(referral.case, eligibility, actor, facts)
            change.set(eligibility=eligibility.as_dict(), package=package)
            change.data.update({"note": facts, "package": package.number})
    return referral


@one_transaction
def referral_approve(*, referral: Referral, actor: Actor, approved: bool, opinion: str) -> Referral:
    """The head of the office approves or refuses within 3 days (R310 art 5); approved → 24 hours to transfer."""
    opinion = required_text(opinion, field="opinion", label=_("审批意见"))
    event = "referral.approved" if approved else "referral.not_approved"
    with step(referral, expect=[S.APPROVAL], event=event, actor=actor, role=Role.LEADER) as change:
        case, now = referral.case, timezone.now()
        clock_close(case, APPROVE, now)
        change.data.update({"approved": approved, "opinion": opinion})
        if approved:
            clock = deadline_start(kind=TRANSFER, region=case.region, start_at=now, case=case)
            change.to(S.TRANSFER, approved_at=now)
            change.data["transfer_due"] = clock.due_at
        else:
            # R310 art 10 / domain-rules §4.2: not approved, the reason recorded; the administrative case goes on.
            change.to(S.NOT_APPROVED, outcome=_("负责人不批准移送：%(o)s") % {"o": opinion})
    return referral
