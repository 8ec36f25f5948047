"""The legal bases of penalties and their ranges (seeded by migration cases.0019), read-only in the admin: the
ranges are the statute's; a change is a new migration, reviewed like code."""

from django.contrib import admin

from ..accounts import administers
from ..models import LegalBasis


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    list_display = ["title", "conduct", "measure", "party", "min_amount", "max_amount"]
    list_filter = ["measure", "party"]
    search_fields = ["title", "conduct", "code"]

    def has_module_permission(self, request):
        return administers(request.user)

    def has_view_permission(self, request, obj=None):
        return administers(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
