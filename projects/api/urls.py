from django.urls import path

from . import views

urlpatterns = [
    path("projects/", views.ProjectListAPI.as_view(), name="api-project-list"),
    # a literal path: keep it before "projects/<str:project_no>/"
    path("projects/import/", views.ProjectImportAPI.as_view(), name="api-project-import"),
    # 按项目关联责任单位: the chain's liable units named on a case (issue 15 item 5)
    path(
        "projects/cases/<str:case_no>/liable-units/",
        views.CaseChainLiableUnitsAPI.as_view(),
        name="api-case-chain-liable-units",
    ),
    path(
        "projects/cases/<str:case_no>/ledger-prefill/",
        views.CaseLedgerPrefillAPI.as_view(),
        name="api-case-ledger-prefill",
    ),
    path("projects/<str:project_no>/", views.ProjectDetailAPI.as_view(), name="api-project-detail"),
    path("projects/<str:project_no>/units/", views.ProjectUnitsAPI.as_view(), name="api-project-units"),
    path(
        "projects/<str:project_no>/notice-board/",
        views.ProjectNoticeBoardAPI.as_view(),
        name="api-project-notice-board",
    ),
    path("projects/<str:project_no>/status/", views.ProjectStatusAPI.as_view(), name="api-project-status"),
    path("projects/<str:project_no>/account/", views.WageAccountAPI.as_view(), name="api-project-account"),
    path(
        "projects/<str:project_no>/account/labour-costs/",
        views.LabourCostAPI.as_view(),
        name="api-project-labour-costs",
    ),
    path(
        "projects/<str:project_no>/account/close/",
        views.WageAccountCloseAPI.as_view(),
        name="api-project-account-close",
    ),
    path("projects/<str:project_no>/roster/", views.RosterAPI.as_view(), name="api-project-roster"),
    path("projects/<str:project_no>/attendance/", views.AttendanceAPI.as_view(), name="api-project-attendance"),
    path("projects/<str:project_no>/wage-sheets/", views.WageSheetAPI.as_view(), name="api-project-wage-sheets"),
    path("projects/<str:project_no>/payments/", views.PaymentsAPI.as_view(), name="api-project-payments"),
]
