"""Staff pages for cases: thin views, every object through cases.scope."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from .. import scope, selectors, timeline
from ..audit import timeline_pdf
from ..audit.sentences import sentences_attach
from ..models import Role
from ..timeline.numbering import events_numbered
from .case_page import case_page_context
from .forms import CaseFilterForm, TimelineFilterForm
from .list_columns import CASE_COLUMNS
from .list_export import export_requested, xlsx_response


@require_GET
@login_required
def case_list(request):
    form = CaseFilterForm(request.GET or None).for_user(request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.case_list_for_user(
        request.user,
        status=filters.get("status", ""),
        region=filters.get("region", ""),
        q=filters.get("q", ""),
        figure=filters.get("figure", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        own=bool(filters.get("own")),
        mine=bool(filters.get("mine")),
    )
    if export_requested(request):
        return xlsx_response(qs, CASE_COLUMNS, title="案件列表")
    rows, next_cursor = selectors.keyset_page(qs, before=filters.get("before"))
    total = qs.count()
    params = request.GET.copy()
    params.pop("before", None)
    return render(
        request,
        "cases/case_list.html",
        {"form": form, "cases": rows, "next_cursor": next_cursor, "params": params.urlencode(), "total": total},
    )


@require_GET
@login_required
def case_detail(request, case_no):
    case = scope.case_for_user(request.user, case_no)
    return render(request, "cases/case_detail.html", case_page_context(request, case))


@require_GET
@login_required
def case_timeline(request, case_no):
    case = scope.case_for_user(request.user, case_no, scope.Right.READ_TIMELINE)
    form = TimelineFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.timeline_for_case(case, **filters)
    return render(
        request,
        "cases/case_timeline.html",
        {
            "case": case,
            "form": form,
            "events": events_numbered(sentences_attach(events), case),
            "chain_ok": timeline.chain_ok(case),
            "show_payload": Role.AUDITOR in scope.roles(request.user),
        },
    )


def timeline_pdf_response(request, case_no: str) -> HttpResponse:
    """The auditors' timeline PDF of a case in the user's scope (404 otherwise; 403 without READ_TIMELINE)."""
    case = scope.case_for_user(request.user, case_no, scope.Right.READ_TIMELINE)
    response = HttpResponse(timeline_pdf(case=case, viewer=request.user), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{case.case_no}-timeline.pdf") or ""
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def case_timeline_pdf(request, case_no):
    return timeline_pdf_response(request, case_no)
