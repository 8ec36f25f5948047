"""挂牌督办 flows: routing only (the steps are in .steps, the forms in .forms; the diagram in the package's
docstring). Stored references: "workflows/supervision.flow.<Flow>[.<node>]" (migration workflows.0004 moved
the rows written as "workflows/flows_supervision.…", which still resolve through that re-exporting module).
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from cases import supervision as supervision_services
from cases.models import Supervision
from cases.scope import Right

from ..forms import ApprovalForm
from ..nodes import HumanStep, ZhiqianFlow, decided
from . import forms, steps


class SupervisionFlow(ZhiqianFlow):
    """挂牌督办

    A city or province leader supervises a case of an office below (or confirms a proposal made by the
    rules): the notice with its deadline (15 days, complex 30: province settings), the case office signs
    for it and reports every 5 working days, then applies for closure (销号), which the supervising
    leader approves or returns."""

    process_title = _("挂牌督办")

    start = flow.StartHandle(this.open_supervision).Next(this.acknowledge)
    start_proposal = flow.StartHandle(this.open_proposal).Next(this.confirm)
    confirm = (
        HumanStep(None, right=Right.APPROVE, form_class=forms.ConfirmForm, service=steps.supervision_confirm_decide)
        .Annotation(title=_("确认挂牌督办"))
        .Next(this.route_confirm)
    )
    route_confirm = flow.If(decided("confirmed")).Then(this.acknowledge).Else(this.declined)
    acknowledge = (
        HumanStep(
            None, right=Right.APPROVE, form_class=forms.AcknowledgeForm, service=steps.supervision_notice_acknowledge
        )
        .Annotation(title=_("签收督办通知"))
        .Next(this.report)
    )
    report = (
        HumanStep(None, right=Right.APPROVE, form_class=forms.ReportForm, service=steps.supervision_progress_report)
        .Annotation(title=_("报告督办进展"))
        .Next(this.route_report)
    )
    route_report = flow.If(decided("apply_close")).Then(this.close_review).Else(this.wait_report)
    wait_report = flow.Timer(this.next_report_opens).Annotation(title=_("等待下一报告期")).Next(this.report)
    close_review = (
        HumanStep(None, right=Right.APPROVE, form_class=ApprovalForm, service=steps.supervision_closure_review)
        .Annotation(title=_("督办销号审核"))
        .Next(this.route_close)
    )
    route_close = flow.If(decided("approved")).Then(this.closed).Else(this.report)
    closed = flow.End()
    declined = flow.End()

    def open_supervision(self, activation, *, supervision: Supervision):
        """A notice just issued: the case's office signs for it."""
        process = self.start_process(activation, case=supervision.case)
        process.artifact = supervision
        return process

    def open_proposal(self, activation, *, supervision: Supervision):
        """A proposal: the supervising office (the superior of the case's office) confirms it."""
        process = self.start_process(activation, case=supervision.case, region=supervision.supervising_region)
        process.artifact = supervision
        return process

    def next_report_opens(self, activation) -> datetime:
        return supervision_services.supervision_report_opens(steps.supervision_of(activation.process))


class SupervisionAlertFlow(ZhiqianFlow):
    """督办催办

    A supervision clock ran out: a missed report (the case office's leader), a report still missing after
    one more interval (the supervising office's leader), an overdue supervision (the next level up)."""

    process_title = _("督办催办")

    start = flow.StartHandle(this.open_alert).Next(this.route)
    route = (
        flow.Switch()
        .Case(this.remind, decided("reminder"))
        .Case(this.missed_report, decided("missed_report"))
        .Default(this.overdue)
    )
    remind = (
        HumanStep(None, right=Right.APPROVE, form_class=forms.AlertForm, service=steps.supervision_alert_handle)
        .Annotation(title=_("督办进展报告催报"))
        .Next(this.end)
    )
    missed_report = (
        HumanStep(None, right=Right.APPROVE, form_class=forms.AlertForm, service=steps.supervision_alert_handle)
        .Annotation(title=_("下级逾期未报告督办进展"))
        .Next(this.end)
    )
    overdue = (
        HumanStep(None, right=Right.APPROVE, form_class=forms.AlertForm, service=steps.supervision_alert_handle)
        .Annotation(title=_("挂牌督办超期"))
        .Next(this.end)
    )
    end = flow.End()

    ALERTS = ("reminder", "missed_report", "overdue")

    def open_alert(self, activation, *, supervision: Supervision, region, alert: str):
        if alert not in self.ALERTS:
            raise ValueError(f"unknown supervision alert {alert!r}")
        process = self.start_process(activation, case=supervision.case, region=region)
        process.artifact = supervision
        process.decision = alert
        return process
