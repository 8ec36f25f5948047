"""The forms of the campaign pages: launch, close, a check, a hazard, its resolution, its case proposal, the
import. Regions are picked by name (cases.region_picker); the services check the rules and name the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.industries import Industry
from cases.region_picker import RegionField

from .models import Campaign, Hazard, TargetKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.Form):
    region = RegionField(label=_("部署单位"), required=True)
    title = forms.CharField(label=_("行动名称"), max_length=200)
    period_start = forms.DateField(label=_("行动期间自"), widget=DATE)
    period_end = forms.DateField(label=_("行动期间至"), widget=DATE)
    target_kinds = forms.MultipleChoiceField(label=_("排查对象"), choices=TargetKind.choices,
                                             widget=forms.CheckboxSelectMultiple)  # fmt: skip
    industries = forms.MultipleChoiceField(label=_("重点行业（排查用人单位时）"), choices=Industry.choices,
                                           required=False, widget=forms.CheckboxSelectMultiple)  # fmt: skip
    report_weekday = forms.TypedChoiceField(label=_("每周调度日"), choices=Campaign.WEEKDAYS, coerce=int, initial=4)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("行动总结"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class TargetForm(forms.Form):
    """The project (by its number) or the employer (by its code or exact name) and the responsible office."""

    project_no = forms.CharField(label=_("项目编号"), max_length=40, required=False)
    employer = forms.CharField(label=_("用人单位（统一社会信用代码或名称）"), max_length=200, required=False)
    region = RegionField(label=_("责任机构"), required=False,
                         help_text=_("不填：工程项目为项目所在地，用人单位为本人所在机构。"))  # fmt: skip


class CheckForm(TargetForm):
    checked_on = forms.DateField(label=_("排查日期"), widget=DATE)
    note = forms.CharField(label=_("排查情况"), max_length=500, required=False)


class HazardForm(TargetForm):
    kind = forms.ChoiceField(label=_("隐患类型"), choices=Hazard.Kind.choices)
    workers = forms.IntegerField(label=_("涉及人数"), min_value=0, initial=0)
    amount = forms.DecimalField(label=_("涉及金额（元）"), min_value=0, decimal_places=2, initial=0)
    found_on = forms.DateField(label=_("发现日期"), widget=DATE)
    description = forms.CharField(label=_("隐患情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ResolveForm(forms.Form):
    resolved_on = forms.DateField(label=_("整改完成日期"), widget=DATE)
    amount_paid = forms.DecimalField(label=_("已支付金额（元）"), min_value=0, decimal_places=2, initial=0)
    evidence_note = forms.CharField(label=_("整改情况及证明材料"), widget=forms.Textarea(attrs={"rows": 3}))


class CaseForm(forms.Form):
    facts = forms.CharField(label=_("补充事实"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("隐患表（.xlsx）"))
