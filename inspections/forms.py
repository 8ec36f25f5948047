"""The inspectors' record of an inspection: the checklist, findings, outcome (a case goes through the filing
flow's proactive proposal instead)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.industries import Industry

from .models import Inspection, Inspector, RectifyResult, Target
from .services import CHECKLIST

CHECK_CHOICES = [("ok", _("符合")), ("problem", _("存在问题")), ("na", _("不适用"))]


class InspectionRecordForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("检查结果"),
        choices=[(Inspection.Outcome.NO_PROBLEM, _("未发现问题")), (Inspection.Outcome.RECTIFY, _("责令整改")),
                 (Inspection.Outcome.CASE, _("立案查处"))],
    )  # fmt: skip
    inspected_on = forms.DateField(label=_("检查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    findings = forms.CharField(label=_("检查发现"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    rectify_wd = forms.IntegerField(label=_("整改期限（工作日）"), required=False,
                                    help_text=_("责令整改时填写；不填按本省默认期限。"))  # fmt: skip
    workers_count = forms.CharField(label=_("涉及人数（立案查处时填写）"), required=False)
    amount_owed = forms.CharField(label=_("初步核实欠薪金额（元）（立案查处时填写）"), required=False)

    def __init__(self, *args, default_rectify_wd: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if default_rectify_wd:
            self.fields["rectify_wd"].help_text = _("责令整改时填写；不填按本省默认期限（%(days)s 个工作日）。") % {
                "days": default_rectify_wd
            }
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


# --- the pools ---------------------------------------------------------------------------------------------


class InspectorEnrolForm(forms.Form):
    user: forms.ModelChoiceField = forms.ModelChoiceField(label=_("工作人员（本区划监察员）"), queryset=None)  # type: ignore[arg-type]
    name = forms.CharField(label=_("姓名"), max_length=64, required=False)
    certificate_no = forms.CharField(label=_("执法证号"), max_length=40, required=False)
    certificate_valid_until = forms.DateField(
        label=_("执法证有效期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.get_username()  # type: ignore[attr-defined]


class TargetForm(forms.Form):
    uscc = forms.CharField(label=_("用人单位统一社会信用代码"), max_length=18, required=False)
    project_no = forms.CharField(label=_("或工程项目编号"), max_length=40, required=False)
    industry = forms.ChoiceField(label=_("行业门类"), choices=[("", _("按单位登记的行业"))] + list(Industry.choices),
                                 required=False)  # fmt: skip
    size = forms.ChoiceField(label=_("规模"), choices=Target.Size.choices, initial=Target.Size.SMALL)


class BulkTargetForm(forms.Form):
    source = forms.ChoiceField(label=_("加入"), choices=[("employers", _("本区划的用人单位")),
                                                        ("projects", _("本区划的在建工程项目"))])  # fmt: skip
    industry = forms.ChoiceField(label=_("行业门类（用人单位）"), choices=[("", _("全部"))] + list(Industry.choices),
                                 required=False)  # fmt: skip
    size = forms.ChoiceField(label=_("规模"), choices=Target.Size.choices, initial=Target.Size.SMALL)


class RemoveForm(forms.Form):
    reason = forms.CharField(label=_("移出理由"), max_length=200)


class RecusalForm(forms.Form):
    inspector: forms.ModelChoiceField = forms.ModelChoiceField(label=_("检查人员"), queryset=None)  # type: ignore[arg-type]
    target: forms.ModelChoiceField = forms.ModelChoiceField(label=_("检查对象"), queryset=None)  # type: ignore[arg-type]
    reason = forms.CharField(label=_("回避理由"), max_length=200)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = Inspector.objects.filter(region=region, active=True).order_by("name")  # type: ignore[attr-defined]
        self.fields["target"].queryset = (  # type: ignore[attr-defined]
            Target.objects.filter(region=region, active=True).select_related("employer", "project").order_by("pk")
        )


# --- rectification -----------------------------------------------------------------------------------------


class VerifyForm(forms.Form):
    result = forms.ChoiceField(label=_("核查结论"), choices=RectifyResult.choices, widget=forms.RadioSelect)
    verified_on = forms.DateField(label=_("核查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("核查情况（整改证据）"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    workers_count = forms.CharField(label=_("涉及人数（未整改、提出立案时填写）"), required=False)
    amount_owed = forms.CharField(label=_("初步核实欠薪金额（元）（未整改时填写）"), required=False)
