"""Staff pages of the annual written review: the campaigns (list, new, detail: the employers due with their
codes, choosing them, opening the window, reminders, the letters), who has not reported (XLSX), a paper report's
entry, a report with its attachments, the finding and the rectification's verification. Thin views over
reviews.scope and one service each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.web.list_export import Column, export_requested, xlsx_response

from .. import scope
from ..findings import finding_case_propose, finding_record, finding_verify, rectify_clock
from ..forms import AddForm, CampaignForm, FindingForm, ReportForm, SelectForm, VerifyForm
from ..models import Due, Finding, Reminder, Report
from ..reports import AlreadySubmitted, Upload, report_submit
from ..rules import PROBLEMS
from ..services import (
    campaign_create,
    campaign_open,
    campaign_remind,
    campaign_select,
    due_add,
    dues_missing,
    employer_by_uscc,
    reminder_text,
    window_clock,
)


def _form_field(form, field: str) -> str | None:
    """The form field an error of the service belongs to: the attachments' on the first file field."""
    if field == "attachments" and "file1" in form.fields:
        return "file1"
    return field if field in form.fields else None


def _errors_to_form(form, err: ValidationError) -> None:
    for field, errors in err.message_dict.items():
        form.add_error(_form_field(form, field), errors)


@require_GET
@login_required
def campaign_list(request):
    qs = scope.campaigns_visible(request.user).select_related("region").annotate(
        due_count=Count("dues", distinct=True), report_count=Count("reports", distinct=True)
    ).order_by("-year", "region__code", "-id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "reviews/campaign_list.html",
                  {"page": page, "can_create": scope.regions_managed(request.user).exists()})  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
def campaign_new(request):
    regions = scope.regions_managed(request.user)
    if not regions.exists():  # no clerk or leader grant
        raise PermissionDenied
    form = CampaignForm(request.POST or None)
    form.fields["region"].limit_to(regions, source=reverse("cases:regions"))
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_create(
                region=regions.get(code=form.cleaned_data["region"]), year=form.cleaned_data["year"],
                name=form.cleaned_data["name"], notice=form.cleaned_data["notice"],
                opens_on=form.cleaned_data["opens_on"], closes_on=form.cleaned_data["closes_on"], actor=request.user,
            )  # fmt: skip
        except ValidationError as err:
            _errors_to_form(form, err)
        else:
            messages.success(request, _("书面审查已创建，请确定应报送单位。"))
            return redirect("reviews:detail", campaign.pk)
    return render(request, "reviews/campaign_new.html", {"form": form})


@require_GET
@login_required
def campaign_detail(request, pk: int):
    campaign = scope.campaign_for_read(request.user, pk)
    can_manage = scope.can_manage(request.user, campaign)
    dues = (
        Due.objects.filter(campaign=campaign).select_related("employer", "report", "report__finding")
        .annotate(reminded=Exists(Reminder.objects.filter(due=OuterRef("pk"))))
        .order_by("employer__name", "pk")
    )  # fmt: skip
    page = Paginator(dues, 100).get_page(request.GET.get("page"))
    return render(request, "reviews/campaign_detail.html", {
        "campaign": campaign, "page": page, "can_manage": can_manage, "clock": window_clock(campaign),
        "select_form": SelectForm(), "add_form": AddForm(), "missing": dues_missing(campaign).count(),
        "reported": Report.objects.filter(campaign=campaign).count(),
    })  # fmt: skip


@require_POST
@login_required
def campaign_select_page(request, pk: int):
    campaign = scope.campaign_for_manage(request.user, pk)
    form = SelectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择行业门类。"))
        return redirect("reviews:detail", pk)
    try:
        dues = campaign_select(campaign=campaign, industries=form.cleaned_data["industries"],
                               sizes=form.cleaned_data["sizes"], actor=request.user)  # fmt: skip
    except ValidationError as err:
        messages.error(request, "；".join(m for ms in err.message_dict.values() for m in ms))
    else:
        messages.success(request, _("已选定 %(n)d 户应报送单位。") % {"n": len(dues)})
    return redirect("reviews:detail", pk)


@require_POST
@login_required
def campaign_add_page(request, pk: int):
    campaign = scope.campaign_for_manage(request.user, pk)
    try:
        employer = employer_by_uscc(region=campaign.region, uscc=request.POST.get("uscc", ""))
        due_add(campaign=campaign, employer=employer, actor=request.user)
    except ValidationError as err:
        messages.error(request, "；".join(m for ms in err.message_dict.values() for m in ms))
    else:
        messages.success(request, _("已添加：%(name)s。") % {"name": employer.name})
    return redirect("reviews:detail", pk)


@require_POST
@login_required
def campaign_open_page(request, pk: int):
    campaign = scope.campaign_for_manage(request.user, pk)
    try:
        campaign_open(campaign=campaign, actor=request.user)
    except ValidationError as err:
        messages.error(request, "；".join(m for ms in err.message_dict.values() for m in ms))
    else:
        messages.success(request, _("已开始报送。"))
    return redirect("reviews:detail", pk)


MISSING_COLUMNS = [
    Column("用人单位", lambda d: d.employer.name, 30),
    Column("统一社会信用代码", lambda d: d.employer.uscc, 22),
    Column("行业门类", lambda d: d.employer.get_industry_display(), 20),
    Column("地址", lambda d: d.employer.address, 30),
    Column("催报次数", lambda d: d.reminder_count, 10),
]


