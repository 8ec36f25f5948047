"""涉嫌拒不支付劳动报酬犯罪移送 (SPEC §4.4; domain-rules §3, §4.2, §5; R310, JI2013, CL 276-1).

    eligibility = referral_eligibility(case)          # pure: reads the case, writes nothing
    referral_grounds_record(case=case, actor=inspector, ground="flight", evidence=photo)
    referral = referral_propose(case=case, actor=inspector)      # refused with the reasons when not eligible
    referral_legal_review(referral=referral, actor=legal, decision="approved", opinion="…")
    referral_approve(referral=referral, actor=leader, approved=True, opinion="…")          # 3 days
    referral_transfer(referral=referral, actor=inspector)                                  # 24 hours
    referral_police_decision(referral=referral, actor=inspector, filed=True)               # police: 3 days
    referral_handover(…) → referral_outcome(…)                                             # 3 days
    referral_reconsideration_request(…) → referral_reconsideration_answer(…)               # 3 + 3 days
      → referral_procuratorate_request(…)                                                  # 3 days

Each service is one transaction with one timeline event of its own (proposing and amending also
issue the package, whose "document.issued" event is the document's). Deadlines are in calendar
days or hours, as R310 counts them. The administrative case goes on meanwhile: nothing here
changes `case.status`, and nothing in the administrative services touches a referral (R310 art 11:
a penalty does not replace a transfer).

Where the crime grounds live: flight / concealment or able-but-refusing (CL 276-1) are rows of the
CrimeGround table, each with its evidence and the evidence's SHA-256 when recorded; eligibility reads
the table. Each ground also writes one "case.crime_ground_recorded" event (append-only, hash-chained):
the audit trail. `Referral.eligibility` cannot hold them because a ground must exist *before* a referral
may be proposed; the snapshot taken at proposal copies the grounds into it.

Every status change goes through the transition kernel (cases.transitions, via steps.step): the row
locked and re-read, its status checked (StateConflict on "status"), the fields saved, one event.

The package, by job: rules (states, deadlines, grounds), months (unpaid months), grounds (the table and
its service), eligibility, package (the referral letter), steps (the kernel, clocks, times), review
(proposal, legal review, amendment, approval), police (transfer to the outcome, reconsideration,
procuratorate).
"""

from __future__ import annotations

from .eligibility import (
    ZERO,
    Eligibility,
    referral_eligibility,
)
from .grounds import (
    grounds_of,
    referral_grounds_record,
)
from .months import (
    months_between,
    months_text,
    worker_months,
)
from .package import (
    package_data,
    package_issue,
)
from .police import (
    referral_handover,
    referral_outcome,
    referral_police_decision,
    referral_procuratorate_request,
    referral_reconsideration_answer,
    referral_reconsideration_request,
    referral_transfer,
)
from .review import (
    referral_amend,
    referral_approve,
    referral_legal_review,
    referral_open,
    referral_propose,
)
from .rules import (
    APPROVE,
    GROUND_EVENT,
    GROUNDS,
    HANDOVER,
    LEGAL_DECISIONS,
    OPEN,
    OPEN_CLOCK,
    ORDER_KINDS,
    PHOTO_OR_VIDEO,
    POLICE_DECIDE,
    POLICE_RECONSIDER,
    PROCURATORATE_REQUEST,
    RECONSIDER_REQUEST,
    TRANSFER,
    S,
)

__all__ = [
    "APPROVE",
    "Eligibility",
    "GROUNDS",
    "GROUND_EVENT",
    "HANDOVER",
    "LEGAL_DECISIONS",
    "OPEN",
    "OPEN_CLOCK",
    "ORDER_KINDS",
    "PHOTO_OR_VIDEO",
    "POLICE_DECIDE",
    "POLICE_RECONSIDER",
    "PROCURATORATE_REQUEST",
    "RECONSIDER_REQUEST",
    "S",
    "TRANSFER",
    "ZERO",
    "grounds_of",
    "months_between",
    "months_text",
    "package_data",
    "package_issue",
    "referral_amend",
    "referral_approve",
    "referral_eligibility",
    "referral_grounds_record",
    "referral_handover",
    "referral_legal_review",
    "referral_open",
    "referral_outcome",
    "referral_police_decision",
    "referral_procuratorate_request",
    "referral_propose",
    "referral_reconsideration_answer",
    "referral_reconsideration_request",
    "referral_transfer",
    "worker_months",
]
