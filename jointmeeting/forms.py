"""The forms of the joint-meeting pages: each maps to one service's arguments."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.region_picker import RegionField

from .models import Department, Matter

ADDRESSEES = [(d.value, d.label) for d in Department if d != Department.OFFICE]


class MatterForm(forms.Form):
    office_region = forms.ChoiceField(label=_("交办的联席会议办公室"))
    kind = forms.ChoiceField(label=_("类别"), choices=Matter.Kind.choices)
    subject = forms.CharField(label=_("事项"), max_length=200)
    description = forms.CharField(label=_("具体要求"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    addressee_department = forms.ChoiceField(label=_("承办单位"), choices=ADDRESSEES)
    addressee_region = RegionField(label=_("承办单位所在区划"), required=True)
    project_no = forms.CharField(label=_("关联项目编号（选填）"), required=False, max_length=40)
    case_no = forms.CharField(label=_("关联案件编号（选填）"), required=False, max_length=40)
    signal = forms.IntegerField(label=_("关联预警编号（选填）"), required=False, min_value=1)

    def __init__(self, *args, offices=(), regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office_region"].choices = [(r.code, r.name) for r in offices]
        if regions is not None:
            self.fields["addressee_region"].limit_to(regions)


class ReportForm(forms.Form):
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}))
    completed = forms.BooleanField(label=_("已办理完毕，申请销号"), required=False)


class InterviewForm(forms.Form):
    held_on = forms.DateField(label=_("约谈日期"), widget=forms.DateInput(attrs={"type": "date"}))
    attendees = forms.CharField(label=_("参加人员"), widget=forms.Textarea(attrs={"rows": 2}))
    commitments = forms.CharField(label=_("整改承诺"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    result = forms.CharField(label=_("办结情况"), widget=forms.Textarea(attrs={"rows": 3}))


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label=_("备注（选填）"), required=False, max_length=300)


class PoliceAnswerForm(forms.Form):
    decision = forms.ChoiceField(label=_("决定"), choices=[("filed", _("立案")), ("not_filed", _("不予立案"))],
                                 widget=forms.RadioSelect)  # fmt: skip
    decided_at = forms.DateTimeField(label=_("决定时间（不填为现在）"), required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))  # fmt: skip
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MatterFilter(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), ("open", _("未办结")),
                                                                      *Matter.Status.choices])  # fmt: skip
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部")), *Matter.Kind.choices])
    department = forms.ChoiceField(label=_("承办单位"), required=False, choices=[("", _("全部")), *ADDRESSEES])
    region = RegionField(label=_("承办单位所在区划"), required=False)
