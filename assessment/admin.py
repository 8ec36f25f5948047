"""The assessment numbers of each province in the Django admin, beside the province parameters: the province
administrators' (cases.configuration decides who), saved through assessment.config.assessment_config_save."""

from django.contrib import admin

from cases.admin.configuration import ProvinceSettingsAdmin

from .config import FIELDS, assessment_config_save
from .models import AssessmentConfig


@admin.register(AssessmentConfig)
class AssessmentConfigAdmin(ProvinceSettingsAdmin):
    list_display = ["province", "grade_a_min", "grade_b_min", "incident_deduction"]

    def get_readonly_fields(self, request, obj=None):
        return ["province"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        values = {f: form.cleaned_data[f] for f in FIELDS if f in form.cleaned_data}
        config = assessment_config_save(actor=request.user, province=obj.province, values=values)
        obj.pk = config.pk
