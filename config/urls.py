from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from viewflow.contrib.auth import AuthViewset
from viewflow.urls import Site

from accountability import urls as accountability_urls
from cases.web import account_urls
from deposits import urls as deposit_urls
from inspections.web import urls as inspection_urls
from reviews.web import urls as review_urls
from workflows import urls as workflow_urls
from workflows import views as workflow_views
from workflows.viewsets import ComplaintsApp, TasksApp

from .staff_sections import CasesApp


class StaffSite(Site):
    index_path = None  # "/" is workflows.views.home, which sends each role to its start page
    menu_template_name = "staff_menu.html"  # our menu, from the scope rules (workflows.menu): no "Applications"


site = StaffSite(title=_("治欠 · 欠薪案件管理"), viewsets=[TasksApp(), ComplaintsApp(), CasesApp()])

api_v1 = [
    path("", include("cases.api.urls")),
    path("", include(workflow_urls.api_urls)),
    path("", include("accountability.api_urls")),
    path("", include("projects.api.urls")),
    path("", include("earlywarning.api.urls")),
    path("", include("indicators.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # the split view: Swagger UI's set-up script is a file of its own, allowed by the CSP (no inline script)
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("", workflow_views.home, name="home"),
    path("accounts/", AuthViewset(allow_password_change=True, with_profile_view=False).urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("public/", include((workflow_urls.public_urls, "public"))),
    path("public/", include((accountability_urls.urlpatterns, "accountability"))),
    path("accountability/", include((accountability_urls.staff_urlpatterns, "accountability-staff"))),
    path("manage/", include((account_urls.urlpatterns, "staff-admin"))),
    path("projects/", include(("projects.web.urls", "projects"))),
    path("warnings/", include(("earlywarning.web.urls", "earlywarning"))),
    path("inspections/", include((inspection_urls.urlpatterns, "inspections"))),
    path("public/", include((inspection_urls.public_urlpatterns, "inspections-public"))),
    path("indicators/", include(("indicators.web.urls", "indicators"))),
    path("campaigns/", include(("campaigns.web.urls", "campaigns"))),
    path("reviews/", include((review_urls.urlpatterns, "reviews"))),
    path("public/", include((review_urls.public_urlpatterns, "reviews-public"))),
    path("deposits/", include("deposits.urls")),
    path("arbitration/", include("arbitration.urls")),
    path("joint/", include(("jointmeeting.web.urls", "jointmeeting"))),
    path("assessment/", include("assessment.urls")),
    path("public/", include((deposit_urls.public_urlpatterns, "deposits-public"))),
    path("api/v1/", include(api_v1)),
    path("", site.urls),
]

# under /api/ Django's own error answers (no route, a bad host …) are JSON too: {"errors": {"detail": […]}}
handler400 = "config.http_guards.bad_request"
handler403 = "config.http_guards.permission_denied"
handler404 = "config.http_guards.page_not_found"
handler500 = "config.http_guards.server_error"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
