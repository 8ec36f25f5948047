"""Staff pages of the investigation: the case page's ledger, evidence and records sections and their
POST handlers, evidence downloads and the case ledger export. Thin: every case through cases.scope,
every rule in the services (cases.evidence, cases.ledger, cases.records, cases.web.ledger_export).

The case page (cases.web.case_page) shows the sections; their forms are in cases.web.investigation_forms.
A POST that succeeds redirects to the case page; one that fails renders the case page again with the
form's errors (400).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from .. import evidence as evidence_services
from .. import ledger, records, scope
from ..models import ArrearsEntry, Case
from . import ledger_export
from .case_page import case_page_context
from .downloads import evidence_file_response, file_missing_page, xlsx_response
from .forms import CaseFilterForm
from .investigation_forms import EvidenceForm, LedgerEntryForm, PaymentForm, RecordForm, proof_for, service_errors_add


def _case_url(case: Case, anchor: str) -> str:
    return reverse("cases:detail", args=[case.case_no]) + f"#{anchor}"


def _case_page_with_errors(request, case: Case, forms: dict):
    """The case page again, with the failed form's values and errors (400)."""
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
            service_errors_add(form, exc)
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
            service_errors_add(form, exc)
    if form.errors:
        return _case_page_with_errors(request, case, {"ledger_entry_form": form})
    return redirect(_case_url(case, "ledger"))


@require_POST
@login_required
def payment_record(request, case_no: str, entry_id: int):
    case = scope.case_for_user(request.user, case_no, scope.Right.INVESTIGATE)
    entry = ArrearsEntry.objects.filter(case=case, pk=entry_id).first()  # a live line
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
            service_errors_add(form, exc)
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
            service_errors_add(form, exc)
    if form.errors:
        return _case_page_with_errors(request, case, {"record_form": form})
    return redirect(_case_url(case, "records"))


# --- downloads ---------------------------------------------------------------------------------


@require_GET
@login_required
@file_missing_page
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
    content = ledger_export.cases_ledger_xlsx(
        user=request.user, status=filters.get("status", ""), region=filters.get("region", ""), q=filters.get("q", "")
    )
    return xlsx_response(content)
