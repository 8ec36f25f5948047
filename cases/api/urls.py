from django.urls import path

from . import case_action_api, case_api, dashboard_api, document_api, investigation_api, timeline_pdf_api

urlpatterns = [
    path("dashboard/", dashboard_api.DashboardAPI.as_view(), name="api-dashboard"),
    path("cases/", case_api.CaseListAPI.as_view(), name="api-case-list"),
    # a literal path: keep it before "cases/<str:case_no>/"
    path("cases/export.xlsx", investigation_api.CaseExportAPI.as_view(), name="api-case-export"),
    path("cases/<str:case_no>/", case_api.CaseDetailAPI.as_view(), name="api-case-detail"),
    path("cases/<str:case_no>/timeline/", case_api.CaseTimelineAPI.as_view(), name="api-case-timeline"),
    path(
        "cases/<str:case_no>/timeline/pdf/", timeline_pdf_api.CaseTimelinePdfAPI.as_view(), name="api-case-timeline-pdf"
    ),
    path("cases/<str:case_no>/documents/", document_api.CaseDocumentsAPI.as_view(), name="api-case-documents"),
    path(
        "cases/<str:case_no>/documents/<int:doc_id>/pdf/",
        document_api.CaseDocumentPdfAPI.as_view(),
        name="api-case-document-pdf",
    ),
    path(
        "cases/<str:case_no>/documents/<int:doc_id>/services/",
        document_api.DocumentServicesAPI.as_view(),
        name="api-document-services",
    ),
    path("cases/<str:case_no>/evidence/", investigation_api.EvidenceListAPI.as_view(), name="api-case-evidence"),
    path(
        "cases/<str:case_no>/evidence/<int:evidence_id>/download/",
        investigation_api.EvidenceDownloadAPI.as_view(),
        name="api-case-evidence-download",
    ),
    path("cases/<str:case_no>/ledger/", investigation_api.LedgerAPI.as_view(), name="api-case-ledger"),
    path(
        "cases/<str:case_no>/ledger/<int:entry_id>/payments/",
        investigation_api.PaymentAPI.as_view(),
        name="api-case-payments",
    ),
    path("cases/<str:case_no>/records/", investigation_api.RecordListAPI.as_view(), name="api-case-records"),
    path(
        "cases/<str:case_no>/suspend/", case_action_api.CaseActionAPI.as_view(action="suspend"), name="api-case-suspend"
    ),
    path("cases/<str:case_no>/resume/", case_action_api.CaseActionAPI.as_view(action="resume"), name="api-case-resume"),
]
