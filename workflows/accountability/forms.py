"""Credit listing, early removal, official accountability: the forms of their steps and manual starts."""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accountability.models import Accountability
from cases.models import ServiceRecord

from ..forms import StepForm


class PersonsField(forms.Field):
    """Responsible persons besides the legal representative: a JSON list of {name, id_number, role}
    (the API), or one person a line "姓名,身份证号,身份" (the web form)."""

    widget = forms.Textarea(attrs={"rows": 3, "placeholder": "张三,360302198001010011,直接负责的主管人员"})

    def to_python(self, value):
        if value in (None, "", []):
            return []
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            return value
        if isinstance(value, list):
            value = "\n".join(str(v) for v in value)
        text = str(value).strip()
        if text.startswith("["):
            try:
                data = json.loads(text)
            except ValueError:
                raise ValidationError(_("责任人格式错误。"), code="invalid")
            if not isinstance(data, list):
                raise ValidationError(_("责任人格式错误。"), code="invalid")
            return data
        people = []
        for line in text.splitlines():
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if not any(parts):
                continue
            if len(parts) < 2:
                raise ValidationError(_("每行一人：姓名,身份证号,身份。"), code="invalid")
            people.append({"name": parts[0], "id_number": parts[1], "role": parts[2] if len(parts) > 2 else ""})
        return people


class ListingStartForm(forms.Form):
    case_no = forms.CharField(label=_("案件编号"), max_length=32)
    legal_representative = forms.CharField(
        label=_("法定代表人或主要负责人（不填为用人单位登记的法定代表人）"), max_length=64, required=False
    )
    legal_representative_id = forms.CharField(label=_("法定代表人或主要负责人身份证号"), max_length=20)
    persons = PersonsField(label=_("其他责任人（每行：姓名,身份证号,身份）"), required=False)
    # one of the case's liable units (责任单位) to list instead of the employer: set by the case page's link
    liable_unit = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class AccountabilityStartForm(forms.Form):
    case_no = forms.CharField(label=_("案件编号（下级机构承办）"), max_length=32)
    reason = forms.CharField(label=_("启动问责的事由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class FactsForm(StepForm):
    facts = forms.CharField(label=_("调查核实情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))


class AccountabilityDecisionForm(StepForm):
    measure = forms.ChoiceField(label=_("问责方式"), choices=Accountability.Measure.choices)
    reason = forms.CharField(label=_("决定理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class NoticeForm(StepForm):
    method = forms.ChoiceField(label=_("送达方式"), choices=[])
    served_at = forms.DateTimeField(label=_("送达时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    recipient = forms.CharField(label=_("受送达单位或人员"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [c for c in ServiceRecord.Method.choices if c[0] != ServiceRecord.Method.POSTED]
