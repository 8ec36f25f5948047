"""涉嫌拒不支付劳动报酬犯罪移送 (SPEC §4.4): the flow, its forms, its steps and what it registers.

Started by hand by an inspector assigned to the case (startable "referral"): the case must be
eligible (cases.referral.referral_eligibility), or the start answers 400 with the reasons.

    legal_review (法制审核) ─ approved → approve (负责人, 3 days) ─ approved → transfer (24 hours)
        │ returned → amend (承办人) → legal_review / withdrawn        └ not approved → not_approved
        └ ended → ended
    transfer → police_decision (police: 3 days)
        filed     → handover (3 days) → outcome → concluded
        not filed → reconsideration_request (3 days) ─ requested → reconsideration_answer (police: 3 days)
                        └ not requested → not_filed_accepted        filed → handover …
                                                                     upheld → procuratorate_request (3 days) → concluded

The flow routes; each step maps its form to one cases.referral service, which starts and closes
the deadlines (shown on the case page with every other deadline; the sweep marks a missed one
overdue and records "deadline.overdue" on the case timeline). The administrative case goes on
meanwhile: the investigation flow and this one never touch each other.
"""

from __future__ import annotations

from django import forms as djforms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from cases import referral as referrals
from cases import scope
from cases.documents import police_name, procuratorate_name
from cases.models import Evidence, Referral, Role
from cases.scope import Right

from . import starts
from .flows import ZhiqianFlow, decided
from .forms import StepForm
from .nodes import HumanStep

YES_NO = [("yes", _("是")), ("no", _("否"))]


def _yes(value) -> bool:
    return value in (True, "yes", "true", "True", "1")


def _moment_field(label):
    return djforms.DateTimeField(
        label=label, required=False, widget=djforms.DateTimeInput(attrs={"type": "datetime-local"})
    )


def _text_field(label, *, required=True, rows=3):
    return djforms.CharField(
        label=label, required=required, max_length=4000, widget=djforms.Textarea(attrs={"rows": rows})
    )


# --- forms ---------------------------------------------------------------------------------------


class ReferralStartForm(djforms.Form):
    """Propose a referral; the crime ground may be recorded with it (evidence already uploaded to the case)."""

    case_no = djforms.CharField(label=_("案件编号"), max_length=32)
    ground = djforms.ChoiceField(
        label=_("涉嫌犯罪的情形（尚未记录时填写）"),
        required=False,
        choices=[("", _("（已记录，不再填写）")), *[(k, v) for k, v in referrals.GROUNDS.items()]],
    )
    ground_evidence = djforms.IntegerField(label=_("该情形的证据（证据编号）"), required=False)
    ground_note = djforms.CharField(label=_("情形说明"), required=False, max_length=2000)
    facts = _text_field(_("移送书案件事实（可不填）"), required=False, rows=4)

    def clean(self):
        data = super().clean()
        if data.get("ground") and not data.get("ground_evidence"):
            self.add_error("ground_evidence", _("记录涉嫌犯罪的情形须附证据。"))
        return data


class LegalReviewForm(StepForm):
    DECISIONS = [
        ("approved", _("同意移送，报负责人审批")),
        ("returned", _("退回承办人补充修改")),
        ("ended", _("不同意移送，终止")),
    ]
    decision = djforms.ChoiceField(label=_("审核意见"), choices=DECISIONS)
    opinion = _text_field(_("意见"))


class AmendForm(StepForm):
    DECISIONS = [("resubmitted", _("补充修改后重新提交审核")), ("withdrawn", _("撤回移送"))]
    decision = djforms.ChoiceField(label=_("处理"), choices=DECISIONS)
    facts = _text_field(_("补充修改说明（重新提交时作为移送书案件事实）"), rows=4)


class ReferralApprovalForm(StepForm):
    """The head of the office decides within 3 days (R310 art 5); not approved ends the referral."""

    approved = djforms.TypedChoiceField(
        label=_("审批决定"), choices=[("yes", _("批准移送")), ("no", _("不批准移送"))], coerce=_yes
    )
    opinion = _text_field(_("意见（不批准的，须写明理由）"))


