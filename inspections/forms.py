"""The inspectors' record of an inspection: the checklist, findings, outcome (a case goes through the filing
flow's proactive proposal instead)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.industries import Industry

from .models import Inspection
from .services import CHECKLIST

CHECK_CHOICES = [("ok", _("符合")), ("problem", _("存在问题")), ("na", _("不适用"))]


class InspectionRecordForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("检查结果"),
        choices=[(Inspection.Outcome.NO_PROBLEM, _("未发现问题")), (Inspection.Outcome.RECTIFY, _("责令整改"))],
    )
    inspected_on = forms.DateField(label=_("检查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    findings = forms.CharField(label=_("检查发现"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in CHECKLIST.items():
            self.fields[f"check_{key}"] = forms.ChoiceField(label=label, choices=CHECK_CHOICES)

    def checklist(self) -> dict:
        return {key: self.cleaned_data[f"check_{key}"] for key in CHECKLIST}


class PlanForm(forms.Form):
    region_code = forms.CharField(label=_("区划代码"), max_length=12)
    name = forms.CharField(label=_("计划名称"), max_length=200)
    period_start = forms.DateField(label=_("检查期间自"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("检查期间至"), widget=forms.DateInput(attrs={"type": "date"}))
    share_percent = forms.IntegerField(label=_("抽取比例（%）"), required=False, min_value=1, max_value=100)
    count = forms.IntegerField(label=_("抽取户数"), required=False, min_value=1)
    industries = forms.MultipleChoiceField(
        label=_("行业门类"), choices=Industry.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
