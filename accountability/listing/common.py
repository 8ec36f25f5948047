"""What the listing's services share: its statuses and periods, its history and its steps on the transition
kernel, its deadlines, and how the employer's side finds a listing (notice number + USCC)."""

from __future__ import annotations

import hmac
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Q
from django.utils.translation import gettext_lazy

from cases import timeline
from cases.audit import words_register
from cases.deadlines import DL2021, Rule, rules_register
from cases.models import CaseLiableUnit, Deadline
from cases.transitions import Step, transition

from ..models import Accountability, CreditListing, ListingHistory, Publication, RemovalApplication

S = CreditListing.Status
TERM_YEARS = 3  # DL2021: listed for 3 years from the decision (domain-rules §2 row 37)
REMOVAL_AFTER_MONTHS = 6  # DL2021: early removal ≥ 6 months after correction (row 38)
DEFENCE = "listing.defence"
TERM = "listing.term"

rules_register(
    {
        # row 37 [S]: 3 years from the decision. The length is set per listing (1095 or 1096 days).
        # The term is fixed by the decision (its expiry date is published), so it does not move past holidays.
        TERM: Rule(gettext_lazy("失信联合惩戒名单期限（3年）"), 365 * TERM_YEARS, Deadline.Unit.DAYS, DL2021,
                   "listing.listed", 0, holiday_rolls=False),
    }
)  # fmt: skip

# The auditors' timeline PDF names this app's codes in words (cases.audit.words).
words_register(
    codes={
        "status": {
            value: label
            for choices in (CreditListing.Status, RemovalApplication.Status, Accountability.Status, Publication.Status)
            for value, label in choices.choices
        },
        "trigger": dict(Accountability.Trigger.choices),
    }
)

# Statuses in which the employer is on the published list.
ON_LIST = (S.LISTED, S.REMOVAL_APPLIED)
# Statuses of a listing procedure still running or in force: a case has at most one.
OPEN = (S.PROPOSED, S.NOTICED, S.REVIEW, S.DECISION, S.LISTED, S.REMOVAL_APPLIED)


# --- helpers ----------------------------------------------------------------------------------------


def listing_addressee(listing: CreditListing, *, role: bool = True) -> dict:
    """What a listing document's data adds so that it names and addresses the listed unit (its name, USCC,
    legal representative, address): nothing when it is the case's employer; the case's liable unit that it
    is (责任单位: the general contractor ordered to pay first …), whose role and basis the document states;
    else — that unit taken off the case's list since, or `role` False (the removal decision: no duty to
    state) — the unit itself (cases.documents: "listed_employer")."""
    if listing.employer_id == listing.case.employer_id:
        return {}
    if not role:
        return {"listed_employer": listing.employer_id}
    unit = (
        CaseLiableUnit.objects.filter(case_id=listing.case_id, employer_id=listing.employer_id)
        .order_by("id")
        .values_list("pk", flat=True)
        .first()
    )
    return {"liable_unit": unit} if unit is not None else {"listed_employer": listing.employer_id}



def _history(listing: CreditListing, kind: str, *, actor, at: datetime, data: dict | None = None) -> None:
    ListingHistory.objects.create(
        listing=listing,
        at=at,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        data=timeline.normalise(data or {}),
    )


@contextmanager
def listing_step(
    listing: CreditListing,
    *,
    expect: Iterable[str] | None,
    event: str,
    actor,
    role: str,
    at: datetime,
    locked: bool = False,
    error_field: str = NON_FIELD_ERRORS,
    message: str | None = None,
) -> Iterator[Step]:
    """A change of the listing through the transition kernel (lock, re-read, check, save, the case's
    timeline event), with the listing's own history row: both carry {"listing", "status", **step.data}
    (the status the change leaves)."""
    with transition(
        listing,
        expect=expect,
        event=event,
        actor=actor,
        role=role,
        at=at,
        locked=locked,
        error_field=error_field,
        message=message,
    ) as step:
        yield step
        body = {"listing": listing.pk, "status": step.changes.get("status", listing.status), **step.data}
        step.data.clear()
        step.data.update(body)
        _history(listing, event.removeprefix("listing."), actor=actor, at=at, data=body)


def _open_deadline(listing: CreditListing, kind: str) -> Deadline | None:
    """The listing's open deadline of `kind`: a case has one listing procedure at a time (OPEN)."""
    return (
        Deadline.objects.filter(
            case_id=listing.case_id,
            kind=kind,
            state__in=[Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.OVERDUE],
        )
        .order_by("-id")
        .first()
    )


def defence_deadline(listing: CreditListing) -> Deadline | None:
    """The defence window of this listing: its case's latest "listing.defence" deadline."""
    return Deadline.objects.filter(case_id=listing.case_id, kind=DEFENCE).order_by("-id").first()


# --- the employer's side: found by the notice number and its USCC --------------------------------------

NOT_FOUND = gettext_lazy("告知书编号或统一社会信用代码不正确。")


def _normalise_code(value: Any) -> str:
    return re.sub(r"\s+", "", str(value or "")).upper()


def listing_for_employer(*, notice_number: str, uscc: str) -> CreditListing | None:
    """The listing whose notice (or decision) bears this number, if the USCC is its employer's.

    Any mismatch — no such number, another code, an employer without a code — is the same None,
    and the comparison takes the same time, so nothing is revealed about other employers.
    """
    number = " ".join(str(notice_number or "").split())
    code = _normalise_code(uscc)
    listing = None
    if number:
        listing = (
            CreditListing.objects.select_related("employer", "case", "notice", "decision", "region")
            .filter(Q(notice__number=number) | Q(decision__number=number))
            .order_by("-id")
            .first()
        )
    expected = _normalise_code(listing.employer.uscc) if listing is not None else ""
    same = hmac.compare_digest(expected.encode() or b"-", code.encode() or b"--")
    return listing if listing is not None and expected and same else None
