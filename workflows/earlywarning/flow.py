"""欠薪预警处置 flows: routing only (the steps are in .steps, the forms in .forms; the diagram in the package's
docstring). Stored references: "workflows/earlywarning.flow.<Flow>[.<node>]"."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from cases.scope import Right
from earlywarning.models import Signal

from ..nodes import HumanStep, ZhiqianFlow, decided
from . import forms, steps


class SignalFlow(ZhiqianFlow):
    """欠薪预警处置

    An inspector of the signal's office triages it: dismisses it with the reason, asks the unit to explain
    within the province's working days, interviews the unit (约谈), or proposes a proactive case (the filing
    flow) with the signal's evidence; the case filed pre-fills its ledger from the shortfall."""

    process_title = _("欠薪预警处置")

    start = flow.StartHandle(this.open_signal).Next(this.triage)
    triage = (
        HumanStep(None, right=Right.PROPOSE, form_class=forms.TriageForm, service=steps.signal_triage_decide)
        .Annotation(title=_("预警研判处置"))
        .Next(this.route)
    )
    route = flow.Switch().Case(this.explanation, decided("explain")).Default(this.end)
    explanation = (
        HumanStep(None, right=Right.PROPOSE, form_class=forms.ExplanationForm, service=steps.signal_explanation_record)
        .Annotation(title=_("登记单位说明"))
        .Next(this.triage)
    )
    end = flow.End()

    def open_signal(self, activation, *, signal: Signal):
        return self.start_process(activation, region=signal.region, artifact=signal)


class SignalEscalationFlow(ZhiqianFlow):
    """红色预警逾期督促

    A red signal not handled by its due day: the leader of its office sees it and urges its handling."""

    process_title = _("红色预警逾期督促")

    start = flow.StartHandle(this.open_escalation).Next(this.urge)
    urge = (
        HumanStep(None, right=Right.APPROVE, form_class=forms.EscalationForm, service=steps.signal_escalation_handle)
        .Annotation(title=_("督促处置红色预警"))
        .Next(this.end)
    )
    end = flow.End()

    def open_escalation(self, activation, *, signal: Signal):
        return self.start_process(activation, region=signal.region, artifact=signal)
