"""The forms of the signal flows' steps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from earlywarning.forms import SignalEntryForm

from ..forms import StepForm

SignalStartForm = SignalEntryForm  # the startable "signal": the staff page's form


class TriageForm(StepForm):
    """The inspector's decision on a signal."""

    DECISIONS = [
        ("dismiss", _("排除预警（说明理由）")),
        ("explain", _("要求单位限期说明情况")),
        ("interview", _("约谈单位")),
        ("case", _("主动立案查处")),
    ]
    decision = forms.ChoiceField(label=_("处置方式"), choices=DECISIONS)
    reason = forms.CharField(
        label=_("排除理由"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(
        label=_("说明要求"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    held_on = forms.DateField(label=_("约谈日期"), required=False)
    record = forms.CharField(
        label=_("约谈记录"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    facts = forms.CharField(
        label=_("立案事实补充"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == "dismiss" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("排除预警须填写理由。"))
        if decision == "interview":
            if not data.get("held_on"):
                self.add_error("held_on", _("请填写约谈日期。"))
            if not (data.get("record") or "").strip():
                self.add_error("record", _("请填写约谈记录。"))
        return data


class ExplanationForm(StepForm):
    received = forms.TypedChoiceField(
        label=_("单位是否说明"),
        choices=[("1", _("单位已说明")), ("0", _("单位逾期未说明"))],
        coerce=lambda v: v in (True, "1", "yes", "true", "True"),
        initial="1",
        required=False,
        empty_value=True,
        widget=forms.RadioSelect,
    )
    explanation = forms.CharField(
        label=_("单位说明"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("单位逾期未说明时，可在此填写催告情况。"),
    )


class EscalationForm(StepForm):
    note = forms.CharField(label=_("督促处置意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
