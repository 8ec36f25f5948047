"""The province's deposit rate table in the Django admin, as the province parameters are (cases.admin): the
province's administrator edits its own table (a superuser every one); each change through rate_table_save,
one event on the province's timeline."""

from __future__ import annotations

from django.contrib import admin

from cases.admin.configuration import ProvinceSettingsAdmin

from .forms import RATE_FIELDS, RateTableForm, rate_table_save
from .models import DepositRateTable


@admin.register(DepositRateTable)
class DepositRateTableAdmin(ProvinceSettingsAdmin):
    form = RateTableForm
    list_display = ["province", "base_rate", "reduced_rate", "arrears_rate", "listed_rate", "cap_amount"]

    def get_fields(self, request, obj=None):
        return RATE_FIELDS if obj is not None else ["province", *RATE_FIELDS]

    def save_model(self, request, obj, form, change):
        rate_table_save(form=form, actor=request.user)
