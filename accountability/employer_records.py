"""The employer record as staff see it: its cases in the viewer's scope, the credit listings and the
published violations of those cases, and the history of corrections (cases.employers)."""

from __future__ import annotations

from django.db.models import QuerySet

from cases.employers import employer_history
from cases.models import Case, Employer

from .models import CreditListing, PublicationEntry

CASES_SHOWN = 500  # the newest; the case list (filtered by the employer's name) has them all


def employer_record(employer: Employer, cases: QuerySet[Case]) -> dict:
    """What the employer page and its API show; `cases`: the employer's cases the viewer may read."""
    case_ids = list(cases.values_list("pk", flat=True))
    return {
        "employer": employer,
        "cases_total": len(case_ids),
        "cases": list(cases.select_related("region", "project").order_by("-filed_at", "-pk")[:CASES_SHOWN]),
        "listings": list(
            CreditListing.objects.filter(employer=employer, case_id__in=case_ids)
            .select_related("case", "region", "decision")
            .order_by("-created_at", "-pk")
        ),
        "publications": list(
            PublicationEntry.objects.filter(case_id__in=case_ids)
            .select_related("publication", "publication__region", "case")
            .order_by("-publication__period_end", "-pk")
        ),
        "history": list(employer_history(employer)),
    }
