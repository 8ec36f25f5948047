"""The joint meeting in the Django admin: member roles granted by the account administrators within their reach
(jointmeeting.roles), and each province's 督办/约谈 numbers beside the province parameters."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q

from cases import accounts
from cases.admin.base import ScopedAdmin
from cases.admin.configuration import ProvinceSettingsAdmin

from . import roles
from .config import FIELDS, joint_config_save
from .models import JointMeetingConfig, MemberRole


@admin.register(MemberRole)
class MemberRoleAdmin(ScopedAdmin, admin.ModelAdmin):
    """A member role is granted or revoked, never edited."""

    list_display = ["user", "region", "department"]
    list_filter = ["department", "region__level"]
    search_fields = ["user__username", "region__code", "region__name"]
    list_select_related = ["user", "region"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(region__in=accounts.regions_grantable(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            users = get_user_model().objects.filter(is_superuser=False)
            managed = accounts.accounts_managed(request.user)
            kwargs["queryset"] = users.filter(Q(pk__in=managed.values("pk")) | Q(staff_roles__isnull=True)).distinct()
        elif db_field.name == "region":
            kwargs["queryset"] = accounts.regions_grantable(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return accounts.administers(request.user)

    def has_view_permission(self, request, obj=None):
        return accounts.administers(request.user)

    def has_add_permission(self, request):
        return accounts.administers(request.user)

    def has_change_permission(self, request, obj=None):
        return obj is None and accounts.administers(request.user)

    def has_delete_permission(self, request, obj=None):
        return accounts.administers(request.user)

    def save_model(self, request, obj, form, change):
        role = roles.member_role_grant(actor=request.user, user=obj.user, region=obj.region, department=obj.department)
        obj.pk = role.pk

    def delete_model(self, request, obj):
        roles.member_role_revoke(actor=request.user, role=obj)

    def delete_queryset(self, request, queryset):
        for role in queryset:
            roles.member_role_revoke(actor=request.user, role=role)


@admin.register(JointMeetingConfig)
class JointMeetingConfigAdmin(ProvinceSettingsAdmin):
    list_display = ["province", "matter_days", "followup_days"]

    def get_readonly_fields(self, request, obj=None):
        return ["province"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        values = {f: form.cleaned_data[f] for f in FIELDS if f in form.cleaned_data}
        config = joint_config_save(actor=request.user, province=obj.province, values=values)
        obj.pk = config.pk
