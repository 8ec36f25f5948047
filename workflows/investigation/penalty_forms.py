"""The forms of the penalty procedure's steps: the decision form with the penalty's basis, the service of the
行政处罚告知书, and the review of what the party said."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import LegalBasis, PenaltyProcedure, Violation

from ..forms import StepForm
from . import forms as investigation_forms


class DecideForm(investigation_forms.DecideForm):
    """拟定处理意见, with the penalty's basis (its range is checked) and whom the fine is on."""

    penalty_basis = forms.ChoiceField(label=_("处罚依据"), required=False, choices=[])
    workers_concerned = forms.IntegerField(label=_("涉及劳动者人数（按人计罚时）"), required=False, min_value=1)
    party_is_individual = forms.BooleanField(label=_("当事人为个人（适用对个人的听证标准）"), required=False)
    causes = forms.MultipleChoiceField(
        label=_("案由（责令改正指令书逐项列明）"), required=False, choices=Violation.choices,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bases = LegalBasis.objects.exclude(measure=LegalBasis.Measure.PERCENT).order_by("code")
        self.fields["penalty_basis"].choices = [("", "—")] + [(b.code, str(b)) for b in bases]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "penalty" and not data.get("penalty_basis"):
            self.add_error("penalty_basis", _("拟作出行政处罚须选择处罚依据。"))
        return data


class NoticeServeForm(investigation_forms.ServeForm):
    """送达行政处罚告知书: the party's windows run from the day of service."""


class PartyHearingForm(StepForm):
    """复核当事人的陈述、申辩（及听证意见）: after the windows, or a written waiver, and any requested hearing."""

    outcome = forms.ChoiceField(
        label=_("复核结果"), choices=[(v, label) for v, label in PenaltyProcedure.Outcome.choices if v]
    )
    reasons = forms.CharField(label=_("复核理由"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
