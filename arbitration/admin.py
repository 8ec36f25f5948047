"""The offices' roles (granted by the system administrator) and the province's arbitration and legal-aid numbers
(the province administrator, beside the province parameters), each saved through its service."""

from django.contrib import admin

from cases import accounts
from cases import scope as case_scope
from cases.admin.configuration import ProvinceSettingsAdmin
from cases.models import Region

from .config import FIELDS, arbitration_config_save
from .models import ArbitrationConfig, OfficeRole
from .roles import office_role_grant, office_role_revoke


@admin.register(ArbitrationConfig)
class ArbitrationConfigAdmin(ProvinceSettingsAdmin):
    list_display = ["province", "final_award_months", "green_channel_days", "legal_aid_review_days",
                    "legal_aid_assign_days"]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        return ["province"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        values = {f: form.cleaned_data[f] for f in FIELDS if f in form.cleaned_data}
        config = arbitration_config_save(actor=request.user, province=obj.province, values=values)
        obj.pk = config.pk


@admin.register(OfficeRole)
class OfficeRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "office", "region", "created_at"]
    list_filter = ["office"]
    search_fields = ["user__username", "region__name"]
    raw_id_fields = ["user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region":  # the regions this administrator manages (the service checks it again)
            kwargs["queryset"] = Region.objects.filter(case_scope.regions_managed_q(request.user)).order_by("code")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(case_scope.regions_managed_q(request.user, "region"))

    def has_module_permission(self, request):
        return accounts.administers(request.user)

    def has_view_permission(self, request, obj=None):
        return accounts.administers(request.user)

    def has_add_permission(self, request):
        return accounts.administers(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return accounts.administers(request.user)

    def save_model(self, request, obj, form, change):
        role = office_role_grant(actor=request.user, user=obj.user, region=obj.region, office=obj.office)
        obj.pk = role.pk

    def delete_model(self, request, obj):
        office_role_revoke(actor=request.user, role=obj)

    def delete_queryset(self, request, queryset):
        for role in queryset:
            office_role_revoke(actor=request.user, role=role)
