"""The listing procedure up to the decision: the proposal, the notice (告知) and its defence window, the
employer's defence (陈述申辩), legal review (法制审核)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.deadlines import deadline_close, deadline_start
from cases.documents import document_issue, document_serve
from cases.models import Case, CaseLiableUnit, Document, Role
from cases.provinces import province_config
from cases.transitions import StateConflict, lock
from cases.tx import one_transaction
from cases.values import in_office_language, moment, required_text

from ..models import CreditListing, ListedPerson
from .common import (
    DEFENCE,
    NOT_FOUND,
    OPEN,
    S,
    _open_deadline,
    defence_deadline,
    listing_addressee,
    listing_for_employer,
    listing_step,
)
from .criteria import listing_assess
from .persons import _masked, persons_clean


@one_transaction
def listing_propose(
    *,
    case: Case,
    actor,
    legal_representative_id: str,
    legal_representative: str = "",
    persons: Iterable[dict] = (),
    liable_unit: CaseLiableUnit | None = None,
    at: datetime | None = None,
) -> CreditListing:
    """An assigned inspector proposes the employer (and its responsible persons) for the list — or, given
    `liable_unit` (one of the case's 责任单位: the general contractor that did not pay first, WPR art. 30 …),
    that unit: it is the listing's employer, and the notice, the decision and the removal decision name and
    address it (listing_addressee); the legal representative is then the unit's.

    Refused (ValidationError on "case_no", with the reasons) unless listing_criteria holds, or while
    another listing of the case is running or in force.
    """
    at = moment(at)
    lock(case)  # one proposal at a time per case; the case read afresh
    assessment = in_office_language(lambda: listing_assess(case))
    if not assessment.eligible:
        raise ValidationError({"case_no": listing_assess(case).failures})  # in the asker's language
    if CreditListing.objects.filter(case=case, status__in=OPEN).exists():
        raise ValidationError({"case_no": [_("该案件已有进行中的失信名单程序，或用人单位已在名单中。")]})
    if liable_unit is not None and liable_unit.case_id != case.pk:
        raise ValidationError({"liable_unit": [_("请选择本案已列明的责任单位。")]})
    employer = liable_unit.employer if liable_unit is not None else case.employer
    clean = persons_clean(
        employer=employer,
        legal_representative=legal_representative,
        legal_representative_id=legal_representative_id,
        persons=persons,
    )
    listing = CreditListing.objects.create(
        case=case,
        employer=employer,
        region=case.region,
        status=S.PROPOSED,
        reasons=assessment.reasons,
        amount_owed=assessment.outstanding,
    )
    ListedPerson.objects.bulk_create(
        [ListedPerson(listing=listing, name=p.name, id_number=p.id_number, role=p.role) for p in clean]
    )
    with listing_step(
        listing, expect=None, locked=True, event="listing.proposed", actor=actor, role=Role.INSPECTOR, at=at
    ) as step:  # a new row: nothing to lock or check
        step.data.update(
            reasons=assessment.reasons,
            amount_owed=assessment.outstanding,
            workers=assessment.workers_owed,
            persons=_masked(clean),
        )
        if liable_unit is not None:
            step.data.update(employer=employer.name, uscc=employer.uscc, liable_unit=liable_unit.pk)
    return listing


@one_transaction
def listing_notice(*, listing: CreditListing, actor, at: datetime | None = None) -> Document:
    """告知书 to the employer. The defence window (the province's listing_defence_wd working days) runs from its
    service (listing_notice_serve), not its issue: the notice states the number of working days."""
    at = moment(at)
    with listing_step(
        listing,
        expect=[S.PROPOSED],
        message=_("只有拟列入的名单可以告知。"),
        event="listing.noticed",
        actor=actor,
        role=Role.INSPECTOR,
        at=at,
    ) as step:
        days = province_config(listing.region).listing_defence_wd
        document = in_office_language(
            lambda: document_issue(
                case=listing.case,
                kind=Document.Kind.LISTING_NOTICE,
                actor=actor,
                role=Role.INSPECTOR,
                data={"reason": "；".join(listing.reasons), "defence_wd": days, **listing_addressee(listing)},
                at=at,
            )
        )
        step.to(S.NOTICED, notice=document)
        step.data.update(notice=document.number, defence_wd=days)
    return document


@one_transaction
def listing_notice_serve(
    *,
    listing: CreditListing,
    actor,
    method: str,
    served_at: datetime,
    recipient: str,
    proof=None,
    at: datetime | None = None,
) -> CreditListing:
    """送达 of the notice (issue 13 item 9): its service record, and the defence window from the service."""
    at = moment(at)
    with listing_step(
        listing,
        expect=[S.NOTICED],
        message=_("只有已告知的名单可以登记告知书送达。"),
        event="listing.notice_served",
        actor=actor,
        role=Role.INSPECTOR,
        at=at,
    ) as step:
        notice = listing.notice
        if notice is None or notice.services.exists():
            raise StateConflict({"notice": [_("告知书已送达，不能重复登记。")]})
        record = document_serve(
            document=notice, method=method, served_at=served_at, recipient=recipient, proof=proof, actor=actor,
            role=Role.INSPECTOR,
        )  # fmt: skip
        days = province_config(listing.region).listing_defence_wd
        deadline = deadline_start(
            kind=DEFENCE, region=listing.region, start_at=record.served_at, case=listing.case, length=days
        )
        step.data.update(notice=notice.number, served_at=record.served_at, defence_due=deadline.due_at, defence_wd=days)
    return listing


@one_transaction
def listing_defence_submit(*, notice_number: str, uscc: str, defence: str, at: datetime | None = None) -> CreditListing:
    """陈述申辩 by the employer (public page or API), inside the defence window; once."""
    at = moment(at)
    text = (defence or "").strip()
    if not text:
        raise ValidationError({"defence": _("请填写陈述申辩的内容。")})
    if len(text) > 5000:
        raise ValidationError({"defence": _("陈述申辩不能超过5000个字符。")})
    listing = listing_for_employer(notice_number=notice_number, uscc=uscc)
    if listing is None:
        raise ValidationError({"notice_number": [str(NOT_FOUND)]})
    with listing_step(listing, expect=None, event="listing.defence_submitted", actor=None, role="", at=at) as step:
        deadline = defence_deadline(listing) if listing.notice and listing.notice.services.exists() else None
        if listing.status != S.NOTICED or (deadline is not None and at > deadline.due_at):
            raise StateConflict({"notice_number": [_("陈述申辩期已届满，不再接收陈述申辩。")]})
        if listing.defence_at is not None:
            raise StateConflict({"notice_number": [_("已提交过陈述申辩，不能重复提交。")]})
        step.set(defence=text, defence_at=at)
        step.data.update(chars=len(text), sha256=hashlib.sha256(text.encode()).hexdigest())
    return listing


@one_transaction
def listing_defence_close(*, listing: CreditListing, at: datetime | None = None) -> CreditListing:
    """The defence window ran out (the flow's timer): the proposal goes to legal review.

    The window's deadline is closed as met at its due time: it is the employer's period, not a
    duty of the office, and must not count as an overdue deadline of the case.
    """
    at = moment(at)
    lock(listing)
    if listing.status != S.NOTICED:
        return listing
    with listing_step(
        listing, expect=None, locked=True, event="listing.defence_closed", actor=None, role="", at=at
    ) as step:
        deadline = _open_deadline(listing, DEFENCE)
        if deadline is not None:
            deadline_close(deadline=deadline, at=min(at, deadline.due_at))
        step.to(S.REVIEW)
        step.data["defence_submitted"] = listing.defence_at is not None
    return listing


@one_transaction
def listing_legal_review(
    *, listing: CreditListing, actor, approved: bool, opinion: str, at: datetime | None = None
) -> CreditListing:
    """法制审核. Not passed → no listing (APL art 58 by analogy: no decision without a passed review)."""
    at = moment(at)
    opinion = required_text(opinion, field="opinion", label=_("意见"))
    with listing_step(
        listing,
        expect=[S.REVIEW],
        message=_("该名单当前不在法制审核阶段。"),
        event="listing.legal_reviewed",
        actor=actor,
        role=Role.LEGAL,
        at=at,
    ) as step:
        step.to(S.DECISION if approved else S.REJECTED)
        step.data.update(approved=approved, opinion=opinion)
    return listing
