from django.urls import path

from . import api

urlpatterns = [
    path("cases/", api.CaseListAPI.as_view(), name="api-case-list"),
    path("cases/<str:case_no>/", api.CaseDetailAPI.as_view(), name="api-case-detail"),
    path("cases/<str:case_no>/timeline/", api.CaseTimelineAPI.as_view(), name="api-case-timeline"),
]
