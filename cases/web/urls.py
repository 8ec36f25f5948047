from django.urls import path

from . import (
    audit_views,
    case_actions,
    case_flags,
    case_views,
    complainant_notice_views,
    dashboard_views,
    document_views,
    investigation_ledger,
    investigation_views,
    liable_unit_views,
    penalty_actions,
    person_views,
    region_views,
)

urlpatterns = [
    path("", case_views.case_list, name="index"),
    # a literal path: keep it before "<str:case_no>/"
    path("export.xlsx", investigation_views.case_export, name="export"),
    path("regions.json", region_views.staff_regions, name="regions"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("audit/", audit_views.audit_search, name="audit"),
    path("audit/export.xlsx", audit_views.audit_export, name="audit-export"),
    path("workers/<int:party_id>/", person_views.worker_detail, name="worker"),
    path("<str:case_no>/", case_views.case_detail, name="detail"),
    path("<str:case_no>/timeline/", case_views.case_timeline, name="timeline"),
    path("<str:case_no>/timeline/pdf/", case_views.case_timeline_pdf, name="timeline-pdf"),
    path("<str:case_no>/documents/<int:doc_id>/pdf/", document_views.document_pdf, name="document-pdf"),
    path("<str:case_no>/evidence/", investigation_views.evidence_upload, name="evidence-upload"),
    path(
        "<str:case_no>/evidence/<int:evidence_id>/download/",
        investigation_views.evidence_download,
        name="evidence-download",
    ),
    path("<str:case_no>/ledger/", investigation_views.ledger_entry_add, name="ledger-entry-add"),
    path("<str:case_no>/ledger/import/", investigation_ledger.ledger_entries_import, name="ledger-import"),
    path("<str:case_no>/ledger/template.xlsx", investigation_ledger.ledger_template, name="ledger-template"),
    path(
        "<str:case_no>/ledger/<int:entry_id>/edit/", investigation_ledger.ledger_entry_edit, name="ledger-entry-edit"
    ),
    path(
        "<str:case_no>/ledger/<int:entry_id>/delete/",
        investigation_ledger.ledger_entry_delete,
        name="ledger-entry-delete",
    ),
    path("<str:case_no>/ledger/<int:entry_id>/payments/", investigation_views.payment_record, name="payment-record"),
    path("<str:case_no>/records/", investigation_views.record_add, name="record-add"),
    path("<str:case_no>/suspend/", case_actions.case_action, {"action": "suspend"}, name="suspend"),
    path("<str:case_no>/resume/", case_actions.case_action, {"action": "resume"}, name="resume"),
    path("<str:case_no>/flags/", case_flags.case_flag, name="flags"),
    path(
        "<str:case_no>/complainant-notices/",
        complainant_notice_views.complainant_notice_record,
        name="complainant-notices",
    ),
    path("<str:case_no>/liable-units/", liable_unit_views.liable_units_page, name="liable-units"),
    path("<str:case_no>/liable-units/add/", liable_unit_views.liable_unit_add, name="liable-unit-add"),
    path("<str:case_no>/liable-units/remove/", liable_unit_views.liable_unit_remove, name="liable-unit-remove"),
    path("<str:case_no>/penalty/<str:action>/", penalty_actions.penalty_action, name="penalty-action"),
]
