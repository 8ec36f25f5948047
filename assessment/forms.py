from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ComputeForm(forms.Form):
    region = forms.ChoiceField(label=_("考核机构"))
    year = forms.IntegerField(label=_("考核年度"), min_value=2017)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in regions]
        self.fields["year"].initial = timezone.localdate().year - 1


class AdjustForm(forms.Form):
    numerator = forms.DecimalField(label=_("分子"), min_value=0, max_digits=16, decimal_places=2)
    denominator = forms.DecimalField(label=_("分母"), min_value=0, max_digits=16, decimal_places=2, required=False)
    reason = forms.CharField(label=_("调整理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class CircularForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("正文"), max_length=20000, widget=forms.Textarea(attrs={"rows": 18}))
