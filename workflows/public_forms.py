from django import forms
from django.utils.translation import gettext_lazy as _


class StatusLookupForm(forms.Form):
    receipt_no = forms.CharField(label=_("回执号"), max_length=20)
    phone_last4 = forms.RegexField(label=_("手机号后四位"), regex=r"^\d{4}$", max_length=4)
    not_found_message = _("没有找到与该回执号和手机号后四位相符的投诉。")
