"""立案调查 flows: routing only (the steps are in .steps, the forms in .forms).

Stored references: "workflows/investigation.flow.<Flow>[.<node>]" (migration workflows.0004 moved the rows
written as "workflows/flows.…"; workflows.flows re-exports the classes, so an old string still resolves).
"""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from cases import enforcement, investigation
from cases.scope import Right

from ..forms import ApprovalForm
from ..nodes import HumanStep, ZhiqianFlow, decided
from . import enforcement_forms, forms, penalty_forms, penalty_steps, steps
from . import enforcement_steps as enf


def order_deadline(activation):
    """The end of the order's last day (Asia/Shanghai): verification follows it. With a fine, not before the end
    of its payment period (15 days from the penalty decision's service, APL art 67)."""
    case = activation.process.case
    dues = [d for d in (case.order_due, enforcement.fine_due(case)) if d is not None]
    due = max(dues) if dues else timezone.localdate()
    return timezone.make_aware(datetime.combine(due + timedelta(days=1), time.min))


class InvestigationFlow(ZhiqianFlow):
    """立案调查

    From filing: two inspectors assigned; 60 working days to investigate (+30 once,
    suspension pauses); 15 to decide; an order or a penalty, served; verification after
    the order's deadline; closure, or — unpaid — the demand, the court, the penalty executed or
    the transfer to the police, then closure (referral and credit listing start from the unpaid point)."""

    process_title = _("立案调查")

    start = flow.StartHandle(this.start_case).Next(this.assign_inspectors)
    assign_inspectors = (
        HumanStep(
            None, right=Right.APPROVE, form_class=forms.AssignInspectorsForm, service=steps.case_inspectors_assign
        )
        .Annotation(title=_("指派监察员"))
        .Next(this.investigate)
    )
    investigate = (
        HumanStep(
            None, right=Right.INVESTIGATE, form_class=forms.InvestigateForm, service=steps.case_investigation_conclude
        )
        .Annotation(title=_("调查取证"))
        .Next(this.decide)
    )
    decide = (
        HumanStep(None, right=Right.INVESTIGATE, form_class=penalty_forms.DecideForm, service=penalty_steps.case_decide)
        .Annotation(title=_("拟定处理意见"))
        .Next(this.route_decision)
    )
    route_decision = (
        flow.Switch()
        .Case(this.withdraw_approval, decided("withdraw"))
        .Case(this.penalty_notice_serve, decided("penalty"))
        .Default(this.serve)
    )
    withdraw_approval = (
        HumanStep(None, right=Right.APPROVE, form_class=ApprovalForm, service=steps.case_withdrawal_approve)
        .Annotation(title=_("撤销立案审批"))
        .Next(this.route_withdrawal)
    )
    route_withdrawal = flow.If(decided("approved")).Then(this.withdrawn).Else(this.decide)
    # the penalty procedure (cases.penalty): the notice served, then the party's windows, statements, hearing
    penalty_notice_serve = (
        HumanStep(
            None,
            right=Right.INVESTIGATE,
            form_class=penalty_forms.NoticeServeForm,
            service=penalty_steps.case_pre_decision_serve,
        )
        .Annotation(title=_("送达行政处罚告知书"))
        .Next(this.party_hearing)
    )
    party_hearing = (
        HumanStep(
            None,
            right=Right.INVESTIGATE,
            form_class=penalty_forms.PartyHearingForm,
            service=penalty_steps.case_party_hearing,
        )
        .Annotation(title=_("陈述申辩与听证复核"))
        .Next(this.legal_review)
    )
    legal_review = (
        HumanStep(None, right=Right.LEGAL_REVIEW, form_class=ApprovalForm, service=steps.case_legal_review)
        .Annotation(title=_("法制审核"))
        .Next(this.route_legal)
    )
    route_legal = flow.If(decided("approved")).Then(this.penalty_decision).Else(this.decide)
    penalty_decision = (
        HumanStep(None, right=Right.APPROVE, form_class=forms.PenaltyDecisionForm, service=steps.case_penalty_decide)
        .Annotation(title=_("处罚决定审批"))
        .Next(this.route_penalty)
    )
    route_penalty = flow.If(decided("approved")).Then(this.serve).Else(this.decide)
    serve = (
        HumanStep(None, right=Right.INVESTIGATE, form_class=forms.ServeForm, service=steps.case_order_serve)
        .Annotation(title=_("文书送达"))
        .Next(this.wait_order)
    )
    wait_order = flow.Timer(order_deadline).Annotation(title=_("等待履行期限届满")).Next(this.verify)
    verify = (
        HumanStep(None, right=Right.INVESTIGATE, form_class=forms.VerifyForm, service=steps.case_verify)
        .Annotation(title=_("履行情况核查"))
        .Next(this.route_payment)
    )
    route_payment = (
        flow.Switch()
        .Case(this.closure_approval, decided("paid"))
        .Case(this.closure_approval, decided("corrected"))
        .Case(this.decide, decided("not_corrected"))  # an order to correct ignored: back to decide (a penalty)
        .Case(this.enforce, decided("penalty_only"))  # a fine, no wages ordered paid: straight to its execution
        .Default(this.unpaid)
    )
    unpaid = (
        HumanStep(None, right=Right.INVESTIGATE, form_class=forms.UnpaidForm, service=steps.case_unpaid_handle)
        .Annotation(title=_("逾期未支付处理"))
        .Next(this.demand)
    )
    # Not paid after the order: criminal referral and credit listing start from here (by hand), and the
    # administrative side goes on to closure: demand, court, penalty executed or transfer (cases.enforcement).
    demand = (
        HumanStep(None, right=Right.INVESTIGATE, form_class=enforcement_forms.DemandForm, service=enf.case_demand)
        .Annotation(title=_("制发催告书"))
        .Next(this.demand_serve)
    )
    demand_serve = (
        HumanStep(None, right=Right.INVESTIGATE, form_class=forms.ServeForm, service=enf.case_demand_serve)
        .Annotation(title=_("送达催告书"))
        .Next(this.enforce)
    )
    enforce = (
        HumanStep(None, right=Right.INVESTIGATE, form_class=enforcement_forms.EnforceForm, service=enf.case_enforce)
        .Annotation(title=_("强制执行与办结方式"))
        .Next(this.route_enforcement)
    )
    route_enforcement = (
        flow.Switch()
        .Case(this.court_outcome, decided("court"))
        .Case(this.demand_serve, decided("demand"))  # a fine unpaid: the demand issued here, then served
        .Default(this.closure_approval)
    )
    court_outcome = (
        HumanStep(
            None, right=Right.INVESTIGATE, form_class=enforcement_forms.CourtOutcomeForm, service=enf.case_court_outcome
        )
        .Annotation(title=_("登记法院处理结果"))
        .Next(this.route_court)
    )
    route_court = flow.If(decided("refused")).Then(this.enforce).Else(this.closure_approval)
    closure_approval = (
        HumanStep(None, right=Right.APPROVE, form_class=forms.ClosureForm, service=steps.case_close)
        .Annotation(title=_("结案审批"))
        .Next(this.closed)
    )
    withdrawn = flow.End()
    closed = flow.End()
    # No longer reached (the unpaid path goes on to closure): kept for the processes that ended here.
    handed_over = flow.End()

    def start_case(self, activation, *, case):
        process = self.start_process(activation, case=case)
        investigation.case_investigation_open(case=case)
        return process


