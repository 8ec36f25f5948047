"""Forms of the accountability pages: public (credit list, defence, removal, violations) and staff."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.region_picker import RegionField
from cases.scope.regions import regions_public, regions_visible


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


QUARTERS = {1: _("第一季度"), 2: _("第二季度"), 3: _("第三季度"), 4: _("第四季度")}
HALVES = {1: _("上半年"), 2: _("下半年")}


def period_label(key: str) -> str:
    """A publication period in words: 2026Q3 → 2026年第三季度, 2026H2 → 2026年下半年 (anything else as it is)."""
    key = (key or "").strip().upper()
    if len(key) == 6 and key[:4].isdigit() and key[5].isdigit():
        part = {"Q": QUARTERS, "H": HALVES}.get(key[4], {}).get(int(key[5]))
        if part:
            return _("%(year)s年%(part)s") % {"year": key[:4], "part": part}
    return key


class ViolationFilterForm(forms.Form):
    """The public archive's filters: a period picked from the published ones, a region of the province by name."""

    period = forms.ChoiceField(label=_("期次"), required=False)
    region = RegionField(label=_("地区"))

    def __init__(self, *args, periods: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", _("最新一期"))] + [(p, period_label(p)) for p in periods]
        self.fields["region"].limit_to(regions_public(), source=reverse("public:regions"))


class RegisterFilterForm(forms.Form):
    """The accountability register's filters: a region the user may pick by name, a year from a list."""

    region = RegionField(label=_("地区"))
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [("", _("全部"))] + [(y, y) for y in range(this_year, this_year - 10, -1)]
        if user is not None:
            self.fields["region"].limit_to(regions_visible(user), source=reverse("cases:regions"))


def service_errors(form: forms.Form, message_dict: dict) -> None:
    """Put a service's ValidationError on the form (fields it names, else the form itself)."""
    for field, errors in message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
