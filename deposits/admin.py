"""The province's deposit rate table in the Django admin, as the province parameters are (cases.admin): the
province's administrator edits its own table (a superuser every one); each change through rate_table_save,
one event on the province's timeline."""

from __future__ import annotations

from django.contrib import admin

from cases import configuration
from cases.admin.base import ScopedAdmin
from cases.models import Region

from .forms import RATE_FIELDS, RateTableForm, rate_table_save
from .models import DepositRateTable


@admin.register(DepositRateTable)
class DepositRateTableAdmin(ScopedAdmin, admin.ModelAdmin):
    form = RateTableForm
    list_display = ["province", "base_rate", "reduced_rate", "arrears_rate", "listed_rate", "cap_amount"]

    def get_fields(self, request, obj=None):
        return RATE_FIELDS if obj is not None else ["province", *RATE_FIELDS]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(province__in=configuration.provinces_administered(request.user))

    def has_module_permission(self, request):
        return configuration.configures(request.user)

    def has_view_permission(self, request, obj=None):
        return configuration.configures(request.user, getattr(obj, "province", None))

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def _unconfigured(self, request):
        mine = configuration.provinces_administered(request.user)
        return Region.objects.filter(pk__in=mine).exclude(deposit_rates__isnull=False)

    def has_add_permission(self, request):
        return configuration.configures(request.user) and self._unconfigured(request).exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "province":
            kwargs["queryset"] = self._unconfigured(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        rate_table_save(form=form, actor=request.user)
