"""The public pages of the written review (no login): the employer's report form, identified by its USCC (checked
through python-stdnum, cases.values) and the code its bureau gave it for the campaign, and the receipt — shown
after the report and again to whoever gives the same USCC and code (a second report is never taken: the first
one's receipt is shown). No personal data on these pages: the firm, its figures, the receipt.

Throttled: every /public/ page and POST per address (cases.throttling's middleware), the report's POST on its own
scope "review_report" per address, and wrong codes per USCC on "review_code" (so no one can try codes for a
firm)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.clientip import client_ip
from cases.throttling import retry_message, throttle_blocked, throttle_hit, throttled_page
from cases.values import compact

from ..forms import PublicReportForm, ReceiptLookupForm
from ..models import Report
from ..reports import MAX_ATTACHMENTS, AlreadySubmitted, Upload, due_for_code, report_submit
from .views import _form_field

SESSION_KEY = "reviews_receipt"


def _code_locked(uscc: str) -> int | None:
    return throttle_blocked("review_code", compact(uscc)) if uscc else None


def _due(form):
    """The due of the form's USCC and code; a wrong code counts against the USCC."""
    uscc = form.cleaned_data["uscc"]
    if (wait := _code_locked(uscc)) is not None:
        raise ValidationError({"code": [retry_message(wait)]})
    try:
        return due_for_code(uscc=uscc, code=form.cleaned_data["code"])
    except ValidationError as err:
        if "code" in err.message_dict:
            throttle_hit("review_code", compact(uscc))
        raise


def _show_receipt(request, report: Report, *, again: bool):
    request.session[SESSION_KEY] = report.pk
    response = redirect("reviews-public:receipt")
    if again:
        response["Location"] += "?again=1"
    return response


@require_http_methods(["GET", "POST"])
def report_form(request):
    form = PublicReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if (wait := throttle_hit("review_report", client_ip(request))) is not None:
            return throttled_page(request, wait)
        if form.is_valid():
            uploads = [Upload(request.FILES[f"file{n}"], form.cleaned_data.get(f"file{n}_note", ""))
                       for n in range(1, MAX_ATTACHMENTS + 1) if f"file{n}" in request.FILES]  # fmt: skip
            try:
                due = _due(form)
                report = report_submit(due=due, data=form.figures(), uploads=uploads, actor=None)
            except AlreadySubmitted as done:
                return _show_receipt(request, done.report, again=True)
            except ValidationError as err:
                for field, errors in err.message_dict.items():
                    form.add_error(_form_field(form, field), errors)
            else:
                return _show_receipt(request, report, again=False)
    return render(request, "reviews/public_form.html", {"form": form, "lookup": ReceiptLookupForm()})


@require_http_methods(["GET", "POST"])
def receipt(request):
    """The receipt of this session's report, or (POST) of the report of a USCC and code."""
    if request.method == "POST":
        form = ReceiptLookupForm(request.POST)
        if form.is_valid():
            try:
                due = _due(form)
            except ValidationError as err:
                for field, errors in err.message_dict.items():
                    form.add_error(_form_field(form, field), errors)
            else:
                report = Report.objects.filter(due=due).first()
                if report is not None:
                    return _show_receipt(request, report, again=True)
                form.add_error("code", _("尚未收到贵单位的报送材料。"))
        return render(request, "reviews/public_form.html", {"form": PublicReportForm(), "lookup": form})
    pk = request.session.get(SESSION_KEY)
    report = Report.objects.filter(pk=pk).select_related("campaign__region", "due__employer").first() if pk else None
    if report is None:
        raise Http404
    return render(request, "reviews/public_receipt.html", {
        "report": report, "attachments": report.attachments.all(), "again": request.GET.get("again") == "1",
    })  # fmt: skip
