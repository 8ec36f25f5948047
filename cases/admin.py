"""Django admin: the holiday-calendar corrections, a read-only view of deadlines, regions and
staff roles. No business rules here (style.md §5 rule 1): staff roles are added through
services.staff_create, which also puts the user in the office group."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Deadline, ProvinceConfig, Region, StaffRole, WorkdayOverride
from .workdays import year_covered


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["note"]

    def changelist_view(self, request, extra_context=None):
        this_year = timezone.localdate().year
        for year in (this_year, this_year + 1):
            if not year_covered(year):
                messages.warning(
                    request,
                    _("%(year)d年节假日数据未收录：按周末计算，请在此维护调休/节假日") % {"year": year},
                )
        return super().changelist_view(request, extra_context)


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    """Read-only: deadlines change only through cases.deadlines services."""

    list_display = ["kind", "title", "region", "due_at", "state"]
    list_filter = ["state", "unit"]
    search_fields = ["kind"]
    list_select_related = ["region"]
    date_hierarchy = "due_at"
    show_full_result_count = False  # no COUNT(*) over a million rows per page view

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Regions are loaded from GB/T 2260 (regions_load); only the name is corrected here."""

    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    readonly_fields = ["code", "level", "parent", "path"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "region", "role"]
    list_filter = ["role", "region__level"]
    search_fields = ["user__username", "region__code", "region__name"]
    list_select_related = ["user", "region"]
    autocomplete_fields = ["user", "region"]

    def has_change_permission(self, request, obj=None):
        # A role is added or removed, never edited in place; the list stays visible.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # No service revokes a role yet (the office-group membership would be left behind).
        return False

    def save_model(self, request, obj, form, change):
        from .services import staff_create

        staff_create(username=obj.user.get_username(), region=obj.region, role=obj.role, actor=request.user)
        obj.pk = StaffRole.objects.get(user=obj.user, region=obj.region, role=obj.role).pk


@admin.register(ProvinceConfig)
class ProvinceConfigAdmin(admin.ModelAdmin):
    list_display = ["province", "crime_single_amount", "crime_group_amount", "crime_figures_confirmed"]
