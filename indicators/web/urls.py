from django.urls import path

from . import views

urlpatterns = [
    path("coverage/", views.coverage_page, name="coverage"),
    path("coverage/report.xlsx", views.coverage_report_download, name="coverage-report"),
]
