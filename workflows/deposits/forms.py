"""The forms of the deposits' steps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import ApprovalForm, StepForm


class BankPaidForm(StepForm):
    paid_on = forms.DateField(label=_("银行支付日期"))


class ToppedUpForm(StepForm):
    amount = forms.DecimalField(label=_("补足金额（元）"), max_digits=14, decimal_places=2)
    on = forms.DateField(label=_("补足日期"))


class AdvanceApprovalForm(ApprovalForm):
    paid_on = forms.DateField(label=_("垫付日期"), required=False)
