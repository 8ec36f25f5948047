"""Pages of the accountability app. Thin views: a selector or one service each.

Public (no login, mobile first): the credit list and a listing, the employer's defence and its
early-removal application, the published major violations by period with their archive.
Staff: the accountability register (leaders and auditors) and the publications to approve.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import scope
from cases.models import Region
from cases.web.list_export import export_requested, xlsx_response
from cases.xlsx import Column

from . import accountability, listing, publication
from .forms import (
    CreditSearchForm,
    DefenceForm,
    RegisterFilterForm,
    RemovalForm,
    ViolationFilterForm,
    period_label,
    service_errors,
)
from .models import Publication

PAGE_SIZE = 20


def _page(request, qs, size: int = PAGE_SIZE):
    return Paginator(qs, size).get_page(request.GET.get("page"))


def _params(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- public: the credit list -----------------------------------------------------------------------------


@require_GET
def credit_list(request):
    form = CreditSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = _page(request, listing.credit_list_public(q=q))
    rows = [listing.listing_public(item) for item in page]
    return render(
        request, "public/credit_list.html", {"form": form, "page": page, "rows": rows, "params": _params(request)}
    )


CREDIT_LIST_COLUMNS = [
    Column("用人单位", lambda r: r["employer_name"], 34),
    Column("统一社会信用代码", lambda r: r["uscc"], 22),
    Column("法定代表人或主要负责人", lambda r: r["legal_representative"], 14),
    Column("列入日期", lambda r: r["listed_at"], 14),
    Column("期满日期", lambda r: r["expires_at"], 14),
    Column("作出决定的机构", lambda r: r["deciding_office"], 24),
    Column("决定书文号", lambda r: r["decision_number"], 24),
]


@require_GET
@login_required
def credit_list_staff(request):
    """The published credit list inside the staff site (the same list as the public page, in the frame),
    for the staff who read cases (the menu's rule, workflows.menu)."""
    if not scope.holds_anywhere(request.user, scope.Right.READ_CASE):
        raise PermissionDenied
    form = CreditSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    if export_requested(request):
        rows = (listing.listing_public(item) for item in listing.credit_list_public(q=q))
        return xlsx_response(rows, CREDIT_LIST_COLUMNS, title="失信联合惩戒名单")
    page = _page(request, listing.credit_list_public(q=q))
    rows = [listing.listing_public(item) for item in page]
    return render(
        request,
        "accountability/credit_list_staff.html",
        {"form": form, "page": page, "rows": rows, "params": _params(request)},
    )


@require_GET
def credit_listing_detail(request, pk: int):
    item = listing.credit_listing_public(pk)
    if item is None:
        raise Http404
    return render(request, "public/credit_listing_detail.html", {"row": listing.listing_public(item)})


@require_http_methods(["GET", "POST"])
def listing_defence(request):
    form = DefenceForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                listing.listing_defence_submit(notice_number=d["notice_number"], uscc=d["uscc"], defence=d["defence"])
            except ValidationError as exc:
                service_errors(form, exc.message_dict)
            else:
                return render(request, "public/listing_defence.html", {"done": True, "number": d["notice_number"]})
        return render(request, "public/listing_defence.html", {"form": form}, status=400)
    return render(request, "public/listing_defence.html", {"form": form})


@require_http_methods(["GET", "POST"])
def listing_removal(request):
    form = RemovalForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                listing.removal_apply(
                    notice_number=d["notice_number"], uscc=d["uscc"], corrected_on=d["corrected_on"], pledge=d["pledge"]
                )
            except ValidationError as exc:
                service_errors(form, exc.message_dict)
            else:
                return render(request, "public/listing_removal.html", {"done": True, "number": d["notice_number"]})
        return render(request, "public/listing_removal.html", {"form": form}, status=400)
    return render(request, "public/listing_removal.html", {"form": form})


# --- public: major violations ----------------------------------------------------------------------------


@require_GET
def violations(request):
    periods = publication.publication_periods()
    form = ViolationFilterForm(request.GET or None, periods=periods)
    filters = form.cleaned_data if form.is_valid() else {}
    period = (filters.get("period") or "").upper() or (periods[0] if periods else "")
    qs = publication.publications_public(period=period, region=filters.get("region") or "") if period else None
    page = _page(request, qs, 10) if qs is not None else None
    return render(
        request,
        "public/violations.html",
        {
            "form": form,
            "period": period,
            "period_name": period_label(period),
            "periods": [(p, period_label(p)) for p in periods],
            "page": page,
            "publications": [publication.publication_public(p) for p in page] if page else [],
            "params": _params(request),
        },
    )


@require_GET
def violation_publication(request, pk: int):
    item = publication.publications_public().filter(pk=pk).first()
    if item is None:
        raise Http404
    return render(request, "public/violation_publication.html", {"publication": publication.publication_public(item)})


# --- staff: the accountability register, publications ------------------------------------------------------


REGISTER_COLUMNS = [
    Column("年度", lambda a: a.year, 8),
    Column("被问责机构", lambda a: a.region.name, 24),
    Column("决定机构", lambda a: a.deciding_region.name if a.deciding_region_id else "", 24),
    Column("案件", lambda a: a.case.case_no if a.case_id else "", 20),
    Column("启动情形", lambda a: a.get_trigger_display(), 18),
    Column("状态", lambda a: a.get_status_display(), 10),
    Column("问责方式", lambda a: a.get_measure_display(), 12),
    Column("决定书", lambda a: a.decision.number if a.decision_id else "", 24),
    Column("启动时间", lambda a: a.opened_at, 18),
]


@require_GET
@login_required
def accountability_register(request):
    form = RegisterFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = accountability.accountability_register(
        request.user, region=filters.get("region") or "", year=filters.get("year")
    )
    if export_requested(request):
        return xlsx_response(qs, REGISTER_COLUMNS, title="问责台账")
    page = _page(request, qs)
    return render(
        request,
        "accountability/accountability_register.html",
        {"form": form, "page": page, "params": _params(request)},
    )


@require_GET
@login_required
def publication_list(request):
    page = _page(request, publication.publications_for_staff(request.user).prefetch_related("entries"), 10)
    approvable = set(scope.regions_with(request.user, scope.Right.APPROVE))
    return render(
        request,
        "accountability/publication_list.html",
        {"page": page, "approvable": approvable, "params": _params(request)},
    )


@require_POST
@login_required
def publication_approve(request):
    """The leader approves its own office's draft for a period (POST period, and office if it leads several)."""
    offices = scope.regions_with(request.user, scope.Right.APPROVE)
    if not offices:
        raise PermissionDenied
    code = (request.POST.get("office") or "").strip()
    if code:
        office = Region.objects.filter(code=code, pk__in=offices).first()
        if office is None:
            raise PermissionDenied
    elif len(offices) == 1:
        office = Region.objects.get(pk=offices[0])
    else:
        messages.error(request, _("请选择机构。"))
        return redirect("accountability-staff:publication-list")
    period = (request.POST.get("period") or "").strip().upper()
    item = Publication.objects.filter(region=office, period=period).first()
    if item is None:
        raise Http404
    try:
        publication.publication_approve(publication=item, actor=request.user)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("已批准发布：%(office)s %(period)s") % {"office": office.name, "period": period})
    return redirect("accountability-staff:publication-list")
