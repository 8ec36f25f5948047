"""Staff pages for cases: thin views, every object through cases.scope."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import scope, selectors, timeline
from .forms import CaseFilterForm, TimelineFilterForm
from .masking import mask_id, mask_phone


@require_GET
@login_required
def case_list(request):
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.case_list_for_user(
        request.user, status=filters.get("status", ""), region=filters.get("region", ""), q=filters.get("q", "")
    )
    rows, next_cursor = selectors.keyset_page(qs, before=filters.get("before"))
    params = request.GET.copy()
    params.pop("before", None)
    return render(
        request,
        "cases/case_list.html",
        {"form": form, "cases": rows, "next_cursor": next_cursor, "params": params.urlencode()},
    )


def _parties(case, unmasked: bool):
    for cp in case.case_parties.select_related("party", "complaint"):
        party = cp.party
        yield {
            "kind": cp.get_kind_display(),
            "name": party.name,
            "id_number": party.id_number if unmasked else mask_id(party.id_number),
            "phone": party.phone if unmasked else mask_phone(party.phone),
            "receipt_no": cp.complaint.receipt_no if cp.complaint else "",
        }


def case_page_context(request, case, *, forms=None) -> dict:
    """Everything the case page shows (SPEC §7): header, deadlines, parties, ledger, documents,
    evidence, records, linked flows, the timeline — and only the actions this user may take."""
    from .deadlines import days_left, deadlines_for
    from .documents import documents_for
    from .investigation_views import case_sections_context

    user = request.user
    investigating = scope.can(user, scope.Right.INVESTIGATE, region=case.region, case_id=case.pk)
    return {
        "case": case,
        "parties": list(_parties(case, unmasked=False)),
        "complaints": case.complaints.order_by("id"),
        "deadlines": [(d, days_left(d)) for d in deadlines_for(case=case)],
        "documents": documents_for(case),
        "events": list(timeline.for_case(case)[:50]),
        "chain_ok": timeline.chain_ok(case),
        "can_suspend": investigating and case.status == case.Status.INVESTIGATING,
        "can_resume": investigating and case.status == case.Status.SUSPENDED,
        "can_request_extension": investigating and case.status == case.Status.INVESTIGATING,
        **case_sections_context(request, case, forms=forms),
    }


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
        {"case": case, "form": form, "events": events, "chain_ok": timeline.chain_ok(case)},
    )
