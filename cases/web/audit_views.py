"""The auditors' search (issue 14 item 3): events across the cases and complaints in the user's scope, each
as its sentence, linked to its case; the result as XLSX. Auditors and leaders; any other role 403."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from .. import scope
from ..audit.search import case_no_of, events_search, events_xlsx, export_filename
from ..audit.sentences import sentences_attach
from ..models import Role
from .forms import AuditSearchForm
from .ledger_export import XLSX_CONTENT_TYPE

PER_PAGE = 50


def search_filters(form: AuditSearchForm) -> dict:
    """The filters of a valid form (none of an invalid one: its errors are shown, the search not narrowed)."""
    if not form.is_valid():
        return {}
    keys = ("kind", "actor", "date_from", "date_to", "case_no")
    return {k: form.cleaned_data[k] for k in keys if form.cleaned_data.get(k)}


@require_GET
@login_required
def audit_search(request):
    form = AuditSearchForm(request.GET or None)
    events = events_search(user=request.user, **search_filters(form))
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    rows = sentences_attach(page.object_list)
    for event in rows:
        event.case_no = case_no_of(event)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "cases/audit_search.html",
        {
            "form": form,
            "page": page,
            "events": rows,
            "params": params.urlencode(),
            "show_payload": Role.AUDITOR in scope.roles(request.user),
        },
    )


@require_GET
@login_required
def audit_export(request):
    form = AuditSearchForm(request.GET or None)
    content = events_xlsx(events_search(user=request.user, **search_filters(form)))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, export_filename()) or ""
    response["Cache-Control"] = "private, no-store"
    return response
