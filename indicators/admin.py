"""The province's coverage targets (覆盖率目标), edited by the province's administrator (the same rule as the
province parameters: cases.configuration.configures); saved through indicators.targets.coverage_target_save."""

from django.contrib import admin

from cases.admin.configuration import ProvinceSettingsAdmin

from .models import CoverageTarget
from .targets import TARGET_FIELDS, coverage_target_save


@admin.register(CoverageTarget)
class CoverageTargetAdmin(ProvinceSettingsAdmin):
    one_per_province = False  # one row per province and year
    list_display = ["province", "year", "real_name", "account", "on_behalf"]
    ordering = ["province__code", "-year"]

    def get_readonly_fields(self, request, obj=None):
        return ["province", "year"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        values = {f: form.cleaned_data.get(f, getattr(obj, f)) for f in TARGET_FIELDS}
        saved = coverage_target_save(actor=request.user, province=obj.province, year=obj.year, values=values)
        obj.pk = saved.pk
