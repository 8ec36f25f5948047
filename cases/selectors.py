"""Reads built on the scope module: every list starts from scope.*_visible()."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from . import scope
from .models import Case, CaseInspector, TimelineEvent
from .personal_data import search_indexes

PAGE_SIZE = 25


def case_list_for_user(
    user,
    *,
    status: str = "",
    region: str = "",
    q: str = "",
    figure: str = "",
    date_from=None,
    date_to=None,
    own: bool = False,
    mine: bool = False,
) -> QuerySet[Case]:
    """Cases the user may read, newest first, with the case-list filters (SPEC §7). `figure`: the cases a
    dashboard figure counts (cases.dashboard.FIGURE_FILTERS), in the local days date_from..date_to for a
    figure of a period."""
    qs = scope.cases_visible(user).select_related("region", "employer").order_by("-id")
    if mine:  # the cases the user is assigned to as an inspector
        qs = qs.filter(pk__in=CaseInspector.objects.filter(inspector=user, active=True).values("case_id"))
    if figure:
        from .dashboard import figure_q

        qs = qs.filter(figure_q(figure, date_from, date_to))
    if status:
        qs = qs.filter(status=status)
    if region:
        qs = qs.filter(region__code=region) if own else scope.within_region_code(qs, region)
    if q:
        q = q.strip()
        qs = qs.filter(
            Q(case_no=q)
            | Q(employer__uscc=q.upper())
            | Q(employer__name__icontains=q)
            | Q(complaints__receipt_no=q)
            | Q(case_parties__party__name=q)
            | party_by_personal_data(q, "case_parties__party__")
        ).distinct()
    return qs


def party_by_personal_data(q: str, prefix: str) -> Q:
    """An exact ID number or phone in the search box, matched through the parties' blind indexes
    (the columns are encrypted): Q() matching nothing when `q` is neither."""
    found = search_indexes(q)
    cond = Q(pk__in=[])
    if "id" in found:
        cond |= Q(**{f"{prefix}id_number_index": found["id"]})
    if "phone" in found:
        cond |= Q(**{f"{prefix}phone_index": found["phone"]})
    return cond


def keyset_page(qs: QuerySet, *, before: int | None, size: int = PAGE_SIZE) -> tuple[list, int | None]:
    """One page ordered by -id, after the id `before`; returns (rows, next cursor)."""
    if before:
        qs = qs.filter(pk__lt=before)
    rows = list(qs[: size + 1])
    nxt = rows[size - 1].pk if len(rows) > size else None
    return rows[:size], nxt


def timeline_for_case(
    case: Case, *, kind: str = "", actor: str = "", date_from=None, date_to=None
) -> QuerySet[TimelineEvent]:
    from . import timeline

    qs = timeline.for_case(case)
    if kind:
        qs = qs.filter(kind__startswith=kind)
    if actor:
        qs = qs.filter(actor_name=actor)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs


def complaint_public_lookup(*, receipt_no: str, phone_last4: str):
    """The complaint for the public status page: receipt number AND the phone's last 4 digits
    must match; any mismatch looks exactly like an unknown receipt number."""
    from .models import Complaint

    if not receipt_no or len(phone_last4 or "") != 4 or not phone_last4.isdigit():
        return None
    complaint = (
        Complaint.objects.select_related("complainant", "region", "case")
        .filter(receipt_no=receipt_no.strip().upper())
        .first()
    )
    if complaint is None or not complaint.complainant.phone.endswith(phone_last4):
        return None
    return complaint


def complaint_public_status(complaint) -> dict:
    """What the complainant may see: cases.public_status (no personal data beyond what they already know)."""
    from .public_status import complaint_public_status as status

    return status(complaint)
