"""The forms of the written review's pages: they collect input; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.industries import Industry
from cases.region_picker import RegionField

from .findings import PROBLEMS
from .models import Finding
from .reports import MAX_ATTACHMENTS
from .rules import FOCUS_INDUSTRIES, SIZE_CHOICES

DATE = forms.DateInput(attrs={"type": "date"})
YES_NO = [("", "—"), ("yes", _("是")), ("no", _("否"))]


class CampaignForm(forms.Form):
    region = RegionField(label=_("区划"))
    year = forms.IntegerField(label=_("审查年度"), min_value=2000)
    name = forms.CharField(label=_("名称"), max_length=200)
    opens_on = forms.DateField(label=_("报送开始日期"), widget=DATE)
    closes_on = forms.DateField(label=_("报送截止日期"), widget=DATE)
    notice = forms.CharField(label=_("报送通知"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1


class SelectForm(forms.Form):
    industries = forms.MultipleChoiceField(label=_("行业门类"), choices=Industry.choices,
                                           widget=forms.CheckboxSelectMultiple, initial=FOCUS_INDUSTRIES)  # fmt: skip
    sizes = forms.MultipleChoiceField(label=_("企业规模（不选则不限）"), choices=SIZE_CHOICES, required=False,
                                      widget=forms.CheckboxSelectMultiple)  # fmt: skip


class AddForm(forms.Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=30)


class ReportForm(forms.Form):
    """The report's figures (the public form adds the USCC and the code; staff entry is for one due)."""

    headcount = forms.CharField(label=_("年末职工人数"), max_length=10)
    migrant_workers = forms.CharField(label=_("其中农民工人数"), max_length=10)
    contracts_signed = forms.CharField(label=_("签订劳动合同人数"), max_length=10)
    wages_due = forms.CharField(label=_("全年应发工资（元）"), max_length=20)
    wages_paid = forms.CharField(label=_("全年实发工资（元）"), max_length=20)
    arrears_year_end = forms.CharField(label=_("年末拖欠工资（元）"), max_length=20)
    construction = forms.ChoiceField(label=_("是否属于工程建设领域"), choices=YES_NO[1:], initial="no")
    wage_account = forms.ChoiceField(label=_("是否开立农民工工资专用账户（工程建设领域填写）"), choices=YES_NO,
                                     required=False)  # fmt: skip
    real_name = forms.ChoiceField(label=_("是否实行实名制管理（工程建设领域填写）"), choices=YES_NO, required=False)
    contact_name = forms.CharField(label=_("填报人"), max_length=64)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_ATTACHMENTS + 1):
            self.fields[f"file{n}"] = forms.FileField(label=_("附件%(n)d（工资发放记录等，可选）") % {"n": n},
                                                      required=False)  # fmt: skip
            self.fields[f"file{n}_note"] = forms.CharField(label=_("附件%(n)d说明") % {"n": n}, max_length=300,
                                                           required=False)  # fmt: skip

    def figures(self) -> dict:
        return {k: self.data.get(k, "") for k in ReportForm.base_fields}


class PublicReportForm(ReportForm):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=30)
    code = forms.CharField(label=_("报送码（见劳动保障监察机构的报送通知）"), max_length=20)

    field_order = ["uscc", "code"]


class ReceiptLookupForm(forms.Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=30)
    code = forms.CharField(label=_("报送码"), max_length=20)


class FindingForm(forms.Form):
    outcome = forms.ChoiceField(label=_("审查结论"), choices=Finding.Outcome.choices)
    problems = forms.MultipleChoiceField(label=_("发现的问题"), choices=list(PROBLEMS.items()), required=False,
                                         widget=forms.CheckboxSelectMultiple)  # fmt: skip
    amount = forms.DecimalField(label=_("涉及金额（元）"), min_value=0, decimal_places=2, required=False)
    workers_count = forms.IntegerField(label=_("涉及人数（立案查处时填写）"), min_value=1, required=False)
    reviewed_on = forms.DateField(label=_("审查日期"), widget=DATE)
    note = forms.CharField(label=_("审查意见（整改要求或案件事实）"), widget=forms.Textarea(attrs={"rows": 3}),
                           required=False)  # fmt: skip


class VerifyForm(forms.Form):
    corrected = forms.ChoiceField(label=_("核查结果"), choices=[("yes", _("已整改")), ("no", _("未整改"))])
    verified_on = forms.DateField(label=_("核查日期"), widget=DATE)
    note = forms.CharField(label=_("整改核查情况"), max_length=300)
