from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Case
from ..region_picker import RegionField


class CaseFilterForm(forms.Form):
    """The case list's filters (also the 台账 export's and the API's); `for_user` limits the region picker."""

    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部"))] + list(Case.Status.choices))
    region = RegionField(label=_("区划"))
    # what a dashboard figure counts (cases.dashboard.FIGURE_FILTERS), in the period from..to
    figure = forms.ChoiceField(
        label=_("统计口径"),
        required=False,
        choices=[("", _("全部")), ("open_now", _("在办案件")), ("supervised_now", _("督办中")),
                 ("accepted", _("受理立案")), ("closed", _("结案"))],
    )  # fmt: skip
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    own = forms.BooleanField(label=_("仅本级"), required=False)
    mine = forms.BooleanField(label=_("我承办的"), required=False)
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def for_user(self, user) -> CaseFilterForm:
        """The region picker limited to the regions `user` may pick (403 for a user without a role)."""
        from django.urls import reverse

        from ..scope.regions import regions_visible

        field = self.fields["region"]
        assert isinstance(field, RegionField)
        field.limit_to(regions_visible(user), source=reverse("cases:regions"))
        return self


_KIND = re.compile(r"[a-z_]+\.[a-z_]+")


def _kinds() -> list:
    from ..audit.search import kind_choices

    return [("", _("全部"))] + kind_choices()


class KindField(forms.ChoiceField):
    """An event type chosen from the list of labels; a kind the list does not name yet (a new event a feature
    records before its label exists) is still a valid filter: the timeline shows its subject's label."""

    def valid_value(self, value) -> bool:
        return super().valid_value(value) or bool(_KIND.fullmatch(str(value)))


class TimelineFilterForm(forms.Form):
    """A timeline's filters: the event type from the list of labels, dates with a date picker."""

    kind = KindField(label=_("事件类型"), required=False, choices=_kinds)
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("截止日期不能早于起始日期"))
        return data


class AuditSearchForm(TimelineFilterForm):
    """The auditors' search across cases: the timeline's filters and a case (or complaint) number."""

    case_no = forms.CharField(label=_("案件或投诉编号"), required=False, max_length=32)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
