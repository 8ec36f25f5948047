"""Staff accounts, their roles, and the regions, in the Django admin: an administrator sees and manages
only what cases.accounts gives it (its own subtree), and changes them only through its services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model, password_validation, update_session_auth_hash
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from .. import accounts, configuration
from ..actors import Actor
from ..models import Region, Role, StaffRole
from .base import ScopedAdmin, bind

User = get_user_model()

admin.site.unregister(User)
admin.site.unregister(Group)


class AccountCreateForm(forms.ModelForm):
    """A new account with its first role and a password (the role's region within the admin's reach)."""

    actor: Actor = None  # set by cases.admin.base.bind()
    region = forms.ModelChoiceField(
        label=_("区划"),
        queryset=Region.objects.none(),
        error_messages={"invalid_choice": _("只能在本级及下级区划内授予岗位")},  # one outside the admin's reach
    )
    role = forms.ChoiceField(label=_("岗位"), choices=Role.choices)
    password1 = forms.CharField(label=_("密码"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("确认密码"), strip=False, widget=forms.PasswordInput)

    class Meta:
        model = User
        fields = ["username", "first_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = accounts.regions_grantable(self.actor)

    def clean(self):
        data = super().clean()
        if "region" in data and "role" in data:
            accounts.role_grant_check(actor=self.actor, region=data["region"], role=data["role"])
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", gettext("两次输入的密码不一致"))
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"], User(username=data.get("username", "")))
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class AccountChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]  # django-stubs do not declare UserChangeForm.Meta
        fields = ["password", *accounts.CHANGEABLE, *accounts.SUPERUSER_ONLY]


@admin.register(User)
class AccountAdmin(ScopedAdmin, UserAdmin):
    add_form_template = None
    add_form = AccountCreateForm
    form = AccountChangeForm
    list_display = ["username", "first_name", "roles", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["username", "first_name", "last_name"]
    filter_horizontal = ()

    def get_queryset(self, request):
        managed = accounts.accounts_managed(request.user).prefetch_related("staff_roles__region")
        return managed.order_by(*self.get_ordering(request))

    @admin.display(description=_("岗位"))
    def roles(self, obj):
        return "；".join(f"{r.get_role_display()} · {r.region.name}" for r in obj.staff_roles.all())

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["username", "first_name", "region", "role", "password1", "password2"]})]
        status = ["is_active", *(accounts.SUPERUSER_ONLY if accounts.is_superuser(request.user) else ())]
        return [
            (None, {"fields": ["username", "password", "roles"]}),
            (_("个人信息"), {"fields": ["first_name", "last_name", "email"]}),
            (_("状态"), {"fields": status}),
            (_("重要日期"), {"fields": ["last_login", "date_joined"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["username", "roles", "last_login", "date_joined"]

    def get_form(self, request, obj=None, **kwargs):
        return bind(super().get_form(request, obj, **kwargs), request.user)

    def has_module_permission(self, request):
        return accounts.administers(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_add_permission(self, request):
        return accounts.administers(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return accounts.administers(request.user)
        return accounts.account_managed(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return accounts.is_superuser(request.user)  # an administrator deactivates an account instead

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            user = accounts.account_create(
                actor=request.user,
                username=data["username"],
                region=data["region"],
                role=data["role"],
                password=data["password1"],
                full_name=data.get("first_name", ""),
            )
            obj.pk = user.pk
            return
        allowed = (*accounts.CHANGEABLE, *accounts.SUPERUSER_ONLY)
        changes = {f: data[f] for f in form.changed_data if f in allowed}
        accounts.account_change(actor=request.user, user=obj, changes=changes)

    def save_related(self, request, form, formsets, change):
        pass  # no groups or permissions here: the office groups follow the roles (cases.accounts)

    @method_decorator(sensitive_post_parameters())
    def user_change_password(self, request, id, form_url=""):
        """Django's view, saving through accounts.account_password_set (which records the event)."""
        user = self.get_object(request, unquote(id))
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        form = AdminPasswordChangeForm(user, request.POST or None)
        if request.method == "POST" and form.is_valid():
            usable = form.cleaned_data["set_usable_password"]
            if not usable and "unset-password" not in request.POST:
                messages.error(request, gettext("Conflicting form data submitted. Please try again."))
                return HttpResponseRedirect(request.get_full_path())
            password = form.cleaned_data["password1"] if usable else None
            try:
                accounts.account_password_set(actor=request.user, user=user, password=password)
            except ValidationError as error:  # the account left the admin's reach meanwhile
                self.refused(request, error)
                return HttpResponseRedirect(request.get_full_path())
            self.log_change(request, user, gettext("密码已重设"))
            messages.success(request, gettext("Password changed successfully."))
            if user.pk == request.user.pk:
                update_session_auth_hash(request, User.objects.get(pk=user.pk))
            return HttpResponseRedirect(reverse(f"{self.admin_site.name}:auth_user_change", args=[user.pk]))
        context = {
            "title": (_("Change password: %s") if user.has_usable_password() else _("Set password: %s"))
            % escape(user.get_username()),
            "adminForm": admin.helpers.AdminForm(form, [(None, {"fields": list(form.base_fields)})], {}),
            "form_url": form_url,
            "form": form,
            "is_popup": IS_POPUP_VAR in request.POST or IS_POPUP_VAR in request.GET,
            "is_popup_var": IS_POPUP_VAR,
            "add": True,
            "change": False,
            "has_delete_permission": False,
            "has_change_permission": True,
            "has_absolute_url": False,
            "opts": self.opts,
            "original": user,
            "save_as": False,
            "show_save": True,
            **self.admin_site.each_context(request),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/auth/user/change_password.html", context)


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    """Groups are the offices' (cases.scope.office_group) and follow the roles: a superuser's business only."""

    search_fields = ["name"]

    def has_module_permission(self, request):
        return accounts.is_superuser(request.user)

    def has_view_permission(self, request, obj=None):
        return accounts.is_superuser(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StaffRoleForm(forms.ModelForm):
    actor: Actor = None  # set by cases.admin.base.bind()

    class Meta:
        model = StaffRole
        fields = ["user", "region", "role"]

    def clean(self):
        data = super().clean()
        if all(data.get(f) for f in ("user", "region", "role")):
            accounts.role_grant_check(actor=self.actor, region=data["region"], role=data["role"], user=data["user"])
        return data


@admin.register(StaffRole)
class StaffRoleAdmin(ScopedAdmin, admin.ModelAdmin):
    """A role is granted (accounts.staff_role_grant) or revoked (accounts.staff_role_revoke), never edited."""

    form = StaffRoleForm
    list_display = ["user", "region", "role"]
    list_filter = ["role", "region__level"]
    search_fields = ["user__username", "region__code", "region__name"]
    list_select_related = ["user", "region"]
    autocomplete_fields = ["user", "region"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user__in=accounts.accounts_managed(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = accounts.accounts_managed(request.user)
        elif db_field.name == "region":
            kwargs["queryset"] = accounts.regions_grantable(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        return bind(super().get_form(request, obj, **kwargs), request.user)

    def has_module_permission(self, request):
        return accounts.administers(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return accounts.administers(request.user)
        return accounts.account_managed(request.user, obj.user)

    def has_add_permission(self, request):
        return accounts.administers(request.user)

    def has_change_permission(self, request, obj=None):
        return obj is None and accounts.administers(request.user)  # the list stays usable; a role is not edited

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def save_model(self, request, obj, form, change):
        role = accounts.staff_role_grant(actor=request.user, user=obj.user, region=obj.region, role=obj.role)
        obj.pk = role.pk

    def delete_view(self, request, object_id, extra_context=None):
        if request.method == "POST":
            staff_role = self.get_object(request, unquote(object_id))
            try:
                accounts.staff_role_revoke_check(actor=request.user, staff_role=staff_role)
            except ValidationError as error:
                self.refused(request, error)
                return HttpResponseRedirect(reverse("admin:cases_staffrole_changelist"))
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        accounts.staff_role_revoke(actor=request.user, staff_role=obj)

    def delete_queryset(self, request, queryset):
        for staff_role in queryset:
            accounts.staff_role_revoke(actor=request.user, staff_role=staff_role)


@admin.register(Region)
class RegionAdmin(ScopedAdmin, admin.ModelAdmin):
    """Regions are loaded from GB/T 2260 (regions_load); an administrator corrects a name in its subtree."""

    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    readonly_fields = ["code", "level", "parent", "path"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=accounts.regions_grantable(request.user).values("pk"))

    def has_module_permission(self, request):
        return accounts.administers(request.user)

    def has_view_permission(self, request, obj=None):
        return accounts.administers(request.user)

    def has_change_permission(self, request, obj=None):
        return accounts.administers(request.user)  # the object itself is within reach: get_queryset

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        configuration.region_rename(actor=request.user, region=obj, name=form.cleaned_data["name"])
