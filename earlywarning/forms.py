"""The form of a signal entered by hand (the staff page and the flow's manual start share it)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SignalEntryForm(forms.Form):
    """A signal entered by hand (the startable "signal"; the staff page has the same fields)."""

    SOURCES = [("inspection", _("日常巡查")), ("media", _("媒体报道")), ("hotline", _("热线电话"))]
    LEVELS = [("yellow", _("黄色")), ("orange", _("橙色")), ("red", _("红色"))]
    source = forms.ChoiceField(label=_("线索来源"), choices=SOURCES)
    level = forms.ChoiceField(label=_("预警等级"), choices=LEVELS)
    project_no = forms.CharField(label=_("项目编号"), required=False, max_length=40)
    region_code = forms.CharField(label=_("区划代码（无项目时填写）"), required=False, max_length=6)
    workers = forms.IntegerField(label=_("涉及人数"), required=False, min_value=0, max_value=100000)
    amount = forms.DecimalField(label=_("涉及金额（元）"), required=False, min_value=0, max_digits=14, decimal_places=2)
    facts = forms.CharField(label=_("基本情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
