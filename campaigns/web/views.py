"""Pages of the special campaigns: the list, launch, a campaign with its hazards (close), a check, a hazard (new,
import, its page, resolve, turn into a case), the weekly figures (调度; XLSX) and the records behind each figure.
Thin views over campaigns.scope and one service each."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import Employer, Region
from cases.numbering import employer_name_key
from cases.web.list_export import XLSX_CONTENT_TYPE, export_requested, xlsx_response
from projects.models import Project

from .. import figures, hooks, report, scope
from ..forms import CampaignForm, CaseForm, CheckForm, CloseForm, HazardForm, ImportForm, ResolveForm
from ..importing import ImportRejected, hazards_import
from ..models import Campaign, Hazard
from ..services import (
    campaign_close,
    campaign_create,
    check_record,
    hazard_case_propose,
    hazard_record,
    hazard_resolve,
    proposal_for,
)
from .columns import CHECK_COLUMNS, HAZARD_COLUMNS


def _errors_to_form(form, err: ValidationError) -> None:
    for field, errors in err.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@require_GET
@login_required
def campaign_list(request):
    qs = scope.campaigns_visible(request.user).select_related("region")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request, "campaigns/list.html", {"page": page, "can_launch": bool(scope.launch_regions(request.user))}
    )


@require_http_methods(["GET", "POST"])
@login_required
def campaign_new(request):
    """A leader launches a campaign for its own office; only a province's or a city's (a county leader is told)."""
    if not scope.is_leader(request.user):
        raise PermissionDenied
    regions = scope.launch_regions(request.user)
    form = CampaignForm(request.POST or None, initial={"region": regions[0].code if regions else ""})
    form.fields["region"].limit_to(Region.objects.filter(pk__in=[r.pk for r in regions]))
    if request.method == "POST" and not regions:
        form.add_error("region", _("专项行动由省级或设区市部署。"))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaign_create(
                region=Region.objects.get(code=data["region"]), title=data["title"],
                period_start=data["period_start"], period_end=data["period_end"], target_kinds=data["target_kinds"],
                industries=data["industries"], report_weekday=data["report_weekday"], actor=request.user,
            )  # fmt: skip
        except ValidationError as err:
            _errors_to_form(form, err)
        else:
            messages.success(request, _("专项行动已部署。"))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/new.html", {"form": form, "may_launch": bool(regions)})


@require_GET
@login_required
def campaign_detail(request, pk: int):
    campaign = scope.campaign_for_read(request.user, pk)
    hazards = (
        scope.hazards_visible(request.user).filter(campaign=campaign)
        .select_related("region", "project", "employer").order_by("status", "due_on", "pk")
    )  # fmt: skip
    status = request.GET.get("status", "")
    if status in Hazard.Status.values:
        hazards = hazards.filter(status=status)
    page = Paginator(hazards, 50).get_page(request.GET.get("page"))
    return render(request, "campaigns/detail.html", {
        "campaign": campaign, "page": page, "status": status, "statuses": Hazard.Status.choices,
        "today": timezone.localdate(), "can_manage": scope.can_manage(request.user, campaign),
        "can_enter": scope.can_enter(request.user, campaign) and campaign.status == Campaign.Status.ACTIVE,
        "can_report": scope.report_root(request.user, campaign) is not None, "close_form": CloseForm(),
    })  # fmt: skip


@require_POST
@login_required
def campaign_close_page(request, pk: int):
    campaign = scope.campaign_for_read(request.user, pk)
    if not scope.can_manage(request.user, campaign):
        raise PermissionDenied
    form = CloseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"note": [_("请填写行动总结。")]})
        campaign_close(campaign=campaign, note=form.cleaned_data["note"], actor=request.user)
    except ValidationError as err:
        for errors in err.message_dict.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, _("专项行动已结束。"))
    return redirect("campaigns:detail", pk=campaign.pk)


def _entry_campaign(request, pk: int) -> Campaign:
    campaign = scope.campaign_for_read(request.user, pk)
    if not scope.can_enter(request.user, campaign):
        raise PermissionDenied
    return campaign


def _target(request, campaign: Campaign, form) -> dict | None:
    """The project or employer and the responsible office of a TargetForm, or None (errors on the form)."""
    data = form.cleaned_data
    project = employer = None
    if data["project_no"].strip():
        project = Project.objects.select_related("region").filter(project_no=data["project_no"].strip()).first()
        if project is None:
            form.add_error("project_no", _("没有该编号的项目。"))
            return None
    elif data["employer"].strip():
        text = data["employer"].strip()
        employer = (Employer.objects.filter(uscc=text.upper()).first()
                    or Employer.objects.filter(name_key=employer_name_key(text)).order_by("pk").first())  # fmt: skip
        if employer is None:
            form.add_error("employer", _("该单位未在系统中登记。"))
            return None
    else:
        form.add_error("project_no", _("请填写项目编号，或用人单位。"))
        return None
    if data["region"]:
        region = Region.objects.get(code=data["region"])
    elif project is not None:
        region = project.region
    else:
        own = scope.entry_regions(request.user, campaign)
        if not own:
            form.add_error("region", _("请选择责任机构。"))
            return None
        region = own[0]
    if not scope.may_enter_for(request.user, campaign, region=region, project=project):
        form.add_error("region", _("您不能为该责任机构或项目登记。"))
        return None
    return {"region": region, "project": project, "employer": employer}


@require_http_methods(["GET", "POST"])
@login_required
def check_new(request, pk: int):
    campaign = _entry_campaign(request, pk)
    form = CheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (target := _target(request, campaign, form)):
        try:
            check_record(campaign=campaign, checked_on=form.cleaned_data["checked_on"],
                         note=form.cleaned_data["note"], actor=request.user, **target)  # fmt: skip
        except ValidationError as err:
            _errors_to_form(form, err)
        else:
            messages.success(request, _("排查记录已登记。"))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/form.html", {"campaign": campaign, "form": form, "heading": _("登记排查")})


@require_http_methods(["GET", "POST"])
@login_required
def hazard_new(request, pk: int):
    campaign = _entry_campaign(request, pk)
    form = HazardForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (target := _target(request, campaign, form)):
        data = form.cleaned_data
        try:
            hazard = hazard_record(campaign=campaign, kind=data["kind"], found_on=data["found_on"],
                                   workers=data["workers"], amount=data["amount"], description=data["description"],
                                   actor=request.user, **target)  # fmt: skip
        except ValidationError as err:
            _errors_to_form(form, err)
        else:
            messages.success(request, _("隐患已登记，整改期限至 %(due)s。") % {"due": f"{hazard.due_on:%Y-%m-%d}"})
            return redirect("campaigns:hazard", pk=hazard.pk)
    return render(request, "campaigns/form.html", {"campaign": campaign, "form": form, "heading": _("登记隐患")})


@require_http_methods(["GET", "POST"])
@login_required
def hazard_import_page(request, pk: int):
    campaign = _entry_campaign(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            created = hazards_import(campaign=campaign, content=form.cleaned_data["file"].read(), actor=request.user)
        except ImportRejected as rejected:
            errors = rejected.errors
        except ValidationError as err:
            _errors_to_form(form, err)
        else:
            messages.success(request, _("已导入 %(n)s 条隐患。") % {"n": len(created)})
            return redirect("campaigns:detail", pk=campaign.pk)
    from ..importing import COLUMNS

    return render(request, "campaigns/import.html", {
        "campaign": campaign, "form": form, "errors": errors, "columns": [label for _k, label in COLUMNS],
    })  # fmt: skip


@require_GET
@login_required
def hazard_detail(request, pk: int):
    hazard = scope.hazard_for_read(request.user, pk)
    can_handle = hazard.status == Hazard.Status.OPEN and scope.can_handle(request.user, hazard)
    return render(request, "campaigns/hazard.html", {
        "hazard": hazard, "today": timezone.localdate(), "can_handle": can_handle,
        "can_case": hazard.status == Hazard.Status.OPEN and scope.can_propose_case(request.user, hazard),
        "resolve_form": ResolveForm(initial={"resolved_on": timezone.localdate()}), "case_form": CaseForm(),
    })  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
def hazard_resolve_page(request, pk: int):
    hazard = scope.hazard_for_read(request.user, pk)
    if not scope.can_handle(request.user, hazard):
        raise PermissionDenied
    form = ResolveForm(request.POST or None, initial={"resolved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            hazard_resolve(hazard=hazard, actor=request.user, **form.cleaned_data)
        except ValidationError as err:
            _errors_to_form(form, err)
        else:
            messages.success(request, _("隐患已整改销号。"))
            return redirect("campaigns:hazard", pk=hazard.pk)
    return render(request, "campaigns/form.html", {
        "campaign": hazard.campaign, "form": form, "heading": _("隐患整改销号"), "hazard": hazard})  # fmt: skip


@require_POST
@login_required
def hazard_case_page(request, pk: int):
    """Turn the hazard into a proactive case: the filing flow's proposal (the leader approves the filing)."""
    hazard = scope.hazard_for_read(request.user, pk)
    if not scope.can_propose_case(request.user, hazard):
        raise PermissionDenied
    form = CaseForm(request.POST)
    form.is_valid()
    try:
        if hazard.status != Hazard.Status.OPEN:
            raise ValidationError({"status": [_("该隐患已处理。")]})
        if hooks.case_proposer is None:
            raise ValidationError({"facts": [_("立案审批流程不可用。")]})
        proposal = proposal_for(hazard, form.cleaned_data.get("facts", ""))
        with transaction.atomic():  # the filing and the hazard's state together, or neither (a second proposal)
            filing = hooks.case_proposer(region=hazard.region, proposal=proposal, actor=request.user)
            hazard_case_propose(hazard=hazard, filing=filing, actor=request.user)
    except ValidationError as err:
        for errors in err.message_dict.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, _("已提出立案，待负责人审批。"))
    return redirect("campaigns:hazard", pk=hazard.pk)