class FilingFlow(ZhiqianFlow):
    """立案审批

    A proactive case (inspection, written review, double random, early warning) is
    proposed by an inspector and filed on the leader's approval."""

    process_title = _("立案审批")

    start = flow.StartHandle(this.start_proposal).Next(this.filing_approval)
    filing_approval = (
        HumanStep(None, right=Right.APPROVE, form_class=ApprovalForm, service=steps.filing_approve)
        .Annotation(title=_("立案审批"))
        .Next(this.route)
    )
    route = flow.If(decided("approved")).Then(this.file_case).Else(this.rejected)
    file_case = flow.Function(this.start_investigation).Next(this.filed)
    filed = flow.End()
    rejected = flow.End()

    def start_proposal(self, activation, *, region, proposal: dict, proposer):
        """The proposal is a row (cases.FilingProposal), the process's artifact."""
        filing = investigation.filing_propose(region=region, proposal=proposal, actor=proposer)
        return self.start_process(activation, region=region, artifact=filing)

    def start_investigation(self, activation):
        InvestigationFlow.start.run(case=activation.process.case)


class ExtensionFlow(ZhiqianFlow):
    """延长调查期限

    An assigned inspector asks for the one extension of 30 working days; the leader decides."""

    process_title = _("延长调查期限")

    start = flow.StartHandle(this.start_request).Next(this.approve)
    approve = (
        HumanStep(None, right=Right.APPROVE, form_class=ApprovalForm, service=steps.extension_decide)
        .Annotation(title=_("延期审批"))
        .Next(this.end)
    )
    end = flow.End()

    def start_request(self, activation, *, case, reason: str, requester):
        """The request is a row (cases.ExtensionRequest, with the "case.extension_requested" event), the artifact."""
        request = investigation.case_extension_request(case=case, actor=requester, reason=reason)
        return self.start_process(activation, case=case, artifact=request)
