"""The province's coverage targets (覆盖率目标), edited by the province's administrator (the same rule as the
province parameters: cases.configuration.configures); saved through indicators.targets.coverage_target_save."""

from django.contrib import admin

from cases import configuration
from cases.admin.base import ScopedAdmin
from cases.models import Region

from .models import CoverageTarget
from .targets import TARGET_FIELDS, coverage_target_save


@admin.register(CoverageTarget)
class CoverageTargetAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["province", "year", "real_name", "account", "on_behalf"]
    ordering = ["province__code", "-year"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(province__in=configuration.provinces_administered(request.user))

    def has_module_permission(self, request):
        return configuration.configures(request.user)

    def has_view_permission(self, request, obj=None):
        return configuration.configures(request.user, getattr(obj, "province", None))

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request):
        return configuration.configures(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["province", "year"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "province":
            kwargs["queryset"] = Region.objects.filter(pk__in=configuration.provinces_administered(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        values = {f: form.cleaned_data.get(f, getattr(obj, f)) for f in TARGET_FIELDS}
        saved = coverage_target_save(actor=request.user, province=obj.province, year=obj.year, values=values)
        obj.pk = saved.pk
