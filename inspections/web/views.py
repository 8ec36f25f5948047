"""Pages of 双随机一公开: the plans (staff), a plan's draw and inspections with the 复核 button, "我的检查" for
inspectors, and the public results of published plans (no personal data: targets are units and projects,
inspectors appear by their certificate numbers only). Thin views over inspections.scope and one service each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.provinces import province_config

from .. import clocks, scope
from ..forms import InspectionRecordForm, PlanForm
from ..models import Inspection, Plan
from ..rectification import inspection_case_start
from ..reminders import overdue_for
from ..services import inspection_record, plan_complete, plan_create, plan_draw, plan_draw_verify, plan_publish


def _rows(plan: Plan) -> list[dict]:
    inspections = plan.inspections.select_related("target__employer", "target__project").prefetch_related("inspectors")
    return [
        {"inspection": i, "target": i.target, "certificates": sorted(x.certificate_no for x in i.inspectors.all())}
        for i in inspections
    ]


@require_GET
@login_required
def plan_list(request):
    qs = scope.plans_visible(request.user).select_related("region").order_by("-created_at", "-id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "inspections/plan_list.html", {
        "page": page, "can_create": scope.is_leader(request.user), "pool_regions": scope.pool_regions(request.user),
        "reminders": overdue_for(request.user) if scope.is_leader(request.user) else [],
    })  # fmt: skip


@require_GET
@login_required
def plan_detail(request, pk: int):
    plan = scope.plan_for_read(request.user, pk)
    return render(request, "inspections/plan_detail.html", {
        "plan": plan, "rows": _rows(plan), "can_manage": scope.can_manage(request.user, plan),
        "clocks": clocks.clocks_of(plan), "publication_overdue": plan.pk in {p.pk for p in overdue_for(request.user)},
    })  # fmt: skip


@require_POST
@login_required
def plan_verify(request, pk: int):
    plan = scope.plan_for_read(request.user, pk)
    if not scope.can_manage(request.user, plan):
        raise PermissionDenied
    if not plan.seed:
        messages.error(request, _("该计划尚未抽取。"))
    elif plan_draw_verify(plan=plan, actor=request.user):
        messages.success(request, _("复核一致：按记录的随机种子和名录重新抽取，结果与原抽取结果相同。"))
    else:
        messages.error(request, _("复核不一致：重新抽取的结果与原记录不同，请核查。"))
    return redirect("inspections:detail", pk=plan.pk)


@require_http_methods(["GET", "POST"])
@login_required
def plan_new(request):
    """A leader makes a plan for a region their grant covers."""
    if not scope.is_leader(request.user):
        raise PermissionDenied
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        region = scope.leader_region(request.user, data["region_code"].strip())
        if region is None:
            form.add_error("region_code", _("区划代码不存在或不在您的管辖范围内。"))
        else:
            try:
                plan = plan_create(
                    region=region, name=data["name"], period_start=data["period_start"],
                    period_end=data["period_end"], share_percent=data["share_percent"], count=data["count"],
                    industries=data["industries"], actor=request.user,
                )  # fmt: skip
            except ValidationError as err:
                for field, errors in err.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return redirect("inspections:detail", pk=plan.pk)
    return render(request, "inspections/plan_new.html", {"form": form})


def _plan_action(request, pk: int, service, done: str):
    plan = scope.plan_for_read(request.user, pk)
    if not scope.can_manage(request.user, plan):
        raise PermissionDenied
    try:
        service(plan=plan, actor=request.user)
    except ValidationError as err:
        for errors in err.message_dict.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("inspections:detail", pk=plan.pk)


@require_POST
@login_required
def plan_draw_page(request, pk: int):
    return _plan_action(request, pk, plan_draw, _("已随机抽取检查对象和检查人员。"))


@require_POST
@login_required
def plan_complete_page(request, pk: int):
    return _plan_action(request, pk, plan_complete, _("抽查计划已检查完毕，请在公示期限内公示结果。"))


@require_POST
@login_required
def plan_publish_page(request, pk: int):
    return _plan_action(request, pk, plan_publish, _("抽查结果已公示。"))


@require_GET
@login_required
def my_inspections(request):
    if not scope.is_inspector(request.user):
        raise PermissionDenied
    qs = (
        Inspection.objects.filter(inspectors__user=request.user, plan__status=Plan.Status.DRAWN)
        .select_related("plan", "target__employer", "target__project")
        .order_by("plan_id", "target_id")
        .distinct()
    )
    return render(request, "inspections/mine.html", {"inspections": qs})


@require_http_methods(["GET", "POST"])
@login_required
def inspection_record_page(request, pk: int):
    """One of the inspection's two inspectors records the checklist, findings and outcome."""
    inspection = scope.inspection_for_read(request.user, pk)
    if not scope.is_its_inspector(request.user, inspection):
        raise PermissionDenied
    default_wd = province_config(inspection.plan.region).inspection_rectify_wd
    form = InspectionRecordForm(request.POST or None, default_rectify_wd=default_wd)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["outcome"] == Inspection.Outcome.CASE:  # a proactive case proposed for the leader's approval
                inspection_case_start(
                    inspection=inspection, checklist=form.checklist(), findings=d["findings"],
                    inspected_on=d["inspected_on"], workers_count=d["workers_count"],
                    amount_owed=d["amount_owed"] or "0", actor=request.user,
                )  # fmt: skip
            else:
                inspection_record(
                    inspection=inspection, checklist=form.checklist(), findings=d["findings"], outcome=d["outcome"],
                    inspected_on=d["inspected_on"], actor=request.user, rectify_wd=d["rectify_wd"],
                )  # fmt: skip
        except ValidationError as err:
            for field, errors in err.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("检查结果已登记。"))
            return redirect("inspections:mine")
    return render(request, "inspections/record.html", {"inspection": inspection, "form": form})


# --- public ------------------------------------------------------------------------------------------------


@require_GET
def public_results(request):
    qs = Plan.objects.filter(status=Plan.Status.PUBLISHED).select_related("region").order_by("-published_at", "-id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "inspections/public_results.html", {"page": page})


@require_GET
def public_result(request, pk: int):
    plan = Plan.objects.filter(status=Plan.Status.PUBLISHED, pk=pk).select_related("region").first()
    if plan is None:
        raise Http404
    return render(request, "inspections/public_result.html", {"plan": plan, "rows": _rows(plan)})
