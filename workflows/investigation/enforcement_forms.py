"""The forms of the enforcement steps (after "unpaid"): the demand notice, the way the case is carried out, the
court's outcome. The demand's service uses forms.ServeForm."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Enforcement

from ..forms import StepForm


class DemandForm(StepForm):
    facts = forms.CharField(
        label=_("催告事项补充说明（可不填）"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class EnforceForm(StepForm):
    OUTCOMES = [
        ("demand", _("催告缴纳罚款（罚款逾期未缴）")),
        ("court", _("申请人民法院强制执行")),
        ("penalty_executed", _("处罚决定已执行")),
        ("transferred", _("已移送公安机关并被立案")),
        ("paid_in_full", _("催告后已全额支付")),
    ]
    outcome = forms.ChoiceField(label=_("执行或办结方式"), choices=OUTCOMES)
    remedies = forms.ChoiceField(
        label=_("复议、诉讼情况（申请强制执行时填写）"),
        choices=[("", "—"), *Enforcement.Remedies.choices],
        required=False,
    )
    court = forms.CharField(label=_("受理法院（可不填）"), max_length=100, required=False)
    note = forms.CharField(
        label=_("情况说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "court" and not data.get("remedies"):
            self.add_error("remedies", _("申请强制执行须选择复议、诉讼情况。"))
        return data


class CourtOutcomeForm(StepForm):
    outcome = forms.ChoiceField(label=_("人民法院处理结果"), choices=Enforcement.CourtOutcome.choices)
    note = forms.CharField(label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
