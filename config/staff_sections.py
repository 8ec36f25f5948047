"""The cases section of the staff site (viewflow's Material frontend). Here, not in cases/: cases never
imports viewflow (.importlinter)."""

from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from cases.web import urls


class CasesApp(Application):
    title = _("案件")
    icon = "folder_shared"
    app_name = "cases"
    menu_template_name = None  # the site draws the one menu (workflows.menu)
    urlpatterns = urls.urlpatterns

    def has_view_permission(self, user, obj=None):
        # Only decides whether the menu shows the section; each view asks cases.scope
        # (a case out of scope must answer 404, which this hook cannot express).
        return True
