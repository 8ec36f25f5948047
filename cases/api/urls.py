from django.urls import path

from . import (
    audit_api,
    case_action_api,
    case_api,
    case_flags_api,
    complaint_document_api,
    dashboard_api,
    document_api,
    investigation_api,
    penalty_api,
    record_api,
    timeline_pdf_api,
)

urlpatterns = [
    path("dashboard/", dashboard_api.DashboardAPI.as_view(), name="api-dashboard"),
    path("audit/events/", audit_api.AuditEventsAPI.as_view(), name="api-audit-events"),
    path("cases/", case_api.CaseListAPI.as_view(), name="api-case-list"),
    path("persons/<int:party_id>/", record_api.PersonDetailAPI.as_view(), name="api-person-detail"),
    path("persons/<int:party_id>/merge/", record_api.PersonMergeAPI.as_view(), name="api-person-merge"),
    # a literal path: keep it before "cases/<str:case_no>/"
    path("cases/export.xlsx", investigation_api.CaseExportAPI.as_view(), name="api-case-export"),
    path("cases/<str:case_no>/", case_api.CaseDetailAPI.as_view(), name="api-case-detail"),
    path("cases/<str:case_no>/employer/", record_api.CaseEmployerAPI.as_view(), name="api-case-employer"),
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
    path("cases/<str:case_no>/flags/", case_flags_api.CaseFlagsAPI.as_view(), name="api-case-flags"),
    path(
        "cases/<str:case_no>/complainant-notices/",
        case_flags_api.ComplainantNoticeAPI.as_view(),
        name="api-case-complainant-notices",
    ),
    path(
        "complaints/<str:receipt_no>/documents/",
        complaint_document_api.ComplaintDocumentsAPI.as_view(),
        name="api-complaint-documents",
    ),
    path(
        "complaints/<str:receipt_no>/documents/<int:doc_id>/pdf/",
        complaint_document_api.ComplaintDocumentPdfAPI.as_view(),
        name="api-complaint-document-pdf",
    ),
    path("cases/<str:case_no>/penalty/", penalty_api.PenaltyAPI.as_view(), name="api-case-penalty"),
    path(
        "cases/<str:case_no>/penalty/<str:action>/",
        penalty_api.PenaltyActionAPI.as_view(),
        name="api-case-penalty-action",
    ),
]
