"""The complaint form (public page and clerk entry): flat fields that map onto the JSON body.

Validation itself is cases.intake.complaint_validate — the same rules for the form,
the API and the bulk import; this form only renders fields and carries errors back.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from cases.models import Channel
from cases.region_picker import RegionField, province_tree
from cases.scope.regions import regions_public

# form field -> dotted path in the JSON body (SPEC §7)
FIELDS = {
    "complainant_name": "complainant.name",
    "complainant_id_number": "complainant.id_number",
    "complainant_phone": "complainant.phone",
    "employer_name": "employer.name",
    "employer_uscc": "employer.uscc",
    "employer_address": "employer.address",
    "employer_legal_representative": "employer.legal_representative",
    "project_name": "project.name",
    "project_address": "project.address",
    "region_code": "region_code",
    "workers_count": "workers_count",
    "amount_owed": "amount_owed",
    "period_start": "period_start",
    "period_end": "period_end",
    "description": "description",
}


class ComplaintForm(forms.Form):
    complainant_name = forms.CharField(label=_("您的姓名"), max_length=64, required=False)
    complainant_id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)
    complainant_phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    employer_name = forms.CharField(label=_("欠薪单位名称"), max_length=200, required=False)
    employer_uscc = forms.CharField(label=_("统一社会信用代码（选填）"), max_length=18, required=False)
    employer_address = forms.CharField(label=_("单位地址（选填）"), max_length=300, required=False)
    employer_legal_representative = forms.CharField(
        label=_("法定代表人或主要负责人（选填）"), max_length=64, required=False
    )
    project_name = forms.CharField(label=_("工程项目名称（选填）"), max_length=200, required=False)
    project_address = forms.CharField(label=_("项目地址（选填）"), max_length=300, required=False)
    # picked by name (cases.region_picker): the whole province; what reaches the body is the code
    region_code = RegionField(label=_("用工所在地（选填）"), blank_label=_("不清楚（按地址判断）"), max_length=60)
    workers_count = forms.CharField(label=_("被欠薪人数"), required=False)
    amount_owed = forms.CharField(label=_("欠薪金额（元）"), required=False)
    period_start = forms.CharField(
        label=_("欠薪起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.CharField(
        label=_("欠薪截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(label=_("情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].limit_to(regions_public(), source=reverse_lazy("public:regions"))

    def body(self) -> dict:
        """The JSON body of SPEC §7 built from the raw form data (blank optional parts left out); the region
        as the code the picker resolved (call is_valid() first)."""
        raw = {name: (self.data.get(name) or "").strip() for name in FIELDS}
        if "region_code" in getattr(self, "cleaned_data", {}):
            raw["region_code"] = self.cleaned_data["region_code"]
        body: dict = {"channel": "web"}
        for name, path in FIELDS.items():
            if not raw[name]:
                continue
            if "." in path:
                head, tail = path.split(".")
                body.setdefault(head, {})[tail] = raw[name]
            else:
                body[path] = raw[name]
        for head in ("complainant", "employer"):
            body.setdefault(head, {})
        return body

    def add_service_errors(self, errors: dict) -> None:
        for path, messages in errors.items():
            field = path.replace(".", "_")
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class StaffComplaintForm(ComplaintForm):
    channel = forms.ChoiceField(label=_("来源渠道"), choices=Channel.choices)
    employer_uscc_override_reason = forms.CharField(
        label=_("信用代码校验不通过时的采信理由"), max_length=200, required=False
    )

    field_order = ["channel"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].limit_to(regions_public(), source=province_tree())

    def body(self) -> dict:
        body = super().body()
        body["channel"] = self.data.get("channel", "")
        reason = (self.data.get("employer_uscc_override_reason") or "").strip()
        if reason:
            body["employer"]["uscc_override_reason"] = reason
        return body


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV 或 XLSX 文件"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("只接受 .csv 或 .xlsx 文件。"))
        if f.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 10 MB。"))
        return f
