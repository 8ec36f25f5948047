"""Flows of SPEC §4.5: credit listing (ListingFlow), early removal from the list (RemovalFlow) and official
accountability (AccountabilityFlow) — with their forms, steps and register().

Who acts on each step (cases.scope rights, checked by HumanStep on the process's region):

ListingFlow (process region = the case's handling office, which decides: DL2021 "谁执法、谁认定")
  start          an inspector assigned to the case (startable "listing": case_no + responsible persons);
                 refused with the criteria's reasons (400) unless accountability.listing.listing_criteria holds.
                 The proposal and the numbered notice (LISTING_NOTICE) are made in the start.
  defence        Timer: the defence window ("listing.defence", the province's listing_defence_wd working days);
                 the employer submits on the public page meanwhile.
  close_defence  Function: the window is closed, the proposal goes to legal review.
  legal_review   Right.LEGAL_REVIEW at the office; not passed → not listed (no decision without it).
  decision       Right.APPROVE (the office's leader) → LISTING_DECISION, listed and published for 3 years.
RemovalFlow (started by an application on the public page: accountability.listing.on_removal_applied)
  legal_review   Right.LEGAL_REVIEW at the deciding office; not passed → refused.
  decision       Right.APPROVE at the deciding office → REMOVED_EARLY, or refused.
AccountabilityFlow (process region = the deciding office, the level above the office held to account)
  start          automatic (overdue supervision, case overdue, group incident) or startable "accountability":
                 a city / province leader on a case of an office below (Right.SUPERVISE on the case).
  fact_finding   Right.APPROVE at the deciding office: its leader. Not an auditor: SPEC §2 makes auditors
                 read-only ("every write is refused"); not the deciding office's legal reviewer: its scope is
                 its own office's cases, not the office below.
  decision       Right.APPROVE at the deciding office → ACCOUNTABILITY_DECISION issued in its name.
  notice         Right.APPROVE at the deciding office: the service of the decision (送达) is recorded.
"""

from __future__ import annotations

import json
import logging

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from accountability import accountability as acc
from accountability import listing as lst
from accountability.models import Accountability, CreditListing, RemovalApplication
from cases import deadlines, scope
from cases.models import ServiceRecord
from cases.scope import Right

from . import starts
from .flows import ZhiqianFlow, decided
from .forms import ApprovalForm, StepForm
from .models import CaseProcess
from .nodes import HumanStep

logger = logging.getLogger(__name__)


# --- forms -------------------------------------------------------------------------------------------


class PersonsField(forms.Field):
    """Responsible persons besides the legal representative: a JSON list of {name, id_number, role}
    (the API), or one person a line "姓名,身份证号,身份" (the web form)."""

    widget = forms.Textarea(attrs={"rows": 3, "placeholder": "张三,360302198001010011,直接负责的主管人员"})

    def to_python(self, value):
        if value in (None, "", []):
            return []
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            return value
        if isinstance(value, list):
            value = "\n".join(str(v) for v in value)
        text = str(value).strip()
        if text.startswith("["):
            try:
                data = json.loads(text)
            except ValueError:
                raise ValidationError(_("责任人格式错误。"), code="invalid")
            if not isinstance(data, list):
                raise ValidationError(_("责任人格式错误。"), code="invalid")
            return data
        people = []
        for line in text.splitlines():
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if not any(parts):
                continue
            if len(parts) < 2:
                raise ValidationError(_("每行一人：姓名,身份证号,身份。"), code="invalid")
            people.append({"name": parts[0], "id_number": parts[1], "role": parts[2] if len(parts) > 2 else ""})
        return people


class ListingStartForm(forms.Form):
    case_no = forms.CharField(label=_("案件编号"), max_length=32)
    legal_representative = forms.CharField(
        label=_("法定代表人或主要负责人（不填为用人单位登记的法定代表人）"), max_length=64, required=False
    )
    legal_representative_id = forms.CharField(label=_("法定代表人或主要负责人身份证号"), max_length=20)
    persons = PersonsField(label=_("其他责任人（每行：姓名,身份证号,身份）"), required=False)


