"""Staff pages that correct the ledger on the case page (issue 14 item 4): edit a line, delete a line with
its reason, import lines pasted from a spreadsheet or from an XLSX file, download the import template.
Thin: the case through cases.scope (Right.INVESTIGATE, as adding a line), one service each
(cases.ledger_edit); a success redirects to the ledger tab, a failure renders the case page again with every
error of the form (400)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import ledger_edit, ledger_import, scope
from ..models import ArrearsEntry, Case
from .investigation_forms import LedgerDeleteForm, LedgerEditForm, LedgerImportForm, service_errors_add
from .investigation_views import _case_page_with_errors, _case_url


def _entry(case: Case, entry_id: int) -> ArrearsEntry:
    entry = ArrearsEntry.objects.select_related("worker").filter(case=case, pk=entry_id).first()
    if entry is None:
        raise Http404
    entry.case = case
    return entry


@require_POST
@login_required
def ledger_entry_edit(request, case_no: str, entry_id: int):
    case = scope.case_for_user(request.user, case_no, scope.Right.INVESTIGATE)
    entry = _entry(case, entry_id)
    form = LedgerEditForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        worker = {
            "name": data["worker_name"],
            "id_number": data["worker_id_number"] or entry.worker.id_number,
            "phone": data["worker_phone"] or entry.worker.phone,
        }
        try:
            ledger_edit.ledger_line_update(
                entry=entry,
                worker=worker,
                period_start=data["period_start"],
                period_end=data["period_end"],
                amount_owed=data["amount_owed"],
                actor=request.user,
            )
        except ValidationError as exc:
            service_errors_add(form, exc)
    if form.errors:
        return _case_page_with_errors(request, case, {"ledger_edit_form": form, "ledger_edit_entry_id": entry.pk})
    messages.success(request, _("台账已修改。"))
    return redirect(_case_url(case, "ledger"))


@require_POST
@login_required
def ledger_entry_delete(request, case_no: str, entry_id: int):
    case = scope.case_for_user(request.user, case_no, scope.Right.INVESTIGATE)
    entry = _entry(case, entry_id)
    form = LedgerDeleteForm(request.POST)
    if form.is_valid():
        try:
            ledger_edit.ledger_line_delete(entry=entry, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as exc:
            service_errors_add(form, exc)
    if form.errors:
        return _case_page_with_errors(request, case, {"ledger_delete_form": form, "ledger_delete_entry_id": entry.pk})
    messages.success(request, _("台账已删除（保留删除记录）。"))
    return redirect(_case_url(case, "ledger"))


@require_POST
@login_required
def ledger_entries_import(request, case_no: str):
    case = scope.case_for_user(request.user, case_no, scope.Right.INVESTIGATE)
    form = LedgerImportForm(request.POST, request.FILES)
    count = 0
    if form.is_valid():
        upload, text = request.FILES.get("file"), form.cleaned_data["paste"]
        try:
            if upload is not None:
                rows = ledger_import.rows_from_xlsx(upload)
            elif text.strip():
                rows = ledger_import.rows_from_paste(text)
            else:
                raise ValidationError({"paste": [_("请粘贴表格内容，或选择XLSX文件。")]})
            count = len(ledger_edit.ledger_lines_import(case=case, rows=rows, actor=request.user))
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                form.add_error(key if key in ("paste", "file") else None, errors)
    if form.errors:
        return _case_page_with_errors(request, case, {"ledger_import_form": form})
    messages.success(request, _("已导入%(count)d条台账。") % {"count": count})
    return redirect(_case_url(case, "ledger"))


@require_GET
@login_required
def ledger_template(request, case_no: str):
    """The XLSX template of the import (for a case the user may work on)."""
    scope.case_for_user(request.user, case_no, scope.Right.INVESTIGATE)
    response = HttpResponse(
        ledger_import.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, "欠薪台账导入模板.xlsx") or ""
    return response
