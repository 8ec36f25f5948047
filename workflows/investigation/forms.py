"""立案调查 (SPEC §4.2): the forms of the investigation, filing and extension steps, and of their manual starts."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cases import investigation
from cases.investigation import inspectors_of
from cases.models import CaseLiableUnit, ClosureCode, Evidence, LegalBasis, Satisfaction, ServiceRecord
from cases.region_picker import RegionField, province_tree
from cases.scope.regions import regions_public
from cases.web.investigation_forms import evidence_choices

from ..forms import ApprovalForm, StepForm


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
    # the id of one of the case's liable units: the order to pay addressed to it (the general contractor, 先行清偿)
    liable_unit = forms.IntegerField(
        label=_("处理决定书主送的责任单位"), required=False, min_value=1, max_value=2**31 - 1
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # chosen from the case's liable units by name and role (the API may still send the id)
        units = (
            CaseLiableUnit.objects.filter(case_id=self.process.case_id).select_related("employer")
            if self.process is not None and getattr(self.process, "case_id", None)
            else []
        )
        self.fields["liable_unit"].widget = forms.Select(
            choices=[("", _("（不主送责任单位：主送用人单位）"))]
            + [(u.pk, f"{u.employer.name}（{u.get_role_display()}）") for u in units]
        )

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if data.get("liable_unit") and decision != "order_to_pay":
            self.add_error("liable_unit", _("只有责令限期支付可以主送责任单位。"))
        if decision in ("order_to_pay", "order_to_correct") and not data.get("order_due"):
            self.add_error("order_due", _("责令限期支付或改正须填写履行期限。"))
        if decision == "penalty" and not data.get("proposed_penalty"):
            self.add_error("proposed_penalty", _("拟作出行政处罚须填写拟罚款金额。"))
        return data


class PenaltyDecisionForm(StepForm):
    approved = ApprovalForm.base_fields["approved"]
    opinion = forms.CharField(label=_("意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    amount = forms.DecimalField(label=_("罚款金额（元）"), required=False, max_digits=14, decimal_places=2)
    # the wage order's deadline (the handling decision, on a case with arrears); the fine's own period is 15 days
    # from the penalty decision's service (APL art 67)
    order_due = forms.DateField(
        label=_("限期支付工资的履行期限（有拖欠工资时填写）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("approved") and not data.get("amount"):
            self.add_error("amount", _("请填写罚款金额。"))
        return data


class ServeForm(StepForm):
    method = forms.ChoiceField(label=_("送达方式"), choices=[])
    served_at = forms.DateTimeField(label=_("送达时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    recipient = forms.CharField(label=_("受送达人"), max_length=200)
    # chosen from the case's evidence (label: title, file, kind, date), never typed by number
    proof = forms.ChoiceField(
        label=_("送达凭证（从本案证据中选择；公告送达须附照片或录像）"), required=False, choices=[]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = ServiceRecord.Method.choices
        case_id = self.process.case_id if self.process is not None else None
        proof = self.fields["proof"]
        assert isinstance(proof, forms.ChoiceField)
        proof.choices = evidence_choices(case_id, blank=str(_("（无）")))

    def clean_proof(self):
        pk = self.cleaned_data.get("proof")
        if not pk:
            return None
        evidence = Evidence.objects.filter(pk=pk, case_id=self.process.case_id).first() if self.process else None
        if evidence is None:
            raise forms.ValidationError(_("请从列表中选择本案已上传的证据。"))
        return evidence


class VerifyForm(StepForm):
    note = forms.CharField(label=_("核查情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    # an order to correct is verified by what was corrected, never by the (empty) ledger
    corrected = forms.ChoiceField(
        label=_("责令改正的核查结果（责令改正案件填写）"),
        choices=[("", "—"), ("yes", _("已改正")), ("no", _("未改正"))],
        required=False,
    )


class UnpaidForm(StepForm):
    compensation_rate = forms.IntegerField(label=_("加付赔偿金比例（%，50–100）"))
    penalty_amount = forms.DecimalField(
        label=_("罚款金额（元，可不填）"), required=False, max_digits=14, decimal_places=2
    )
    # a fine named here names its basis; its range is checked (cases.penalty.fine_check)
    penalty_basis = forms.ChoiceField(label=_("罚款的处罚依据（填写罚款时必选）"), required=False, choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bases = LegalBasis.objects.exclude(measure=LegalBasis.Measure.PERCENT).order_by("code")
        self.fields["penalty_basis"].choices = [("", "—")] + [(b.code, str(b)) for b in bases]


class ClosureForm(StepForm):
    closure_code = forms.ChoiceField(label=_("结案方式"), choices=ClosureCode.choices)
    satisfaction = forms.ChoiceField(label=_("投诉人满意度回访"), choices=Satisfaction.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class FilingStartForm(forms.Form):
    origin = forms.ChoiceField(
        label=_("案件来源"), choices=[(o.value, o.label) for o in investigation.PROACTIVE_ORIGINS]
    )
    employer_name = forms.CharField(label=_("用人单位名称"), max_length=200, required=False)
    employer_uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    employer_address = forms.CharField(label=_("单位地址"), max_length=300, required=False)
    employer_uscc_override_reason = forms.CharField(
        label=_("信用代码校验不通过时的采信理由"), max_length=200, required=False
    )
    project_name = forms.CharField(label=_("工程项目"), max_length=200, required=False)
    project_address = forms.CharField(label=_("项目地址"), max_length=300, required=False)
    workers_count = forms.CharField(label=_("涉及人数"), required=False)
    amount_owed = forms.CharField(label=_("初步核实欠薪金额（元）"), required=False)
    facts = forms.CharField(label=_("案件来源及基本事实"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    region_code = RegionField(label=_("承办机构（不填为本机构）"), blank_label=_("本机构"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].limit_to(regions_public(), source=province_tree())

    def body(self) -> dict:
        d = {k: (self.data.get(k) or "").strip() for k in self.fields}
        if "region_code" in getattr(self, "cleaned_data", {}):
            d["region_code"] = self.cleaned_data["region_code"]  # the code of the office picked by name
        return {
            "origin": d["origin"],
            "employer": {"name": d["employer_name"], "uscc": d["employer_uscc"], "address": d["employer_address"],
                         "uscc_override_reason": d["employer_uscc_override_reason"]},
            "project": {"name": d["project_name"], "address": d["project_address"]},
            "workers_count": d["workers_count"], "amount_owed": d["amount_owed"], "facts": d["facts"],
            "region_code": d["region_code"],
        }  # fmt: skip


class ExtensionStartForm(forms.Form):
    case_no = forms.CharField(label=_("案件编号"), max_length=32)
    reason = forms.CharField(
        label=_("延期理由（案情复杂的具体情形）"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
