"""Forms of the accountability pages: public (credit list, defence, removal, violations) and staff."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CreditSearchForm(forms.Form):
    q = forms.CharField(label=_("单位名称或统一社会信用代码"), max_length=200, required=False)


class EmployerIdentityForm(forms.Form):
    """The employer proves who it is with the notice's number and its own USCC."""

    notice_number = forms.CharField(label=_("告知书（或决定书）文号"), max_length=64)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)


class DefenceForm(EmployerIdentityForm):
    defence = forms.CharField(
        label=_("陈述申辩意见（事实、理由及证据）"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )


class RemovalForm(EmployerIdentityForm):
    corrected_on = forms.DateField(
        label=_("改正（拖欠工资全部支付）日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    pledge = forms.CharField(
        label=_("信用承诺书（承诺今后依法按时足额支付农民工工资）"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ViolationFilterForm(forms.Form):
    period = forms.RegexField(label=_("期次（如 2026Q3、2026H2）"), regex=r"^\d{4}[QqHh]\d$", required=False)
    region = forms.RegexField(label=_("区划代码"), regex=r"^\d{6}$", required=False)


class RegisterFilterForm(forms.Form):
    region = forms.RegexField(label=_("区划代码"), regex=r"^\d{6}$", required=False)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)


def service_errors(form: forms.Form, message_dict: dict) -> None:
    """Put a service's ValidationError on the form (fields it names, else the form itself)."""
    for field, errors in message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
