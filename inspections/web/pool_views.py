"""The pools of a region (一单两库): its inspectors with their certificates (and why one is never drawn), its
targets, bulk enrolment from the region's employers or projects, removal with a reason, recusals, and each pool
as XLSX. Readers of the region see them; a leader over the region changes them (each change one service).
Out of the region: 404; in it without the leader's role: 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.industries import Industry
from cases.models import Employer
from cases.web.list_export import Column, export_requested, xlsx_response
from projects.models import Project

from .. import scope
from ..forms import BulkTargetForm, InspectorEnrolForm, RecusalForm, RemoveForm, TargetForm
from ..models import Conflict, Inspector, Target
from ..pools import (
    inspector_candidates,
    inspector_enrol,
    inspector_remove,
    recusal_record,
    target_enrol,
    target_remove,
    targets_bulk_enrol,
)

INSPECTOR_COLUMNS = [
    Column("姓名", lambda i: i.name, 12),
    Column("执法证号", lambda i: i.certificate_no, 20),
    Column("执法证有效期至", lambda i: i.certificate_valid_until, 14),
    Column("可否抽取", lambda i: "可抽取" if i.drawable else f"不抽取：{i.undrawable_reason}", 24),
    Column("移出理由", lambda i: i.removed_reason, 24),
]
TARGET_COLUMNS = [
    Column("检查对象", lambda t: t.name, 36),
    Column("类别", lambda t: "工程项目" if t.project_id else "用人单位", 10),
    Column("统一社会信用代码/项目编号", lambda t: t.project.project_no if t.project_id else t.employer.uscc, 22),
    Column("行业门类", lambda t: t.get_industry_display(), 24),
    Column("规模", lambda t: t.get_size_display(), 8),
    Column("在库", lambda t: t.active, 6),
    Column("移出理由", lambda t: t.removed_reason, 24),
]
RECUSAL_COLUMNS = [
    Column("检查人员", lambda c: c.inspector.name, 12),
    Column("执法证号", lambda c: c.inspector.certificate_no, 20),
    Column("检查对象", lambda c: c.target.name, 36),
    Column("回避理由", lambda c: c.reason, 30),
    Column("登记时间", lambda c: c.recorded_at, 18),
]


def _targets(request, region):
    qs = Target.objects.filter(region=region).select_related("employer", "project").order_by("-active", "pk")
    industry, kind = request.GET.get("industry", ""), request.GET.get("kind", "")
    if industry in Industry.values:
        qs = qs.filter(industry=industry)
    if kind == "employer":
        qs = qs.filter(employer__isnull=False)
    elif kind == "project":
        qs = qs.filter(project__isnull=False)
    if request.GET.get("removed") != "1":
        qs = qs.filter(active=True)
    return qs


def _page(request, region, **forms):
    manages = scope.manages_region(request.user, region)
    if manages:
        forms.setdefault("inspector_form", InspectorEnrolForm(candidates=inspector_candidates(region)))
        forms.setdefault("target_form", TargetForm())
        forms.setdefault("bulk_form", BulkTargetForm())
        forms.setdefault("recusal_form", RecusalForm(region=region))
    inspectors = Inspector.objects.filter(region=region).select_related("user").order_by("-active", "name", "pk")
    conflicts = Conflict.objects.filter(target__region=region).select_related(
        "inspector", "target__employer", "target__project"
    )
    context = {
        "region": region, "manages": manages, "inspectors": inspectors, "conflicts": conflicts,
        "targets": Paginator(_targets(request, region), 50).get_page(request.GET.get("page")),
        "industries": Industry.choices, "industry": request.GET.get("industry", ""),
        "kind": request.GET.get("kind", ""), "removed": request.GET.get("removed") == "1", **forms,
    }  # fmt: skip
    return render(request, "inspections/pools.html", context)


@require_GET
@login_required
def pools(request, code: str):
    region = scope.pool_region(request.user, code)
    if export_requested(request):
        which = request.GET.get("pool")
        if which == "inspectors":
            qs = Inspector.objects.filter(region=region).order_by("-active", "name", "pk")
            return xlsx_response(qs, INSPECTOR_COLUMNS, title=f"检查人员库-{region.name}")
        if which == "recusals":
            recusals = Conflict.objects.filter(target__region=region).select_related(
                "inspector", "target__employer", "target__project"
            )
            return xlsx_response(recusals.order_by("pk"), RECUSAL_COLUMNS, title=f"回避关系-{region.name}")
        return xlsx_response(_targets(request, region), TARGET_COLUMNS, title=f"检查对象库-{region.name}")
    return _page(request, region)


def _managed(request, code: str):
    region = scope.pool_region(request.user, code)
    if not scope.manages_region(request.user, region):
        raise PermissionDenied
    return region


def _errors(form, err: ValidationError) -> None:
    for field, errors in err.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _done(request, region, message: str):
    messages.success(request, message)
    return redirect("inspections:pools", code=region.code)


@require_POST
@login_required
def inspector_add(request, code: str):
    region = _managed(request, code)
    form = InspectorEnrolForm(request.POST, candidates=inspector_candidates(region))
    if form.is_valid():
        d = form.cleaned_data
        user = d["user"]
        try:
            inspector = inspector_enrol(
                region=region, user=user, name=d["name"] or user.get_full_name() or user.get_username(),
                certificate_no=d["certificate_no"], certificate_valid_until=d["certificate_valid_until"],
                actor=request.user,
            )  # fmt: skip
        except ValidationError as err:
            _errors(form, err)
        else:
            if not inspector.drawable:
                messages.warning(request, _("%(name)s 已入库，但不会被抽取：%(reason)s。")
                                 % {"name": inspector.name, "reason": inspector.undrawable_reason})  # fmt: skip
            return _done(request, region, _("检查人员已入库。"))
    return _page(request, region, inspector_form=form)


def _subject(form, region):
    uscc, project_no = form.cleaned_data["uscc"].strip().upper(), form.cleaned_data["project_no"].strip()
    if bool(uscc) == bool(project_no):
        form.add_error("uscc", _("请填写用人单位的统一社会信用代码或工程项目编号（二者选一）。"))
        return None, None
    if project_no:
        project = Project.objects.filter(project_no=project_no, region__path__startswith=region.path).first()
        if project is None:
            form.add_error("project_no", _("本区划没有该编号的在建工程项目。"))
        return None, project
    employer = Employer.objects.filter(uscc=uscc, region__path__startswith=region.path).order_by("pk").first()
    if employer is None:
        form.add_error("uscc", _("本区划没有该信用代码的用人单位。"))
    return employer, None


@require_POST
@login_required
def target_add(request, code: str):
    region = _managed(request, code)
    form = TargetForm(request.POST)
    if form.is_valid():
        employer, project = _subject(form, region)
        if employer or project:
            industry = form.cleaned_data["industry"] or ("E" if project else employer.industry)  # type: ignore[union-attr]
            try:
                target_enrol(region=region, actor=request.user, industry=industry, size=form.cleaned_data["size"],
                             employer=employer, project=project)  # fmt: skip
            except ValidationError as err:
                names = {"employer": "uscc", "project": "project_no"}
                _errors(form, ValidationError({names.get(f, f): e for f, e in err.message_dict.items()}))
            else:
                return _done(request, region, _("检查对象已入库。"))
    return _page(request, region, target_form=form)


@require_POST
@login_required
def targets_bulk_add(request, code: str):
    region = _managed(request, code)
    form = BulkTargetForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            added = targets_bulk_enrol(region=region, source=d["source"], industry=d["industry"], size=d["size"],
                                       actor=request.user)  # fmt: skip
        except ValidationError as err:
            _errors(form, err)
        else:
            return _done(request, region, _("已将 %(count)s 个对象加入检查对象库。") % {"count": len(added)})
    return _page(request, region, bulk_form=form)


def _remove(request, code: str, model, pk: int, service, done: str):
    region = _managed(request, code)
    obj = get_object_or_404(model, pk=pk, region=region)
    form = RemoveForm(request.POST)
    if form.is_valid():
        try:
            service(**{model._meta.model_name: obj}, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as err:
            _errors(form, err)
        else:
            return _done(request, region, done)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))
    return redirect("inspections:pools", code=region.code)


@require_POST
@login_required
def inspector_drop(request, code: str, pk: int):
    return _remove(request, code, Inspector, pk, inspector_remove, _("检查人员已移出检查人员库。"))


@require_POST
@login_required
def target_drop(request, code: str, pk: int):
    return _remove(request, code, Target, pk, target_remove, _("检查对象已移出检查对象库。"))


@require_POST
@login_required
def recusal_add(request, code: str):
    region = _managed(request, code)
    form = RecusalForm(request.POST, region=region)
    if form.is_valid():
        d = form.cleaned_data
        try:
            recusal_record(inspector=d["inspector"], target=d["target"], reason=d["reason"], actor=request.user)
        except ValidationError as err:
            _errors(form, err)
        else:
            return _done(request, region, _("回避关系已登记：该检查人员不会被抽取检查该对象。"))
    return _page(request, region, recusal_form=form)
