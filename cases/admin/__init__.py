"""Django admin. No business rules here (style.md §5 rule 1), and no Django model permissions either: each
ModelAdmin asks the rules of cases.accounts / cases.configuration (which take their regions from
cases.scope) who may see and change what, and saves through their services, so every change is on a
timeline. Staff accounts, roles and regions: accounts.py; province parameters and the working-day
calendar: configuration.py; deadlines (read-only): here."""

from django.contrib import admin

from ..models import Deadline
from . import accounts, configuration, penalty  # noqa: F401  (their registrations)


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
