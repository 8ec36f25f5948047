"""The early-warning numbers of each province in the Django admin, beside the province parameters: the province
administrators' (cases.configuration decides who), saved through earlywarning.config.warning_config_save."""

from django.contrib import admin

from cases import configuration
from cases.admin.configuration import ConfigurationAdmin
from cases.models import Region

from .config import FIELDS, warning_config_save
from .models import WarningConfig


@admin.register(WarningConfig)
class WarningConfigAdmin(ConfigurationAdmin):
    list_display = ["province", "pay_day", "labour_cost_day", "minimum_wage_monthly", "handle_workdays"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(province__in=configuration.provinces_administered(request.user))

    def get_readonly_fields(self, request, obj=None):
        return ["province"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "province":
            kwargs["queryset"] = self._unconfigured(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _unconfigured(self, request):
        mine = configuration.provinces_administered(request.user)
        have = WarningConfig.objects.values("province_id")
        return Region.objects.filter(pk__in=mine).exclude(pk__in=have)

    def has_add_permission(self, request):
        return configuration.configures(request.user) and self._unconfigured(request).exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        values = {f: form.cleaned_data[f] for f in FIELDS if f in form.cleaned_data}
        config = warning_config_save(actor=request.user, province=obj.province, values=values)
        obj.pk = config.pk