class AccountabilityStartForm(forms.Form):
    case_no = forms.CharField(label=_("案件编号（下级机构承办）"), max_length=32)
    reason = forms.CharField(label=_("启动问责的事由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class FactsForm(StepForm):
    facts = forms.CharField(label=_("调查核实情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))


class AccountabilityDecisionForm(StepForm):
    measure = forms.ChoiceField(label=_("问责方式"), choices=Accountability.Measure.choices)
    reason = forms.CharField(label=_("决定理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class NoticeForm(StepForm):
    method = forms.ChoiceField(label=_("送达方式"), choices=[])
    served_at = forms.DateTimeField(label=_("送达时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    recipient = forms.CharField(label=_("受送达单位或人员"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [c for c in ServiceRecord.Method.choices if c[0] != ServiceRecord.Method.POSTED]


# --- steps: form data → one service --------------------------------------------------------------------


def _artifact(activation):
    return activation.process.coerced.artifact


def _route(activation, approved: bool, yes: str = "approved", no: str = "rejected") -> None:
    process = activation.process
    process.decision = yes if approved else no
    process.save()


def listing_review(*, activation, actor, data) -> None:
    listing = lst.listing_legal_review(
        listing=_artifact(activation), actor=actor, approved=data["approved"], opinion=data["opinion"]
    )
    _route(activation, listing.status == CreditListing.Status.DECISION)


def listing_decide(*, activation, actor, data) -> None:
    listing = lst.listing_decide(
        listing=_artifact(activation), actor=actor, approved=data["approved"], opinion=data["opinion"]
    )
    _route(activation, listing.status == CreditListing.Status.LISTED)


def removal_review(*, activation, actor, data) -> None:
    application = lst.removal_review(
        application=_artifact(activation), actor=actor, approved=data["approved"], opinion=data["opinion"]
    )
    _route(activation, application.status == RemovalApplication.Status.PENDING)


def removal_decide(*, activation, actor, data) -> None:
    application = lst.removal_decide(
        application=_artifact(activation), actor=actor, approved=data["approved"], opinion=data["opinion"]
    )
    _route(activation, application.status == RemovalApplication.Status.GRANTED)


def accountability_facts(*, activation, actor, data) -> None:
    acc.accountability_facts_record(accountability=_artifact(activation), actor=actor, facts=data["facts"])


def accountability_decide(*, activation, actor, data) -> None:
    acc.accountability_decide(
        accountability=_artifact(activation), actor=actor, measure=data["measure"], reason=data["reason"]
    )


def accountability_notice(*, activation, actor, data) -> None:
    acc.accountability_notice_record(
        accountability=_artifact(activation),
        actor=actor,
        method=data["method"],
        served_at=data["served_at"],
        recipient=data["recipient"],
    )


# --- flows -----------------------------------------------------------------------------------------------


def defence_due(activation):
    """The end of the defence window: the listing's "listing.defence" deadline."""
    return lst.defence_deadline(activation.process.coerced.artifact).due_at


class ListingFlow(ZhiqianFlow):
    """失信联合惩戒名单

    Proposal and notice; the employer's defence window; legal review; the leader's decision;
    listed and published for 3 years (removed by the sweep when the term ends)."""

    process_title = _("列入失信联合惩戒名单")

    start = flow.StartHandle(this.start_listing).Next(this.defence)
    defence = flow.Timer(defence_due).Annotation(title=_("陈述申辩期")).Next(this.close_defence)
    close_defence = flow.Function(this.defence_closed).Next(this.legal_review)
    legal_review = (
        HumanStep(None, right=Right.LEGAL_REVIEW, form_class=ApprovalForm, service=listing_review)
        .Annotation(title=_("法制审核（失信名单）"))
        .Next(this.route_review)
    )
    route_review = flow.If(decided("approved")).Then(this.decision).Else(this.rejected)
    decision = (
        HumanStep(None, right=Right.APPROVE, form_class=ApprovalForm, service=listing_decide)
        .Annotation(title=_("列入失信名单决定"))
        .Next(this.route_decision)
    )
    route_decision = flow.If(decided("approved")).Then(this.listed).Else(this.rejected)
    listed = flow.End()
    rejected = flow.End()

    def start_listing(self, activation, *, listing: CreditListing):
        process = self.start_process(activation, case=listing.case, region=listing.region)
        process.artifact = listing
        return process

    def defence_closed(self, activation):
        lst.listing_defence_close(listing=activation.process.coerced.artifact)


class RemovalFlow(ZhiqianFlow):
    """提前移出失信名单

    An employer corrected at least 6 months ago applies with a written pledge; legal review;
    the leader grants early removal or refuses it."""

    process_title = _("申请提前移出失信名单")

    start = flow.StartHandle(this.start_removal).Next(this.legal_review)
    legal_review = (
        HumanStep(None, right=Right.LEGAL_REVIEW, form_class=ApprovalForm, service=removal_review)
        .Annotation(title=_("法制审核（信用修复）"))
        .Next(this.route_review)
    )
    route_review = flow.If(decided("approved")).Then(this.decision).Else(this.refused)
    decision = (
        HumanStep(None, right=Right.APPROVE, form_class=ApprovalForm, service=removal_decide)
        .Annotation(title=_("提前移出决定"))
        .Next(this.route_decision)
    )
    route_decision = flow.If(decided("approved")).Then(this.removed).Else(this.refused)
    removed = flow.End()
    refused = flow.End()

    def start_removal(self, activation, *, application: RemovalApplication):
        listing = application.listing
        process = self.start_process(activation, case=listing.case, region=listing.region)
        process.artifact = application
        return process


class AccountabilityFlow(ZhiqianFlow):
    """问责

    The level above the office held to account finds the facts, decides (约谈, 通报批评, 责令检查,
    移送纪检监察, 不予问责), issues the decision in its own name and records its notice."""

    process_title = _("问责")

    start = flow.StartHandle(this.start_accountability).Next(this.fact_finding)
    fact_finding = (
        HumanStep(None, right=Right.APPROVE, form_class=FactsForm, service=accountability_facts)
        .Annotation(title=_("问责调查核实"))
        .Next(this.decision)
    )
    decision = (
        HumanStep(None, right=Right.APPROVE, form_class=AccountabilityDecisionForm, service=accountability_decide)
        .Annotation(title=_("问责决定"))
        .Next(this.notice)
    )
    notice = (
        HumanStep(None, right=Right.APPROVE, form_class=NoticeForm, service=accountability_notice)
        .Annotation(title=_("问责决定送达"))
        .Next(this.end)
    )
    end = flow.End()

    def start_accountability(self, activation, *, accountability: Accountability):
        process = self.start_process(activation, case=accountability.case, region=accountability.deciding_region)
        process.artifact = accountability
        return process


# --- starting by hand, hooks, register() ------------------------------------------------------------------


def process_for(obj) -> CaseProcess:
    """The flow process whose artifact `obj` is."""
    return CaseProcess.objects.get(
        artifact_content_type=ContentType.objects.get_for_model(obj), artifact_object_id=obj.pk
    )


def _listing_start(actor, form):
    d = form.cleaned_data
    case = scope.case_for_user(actor, d["case_no"].strip(), Right.INVESTIGATE)
    listing = lst.listing_propose(
        case=case,
        actor=actor,
        legal_representative=d.get("legal_representative", ""),
        legal_representative_id=d["legal_representative_id"],
        persons=d.get("persons") or [],
    )
    lst.listing_notice(listing=listing, actor=actor)
    return ListingFlow.start.run(listing=listing)


def _accountability_start(actor, form):
    case = scope.case_for_user(actor, form.cleaned_data["case_no"].strip(), Right.SUPERVISE)
    accountability = acc.accountability_start_by_leader(case=case, actor=actor, reason=form.cleaned_data["reason"])
    return process_for(accountability)


def accountability_flow_start(accountability: Accountability) -> None:
    AccountabilityFlow.start.run(accountability=accountability)


def removal_flow_start(application: RemovalApplication) -> None:
    RemovalFlow.start.run(application=application)


def register() -> None:
    starts.register(
        starts.Startable(
            "listing",
            _("列入失信联合惩戒名单（拟列入）"),
            ListingStartForm,
            lambda user: scope.has_exception(user, Right.INVESTIGATE),
            _listing_start,
        )
    )
    starts.register(
        starts.Startable(
            "accountability",
            _("启动问责（下级机构）"),
            AccountabilityStartForm,
            lambda user: bool(scope.region_ids(user, Right.SUPERVISE)),
            _accountability_start,
        )
    )
    acc.on_accountability_opened(accountability_flow_start)
    lst.on_removal_applied(removal_flow_start)
    # The listing's 3-year term ends with its deadline's overdue transition (exactly once, by the sweep).
    deadlines.on_overdue(lst.TERM, lst.listing_term_overdue)
    # A duty deadline of a case overdue for longer than the province allows → accountability.
    deadlines.on_overdue_many(deadlines.ANY_KIND, acc.case_deadlines_overdue)
    deadlines.on_overdue(acc.WATCH, acc.case_overdue_watch_due)
    # Where the minute sweep runs periodic checks, the listing expiry is one of them too (a safety net:
    # idempotent, served by the partial index "listing_expiry").
    from . import sweep

    checks = getattr(sweep, "PERIODIC_CHECKS", None)
    if checks is not None and lst.listings_expire_due not in checks:
        checks.append(lst.listings_expire_due)
