"""One form class per human step, used by the staff page and the REST API alike.

Each form takes the task (`task=`) so its choices and checks can depend on the process.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cases.investigation import inspectors_of
from cases.models import ClosureCode, Evidence, Region, Satisfaction, ServiceRecord


class StepForm(forms.Form):
    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        self.process = task.process.coerced if task is not None else None


def _region(code: str, field: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise forms.ValidationError(_("没有区划代码为 %(code)s 的机构。") % {"code": code}, code="invalid")
    return region


class AcceptanceForm(StepForm):
    """受理审查 (SPEC §7: decision, reason unless accept, target_region_code for transfer)."""

    DECISIONS = [
        ("accept", _("受理（立案）")),
        ("refuse", _("不予受理")),
        ("supplement", _("要求补正")),
        ("transfer", _("移送管辖")),
    ]
    decision = forms.ChoiceField(label=_("决定"), choices=DECISIONS)
    reason = forms.CharField(label=_("理由"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    target_region_code = forms.CharField(label=_("移送至（区划代码）"), required=False, max_length=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.process is not None and self.process.data.get("transferred_from"):
            self.fields["decision"].choices = [*self.DECISIONS, ("dispute", _("对移送管辖有异议（报共同上级指定）"))]

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision and decision != "accept" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("除受理外，须填写理由。"))
        if decision == "transfer":
            code = (data.get("target_region_code") or "").strip()
            if not code:
                self.add_error("target_region_code", _("移送管辖须填写接收机构的区划代码。"))
            else:
                try:
                    data["target_region"] = _region(code, "target_region_code")
                except forms.ValidationError as exc:
                    self.add_error("target_region_code", exc)
        return data


class SupplementForm(StepForm):
    note = forms.CharField(label=_("补正材料说明"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class DesignationForm(StepForm):
    """指定管辖 by the common superior's leader."""

    target_region_code = forms.CharField(label=_("指定管辖机构（区划代码）"), max_length=6)
    reason = forms.CharField(label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_target_region_code(self):
        region = _region(self.cleaned_data["target_region_code"].strip(), "target_region_code")
        if self.process is not None and not region.path.startswith(self.process.region.path):
            raise forms.ValidationError(_("只能指定本辖区内的机构。"))
        self.cleaned_data["target_region"] = region
        return region.code


class EscalationForm(StepForm):
    instruction = forms.CharField(label=_("督办意见"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class AssignInspectorsForm(StepForm):
    inspectors = forms.ModelMultipleChoiceField(label=_("监察员（至少两名）"), queryset=get_user_model().objects.none())
    conflict_declared = forms.BooleanField(label=_("已确认被指派人员与本案无利害关系（回避）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.process is not None:
            ids = [u.pk for u in inspectors_of(self.process.region)]
            self.fields["inspectors"].queryset = get_user_model().objects.filter(pk__in=ids).order_by("username")
            self.fields["inspectors"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class InvestigateForm(StepForm):
    """调查终结: the findings; the 60-working-day clock closes, 15 to decide begin."""

    violation = forms.BooleanField(label=_("查实存在拖欠工资等违法行为"), required=False)
    findings = forms.CharField(label=_("调查结论"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))


class DecideForm(StepForm):
    DECISIONS = [
        ("order_to_pay", _("责令限期支付")),
        ("order_to_correct", _("责令改正")),
        ("penalty", _("拟作出行政处罚（告知当事人）")),
        ("withdraw", _("违法事实不成立，报请撤销立案")),
    ]
    decision = forms.ChoiceField(label=_("处理决定"), choices=DECISIONS)
    facts = forms.CharField(label=_("事实与理由"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    order_due = forms.DateField(label=_("履行期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    proposed_penalty = forms.DecimalField(label=_("拟罚款金额（元）"), required=False, max_digits=14, decimal_places=2)

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision in ("order_to_pay", "order_to_correct") and not data.get("order_due"):
            self.add_error("order_due", _("责令限期支付或改正须填写履行期限。"))
        if decision == "penalty" and not data.get("proposed_penalty"):
            self.add_error("proposed_penalty", _("拟作出行政处罚须填写拟罚款金额。"))
        return data


class ApprovalForm(StepForm):
    """A leader's (or legal reviewer's) approval: approve or return, with an opinion."""

    approved = forms.TypedChoiceField(
        label=_("审批意见"),
        choices=[("yes", _("同意")), ("no", _("不同意，退回"))],
        coerce=lambda v: v in (True, "yes", "true", "True", "1"),
    )
    opinion = forms.CharField(label=_("意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class PenaltyDecisionForm(StepForm):
    approved = ApprovalForm.base_fields["approved"]
    opinion = forms.CharField(label=_("意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    amount = forms.DecimalField(label=_("罚款金额（元）"), required=False, max_digits=14, decimal_places=2)
    order_due = forms.DateField(label=_("履行期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("approved"):
            if not data.get("amount"):
                self.add_error("amount", _("请填写罚款金额。"))
            if not data.get("order_due"):
                self.add_error("order_due", _("请填写履行期限。"))
        return data


class ServeForm(StepForm):
    method = forms.ChoiceField(label=_("送达方式"), choices=[])
    served_at = forms.DateTimeField(label=_("送达时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    recipient = forms.CharField(label=_("受送达人"), max_length=200)
    proof = forms.IntegerField(label=_("送达凭证（证据编号，公告送达须附照片或录像）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = ServiceRecord.Method.choices

    def clean_proof(self):
        pk = self.cleaned_data.get("proof")
        if not pk:
            return None
        evidence = Evidence.objects.filter(pk=pk, case_id=self.process.case_id).first() if self.process else None
        if evidence is None:
            raise forms.ValidationError(_("本案没有该编号的证据。"))
        return evidence


class VerifyForm(StepForm):
    note = forms.CharField(label=_("核查情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class UnpaidForm(StepForm):
    compensation_rate = forms.IntegerField(label=_("加付赔偿金比例（%，50–100）"))
    penalty_amount = forms.DecimalField(
        label=_("罚款金额（元，可不填）"), required=False, max_digits=14, decimal_places=2
    )


class ClosureForm(StepForm):
    closure_code = forms.ChoiceField(label=_("结案方式"), choices=ClosureCode.choices)
    satisfaction = forms.ChoiceField(label=_("投诉人满意度回访"), choices=Satisfaction.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
