"""Staff pages of the investigation: the case page's ledger, evidence and records sections and their
POST handlers, evidence downloads and the case ledger export. Thin: every case through cases.scope,
every rule in the services (cases.evidence, cases.ledger, cases.records, cases.exports).

The case page merges `case_sections_context(request, case)` into its context and includes
cases/_ledger.html, cases/_evidence.html and cases/_records.html. A POST that succeeds redirects to
the case page; one that fails renders the case page again with the form's errors (400).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from . import evidence as evidence_services
from . import exports, ledger, records, scope
from .forms import CaseFilterForm
from .models import Case, Evidence, InvestigationRecord

# --- forms: they carry values and errors for the page; the services validate ------------------


def _text(label, **attrs) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.TextInput(attrs=attrs))


def _date(label) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


class SectionForm(forms.Form):
    """Several forms share the case page: each prefixes its element ids (ledger_worker_name, …)."""

    id_prefix = "section"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class LedgerEntryForm(SectionForm):
    id_prefix = "ledger"
    worker_name = _text(_("劳动者姓名"), maxlength=64)
    worker_id_number = _text(_("身份证号"), maxlength=18, autocomplete="off")
    worker_phone = _text(_("手机号"), maxlength=11, autocomplete="off")
    period_start = _date(_("期间起"))
    period_end = _date(_("期间止"))
    amount_owed = _text(_("应付金额（元）"), inputmode="decimal")


class PaymentForm(SectionForm):
    id_prefix = "payment"
    amount = _text(_("支付金额（元）"), inputmode="decimal")
    paid_on = _date(_("支付日期"))
    proof = forms.CharField(label=_("支付凭证"), required=False)


class EvidenceForm(SectionForm):
    id_prefix = "evidence"
    file = forms.FileField(label=_("文件"), required=False)
    description = _text(_("说明"), maxlength=300)


class RecordForm(SectionForm):
    id_prefix = "record"
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("请选择"))] + list(InvestigationRecord.Kind.choices)
    )
    held_at = forms.CharField(
        label=_("时间"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = _text(_("地点"), maxlength=200)
    subject = _text(_("被询问人/检查对象"), maxlength=200)
    content = forms.CharField(label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    inspectors = forms.ModelMultipleChoiceField(
        label=_("参与监察员（至少两名）"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = records.case_investigators(case)


# Service error keys -> form fields.
FIELD_MAP = {
    "worker": "worker_name",
    "worker.name": "worker_name",
    "worker.id_number": "worker_id_number",
    "worker.phone": "worker_phone",
}


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for key, messages in errors.items():
        field = FIELD_MAP.get(key, key)
        form.add_error(field if field in form.fields else None, messages)


# --- the case page's sections ------------------------------------------------------------------


def case_sections_context(request, case: Case, *, forms: dict | None = None) -> dict:
    """What _ledger.html, _evidence.html and _records.html need. `forms` (bound, with errors)
    replaces the blank forms after a failed POST."""
    user = request.user
    can_investigate = scope.can(user, scope.Right.INVESTIGATE, region=case.region, case_id=case.pk)
    evidence_list = list(case.evidence.select_related("uploaded_by").order_by("-uploaded_at", "-id"))
    context = {
        "can_investigate": can_investigate,
        "ledger": ledger.ledger_view(case=case, viewer=user),
        "evidence_list": evidence_list,
        "evidence_max_mb": evidence_services.max_bytes() // (1024 * 1024),
        "evidence_types": evidence_services.FILE_TYPES.values(),
        "investigation_records": list(records.case_records(case)),
    }
    if can_investigate:
        forms = forms or {}
        context.update(
            {
                "ledger_entry_form": forms.get("ledger_entry_form") or LedgerEntryForm(),
                "payment_form": forms.get("payment_form") or PaymentForm(),
                "payment_entry_id": forms.get("payment_entry_id"),
                "evidence_form": forms.get("evidence_form") or EvidenceForm(),
                "record_form": forms.get("record_form") or RecordForm(case=case, initial={"inspectors": [user.pk]}),
            }
        )
    return context


def _case_url(case: Case, anchor: str) -> str:
    return reverse("cases:detail", args=[case.case_no]) + f"#{anchor}"


def _case_page_with_errors(request, case: Case, forms: dict):
    """The case page again, with the failed form's values and errors (400)."""
    from .views import case_page_context

    return render(request, "cases/case_detail.html", case_page_context(request, case, forms=forms), status=400)


