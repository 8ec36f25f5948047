"""挂牌督办: the forms of the supervision steps and of its manual start."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import StepForm


class SupervisionStartForm(forms.Form):
    case_no = forms.CharField(label=_("案件编号"), max_length=32)
    complex = forms.BooleanField(label=_("复杂案件（适用复杂案件办结期限）"), required=False)
    requirements = forms.CharField(label=_("督办要求"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmForm(StepForm):
    """The superior's leader on a proposal: supervise (with the notice's requirements) or decline."""

    approved = forms.TypedChoiceField(
        label=_("是否挂牌督办"),
        choices=[("yes", _("同意挂牌督办")), ("no", _("不予督办"))],
        coerce=lambda v: v in (True, "yes", "true", "True", "1"),
    )
    complex = forms.BooleanField(label=_("复杂案件（适用复杂案件办结期限）"), required=False)
    requirements = forms.CharField(
        label=_("督办要求"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    opinion = forms.CharField(
        label=_("不予督办的理由"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("approved") is True and not (data.get("requirements") or "").strip():
            self.add_error("requirements", _("挂牌督办须填写督办要求。"))
        if data.get("approved") is False and not (data.get("opinion") or "").strip():
            self.add_error("opinion", _("不予督办须填写理由。"))
        return data


class AcknowledgeForm(StepForm):
    note = forms.CharField(
        label=_("签收意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportForm(StepForm):
    """A progress report for this interval, or — the case done — the closure application (销号) with results."""

    DECISIONS = [("report", _("报告办理进展")), ("apply_close", _("已办结，申请销号"))]
    decision = forms.ChoiceField(label=_("报告类型"), choices=DECISIONS)
    progress = forms.CharField(
        label=_("办理进展"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    result = forms.CharField(
        label=_("办理结果（申请销号时填写）"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "report" and not (data.get("progress") or "").strip():
            self.add_error("progress", _("请填写办理进展。"))
        if data.get("decision") == "apply_close" and not (data.get("result") or "").strip():
            self.add_error("result", _("申请销号须填写办理结果。"))
        return data


class AlertForm(StepForm):
    note = forms.CharField(label=_("督办意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
