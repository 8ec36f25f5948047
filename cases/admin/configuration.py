"""Province parameters (省级参数) and the working-day calendar's overrides in the Django admin: the province
administrators' (cases.configuration decides who), saved through its services (each change an event)."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import configuration
from ..models import ProvinceConfig, Region, WorkdayOverride
from ..workdays import year_covered
from .base import ScopedAdmin


class ConfigurationAdmin(ScopedAdmin, admin.ModelAdmin):
    def has_module_permission(self, request):
        return configuration.configures(request.user)

    def has_view_permission(self, request, obj=None):
        return configuration.configures(request.user, getattr(obj, "province", None))

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)


class ProvinceSettingsAdmin(ConfigurationAdmin):
    """A province's settings kept in rows of their own (`province` a foreign key): the province parameters, and
    the early-warning numbers, the deposit rate table and the coverage targets of the apps above cases. The
    administrator sees and edits its own provinces' rows only, never deletes one, and — where a province has
    one row (`one_per_province`) — adds it only for a province that has none yet."""

    one_per_province = True

    def get_queryset(self, request):
        return super().get_queryset(request).filter(province__in=configuration.provinces_administered(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "province":
            kwargs["queryset"] = self._choosable(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _choosable(self, request):
        mine = Region.objects.filter(pk__in=configuration.provinces_administered(request.user))
        if not self.one_per_province:
            return mine
        return mine.exclude(pk__in=self.model._default_manager.values("province_id"))

    def has_add_permission(self, request):
        return configuration.configures(request.user) and self._choosable(request).exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProvinceConfig)
class ProvinceConfigAdmin(ProvinceSettingsAdmin):
    list_display = ["province", "crime_single_amount", "crime_group_amount", "crime_figures_confirmed"]

    def get_readonly_fields(self, request, obj=None):
        return ["province"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        values = {f: form.cleaned_data[f] for f in configuration.PROVINCE_FIELDS if f in form.cleaned_data}
        config = configuration.province_config_save(actor=request.user, province=obj.province, values=values)
        obj.pk = config.pk


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(ConfigurationAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["note"]

    def has_add_permission(self, request):
        return configuration.configures(request.user)

    def has_delete_permission(self, request, obj=None):
        return configuration.configures(request.user)

    def changelist_view(self, request, extra_context=None):
        this_year = timezone.localdate().year
        for year in (this_year, this_year + 1):
            if not year_covered(year):
                messages.warning(
                    request,
                    _("%(year)d年节假日数据未收录：按周末计算，请在此维护调休/节假日") % {"year": year},
                )
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = configuration.workday_override_save(
            actor=request.user,
            day=data["date"],
            is_workday=data["is_workday"],
            note=data.get("note", ""),
            override=obj if change else None,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        configuration.workday_override_delete(actor=request.user, override=obj)

    def delete_queryset(self, request, queryset):
        for override in queryset:
            configuration.workday_override_delete(actor=request.user, override=override)
