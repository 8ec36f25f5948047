"""The cases section of the staff site (viewflow's Material frontend)."""

from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from . import scope, urls


class CasesApp(Application):
    title = _("案件")
    icon = "folder_shared"
    app_name = "cases"
    menu_template_name = "cases/_menu.html"
    urlpatterns = urls.urlpatterns

    def has_view_permission(self, user, obj=None):
        return scope.holds_anywhere(user, scope.Right.READ_CASE)
