"""The forms every flow shares: StepForm (a human step's form takes its task), ApprovalForm, region_for_code.

Each feature's own step forms are in workflows/<feature>/forms.py.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Region


class StepForm(forms.Form):
    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        self.process = task.process.coerced if task is not None else None


def region_for_code(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise forms.ValidationError(_("没有区划代码为 %(code)s 的机构。") % {"code": code}, code="invalid")
    return region


class ApprovalForm(StepForm):
    """A leader's (or legal reviewer's) approval: approve or return, with an opinion."""

    approved = forms.TypedChoiceField(
        label=_("审批意见"),
        choices=[("yes", _("同意")), ("no", _("不同意，退回"))],
        coerce=lambda v: v in (True, "yes", "true", "True", "1"),
    )
    opinion = forms.CharField(label=_("意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
