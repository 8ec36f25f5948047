"""Staff pages of the construction projects: the list and the project page. Thin views over
projects.scope and projects.selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import TimelineEvent
from cases.timeline.labels import event_label
from cases.web.list_export import export_requested, xlsx_response
from cases.xlsx import Column

from .. import coverage, importing, scope, selectors
from ..models import Department

PROJECT_COLUMNS = [
    Column("项目编号", lambda p: p.project_no, 20),
    Column("项目名称", lambda p: p.name, 36),
    Column("所在区划", lambda p: p.region.name, 20),
    Column("行业主管部门", lambda p: p.get_department_display(), 14),
    Column("状态", lambda p: p.get_status_display(), 10),
    Column("政府投资", lambda p: p.government_invested, 10),
]


@require_GET
@login_required
def project_list(request):
    qs = scope.projects_visible(request.user).select_related("region").order_by("-id")
    department = request.GET.get("department", "")
    if department in Department.values:
        qs = qs.filter(department=department)
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(project_no=q)
    # the projects behind a coverage figure (indicators): ?figure=&month=&region=[&own=1]
    qs, covered, filter_errors = coverage.list_filter(qs, request.GET)
    if export_requested(request):
        return xlsx_response(qs, PROJECT_COLUMNS, title="在建工程项目")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    keep = {k: request.GET[k] for k in ("figure", "month", "region", "own") if request.GET.get(k)}
    return render(
        request,
        "projects/project_list.html",
        {
            "page": page,
            "departments": Department.choices,
            "department": department,
            "q": q,
            "can_import": scope.manages_anywhere(request.user),
            "covered": covered,
            "filter_errors": filter_errors,
            "keep": keep,
        },
    )


ROSTER_PAGE = 50  # roster rows per page of the project page
_DAYS = ("contract_signed_on", "entered_on", "exited_on")


def _roster_rows(rows: list[dict]) -> list[dict]:
    """The roster page's dates written here (2026-05-01, or — when empty): 150 date filters less to render."""
    return [{**row, **{key: row[key].isoformat() if row[key] else "—" for key in _DAYS}} for row in rows]


def _page_number(raw, pages: int) -> int:
    """The roster page asked for, within 1..pages (anything else: the first or last page, never an error)."""
    try:
        page = int(raw or 1)
    except (TypeError, ValueError):
        page = 1
    return min(max(page, 1), pages)


@require_GET
@login_required
def project_detail(request, project_no):
    project = scope.project_for_user(request.user, project_no)
    events = TimelineEvent.objects.filter(region=project.region, data__project=project.pk).order_by("-id")[:30]
    worker_count = project.workers.count()
    pages = max(1, -(-worker_count // ROSTER_PAGE))
    page = _page_number(request.GET.get("page"), pages)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "units": selectors.chain(project),
            "account": selectors.account_info(project),
            "workers": _roster_rows(selectors.roster(project, limit=ROSTER_PAGE, offset=(page - 1) * ROSTER_PAGE)),
            "worker_count": worker_count,
            "page": page,
            "pages": pages,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if page < pages else None,
            "payroll": selectors.payroll_months(project, limit=12),
            "cases": selectors.project_cases(project, request.user),
            "events": [{"at": e.at, "label": event_label(e.kind), "actor": e.actor_name} for e in events],
            "can_manage": scope.can_manage(request.user, region=project.region, department=project.department),
        },
    )


IMPORT_KINDS = {
    "roster": (_("实名制花名册"), importing.roster_import, False),
    "attendance": (_("考勤汇总"), importing.attendance_import, False),
    "wage_sheet": (_("工资支付表"), importing.wage_sheet_import, True),
    "payments": (_("银行代发明细"), importing.payments_import, True),
}


def _run_import(request, call) -> tuple[object, dict]:
    """(report, errors): the service's report, or the file-level errors (nothing written)."""
    upload = request.FILES.get("file")
    if upload is None:
        return None, {"file": [_("请选择要导入的文件。")]}
    try:
        return call(upload, upload.name), {}
    except ValidationError as exc:
        return None, exc.message_dict if hasattr(exc, "error_dict") else {"file": exc.messages}


@require_http_methods(["GET", "POST"])
@login_required
def projects_import_page(request):
    """The project list (在建项目清单) of a housing, transport or water department."""
    if not scope.manages_anywhere(request.user):
        raise PermissionDenied
    report, errors = None, {}
    if request.method == "POST":
        report, errors = _run_import(
            request, lambda f, name: importing.projects_import(actor=request.user, file=f, filename=name)
        )
    return render(request, "projects/import.html", {"report": report, "errors": errors, "project": None})


@require_http_methods(["GET", "POST"])
@login_required
def project_import_page(request, project_no):
    """A project's roster, attendance, wage sheet or bank payment lines."""
    project = scope.project_for_user(request.user, project_no, manage=True)
    kind = request.POST.get("kind") or request.GET.get("kind") or "roster"
    if kind not in IMPORT_KINDS:
        kind = "roster"
    report, errors = None, {}
    if request.method == "POST":
        _label, service, monthly = IMPORT_KINDS[kind]
        extra = {"month": request.POST.get("month") or None} if monthly else {}
        report, errors = _run_import(
            request,
            lambda f, name: service(actor=request.user, project=project, file=f, filename=name, **extra),
        )
    kinds = [(key, label) for key, (label, _s, _m) in IMPORT_KINDS.items()]
    return render(
        request,
        "projects/import.html",
        {"report": report, "errors": errors, "project": project, "kinds": kinds, "kind": kind},
    )
