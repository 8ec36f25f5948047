"""The joint meeting's pages: each department role's landing page (its queue), the 督办/约谈 list (filters,
XLSX), a new matter (the office), a matter's page with its reports, 约谈 records and clocks, and its actions
(report by the addressee; 约谈 record and closure by the office). Thin views over jointmeeting.scope and
jointmeeting.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.deadlines import days_left
from cases.models import Case, Region
from cases.transitions import StateConflict
from cases.web.list_export import Column, export_requested, xlsx_response
from earlywarning.models import Signal
from projects import scope as project_scope
from projects.models import Project

from .. import scope, services
from ..clocks import clocks_of
from ..forms import CloseForm, InterviewForm, MatterFilter, MatterForm, ReportForm
from ..models import Department, Matter
from .common import errors_onto, page_of, query_without_page

OPEN = [Matter.Status.ISSUED, Matter.Status.IN_PROGRESS, Matter.Status.OVERDUE]
MATTER_COLUMNS = [
    Column("类别", lambda m: m.get_kind_display(), 8),
    Column("事项", lambda m: m.subject, 36),
    Column("交办层级", lambda m: m.office_region.name, 14),
    Column("承办单位", lambda m: m.addressee, 24),
    Column("状态", lambda m: m.get_status_display(), 10),
    Column("交办时间", lambda m: m.issued_at, 18),
    Column("办结期限", lambda m: m.due_at, 18),
    Column("最近报告时间", lambda m: m.last_report_at, 18),
    Column("办结时间", lambda m: m.closed_at, 18),
]


def _seat_labels(user) -> list[str]:
    names = dict(Region.objects.filter(pk__in=[s.region_id for s in scope.seats(user)]).values_list("pk", "name"))
    return [f"{names.get(s.region_id, '')}{Department(s.department).label}" for s in scope.seats(user)]


@require_GET
@login_required
def home(request):
    """The department's landing page: 督办 addressed to it, the police's referrals, its projects, the funding
    figures; the office's open matters and the overdue ones."""
    user = request.user
    if not (scope.sees_matters(user) or scope.is_police(user)):
        raise PermissionDenied
    context: dict = {
        "queue": scope.matters_addressed(user).filter(status__in=OPEN).select_related("office_region",
                                                                                      "addressee_region"),
        "is_office": scope.is_office(user),
        "is_police": scope.is_police(user),
        "sees_funding": scope.sees_funding(user),
        "sees_projects": project_scope.is_industry_user(user),
        "seat_labels": _seat_labels(user),
    }  # fmt: skip
    if context["is_office"]:
        ids = [rid for rid, _path in scope.office_regions(user)]
        issued = Matter.objects.filter(office_region_id__in=ids, status__in=OPEN)
        context["issued"] = issued.select_related("office_region", "addressee_region")[:50]
        context["overdue"] = issued.filter(status=Matter.Status.OVERDUE).count()
    if context["is_police"]:
        from .police_views import awaiting

        context["referrals"] = awaiting(user)
    return render(request, "jointmeeting/home.html", context)


@require_GET
@login_required
def matter_list(request):
    qs = scope.matters_visible(request.user).select_related("office_region", "addressee_region")
    f = MatterFilter(request.GET or None)
    if f.is_valid():
        status, kind = f.cleaned_data["status"], f.cleaned_data["kind"]
        if status == "open":
            qs = qs.filter(status__in=OPEN)
        elif status:
            qs = qs.filter(status=status)
        if kind:
            qs = qs.filter(kind=kind)
        if f.cleaned_data["department"]:
            qs = qs.filter(addressee_department=f.cleaned_data["department"])
        if f.cleaned_data["region"]:
            region = Region.objects.get(code=f.cleaned_data["region"])
            qs = qs.filter(addressee_region__path__startswith=region.path)
    qs = qs.order_by("-issued_at", "-id")
    if export_requested(request):
        return xlsx_response(qs, MATTER_COLUMNS, title="督办约谈事项")
    return render(request, "jointmeeting/matter_list.html", {
        "filter": f, "page": page_of(request, qs), "query": query_without_page(request),
        "is_office": scope.is_office(request.user),
    })  # fmt: skip


