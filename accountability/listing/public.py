"""Selectors of the public list (公示): listed employers, ID numbers masked, no phone, no case number."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cases.masking import mask_id

from ..models import CreditListing
from .common import ON_LIST, _normalise_code
from .persons import LEGAL_REPRESENTATIVE


def credit_list_public(*, q: str = "") -> QuerySet[CreditListing]:
    """Listed employers, newest first; q: part of the name, or the USCC."""
    qs = (
        CreditListing.objects.filter(status__in=ON_LIST)
        .select_related("employer", "region", "decision")
        .prefetch_related("persons")
        .order_by("-listed_at", "-id")
    )
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(employer__uscc=_normalise_code(q)) | Q(employer__name__icontains=q))
    return qs


def credit_listing_public(pk: int) -> CreditListing | None:
    return credit_list_public().filter(pk=pk).first()


def listing_public(listing: CreditListing) -> dict:
    """What the public list shows of one listing: ID numbers masked, no phone, no case number."""
    employer = listing.employer
    return {
        "id": listing.pk,
        "employer_name": employer.name,
        "uscc": employer.uscc,
        "address": employer.address,
        "legal_representative": next(
            (p.name for p in listing.persons.all() if p.role == LEGAL_REPRESENTATIVE), employer.legal_representative
        ),
        "persons": [{"name": p.name, "id_number": mask_id(p.id_number), "role": p.role} for p in listing.persons.all()],
        "reasons": list(listing.reasons),
        "deciding_office": listing.region.name,
        "decision_number": listing.decision.number if listing.decision_id else "",
        "listed_at": listing.listed_at,
        "expires_at": listing.expires_at,
    }
