"""Staff pages for complaints: the list (search by receipt number, name, employer, USCC) and one complaint."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import scope, selectors, timeline
from ..audit.sentences import sentences_attach
from ..deadlines import days_left
from ..documents.complaint_notices import complaint_documents
from ..masking import mask_id, mask_phone
from ..models import Complaint, Role
from ..services import personal_data_view_record
from .list_columns import COMPLAINT_COLUMNS
from .list_export import export_requested, xlsx_response


@require_GET
@login_required
def complaint_list(request):
    qs = scope.complaints_visible(request.user).select_related("region", "employer", "complainant").order_by("-id")
    q = (request.GET.get("q") or "").strip()
    status = request.GET.get("status") or ""
    if q:
        qs = qs.filter(
            Q(receipt_no=q.upper())
            | Q(employer__uscc=q.upper())
            | Q(employer__name__icontains=q)
            | Q(complainant__name=q)
            | selectors.party_by_personal_data(q, "complainant__")
        )
    if status in Complaint.Status.values:
        qs = qs.filter(status=status)
    if export_requested(request):
        return xlsx_response(qs.select_related("complainant"), COMPLAINT_COLUMNS, title="投诉列表")
    try:
        before = int(request.GET.get("before") or 0) or None
    except ValueError:
        before = None
    rows, next_cursor = selectors.keyset_page(qs, before=before)
    params = request.GET.copy()
    params.pop("before", None)
    return render(
        request,
        "cases/complaint_list.html",
        {"complaints": rows, "next_cursor": next_cursor, "q": q, "status": status,
         "statuses": Complaint.Status.choices, "params": params.urlencode()},
    )  # fmt: skip


@require_GET
@login_required
def complaint_detail(request, receipt_no):
    complaint = scope.complaint_for_user(request.user, receipt_no)
    unmasked = scope.can(request.user, scope.Right.INTAKE, region=complaint.region)
    party = complaint.complainant
    if unmasked and (party.id_number or party.phone):
        personal_data_view_record(subject=complaint, viewer=request.user, role=Role.CLERK, what="complainant")
    return render(
        request,
        "cases/complaint_detail.html",
        {
            "complaint": complaint,
            "complainant": {
                "name": party.name,
                "id_number": party.id_number if unmasked else mask_id(party.id_number),
                "phone": party.phone if unmasked else mask_phone(party.phone),
            },
            "deadlines": [(d, days_left(d)) for d in complaint.deadlines.order_by("due_at")],
            "events": sentences_attach(complaint.events.order_by("seq")),
            "show_payload": Role.AUDITOR in scope.roles(request.user),
            "chain_ok": timeline.chain_ok(complaint),
            "documents": complaint_documents(complaint),
        },
    )