def _week(request, campaign: Campaign) -> date:
    raw = request.GET.get("week", "")
    try:
        week = date.fromisoformat(raw) if raw else figures.current_week(campaign)
    except ValueError:
        week = figures.current_week(campaign)
    return week if week in figures.weeks(campaign) else figures.current_week(campaign)


def _report_root(request, campaign: Campaign) -> Region:
    root = scope.report_root(request.user, campaign)
    if root is None:
        raise PermissionDenied
    return root


@require_GET
@login_required
def campaign_figures(request, pk: int):
    campaign = scope.campaign_for_read(request.user, pk)
    root = _report_root(request, campaign)
    code = request.GET.get("region", "")
    if code and code != root.code:
        sub = Region.objects.filter(code=code, path__startswith=root.path).first()
        root = sub or root
    week = _week(request, campaign)
    rows = figures.table(campaign, week, root)
    if export_requested(request):
        with translation.override(settings.LANGUAGE_CODE):  # the report's fixed layout is in Chinese, as filed
            content = report.report_workbook(campaign, week, root, rows)
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            True, report.report_filename(campaign, week, root)) or ""  # fmt: skip
        return response
    base = reverse("campaigns:records", args=[campaign.pk])
    return render(request, "campaigns/figures.html", {
        "campaign": campaign, "root": root, "week": week, "weeks": figures.weeks(campaign), "rows": rows,
        "columns": [(k, figures.LABELS[k]) for k in figures.COLUMNS], "records_url": base,
    })  # fmt: skip


@require_GET
@login_required
def figure_records(request, pk: int):
    """The records behind one figure of the table: ?figure=&week=&region=&own=1."""
    campaign = scope.campaign_for_read(request.user, pk)
    root = _report_root(request, campaign)
    figure = request.GET.get("figure", "")
    if figure not in figures.LABELS:
        raise Http404
    region = Region.objects.filter(code=request.GET.get("region", root.code), path__startswith=root.path).first()
    if region is None:
        raise Http404
    own = request.GET.get("own") == "1"
    week = _week(request, campaign)
    rows = figures.records(campaign, figure, week, region, own=own).select_related("region", "project", "employer")
    is_check = figure in figures.CHECK_FIGURES
    rows = rows.order_by("region__code", "checked_on" if is_check else "found_on", "pk")
    title = f"{figures.LABELS[figure]}"
    if export_requested(request):
        return xlsx_response(rows, CHECK_COLUMNS if is_check else HAZARD_COLUMNS, title=str(title))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "campaigns/records.html", {
        "campaign": campaign, "region": region, "own": own, "week": week, "figure": title, "is_check": is_check,
        "page": page,
    })  # fmt: skip
