"""The decision to list (列入决定书) and the term: listed for TERM_YEARS from the decision, then expired
(the term's deadline, the periodic check)."""

from __future__ import annotations

import logging
from datetime import datetime, time

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.deadlines import deadline_close, deadline_start
from cases.documents import document_issue
from cases.models import Deadline, Document, Role
from cases.transitions import expect_status, lock
from cases.tx import one_transaction
from cases.values import LOCAL_TZ, in_office_language, moment, required_text

from ..models import CreditListing
from .common import ON_LIST, TERM, TERM_YEARS, S, _open_deadline, listing_addressee, listing_step

logger = logging.getLogger(__name__)


def term_end(decided_at: datetime) -> datetime:
    """23:59:59 (Shanghai) of the day corresponding to the decision day, TERM_YEARS later."""
    day = timezone.localtime(decided_at, LOCAL_TZ).date()
    try:
        end = day.replace(year=day.year + TERM_YEARS)
    except ValueError:  # 29 February → the month's last day
        end = day.replace(year=day.year + TERM_YEARS, day=28)
    return datetime.combine(end, time(23, 59, 59), tzinfo=LOCAL_TZ)


@one_transaction
def listing_decide(
    *, listing: CreditListing, actor, approved: bool, opinion: str, at: datetime | None = None
) -> CreditListing:
    """The leader's decision: 列入决定书, listed and published for 3 years; or not listed."""
    at = moment(at)
    opinion = required_text(opinion, field="opinion", label=_("意见"))
    lock(listing)
    expect_status(listing, [S.DECISION], error_field=NON_FIELD_ERRORS, message=_("该名单当前不在待决定阶段。"))
    event = "listing.listed" if approved else "listing.rejected"
    with listing_step(listing, expect=None, locked=True, event=event, actor=actor, role=Role.LEADER, at=at) as step:
        if not approved:
            step.to(S.REJECTED)
            step.data["opinion"] = opinion
            return listing
        document = in_office_language(
            lambda: document_issue(
                case=listing.case,
                kind=Document.Kind.LISTING_DECISION,
                actor=actor,
                role=Role.LEADER,
                data={"reason": "；".join(listing.reasons), **listing_addressee(listing)},
                at=at,
            )
        )
        expires_at = term_end(at)
        start_day = timezone.localtime(at, LOCAL_TZ).date()
        term = deadline_start(
            kind=TERM,
            region=listing.region,
            start_at=at,
            case=listing.case,
            length=(expires_at.date() - start_day).days,
        )
        assert term.due_at == expires_at, (term.due_at, expires_at)
        step.to(S.LISTED, decision=document, listed_at=at, expires_at=expires_at)
        step.data.update(decision=document.number, opinion=opinion, expires_at=expires_at, term_deadline=term.pk)
    return listing


@transaction.atomic  # listings_expire_due carries on after one that failed: its own savepoint
def listing_expire(*, listing: CreditListing, at: datetime | None = None) -> bool:
    """The 3-year term has run: removed from the list (期满移出). False if there was nothing to do."""
    at = moment(at)
    lock(listing)
    if listing.status not in ON_LIST or listing.expires_at is None or at < listing.expires_at:
        return False
    with listing_step(listing, expect=None, locked=True, event="listing.expired", actor=None, role="", at=at) as step:
        term = _open_deadline(listing, TERM)
        if term is not None:
            deadline_close(deadline=term, at=term.due_at)  # the term ran its course: met, not late
        step.to(S.EXPIRED, removed_at=listing.expires_at)
        step.data["expires_at"] = listing.expires_at
    return True


def listing_term_overdue(deadline: Deadline, now: datetime) -> None:
    """cases.deadlines on_overdue("listing.term") handler: expire the listing whose term this is."""
    listing = (
        CreditListing.objects.filter(case_id=deadline.case_id, status__in=ON_LIST, expires_at=deadline.due_at)
        .order_by("id")
        .first()
    )
    if listing is not None:
        listing_expire(listing=listing, at=now)


def listings_expire_due(now: datetime | None = None, **_kwargs) -> int:
    """A periodic check (the sweep's, where it has one): expire every listing whose term has ended."""
    now = moment(now)
    done = 0
    for pk in CreditListing.objects.filter(status__in=ON_LIST, expires_at__lte=now).values_list("pk", flat=True):
        try:
            if listing_expire(listing=CreditListing.objects.get(pk=pk), at=now):
                done += 1
        except Exception:
            logger.exception("listing %s: expiry failed; retried at the next sweep", pk)
    return done
