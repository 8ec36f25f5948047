"""涉嫌犯罪移送: the forms of the referral steps and of its manual start."""

from __future__ import annotations

from django import forms as djforms
from django.utils.translation import gettext_lazy as _

from cases import referral as referrals
from cases.documents import police_name, procuratorate_name
from cases.web.investigation_forms import evidence_choices

from ..forms import StepForm


def _case_in_scope(user, case_no) -> int | None:
    """The id of the case `case_no` when `user` may investigate it (else None: its evidence is not listed)."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from cases import scope

    if not case_no:
        return None
    try:
        return scope.case_for_user(user, str(case_no).strip(), scope.Right.INVESTIGATE).pk
    except (Http404, PermissionDenied):
        return None


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


class ReferralStartForm(djforms.Form):
    """Propose a referral; the crime ground may be recorded with it (evidence already uploaded to the case)."""

    case_no = djforms.CharField(label=_("案件编号"), max_length=32)
    ground = djforms.ChoiceField(
        label=_("涉嫌犯罪的情形（尚未记录时填写）"),
        required=False,
        choices=[("", _("（已记录，不再填写）")), *[(k, v) for k, v in referrals.GROUNDS.items()]],
    )
    # picked from the case's evidence (never typed by number); the choices are the case's when the form knows
    # the user (the staff page), the start checks the item belongs to the case in the user's scope
    ground_evidence = djforms.CharField(label=_("该情形的证据（从本案已上传的证据中选择）"), required=False,
                                        widget=djforms.Select(choices=[("", "—")]))  # fmt: skip
    ground_note = djforms.CharField(label=_("情形说明"), required=False, max_length=2000)
    facts = _text_field(_("移送书案件事实（可不填）"), required=False, rows=4)

    takes_user = True  # workflows.views.flow_start passes the user: the picker lists its case's evidence

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        case_id = _case_in_scope(user, self.data.get("case_no") or self.initial.get("case_no")) if user else None
        widget = self.fields["ground_evidence"].widget
        assert isinstance(widget, djforms.Select)
        widget.choices = evidence_choices(case_id, blank=str(_("（请选择证据）")))
        if case_id and len(widget.choices) == 1:
            widget.choices = [("", str(_("（本案尚未上传证据，请先在案件页“证据”中上传）")))]

    def clean_ground_evidence(self):
        value = (self.cleaned_data.get("ground_evidence") or "").strip()
        if not value:
            return None
        if not value.isdigit():
            raise djforms.ValidationError(_("请从列表中选择本案已上传的证据。"))
        return int(value)

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