class TransferForm(StepForm):
    police = djforms.CharField(label=_("接收公安机关（不填为同级公安机关）"), required=False, max_length=100)
    procuratorate = djforms.CharField(label=_("抄送人民检察院（不填为同级检察院）"), required=False, max_length=100)
    transferred_at = _moment_field(_("移送时间（不填为现在）"))
    note = djforms.CharField(label=_("备注"), required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.process is not None and self.process.case_id:
            region = self.process.case.region
            self.fields["police"].initial = police_name(region)
            self.fields["procuratorate"].initial = procuratorate_name(region)


class PoliceDecisionForm(StepForm):
    DECISIONS = [("filed", _("公安机关决定立案")), ("not_filed", _("公安机关决定不予立案"))]
    decision = djforms.ChoiceField(label=_("公安机关决定"), choices=DECISIONS)
    decided_at = _moment_field(_("收到决定通知书的时间（不填为现在）"))
    note = djforms.CharField(label=_("通知书文号及说明"), required=False, max_length=1000)


class HandoverForm(StepForm):
    materials = _text_field(_("移交的涉案物品及材料清单"))
    recipient = djforms.CharField(label=_("接收人"), required=False, max_length=100)
    handed_over_at = _moment_field(_("移交时间（不填为现在）"))


class OutcomeForm(StepForm):
    prosecution = _text_field(_("起诉情况"))
    judgment = _text_field(_("审判结果"))


class ReconsiderationRequestForm(StepForm):
    requested = djforms.TypedChoiceField(label=_("是否提请公安机关复议"), choices=YES_NO, coerce=_yes)
    reason = _text_field(_("理由"))
    requested_at = _moment_field(_("提请时间（不填为现在）"))


class ReconsiderationAnswerForm(StepForm):
    DECISIONS = [("filed", _("复议后决定立案")), ("upheld", _("复议维持不予立案"))]
    decision = djforms.ChoiceField(label=_("公安机关复议决定"), choices=DECISIONS)
    answered_at = _moment_field(_("收到复议决定的时间（不填为现在）"))
    note = djforms.CharField(label=_("复议决定书文号及说明"), required=False, max_length=1000)


class ProcuratorateRequestForm(StepForm):
    requested = djforms.TypedChoiceField(label=_("是否建议人民检察院立案监督"), choices=YES_NO, coerce=_yes)
    reason = _text_field(_("理由"))
    requested_at = _moment_field(_("提出时间（不填为现在）"))


# --- steps: form data → one cases.referral service --------------------------------------------------


def _referral(activation) -> Referral:
    return Referral.objects.select_related("case__region", "package").get(pk=activation.process.data["referral"])


def _route(activation, value: str) -> None:
    activation.process.decision = value
    activation.process.save()


def legal_review_step(*, activation, actor, data) -> None:
    referrals.referral_legal_review(
        referral=_referral(activation), actor=actor, decision=data["decision"], opinion=data["opinion"]
    )
    _route(activation, data["decision"])


def amend_step(*, activation, actor, data) -> None:
    withdraw = data["decision"] == "withdrawn"
    referrals.referral_amend(referral=_referral(activation), actor=actor, facts=data["facts"], withdraw=withdraw)
    _route(activation, data["decision"])


def approve_step(*, activation, actor, data) -> None:
    referrals.referral_approve(
        referral=_referral(activation), actor=actor, approved=data["approved"], opinion=data["opinion"]
    )
    _route(activation, "approved" if data["approved"] else "not_approved")


def transfer_step(*, activation, actor, data) -> None:
    referrals.referral_transfer(
        referral=_referral(activation),
        actor=actor,
        police=data.get("police", ""),
        procuratorate=data.get("procuratorate", ""),
        transferred_at=data.get("transferred_at"),
        note=data.get("note", ""),
    )


def police_decision_step(*, activation, actor, data) -> None:
    referrals.referral_police_decision(
        referral=_referral(activation),
        actor=actor,
        filed=data["decision"] == "filed",
        decided_at=data.get("decided_at"),
        note=data.get("note", ""),
    )
    _route(activation, data["decision"])


def handover_step(*, activation, actor, data) -> None:
    referrals.referral_handover(
        referral=_referral(activation),
        actor=actor,
        materials=data["materials"],
        handed_over_at=data.get("handed_over_at"),
        recipient=data.get("recipient", ""),
    )


def outcome_step(*, activation, actor, data) -> None:
    referrals.referral_outcome(
        referral=_referral(activation), actor=actor, prosecution=data["prosecution"], judgment=data["judgment"]
    )


def reconsideration_request_step(*, activation, actor, data) -> None:
    referrals.referral_reconsideration_request(
        referral=_referral(activation),
        actor=actor,
        requested=data["requested"],
        reason=data["reason"],
        requested_at=data.get("requested_at"),
    )
    _route(activation, "requested" if data["requested"] else "accepted")


def reconsideration_answer_step(*, activation, actor, data) -> None:
    referrals.referral_reconsideration_answer(
        referral=_referral(activation),
        actor=actor,
        filed=data["decision"] == "filed",
        answered_at=data.get("answered_at"),
        note=data.get("note", ""),
    )
    _route(activation, data["decision"])


def procuratorate_request_step(*, activation, actor, data) -> None:
    referrals.referral_procuratorate_request(
        referral=_referral(activation),
        actor=actor,
        requested=data["requested"],
        reason=data["reason"],
        requested_at=data.get("requested_at"),
    )


# --- the flow ---------------------------------------------------------------------------------------


class ReferralFlow(ZhiqianFlow):
    """涉嫌犯罪移送

    An eligible case: the package, legal review, the leader's approval within 3 days, transfer to
    the police within 24 hours (copy to the procuratorate), the police's decision within 3 days;
    filed → materials within 3 days → outcome; not filed → reconsideration (3 + 3 days) →
    procuratorate supervision (3 days)."""

    process_title = _("涉嫌犯罪移送")

    start = flow.StartHandle(this.start_referral).Next(this.legal_review)
    legal_review = (
        HumanStep(None, right=Right.LEGAL_REVIEW, form_class=LegalReviewForm, service=legal_review_step)
        .Annotation(title=_("移送法制审核"))
        .Next(this.route_legal)
    )
    route_legal = (
        flow.Switch().Case(this.approve, decided("approved")).Case(this.amend, decided("returned")).Default(this.ended)
    )
    amend = (
        HumanStep(None, right=Right.INVESTIGATE, form_class=AmendForm, service=amend_step)
        .Annotation(title=_("补充修改移送材料"))
        .Next(this.route_amend)
    )
    route_amend = flow.If(decided("resubmitted")).Then(this.legal_review).Else(this.withdrawn)
    approve = (
        HumanStep(None, right=Right.APPROVE, form_class=ReferralApprovalForm, service=approve_step)
        .Annotation(title=_("移送审批"))
        .Next(this.route_approval)
    )
    route_approval = flow.If(decided("approved")).Then(this.transfer).Else(this.not_approved)
    transfer = (
        HumanStep(None, right=Right.INVESTIGATE, form_class=TransferForm, service=transfer_step)
        .Annotation(title=_("移送公安机关"))
        .Next(this.police_decision)
    )
    police_decision = (
        HumanStep(None, right=Right.INVESTIGATE, form_class=PoliceDecisionForm, service=police_decision_step)
        .Annotation(title=_("登记公安机关立案决定"))
        .Next(this.route_police)
    )
    route_police = flow.If(decided("filed")).Then(this.handover).Else(this.reconsideration_request)
    handover = (
        HumanStep(None, right=Right.INVESTIGATE, form_class=HandoverForm, service=handover_step)
        .Annotation(title=_("移交涉案材料"))
        .Next(this.outcome)
    )
    outcome = (
        HumanStep(None, right=Right.INVESTIGATE, form_class=OutcomeForm, service=outcome_step)
        .Annotation(title=_("登记起诉、审判结果"))
        .Next(this.concluded)
    )
    reconsideration_request = (
        HumanStep(
            None,
            right=Right.INVESTIGATE,
            form_class=ReconsiderationRequestForm,
            service=reconsideration_request_step,
        )
        .Annotation(title=_("提请公安机关复议"))
        .Next(this.route_reconsideration_request)
    )
    route_reconsideration_request = (
        flow.If(decided("requested")).Then(this.reconsideration_answer).Else(this.not_filed_accepted)
    )
    reconsideration_answer = (
        HumanStep(
            None, right=Right.INVESTIGATE, form_class=ReconsiderationAnswerForm, service=reconsideration_answer_step
        )
        .Annotation(title=_("登记公安机关复议决定"))
        .Next(this.route_reconsideration)
    )
    route_reconsideration = flow.If(decided("filed")).Then(this.handover).Else(this.procuratorate_request)
    procuratorate_request = (
        HumanStep(
            None, right=Right.INVESTIGATE, form_class=ProcuratorateRequestForm, service=procuratorate_request_step
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
        process = self.start_process(activation, case=case)
        process.data = {"referral": referral.pk}
        return process


# --- starting it by hand ------------------------------------------------------------------------------


def _may_start(user) -> bool:
    # Any inspector sees the entry: a case outside its scope then answers 404, an unassigned one 403.
    return Role.INSPECTOR in scope.roles(user) or scope.has_exception(user, Right.INVESTIGATE)


def _referral_start(actor, form) -> object:
    data = form.cleaned_data
    case = scope.case_for_user(actor, data["case_no"].strip(), Right.INVESTIGATE)
    if data.get("ground"):
        evidence = Evidence.objects.filter(pk=data["ground_evidence"], case=case).first()
        if evidence is None:
            raise ValidationError({"ground_evidence": [_("本案没有该编号的证据。")]})
        referrals.referral_grounds_record(
            case=case, actor=actor, ground=data["ground"], evidence=evidence, note=data.get("ground_note", "")
        )
    referral = referrals.referral_propose(case=case, actor=actor, facts=data.get("facts", ""))
    return ReferralFlow.start.run(case=case, referral=referral)


def register() -> None:
    """Called by WorkflowsConfig.ready(): the startable flow. The deadline kinds (referral.handover,
    referral.reconsider_request, police.reconsider, referral.procuratorate_request) are registered
    by cases.referral when it is imported (above)."""
    starts.register(starts.Startable("referral", _("涉嫌犯罪案件移送"), ReferralStartForm, _may_start, _referral_start))
