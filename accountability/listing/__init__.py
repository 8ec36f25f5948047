"""Credit listing (失信联合惩戒名单, SPEC §4.5a; DL2021; domain-rules §3, §4.3): services and selectors.

    eligible, reasons, failures = listing_criteria(case)           # pure: reads, writes nothing
    listing = listing_propose(case=case, actor=inspector, legal_representative_id="…", persons=[…])
    listing_notice(listing=listing, actor=inspector)                # LISTING_NOTICE
    listing_notice_serve(listing=…, actor=…, method=…, served_at=…, recipient=…)   # served: the defence window
    listing_defence_submit(notice_number=…, uscc=…, defence=…)     # public, inside the window
    listing_defence_close(listing=listing)                          # the window ran out → legal review
    listing_legal_review(listing=…, actor=legal, approved=True, opinion=…)
    listing_decide(listing=…, actor=leader, approved=True, opinion=…)   # LISTING_DECISION, listed for 3 years
    listing_expire(listing=…)                                       # the term ran out (the sweep)
    removal_apply(notice_number=…, uscc=…, corrected_on=…, pledge=…)   # 信用修复, public
    removal_review(application=…, actor=legal, …) / removal_decide(application=…, actor=leader, …)

Every change writes one ListingHistory row and one case timeline event ("listing.*") in the same
transaction; issuing a document adds its own "document.issued" event (cases.documents).

The term. DL2021: listed for 3 years from the decision. The end is computed as a civil-law period
(民法典 arts 201–202: the decision day is not counted; the period ends on the corresponding day three
years later, the month's last day when there is none — 29 Feb → 28 Feb) at 23:59:59 Asia/Shanghai.
It is kept twice, on purpose: `CreditListing.expires_at` is the public list's field (and the partial
index "listing_expiry"), and a "listing.term" deadline of unit DAYS whose length is the number of days
of those three calendar years (1095 or 1096) puts the term on the case page with its legal basis and
makes the minute sweep expire the listing exactly once (its overdue transition; workflows registers
the handler). A periodic check (`listings_expire_due`) is the safety net where the sweep has one.

The workflow side (workflows/wiring.py) registers `on_removal_applied` to start the
review of an application: this package never imports workflows.

The package, by job: common (statuses, history, the listing's step on the cases.transitions kernel, the
employer's look-up), criteria, persons, procedure (proposal, notice, defence, legal review), decision
(the decision and the term), removal (信用修复), public (the public list's selectors).
"""

from .common import (
    DEFENCE,
    NOT_FOUND,
    ON_LIST,
    OPEN,
    REMOVAL_AFTER_MONTHS,
    TERM,
    TERM_YEARS,
    S,
    defence_deadline,
    listing_for_employer,
    listing_step,
)
from .criteria import Assessment, listing_assess, listing_criteria
from .decision import listing_decide, listing_expire, listing_term_overdue, listings_expire_due, term_end
from .persons import LEGAL_REPRESENTATIVE, Person, persons_clean
from .procedure import (
    listing_defence_close,
    listing_defence_submit,
    listing_legal_review,
    listing_notice,
    listing_notice_serve,
    listing_propose,
)
from .public import credit_list_public, credit_listing_public, listing_public
from .removal import (
    add_months,
    on_removal_applied,
    removal_apply,
    removal_decide,
    removal_earliest,
    removal_review,
)

__all__ = [
    "Assessment",
    "DEFENCE",
    "LEGAL_REPRESENTATIVE",
    "NOT_FOUND",
    "ON_LIST",
    "OPEN",
    "Person",
    "REMOVAL_AFTER_MONTHS",
    "S",
    "TERM",
    "TERM_YEARS",
    "add_months",
    "credit_list_public",
    "credit_listing_public",
    "defence_deadline",
    "listing_assess",
    "listing_criteria",
    "listing_decide",
    "listing_defence_close",
    "listing_defence_submit",
    "listing_expire",
    "listing_for_employer",
    "listing_legal_review",
    "listing_notice",
    "listing_notice_serve",
    "listing_propose",
    "listing_public",
    "listing_step",
    "listing_term_overdue",
    "listings_expire_due",
    "on_removal_applied",
    "persons_clean",
    "removal_apply",
    "removal_decide",
    "removal_earliest",
    "removal_review",
    "term_end",
]
