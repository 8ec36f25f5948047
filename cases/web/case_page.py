"""The case page's context (SPEC §7, issue 14 item 4): a workspace — a header with the figures and the next
deadline, the actions this user may take now, and the sections as tabs (概况/期限/当事人/工资台账/文书/证据/
笔录/关联流程/时间线), all rendered on the server; `?tab=` (or an anchor) picks the one shown, CSS and a
little JS only switch between them. Shown by case_views.case_detail and again, with a failed form's errors
and its tab, by the investigation POST handlers."""

from __future__ import annotations

from .. import evidence as evidence_services
from .. import ledger, records, scope, timeline
from ..audit.sentences import sentences_attach
from ..complainant_notices import METHODS as NOTICE_METHODS
from ..complainant_notices import notice_clock
from ..deadlines import days_left, deadlines_for
from ..documents import documents_for
from ..flags import OPEN as FLAGGABLE
from ..flags import case_flags
from ..masking import mask_id, mask_phone
from ..models import Case, Role
from .investigation_forms import (
    EvidenceForm,
    LedgerDeleteForm,
    LedgerEntryForm,
    LedgerImportForm,
    PaymentForm,
    RecordForm,
    evidence_label,
)
from .origin_links import origin_links
from .penalty_page import penalty_page_context

TABS = ("overview", "deadlines", "parties", "ledger", "documents", "evidence", "records", "linked", "timeline")
# the form a failed POST renders again -> the tab it is on
FORM_TABS = {
    "ledger_entry_form": "ledger",
    "ledger_edit_form": "ledger",
    "ledger_delete_form": "ledger",
    "ledger_import_form": "ledger",
    "payment_form": "ledger",
    "evidence_form": "evidence",
    "record_form": "records",
}


def _tab(request, forms: dict | None) -> str:
    for name in forms or {}:
        if name in FORM_TABS:
            return FORM_TABS[name]
    tab = request.GET.get("tab", "")
    return tab if tab in TABS else "overview"


def _figures(case: Case, summary: dict) -> dict:
    """The header's figures: the ledger's totals once it has lines (the case's own are the same then),
    the figures of the complaint or filing before."""
    if summary["workers"]:
        return {k: summary[k] for k in ("owed", "paid", "outstanding", "workers")}
    return {
        "owed": case.amount_owed,
        "paid": case.amount_paid,
        "outstanding": case.amount_owed - case.amount_paid,
        "workers": case.workers_count,
    }


def _next_deadline(deadlines: list) -> dict | None:
    """The open deadline due first: the deadline, its days left (working days for a working-day deadline),
    and the days it is overdue (0 when it is not)."""
    open_ = [(d, left) for d, left in deadlines if d.is_open]
    if not open_:
        return None
    deadline, left = min(open_, key=lambda pair: pair[0].due_at)
    return {
        "deadline": deadline,
        "left": left,
        "overdue": -left if left is not None and left < 0 else 0,
        "working_days": deadline.unit == deadline.Unit.WORKING_DAYS,
    }


def _last_service(documents) -> dict | None:
    """The document served last and its service record (the page then says what comes next)."""
    last = None
    for document in documents:
        for service in document.services.all():
            if last is None or (service.served_at, service.pk) > (last["service"].served_at, last["service"].pk):
                last = {"document": document, "service": service}
    return last


def _parties(case, unmasked: bool):
    for cp in case.case_parties.select_related("party", "complaint"):
        party = cp.party
        yield {
            "kind": cp.get_kind_display(),
            "party_id": party.pk,
            "name": party.name,
            "id_number": party.id_number if unmasked else mask_id(party.id_number),
            "phone": party.phone if unmasked else mask_phone(party.phone),
            "receipt_no": cp.complaint.receipt_no if cp.complaint else "",
        }


def case_page_context(request, case, *, forms=None) -> dict:
    """Everything the case page shows (SPEC §7): header, deadlines, parties, ledger, documents,
    evidence, records, linked flows, the timeline — and only the actions this user may take."""
    user = request.user
    investigating = scope.can(user, scope.Right.INVESTIGATE, region=case.region, case_id=case.pk)
    deadlines = [(d, days_left(d)) for d in deadlines_for(case=case)]
    documents = list(documents_for(case))
    sections = case_sections_context(request, case, forms=forms)
    return {
        "case": case,
        "tab": _tab(request, forms),
        "tabs": TABS,
        "figures": _figures(case, sections["ledger"]["summary"]),
        "next_deadline": _next_deadline(deadlines),
        "last_service": _last_service(documents),
        "parties": list(_parties(case, unmasked=False)),
        "complaints": case.complaints.order_by("id"),
        "origin_links": origin_links(case),
        "deadlines": deadlines,
        "documents": documents,
        "events": sentences_attach(timeline.for_case(case)[:50]),
        "show_payload": Role.AUDITOR in scope.roles(user),
        "chain_ok": timeline.chain_ok(case),
        "can_suspend": investigating and case.status == case.Status.INVESTIGATING,
        "can_resume": investigating and case.status == case.Status.SUSPENDED,
        "can_request_extension": investigating and case.status == case.Status.INVESTIGATING,
        "flags": case_flags(case),
        "notice_awaited": investigating and notice_clock(case) is not None,
        "notice_methods": list(NOTICE_METHODS.items()),
        "can_flag": scope.can_flag(user, case) and case.status in FLAGGABLE,
        **sections,
        **penalty_page_context(request, case),
    }


def case_sections_context(request, case: Case, *, forms: dict | None = None) -> dict:
    """What _ledger.html, _evidence.html and _records.html need. `forms` (bound, with errors)
    replaces the blank forms after a failed POST."""
    user = request.user
    can_investigate = scope.can(user, scope.Right.INVESTIGATE, region=case.region, case_id=case.pk)
    evidence_list = list(case.evidence.select_related("uploaded_by").order_by("-uploaded_at", "-id"))
    context = {
        "can_investigate": can_investigate,
        "ledger": ledger.ledger_view(case=case, viewer=user),
        "evidence_list": evidence_list,
        "evidence_choices": [(str(e.pk), evidence_label(e)) for e in evidence_list],
        "evidence_max_mb": evidence_services.max_bytes() // (1024 * 1024),
        "evidence_types": evidence_services.FILE_TYPES.values(),
        "investigation_records": list(records.case_records(case)),
    }
    if can_investigate:
        forms = forms or {}
        context.update(
            {
                "ledger_entry_form": forms.get("ledger_entry_form") or LedgerEntryForm(),
                "ledger_edit_form": forms.get("ledger_edit_form"),
                "ledger_edit_entry_id": forms.get("ledger_edit_entry_id"),
                "ledger_delete_form": forms.get("ledger_delete_form") or LedgerDeleteForm(),
                "ledger_delete_entry_id": forms.get("ledger_delete_entry_id"),
                "ledger_import_form": forms.get("ledger_import_form") or LedgerImportForm(),
                "payment_form": forms.get("payment_form") or PaymentForm(),
                "payment_entry_id": forms.get("payment_entry_id"),
                "evidence_form": forms.get("evidence_form") or EvidenceForm(),
                "record_form": forms.get("record_form") or RecordForm(case=case, initial={"inspectors": [user.pk]}),
            }
        )
    return context
