"""Credit listing, early removal, official accountability: routing only (the steps are in .steps, the forms
in .forms; who acts on each step in the package's docstring). Stored references:
"workflows/accountability.flow.<Flow>[.<node>]" (migration workflows.0004 moved the rows written as
"workflows/flows_accountability.…", which still resolve through that re-exporting module).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from accountability import listing as lst
from accountability.models import Accountability, CreditListing, RemovalApplication
from cases.scope import Right

from ..forms import ApprovalForm
from ..investigation import forms as investigation_forms
from ..nodes import HumanStep, ZhiqianFlow, decided
from . import forms, steps


def defence_due(activation):
    """The end of the defence window: the listing's "listing.defence" deadline."""
    return lst.defence_deadline(steps.artifact_of(activation)).due_at


class ListingFlow(ZhiqianFlow):
    """失信联合惩戒名单

    Proposal and notice; the notice served; the employer's defence window from its service;
    legal review; the leader's decision;
    listed and published for 3 years (removed by the sweep when the term ends)."""

    process_title = _("列入失信联合惩戒名单")

    start = flow.StartHandle(this.start_listing).Next(this.serve_notice)
    # the defence window runs from the notice's service (issue 13 item 9)
    serve_notice = (
        HumanStep(
            None, right=Right.INVESTIGATE, form_class=investigation_forms.ServeForm, service=steps.listing_notice_serve
        )
        .Annotation(title=_("告知书送达"))
        .Next(this.defence)
    )
    defence = flow.Timer(defence_due).Annotation(title=_("陈述申辩期")).Next(this.close_defence)
    close_defence = flow.Function(this.defence_closed).Next(this.legal_review)
    legal_review = (
        HumanStep(None, right=Right.LEGAL_REVIEW, form_class=ApprovalForm, service=steps.listing_legal_review)
        .Annotation(title=_("法制审核（失信名单）"))
        .Next(this.route_review)
    )
    route_review = flow.If(decided("approved")).Then(this.decision).Else(this.rejected)
    decision = (
        HumanStep(None, right=Right.APPROVE, form_class=ApprovalForm, service=steps.listing_decide)
        .Annotation(title=_("列入失信名单决定"))
        .Next(this.route_decision)
    )
    route_decision = flow.If(decided("approved")).Then(this.listed).Else(this.rejected)
    listed = flow.End()
    rejected = flow.End()

    def start_listing(self, activation, *, listing: CreditListing):
        return self.start_process(activation, case=listing.case, region=listing.region, artifact=listing)

    def defence_closed(self, activation):
        lst.listing_defence_close(listing=steps.artifact_of(activation))


class RemovalFlow(ZhiqianFlow):
    """提前移出失信名单

    An employer corrected at least 6 months ago applies with a written pledge; legal review;
    the leader grants early removal or refuses it."""

    process_title = _("申请提前移出失信名单")

    start = flow.StartHandle(this.start_removal).Next(this.legal_review)
    legal_review = (
        HumanStep(None, right=Right.LEGAL_REVIEW, form_class=ApprovalForm, service=steps.removal_legal_review)
        .Annotation(title=_("法制审核（信用修复）"))
        .Next(this.route_review)
    )
    route_review = flow.If(decided("approved")).Then(this.decision).Else(this.refused)
    decision = (
        HumanStep(None, right=Right.APPROVE, form_class=ApprovalForm, service=steps.removal_decide)
        .Annotation(title=_("提前移出决定"))
        .Next(this.route_decision)
    )
    route_decision = flow.If(decided("approved")).Then(this.removed).Else(this.refused)
    removed = flow.End()
    refused = flow.End()

    def start_removal(self, activation, *, application: RemovalApplication):
        listing = application.listing
        return self.start_process(activation, case=listing.case, region=listing.region, artifact=application)


class AccountabilityFlow(ZhiqianFlow):
    """问责

    The level above the office held to account finds the facts, decides (约谈, 通报批评, 责令检查,
    移送纪检监察, 不予问责), issues the decision in its own name and records its notice."""

    process_title = _("问责")

    start = flow.StartHandle(this.start_accountability).Next(this.fact_finding)
    fact_finding = (
        HumanStep(None, right=Right.APPROVE, form_class=forms.FactsForm, service=steps.accountability_facts_record)
        .Annotation(title=_("问责调查核实"))
        .Next(this.decision)
    )
    decision = (
        HumanStep(
            None, right=Right.APPROVE, form_class=forms.AccountabilityDecisionForm, service=steps.accountability_decide
        )
        .Annotation(title=_("问责决定"))
        .Next(this.notice)
    )
    notice = (
        HumanStep(None, right=Right.APPROVE, form_class=forms.NoticeForm, service=steps.accountability_notice_record)
        .Annotation(title=_("问责决定送达"))
        .Next(this.end)
    )
    end = flow.End()

    def start_accountability(self, activation, *, accountability: Accountability):
        return self.start_process(
            activation, case=accountability.case, region=accountability.deciding_region, artifact=accountability
        )