# --- POST handlers ---------------------------------------------------------------------------


@require_POST
@login_required
def evidence_upload(request, case_no: str):
    case = scope.case_for_user(request.user, case_no, scope.Right.INVESTIGATE)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence_services.evidence_upload(
                case=case,
                upload=request.FILES.get("file"),
                description=form.cleaned_data["description"],
                actor=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
    if form.errors:
        return _case_page_with_errors(request, case, {"evidence_form": form})
    return redirect(_case_url(case, "evidence"))


@require_POST
@login_required
def ledger_entry_add(request, case_no: str):
    case = scope.case_for_user(request.user, case_no, scope.Right.INVESTIGATE)
    form = LedgerEntryForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        worker = {"name": data["worker_name"], "id_number": data["worker_id_number"], "phone": data["worker_phone"]}
        try:
            ledger.ledger_entry_add(
                case=case,
                worker=worker,
                period_start=data["period_start"],
                period_end=data["period_end"],
                amount_owed=data["amount_owed"],
                actor=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
    if form.errors:
        return _case_page_with_errors(request, case, {"ledger_entry_form": form})
    return redirect(_case_url(case, "ledger"))


def proof_for(case: Case, value) -> Evidence | None:
    """The case's evidence chosen as a payment's proof ("" → none); ValidationError otherwise."""
    if value in (None, ""):
        return None
    try:
        pk = int(value)
    except (TypeError, ValueError):
        pk = None
    proof = case.evidence.filter(pk=pk).first() if pk else None
    if proof is None:
        raise ValidationError({"proof": "支付凭证须为本案已上传的证据。"})
    return proof


@require_POST
@login_required
def payment_record(request, case_no: str, entry_id: int):
    case = scope.case_for_user(request.user, case_no, scope.Right.INVESTIGATE)
    entry = case.ledger.filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    entry.case = case
    form = PaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            ledger.payment_record(
                entry=entry,
                amount=data["amount"],
                paid_on=data["paid_on"],
                proof=proof_for(case, data["proof"]),
                actor=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
    if form.errors:
        return _case_page_with_errors(request, case, {"payment_form": form, "payment_entry_id": entry.pk})
    return redirect(_case_url(case, "ledger"))


@require_POST
@login_required
def record_add(request, case_no: str):
    case = scope.case_for_user(request.user, case_no, scope.Right.INVESTIGATE)
    form = RecordForm(request.POST, case=case)
    if form.is_valid():
        data = form.cleaned_data
        try:
            records.record_add(
                case=case,
                kind=data["kind"],
                held_at=data["held_at"],
                place=data["place"],
                subject=data["subject"],
                content=data["content"],
                inspectors=list(data["inspectors"]),
                actor=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
    if form.errors:
        return _case_page_with_errors(request, case, {"record_form": form})
    return redirect(_case_url(case, "records"))


# --- downloads ---------------------------------------------------------------------------------


def evidence_file_response(evidence: Evidence) -> FileResponse:
    """The stored file as an attachment under its original name, with the type we detected."""
    return FileResponse(
        evidence_services.evidence_open(evidence),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


def xlsx_response(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, exports.export_filename())
    return response


@require_GET
@login_required
def evidence_download(request, case_no: str, evidence_id: int):
    case = scope.case_for_user(request.user, case_no)
    evidence = case.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    return evidence_file_response(evidence)


@require_GET
@login_required
def case_export(request):
    """The case list's 台账 as XLSX, with the case list's filters (SPEC §7)."""
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    content = exports.cases_ledger_xlsx(
        user=request.user, status=filters.get("status", ""), region=filters.get("region", ""), q=filters.get("q", "")
    )
    return xlsx_response(content)