def _offices(user) -> list[Region]:
    ids = [rid for rid, _path in scope.office_regions(user)]
    return list(Region.objects.filter(pk__in=ids).order_by("code"))


def _subtrees(offices: list[Region]):
    from django.db.models import Q

    q = Q(pk__in=[])
    for r in offices:
        q |= Q(path__startswith=r.path)
    return Region.objects.filter(q)


def _linked(cleaned: dict) -> dict:
    """The linked project, case and signal named on the form (an unknown number: an error naming the field)."""
    found: dict = {"project": None, "case": None, "signal": None}
    errors = {}
    if cleaned.get("project_no"):
        found["project"] = Project.objects.select_related("region").filter(project_no=cleaned["project_no"]).first()
        if found["project"] is None:
            errors["project_no"] = _("没有该编号的项目。")
    if cleaned.get("case_no"):
        found["case"] = Case.objects.select_related("region").filter(case_no=cleaned["case_no"]).first()
        if found["case"] is None:
            errors["case_no"] = _("没有该编号的案件。")
    if cleaned.get("signal"):
        found["signal"] = Signal.objects.select_related("region").filter(pk=cleaned["signal"]).first()
        if found["signal"] is None:
            errors["signal"] = _("没有该编号的预警。")
    if errors:
        raise ValidationError(errors)
    return found


@require_http_methods(["GET", "POST"])
@login_required
def matter_new(request):
    offices = _offices(request.user)
    if not offices:
        raise PermissionDenied
    form = MatterForm(request.POST or None, offices=offices, regions=_subtrees(offices))
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            links = _linked(c)
            with transaction.atomic():
                matter = services.matter_issue(
                    actor=request.user, office_region=Region.objects.get(code=c["office_region"]), kind=c["kind"],
                    subject=c["subject"], description=c["description"],
                    addressee_department=c["addressee_department"],
                    addressee_region=Region.objects.get(code=c["addressee_region"]), **links,
                )  # fmt: skip
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("已交办。"))
            return redirect("jointmeeting:matter", pk=matter.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "jointmeeting/matter_new.html", {"form": form}, status=status)


def _matter_context(request, matter: Matter, **forms) -> dict:
    user = request.user
    clocks = list(clocks_of(matter))
    return {
        "matter": matter,
        "reports": matter.reports.select_related("author"),
        "interviews": matter.interviews.all(),
        "clocks": [(d, days_left(d)) for d in clocks],
        "can_report": matter.status in OPEN and scope.acts_for_addressee(user, matter),
        "is_office": matter.status in OPEN and scope.acts_for_office(user, matter.office_region),
        "report_form": forms.get("report") or ReportForm(),
        "interview_form": forms.get("interview") or InterviewForm(initial={"held_on": timezone.localdate()}),
        "close_form": forms.get("close") or CloseForm(),
    }


@require_GET
@login_required
def matter_detail(request, pk: int):
    matter = scope.matter_for_user(request.user, pk)
    return render(request, "jointmeeting/matter_detail.html", _matter_context(request, matter))


ACTIONS = {
    "report": ("report", ReportForm),
    "interview": ("office", InterviewForm),
    "close": ("office", CloseForm),
}


@require_POST
@login_required
def matter_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise PermissionDenied
    act, form_class = ACTIONS[action]
    matter = scope.matter_for_user(request.user, pk, act=act)
    form = form_class(request.POST)
    status = 400
    if form.is_valid():
        c = form.cleaned_data
        try:
            with transaction.atomic():
                if action == "report":
                    services.matter_report(matter=matter, actor=request.user, text=c["text"],
                                           completed=c["completed"])  # fmt: skip
                elif action == "interview":
                    services.interview_record(matter=matter, actor=request.user, held_on=c["held_on"],
                                              attendees=c["attendees"], commitments=c["commitments"])  # fmt: skip
                else:
                    services.matter_close(matter=matter, actor=request.user, result=c["result"])
        except ValidationError as exc:
            status = 409 if isinstance(exc, StateConflict) else 400
            errors_onto(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("jointmeeting:matter", pk=matter.pk)
    matter.refresh_from_db()
    context = _matter_context(request, matter, **{action: form})
    return render(request, "jointmeeting/matter_detail.html", context, status=status)
