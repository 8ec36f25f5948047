"""The forms of the referral pages: the referral itself (office, the office's region by name, green channel,
facts, the claimants chosen with their amounts) and the offices' steps. Field errors come from the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.region_picker import RegionField

from .models import Office, Referral


class ReferralForm(forms.Form):
    office = forms.ChoiceField(label=_("接收机构"), choices=Office.choices)
    region = RegionField(label=_("接收机构所在区划"), required=True)
    green_channel = forms.BooleanField(
        label=_("绿色通道：欠薪争议优先受理、优先开庭、优先裁决"), required=False, initial=True
    )
    facts = forms.CharField(label=_("转介事由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class TribunalForm(forms.Form):
    tribunal = forms.CharField(label=_("仲裁庭组成（仲裁员姓名）"), max_length=200)


class AssignForm(forms.Form):
    lawyer_name = forms.CharField(label=_("承办律师"), max_length=64)
    lawyer_firm = forms.CharField(label=_("律师事务所"), max_length=200)
    lawyer_licence = forms.CharField(label=_("律师执业证号"), max_length=32)


class CloseAidForm(forms.Form):
    outcome = forms.ChoiceField(label=_("援助结果"), choices=Referral.AidOutcome.choices)
    amount_recovered = forms.DecimalField(label=_("追回金额（元）"), min_value=0, decimal_places=2, required=False)
    note = forms.CharField(label=_("说明"), required=False, max_length=1000)
