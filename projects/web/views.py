"""Staff pages of the construction projects: the list and the project page. Thin views over
projects.scope and projects.selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.models import TimelineEvent

from .. import scope, selectors
from ..labels import event_label
from ..models import Department


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
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/project_list.html",
        {"page": page, "departments": Department.choices, "department": department, "q": q},
    )


@require_GET
@login_required
def project_detail(request, project_no):
    project = scope.project_for_user(request.user, project_no)
    events = TimelineEvent.objects.filter(region=project.region, data__project=project.pk).order_by("-id")[:30]
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "units": selectors.chain(project),
            "account": selectors.account_info(project),
            "workers": selectors.roster(project, limit=100),
            "worker_count": project.workers.count(),
            "payroll": selectors.payroll_months(project, limit=12),
            "cases": selectors.project_cases(project, request.user),
            "events": [{"at": e.at, "label": event_label(e.kind), "actor": e.actor_name} for e in events],
            "can_manage": scope.can_manage(request.user, region=project.region, department=project.department),
        },
    )