@require_GET
@login_required
def campaign_missing(request, pk: int):
    campaign = scope.campaign_for_read(request.user, pk)
    qs = dues_missing(campaign).annotate(reminder_count=Count("reminders"))
    if export_requested(request):
        return xlsx_response(qs, MISSING_COLUMNS, title=f"{campaign.name}-未报送单位")
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(request, "reviews/missing.html", {
        "campaign": campaign, "page": page, "can_manage": scope.can_manage(request.user, campaign),
    })  # fmt: skip


@require_POST
@login_required
def campaign_remind_page(request, pk: int):
    campaign = scope.campaign_for_manage(request.user, pk)
    try:
        sent = campaign_remind(campaign=campaign, actor=request.user)
    except ValidationError as err:
        messages.error(request, "；".join(m for ms in err.message_dict.values() for m in ms))
    else:
        messages.success(request, _("已向 %(n)d 户未报送单位发出催报通知。") % {"n": len(sent)})
    return redirect("reviews:missing", pk)


@require_GET
@login_required
def due_letter(request, pk: int):
    """The printable letter to one employer: the notice with its code, or (kind=reminder) the reminder."""
    due = scope.due_for_manage(request.user, pk)
    reminder = request.GET.get("kind") == "reminder"
    return render(request, "reviews/letter.html", {
        "due": due, "campaign": due.campaign, "reminder": reminder,
        "text": reminder_text(due) if reminder else "",
        "form_url": request.build_absolute_uri(reverse("reviews-public:report")), "today": timezone.localdate(),
    })  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
def paper_entry(request, pk: int):
    """A report received on paper, entered by staff (after the close too: marked late)."""
    due = scope.due_for_manage(request.user, pk)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploads = [Upload(request.FILES[f"file{n}"], form.cleaned_data.get(f"file{n}_note", ""))
                   for n in range(1, 4) if f"file{n}" in request.FILES]  # fmt: skip
        try:
            report = report_submit(due=due, data=form.figures(), uploads=uploads, actor=request.user, paper=True)
        except AlreadySubmitted as done:
            messages.info(request, _("该单位已报送（回执号 %(no)s）。") % {"no": done.report.receipt_no})
            return redirect("reviews:report", done.report.pk)
        except ValidationError as err:
            _errors_to_form(form, err)
        else:
            messages.success(request, _("已录入，回执号 %(no)s。") % {"no": report.receipt_no})
            return redirect("reviews:report", report.pk)
    return render(request, "reviews/paper.html", {"due": due, "form": form})


@require_GET
@login_required
def report_detail(request, pk: int):
    report = scope.report_for_read(request.user, pk)
    finding = Finding.objects.filter(report=report).select_related("reviewer", "case", "filing").first()
    can_review = scope.can_review(request.user, report.campaign)
    return render(request, "reviews/report_detail.html", {
        "report": report, "finding": finding, "can_review": can_review,
        "problems": [PROBLEMS[p] for p in (finding.problems if finding else [])],
        "attachments": report.attachments.all(), "clock": rectify_clock(finding) if finding else None,
        "finding_form": FindingForm(initial={"reviewed_on": timezone.localdate()}) if can_review else None,
        "verify_form": VerifyForm(initial={"verified_on": timezone.localdate()}) if can_review else None,
    })  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
def finding_page(request, pk: int):
    report = scope.report_for_review(request.user, pk)
    form = FindingForm(request.POST or None, initial={"reviewed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"] == Finding.Outcome.CASE:
                finding_case_propose(report=report, problems=data["problems"], amount=data["amount"] or 0,
                                     facts=data["note"], workers_count=data["workers_count"] or 0,
                                     reviewed_on=data["reviewed_on"], actor=request.user)  # fmt: skip
            else:
                finding_record(report=report, outcome=data["outcome"], problems=data["problems"],
                               amount=data["amount"] or 0, note=data["note"], reviewed_on=data["reviewed_on"],
                               actor=request.user)  # fmt: skip
        except ValidationError as err:
            _errors_to_form(form, err)
        else:
            messages.success(request, _("审查结论已登记。"))
            return redirect("reviews:report", report.pk)
    return render(request, "reviews/finding.html", {"report": report, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def verify_page(request, pk: int):
    report = scope.report_for_review(request.user, pk)
    finding = Finding.objects.filter(report=report).first()
    form = VerifyForm(request.POST or None, initial={"verified_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            if finding is None:
                raise ValidationError({"verified_on": [_("该报告没有待核查的整改。")]})
            finding_verify(finding=finding, corrected=form.cleaned_data["corrected"] == "yes",
                           verified_on=form.cleaned_data["verified_on"], note=form.cleaned_data["note"],
                           actor=request.user)  # fmt: skip
        except ValidationError as err:
            _errors_to_form(form, err)
        else:
            messages.success(request, _("整改核查情况已登记。"))
            return redirect("reviews:report", report.pk)
    return render(request, "reviews/verify.html", {"report": report, "form": form, "finding": finding})


@require_GET
@login_required
def attachment_download(request, pk: int):
    attachment = scope.attachment_for_read(request.user, pk)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)  # fmt: skip
    response["Cache-Control"] = "private, no-store"
    return response
