"""The flows: routing only. Steps call services (workflows/steps.py → cases services).

Locking: a blocking SELECT … FOR UPDATE on the process row (viewflow's default is no
lock at all). A second completion waits for the first, then finds the task done → 409.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from cases.scope import Right

from . import forms, steps
from .models import CaseProcess
from .nodes import HumanStep

ROW_LOCK = lock.SelectForUpdateLock(nowait=False, attempts=1)


def decided(value):
    return lambda activation: activation.process.decision == value


class ZhiqianFlow(flow.Flow):
    process_class = CaseProcess
    lock_impl = ROW_LOCK

    def start_process(self, activation, *, complaint=None, case=None, region=None):
        process = activation.process
        process.complaint = complaint
        process.case = case
        process.region = region or (case.region if case is not None else complaint.region)
        return process


class IntakeFlow(ZhiqianFlow):
    """投诉受理

    Acceptance within 5 working days: accept (file a case, start the investigation),
    refuse, ask for a supplement, or transfer; a disputed transfer is designated by the
    common superior's leader."""

    process_title = _("投诉受理")

    start = flow.StartHandle(this.start_process).Next(this.acceptance)
    acceptance = (
        HumanStep(None, right=Right.INTAKE, form_class=forms.AcceptanceForm, service=steps.acceptance_decide)
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
        HumanStep(None, right=Right.INTAKE, form_class=forms.SupplementForm, service=steps.supplement_receive)
        .Annotation(title=_("登记补正材料"))
        .Next(this.acceptance)
    )
    designation = (
        HumanStep(None, right=Right.APPROVE, form_class=forms.DesignationForm, service=steps.jurisdiction_designate)
        .Annotation(title=_("指定管辖"))
        .Next(this.acceptance)
    )
    file_case = flow.Function(this.start_investigation).Next(this.accepted)
    accepted = flow.End()
    refused = flow.End()

    def start_investigation(self, activation):
        InvestigationFlow.start.run(case=activation.process.case)


class EscalationFlow(ZhiqianFlow):
    """超期督办

    An acceptance left undecided past its deadline: the office's leader reviews it."""

    process_title = _("超期督办")

    start = flow.StartHandle(this.start_process).Next(this.review)
    review = (
        HumanStep(None, right=Right.APPROVE, form_class=forms.EscalationForm, service=steps.escalation_review)
        .Annotation(title=_("超期受理督办"))
        .Next(this.end)
    )
    end = flow.End()


class InvestigationFlow(ZhiqianFlow):
    """立案调查

    Starts when a case is filed. First step: the leader assigns at least two inspectors."""

    process_title = _("立案调查")

    start = flow.StartHandle(this.start_process).Next(this.assign_inspectors)
    assign_inspectors = (
        HumanStep(None, right=Right.APPROVE, form_class=forms.AssignInspectorsForm, service=steps.inspectors_assign)
        .Annotation(title=_("指派监察员"))
        .Next(this.end)
    )
    end = flow.End()
