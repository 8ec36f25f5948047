"""The forms of the case page's investigation sections (ledger, payment, evidence, records): they carry
values and errors for the page; the services validate. Shared by the pages and the API (proof_for)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import records
from ..models import Case, Evidence, InvestigationRecord

if TYPE_CHECKING:
    from django.contrib.auth.models import User


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


class LedgerEditForm(LedgerEntryForm):
    """A line corrected: the ID number and phone shown masked are kept when left empty."""

    id_prefix = "ledger_edit"
    worker_id_number = _text(_("身份证号（不填则不变）"), maxlength=18, autocomplete="off")
    worker_phone = _text(_("手机号（不填则不变）"), maxlength=11, autocomplete="off")


class LedgerDeleteForm(SectionForm):
    id_prefix = "ledger_delete"
    reason = _text(_("删除理由"), maxlength=300)


class LedgerImportForm(SectionForm):
    """Worker lines pasted from a spreadsheet (tab-separated) or an XLSX file in the template's columns."""

    id_prefix = "ledger_import"
    paste = forms.CharField(
        label=_("粘贴表格内容（每行一名劳动者：姓名、身份证号、手机号、期间起、期间止、应付金额）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "wrap": "off"}),
    )
    file = forms.FileField(label=_("或上传XLSX文件（按模板填写）"), required=False)


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
    inspectors: forms.ModelMultipleChoiceField[User] = forms.ModelMultipleChoiceField(
        label=_("参与监察员（至少两名）"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        inspectors = self.fields["inspectors"]
        assert isinstance(inspectors, forms.ModelMultipleChoiceField)  # a form's fields are typed as Field
        inspectors.queryset = records.case_investigators(case)


# Service error keys -> form fields.
FIELD_MAP = {
    "worker": "worker_name",
    "worker.name": "worker_name",
    "worker.id_number": "worker_id_number",
    "worker.phone": "worker_phone",
    "entry": None,
}


def service_errors_add(form: forms.Form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, messages in exc.message_dict.items():
        field = FIELD_MAP.get(key, key)
        form.add_error(field if field is not None and field in form.fields else None, messages)


def evidence_label(evidence: Evidence) -> str:
    """An evidence item as a picker shows it: its description (or file name), its kind and the day uploaded."""
    from ..evidence import FILE_TYPES

    kinds = {t.content_type: t.label for t in FILE_TYPES.values()}
    title = evidence.description or evidence.original_name
    kind = kinds.get(evidence.content_type, evidence.content_type)
    return f"{title} · {evidence.original_name} · {kind} · {evidence.uploaded_at:%Y-%m-%d}"


def evidence_choices(case_id: int | None, *, blank: str | None = None) -> list[tuple[str, str]]:
    """The case's evidence items as (pk, label) choices, newest first; `blank` heads the list when given."""
    rows = Evidence.objects.filter(case_id=case_id).order_by("-uploaded_at", "-id") if case_id else []
    head = [("", blank)] if blank is not None else []
    return head + [(str(e.pk), evidence_label(e)) for e in rows]


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
