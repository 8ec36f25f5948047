"""Permission matrix: credit listing, major-violation publication and the accountability register.

Public pages and endpoints answer everyone alike (no login; a POST with an empty body is the 400 of its
own validation). The staff pages are for leaders and auditors (their region and below); the others, the
administrator included, get 403. Approving a publication: a leader approves its own office's draft
(302), everyone else 403.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from accountability.models import CreditListing, ListedPerson, Publication, PublicationEntry
from cases.models import Role
from tests import world
from tests.matrix import Entry

API_ANON = (401, 403)
MATRIX_PERIOD = "1999Q1"
_serial = itertools.count(1)


def public(role: str, _in_scope: bool) -> int:
    return 200


def bad_body(role: str, _in_scope: bool) -> int:
    return 400


def leader_or_auditor(role: str, _in_scope: bool) -> int:
    return 200 if role in {Role.LEADER, Role.AUDITOR} else 403


def leader_only(ok: int):
    return lambda role, _in_scope: ok if role == Role.LEADER else 403


def listed_url(_target) -> str:
    """A listed employer at 360302 (rows made directly: the flow is tested in tests/test_listing.py)."""
    case = world.case_in("360302")
    now = timezone.now()
    listing = CreditListing.objects.create(
        case=case,
        employer=case.employer,
        region=case.region,
        status=CreditListing.Status.LISTED,
        reasons=["矩阵"],
        amount_owed=Decimal("60000.00"),
        listed_at=now,
        expires_at=now.replace(year=now.year + 3),
    )
    ListedPerson.objects.create(listing=listing, name="王某", id_number="34052419800101001X", role="法定代表人")
    return reverse("accountability:credit-listing", args=[listing.pk])


def _publication(code: str, period: str, status: str) -> Publication:
    region = world.region(code)
    publication, _created = Publication.objects.get_or_create(
        region=region,
        period=period,
        defaults={
            "period_start": date(1999, 1, 1),
            "period_end": date(1999, 3, 31),
            "status": status,
            "compiled_at": timezone.now(),
            "published_at": timezone.now() if status == Publication.Status.PUBLISHED else None,
        },
    )
    if not publication.entries.exists():
        case = world.case_in(code)
        PublicationEntry.objects.create(
            publication=publication,
            case=case,
            category=PublicationEntry.Category.SOCIAL_IMPACT,
            employer_name=case.employer.name,
            facts="矩阵",
            handling="矩阵",
        )
    return publication


def published_url(_target) -> str:
    period = f"{1900 + next(_serial) % 99}H1"
    return reverse("accountability:violation-publication", args=[_publication("360302", period, "published").pk])


def approve_url(_target) -> str:
    """A draft for MATRIX_PERIOD at each demo level: each leader approves its own office's."""
    for code in world.LEVELS.values():
        _publication(code, MATRIX_PERIOD, Publication.Status.DRAFT)
    return reverse("accountability-staff:publication-approve")


ENTRIES: dict[str, Entry] = {
    # public pages
    "accountability:credit-list": Entry(lambda t: reverse("accountability:credit-list"), public, scoped=False,
                                        anonymous=200),
    "accountability:credit-listing": Entry(listed_url, public, scoped=False, anonymous=200),
    "accountability:listing-defence": Entry(lambda t: reverse("accountability:listing-defence"), public,
                                            scoped=False, anonymous=200),
    "accountability:listing-removal": Entry(lambda t: reverse("accountability:listing-removal"), public,
                                            scoped=False, anonymous=200),
    "accountability:violations": Entry(lambda t: reverse("accountability:violations"), public, scoped=False,
                                       anonymous=200),
    "accountability:violation-publication": Entry(published_url, public, scoped=False, anonymous=200),
    # staff pages
    "accountability-staff:register": Entry(
        lambda t: reverse("accountability-staff:register"), leader_or_auditor, scoped=False
    ),
    "accountability-staff:publication-list": Entry(lambda t: reverse("accountability-staff:publication-list"),
                                             leader_or_auditor, scoped=False),
    "accountability-staff:publication-approve": Entry(approve_url, leader_only(302), method="post", scoped=False,
                                                data={"period": MATRIX_PERIOD}),
    # public API
    "api-credit-list": Entry(lambda t: reverse("api-credit-list"), public, scoped=False, anonymous=200),
    "api-violations": Entry(lambda t: reverse("api-violations"), public, scoped=False, anonymous=200),
    "api-listing-defence": Entry(lambda t: reverse("api-listing-defence"), bad_body, method="post", scoped=False,
                                 anonymous=400),
    "api-listing-removal": Entry(lambda t: reverse("api-listing-removal"), bad_body, method="post", scoped=False,
                                 anonymous=400),
    # staff API
    "api-accountability-register": Entry(lambda t: reverse("api-accountability-register"), leader_or_auditor,
                                         scoped=False, anonymous=API_ANON),
}  # fmt: skip
