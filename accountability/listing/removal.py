"""Early removal from the list (信用修复, DL2021): the employer's application ≥ REMOVAL_AFTER_MONTHS after
correcting, legal review, the leader's decision. workflows registers `on_removal_applied` to start the
review of an application (this package never imports workflows)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.deadlines import deadline_cancel
from cases.documents import document_issue
from cases.models import Document, Role
from cases.transitions import StateConflict, expect_status, lock
from cases.tx import one_transaction
from cases.values import LOCAL_TZ, in_office_language, moment, required_text

from ..models import CreditListing, RemovalApplication
from .common import (
    NOT_FOUND,
    REMOVAL_AFTER_MONTHS,
    TERM,
    S,
    _open_deadline,
    listing_addressee,
    listing_for_employer,
    listing_step,
)

_removal_hooks: list[Callable[[RemovalApplication], None]] = []


def on_removal_applied(fn: Callable[[RemovalApplication], None]) -> Callable:
    """Call fn(application) in the application's transaction (workflows starts its review)."""
    if fn not in _removal_hooks:
        _removal_hooks.append(fn)
    return fn


def add_months(day: date, months: int) -> date:
    """The corresponding day `months` later (the month's last day when there is none)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise AssertionError(day)


def removal_earliest(corrected_on: date) -> date:
    return add_months(corrected_on, REMOVAL_AFTER_MONTHS)


@one_transaction
def removal_apply(
    *, notice_number: str, uscc: str, corrected_on: date, pledge: str, at: datetime | None = None
) -> RemovalApplication:
    """An employer on the list applies for early removal: corrected ≥ 6 months ago, with a written pledge."""
    at = moment(at)
    errors: dict[str, list[str]] = {}
    text = (pledge or "").strip()
    if not text:
        errors["pledge"] = [_("请填写信用承诺书。")]
    elif len(text) > 5000:
        errors["pledge"] = [_("信用承诺书不能超过5000个字符。")]
    today = timezone.localtime(at, LOCAL_TZ).date()
    if not isinstance(corrected_on, date):
        errors["corrected_on"] = [_("请填写改正（支付完毕）日期。")]
    elif corrected_on > today:
        errors["corrected_on"] = [_("改正日期不能晚于今天。")]
    if errors:
        raise ValidationError(errors)
    listing = listing_for_employer(notice_number=notice_number, uscc=uscc)
    if listing is None:
        raise ValidationError({"notice_number": [str(NOT_FOUND)]})
    with listing_step(listing, expect=None, event="listing.removal_applied", actor=None, role="", at=at) as step:
        if listing.status == S.REMOVAL_APPLIED:
            raise StateConflict({"notice_number": [_("已有待审核的提前移出申请。")]})
        expect_status(listing, [S.LISTED], error_field="notice_number", message=_("该单位不在失信联合惩戒对象名单中。"))
        earliest = removal_earliest(corrected_on)
        if today < earliest:
            raise ValidationError(
                {
                    "corrected_on": [
                        _("改正后满%(n)d个月方可申请提前移出，最早可于%(day)s申请。")
                        % {"n": REMOVAL_AFTER_MONTHS, "day": earliest.isoformat()}
                    ]
                }
            )
        application = RemovalApplication.objects.create(
            listing=listing, corrected_on=corrected_on, pledge=text, applied_at=at
        )
        step.to(S.REMOVAL_APPLIED)
        step.data.update(application=application.pk, corrected_on=corrected_on, pledge_chars=len(text))
    for fn in _removal_hooks:
        fn(application)
    return application


def _pending(application: RemovalApplication) -> CreditListing:
    """Lock the listing (its applications' changes are serialised by it), read the application afresh and
    check it is still pending."""
    listing = lock(application.listing)
    application.refresh_from_db()
    expect_status(
        application, [RemovalApplication.Status.PENDING], error_field=NON_FIELD_ERRORS, message=_("该申请已办结。")
    )
    return listing


def _refuse(application: RemovalApplication, listing: CreditListing, *, actor, role: str, at, opinion: str, by: str):
    with listing_step(
        listing, expect=None, locked=True, event="listing.removal_refused", actor=actor, role=role, at=at
    ) as step:
        application.status, application.decided_at, application.opinion = RemovalApplication.Status.REFUSED, at, opinion
        application.save(update_fields=["status", "decided_at", "opinion"])
        if listing.status == S.REMOVAL_APPLIED:
            step.to(S.LISTED)
        step.data.update(application=application.pk, opinion=opinion, by=by)


@one_transaction
def removal_review(
    *, application: RemovalApplication, actor, approved: bool, opinion: str, at: datetime | None = None
) -> RemovalApplication:
    """法制审核 of an application; not passed → refused (the listing stays)."""
    at = moment(at)
    opinion = required_text(opinion, field="opinion", label=_("意见"))
    listing = _pending(application)
    if not approved:
        _refuse(application, listing, actor=actor, role=Role.LEGAL, at=at, opinion=opinion, by="legal_review")
        return application
    with listing_step(
        listing, expect=None, locked=True, event="listing.removal_reviewed", actor=actor, role=Role.LEGAL, at=at
    ) as step:  # the application goes on to the leader: no change of state, the event alone
        step.data.update(application=application.pk, approved=True, opinion=opinion)
    return application


def _removal_decision_issue(listing: CreditListing, application: RemovalApplication, *, actor, at: datetime):
    """The 移出决定书 of a granted early removal: a document of the listing's case, served like the 列入决定书."""
    return in_office_language(
        lambda: document_issue(
            case=listing.case,
            kind=Document.Kind.REMOVAL_DECISION,
            actor=actor,
            role=Role.LEADER,
            data={
                "listing_decision": listing.decision.number if listing.decision_id else "",
                "listed_on": listing.listed_at,
                "corrected_on": application.corrected_on,
                "applied_on": application.applied_at,
                "months": REMOVAL_AFTER_MONTHS,
                **listing_addressee(listing, role=False),
            },
            at=at,
        )
    )


@one_transaction
def removal_decide(
    *, application: RemovalApplication, actor, approved: bool, opinion: str, at: datetime | None = None
) -> RemovalApplication:
    """The leader grants early removal (提前移出) or refuses it."""
    at = moment(at)
    opinion = required_text(opinion, field="opinion", label=_("意见"))
    listing = _pending(application)
    if not approved or listing.status != S.REMOVAL_APPLIED:
        if listing.status != S.REMOVAL_APPLIED:  # the term ran out meanwhile
            opinion = f"{opinion}（{in_office_language(lambda: str(listing.get_status_display()))}）"
        _refuse(application, listing, actor=actor, role=Role.LEADER, at=at, opinion=opinion, by="decision")
        return application
    with listing_step(
        listing, expect=None, locked=True, event="listing.removed_early", actor=actor, role=Role.LEADER, at=at
    ) as step:
        term = _open_deadline(listing, TERM)
        if term is not None:
            deadline_cancel(deadline=term, at=at)
        application.status, application.decided_at = RemovalApplication.Status.GRANTED, at
        application.opinion = opinion
        application.save(update_fields=["status", "decided_at", "opinion"])
        document = _removal_decision_issue(listing, application, actor=actor, at=at)
        step.to(S.REMOVED_EARLY, removed_at=at, corrected_on=application.corrected_on, removal_decision=document)
        step.data.update(
            application=application.pk,
            opinion=opinion,
            corrected_on=application.corrected_on,
            removal_decision=document.number,
        )
    return application
