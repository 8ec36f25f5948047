"""投诉受理 (SPEC §4.1): the forms of the intake and escalation steps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Region
from cases.region_picker import RegionField, province_tree
from cases.scope.regions import regions_public

from ..forms import StepForm, region_for_code


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
    target_region_code = RegionField(label=_("移送至"), blank_label="—")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_region_code"].limit_to(regions_public(), source=province_tree())
        complaint = self.process.complaint if self.process is not None else None
        if complaint is not None and complaint.transferred_from_id:
            self.fields["decision"].choices = [*self.DECISIONS, ("dispute", _("对移送管辖有异议（报共同上级指定）"))]

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision and decision != "accept" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("除受理外，须填写理由。"))
        if decision == "transfer":
            code = (data.get("target_region_code") or "").strip()
            if not code and "target_region_code" not in self.errors:
                self.add_error("target_region_code", _("移送管辖须选择接收机构。"))
            else:
                try:
                    data["target_region"] = region_for_code(code)
                except forms.ValidationError as exc:
                    self.add_error("target_region_code", exc)
        return data


class SupplementForm(StepForm):
    note = forms.CharField(label=_("补正材料说明"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class DesignationForm(StepForm):
    """指定管辖 by the common superior's leader."""

    target_region_code = RegionField(label=_("指定管辖机构"), required=True, blank_label="—")
    reason = forms.CharField(label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        within = Region.objects.filter(path__startswith=self.process.region.path) if self.process else None
        self.fields["target_region_code"].limit_to(within or regions_public(), source=province_tree())

    def clean_target_region_code(self):
        region = region_for_code(self.cleaned_data["target_region_code"].strip())
        if self.process is not None and not region.path.startswith(self.process.region.path):
            raise forms.ValidationError(_("只能指定本辖区内的机构。"))
        self.cleaned_data["target_region"] = region
        return region.code


class EscalationForm(StepForm):
    instruction = forms.CharField(label=_("督办意见"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
