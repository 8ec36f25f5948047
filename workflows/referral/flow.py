"""涉嫌犯罪移送 flow: routing only (the steps are in .steps, the forms in .forms; the diagram in the package's
docstring). Stored references: "workflows/referral.flow.ReferralFlow[.<node>]" (migration workflows.0004 moved
the rows written as "workflows/flows_referral.…", which still resolve through that re-exporting module).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from cases.models import Referral
from cases.scope import Right

from ..nodes import HumanStep, ZhiqianFlow, decided
from . import forms, steps


class ReferralFlow(ZhiqianFlow):
    """涉嫌犯罪移送

    An eligible case: the package, legal review, the leader's approval within 3 days, transfer to
    the police within 24 hours (copy to the procuratorate), the police's decision within 3 days;
    filed → materials within 3 days → outcome; not filed → reconsideration (3 + 3 days) →
    procuratorate supervision (3 days)."""

    process_title = _("涉嫌犯罪移送")

    start = flow.StartHandle(this.start_referral).Next(this.legal_review)
    legal_review = (
        HumanStep(None, right=Right.LEGAL_REVIEW, form_class=forms.LegalReviewForm, service=steps.referral_legal_review)
        .Annotation(title=_("移送法制审核"))
        .Next(this.route_legal)
    )
    route_legal = (
        flow.Switch().Case(this.approve, decided("approved")).Case(this.amend, decided("returned")).Default(this.ended)
    )
    amend = (
        HumanStep(None, right=Right.INVESTIGATE, form_class=forms.AmendForm, service=steps.referral_amend)
        .Annotation(title=_("补充修改移送材料"))
        .Next(this.route_amend)
    )
    route_amend = flow.If(decided("resubmitted")).Then(this.legal_review).Else(this.withdrawn)
    approve = (
        HumanStep(None, right=Right.APPROVE, form_class=forms.ReferralApprovalForm, service=steps.referral_approve)
        .Annotation(title=_("移送审批"))
        .Next(this.route_approval)
    )
    route_approval = flow.If(decided("approved")).Then(this.transfer).Else(this.not_approved)
    transfer = (
        HumanStep(None, right=Right.INVESTIGATE, form_class=forms.TransferForm, service=steps.referral_transfer)
        .Annotation(title=_("移送公安机关"))
        .Next(this.police_decision)
    )
    police_decision = (
        HumanStep(
            None, right=Right.INVESTIGATE, form_class=forms.PoliceDecisionForm, service=steps.referral_police_decision
        )
        .Annotation(title=_("登记公安机关立案决定"))
        .Next(this.route_police)
    )
    route_police = flow.If(decided("filed")).Then(this.handover).Else(this.reconsideration_request)
    handover = (
        HumanStep(None, right=Right.INVESTIGATE, form_class=forms.HandoverForm, service=steps.referral_handover)
        .Annotation(title=_("移交涉案材料"))
        .Next(this.outcome)
    )
    outcome = (
        HumanStep(None, right=Right.INVESTIGATE, form_class=forms.OutcomeForm, service=steps.referral_outcome)
        .Annotation(title=_("登记起诉、审判结果"))
        .Next(this.concluded)
    )
    reconsideration_request = (
        HumanStep(
            None,
            right=Right.INVESTIGATE,
            form_class=forms.ReconsiderationRequestForm,
            service=steps.referral_reconsideration_request,
        )
        .Annotation(title=_("提请公安机关复议"))
        .Next(this.route_reconsideration_request)
    )
    route_reconsideration_request = (
        flow.If(decided("requested")).Then(this.reconsideration_answer).Else(this.not_filed_accepted)
    )
    reconsideration_answer = (
        HumanStep(
            None,
            right=Right.INVESTIGATE,
            form_class=forms.ReconsiderationAnswerForm,
            service=steps.referral_reconsideration_answer,
        )
        .Annotation(title=_("登记公安机关复议决定"))
        .Next(this.route_reconsideration)
    )
    route_reconsideration = flow.If(decided("filed")).Then(this.handover).Else(this.procuratorate_request)
    procuratorate_request = (
        HumanStep(
            None,
            right=Right.INVESTIGATE,
            form_class=forms.ProcuratorateRequestForm,
            service=steps.referral_procuratorate_request,
        )
        .Annotation(title=_("建议检察院立案监督"))
        .Next(this.supervision_requested)
    )
    ended = flow.End()  # legal review does not agree
    withdrawn = flow.End()  # the inspector withdraws after a return
    not_approved = flow.End()  # the leader does not approve (the administrative case goes on)
    concluded = flow.End()  # outcome recorded
    not_filed_accepted = flow.End()  # not filed, no reconsideration asked
    supervision_requested = flow.End()  # still refused: procuratorate supervision proposed (or not)

    def start_referral(self, activation, *, case, referral: Referral):
        return self.start_process(activation, case=case, artifact=referral)
