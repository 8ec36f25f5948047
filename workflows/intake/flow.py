"""投诉受理 flows: routing only (the steps are in .steps, the forms in .forms).

Stored references: viewflow keeps "workflows/intake.flow.IntakeFlow" in viewflow_process.flow_class and
"workflows/intake.flow.IntakeFlow.<node>" in viewflow_task.flow_task (migration workflows.0004 moved the rows
written as "workflows/flows.…"; workflows.flows re-exports the classes, so an old string still resolves).
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from cases.scope import Right

from ..nodes import HumanStep, ZhiqianFlow, decided
from . import forms, steps


class IntakeFlow(ZhiqianFlow):
    """投诉受理

    Acceptance within 5 working days: accept (file a case, start the investigation),
    refuse, ask for a supplement, or transfer; a disputed transfer is designated by the
    common superior's leader."""

    process_title = _("投诉受理")

    start = flow.StartHandle(this.start_process).Next(this.acceptance)
    acceptance = (
        HumanStep(None, right=Right.INTAKE, form_class=forms.AcceptanceForm, service=steps.complaint_decide)
        .Annotation(title=_("受理审查"))
        .Next(this.route)
    )
    route = (
        flow.Switch()
        .Case(this.file_case, decided("accept"))
        .Case(this.refused, decided("refuse"))
        .Case(this.supplement, decided("supplement"))
        .Case(this.acceptance, decided("transfer"))
        .Case(this.designation, decided("dispute"))
    )
    supplement = (
        HumanStep(None, right=Right.INTAKE, form_class=forms.SupplementForm, service=steps.complaint_supplement_receive)
        .Annotation(title=_("登记补正材料"))
        .Next(this.acceptance)
    )
    designation = (
        HumanStep(None, right=Right.APPROVE, form_class=forms.DesignationForm, service=steps.complaint_designate)
        .Annotation(title=_("指定管辖"))
        .Next(this.acceptance)
    )
    file_case = flow.Function(this.start_investigation).Next(this.accepted)
    accepted = flow.End()
    refused = flow.End()

    def start_investigation(self, activation):
        from ..investigation.flow import InvestigationFlow

        InvestigationFlow.start.run(case=activation.process.case)


class EscalationFlow(ZhiqianFlow):
    """超期督办

    An acceptance left undecided past its deadline: the office's leader reviews it."""

    process_title = _("超期督办")

    start = flow.StartHandle(this.start_process).Next(this.review)
    review = (
        HumanStep(None, right=Right.APPROVE, form_class=forms.EscalationForm, service=steps.complaint_escalation_review)
        .Annotation(title=_("超期受理督办"))
        .Next(this.end)
    )
    end = flow.End()
