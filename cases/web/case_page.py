"""The case page's context (SPEC §7): header, deadlines, parties, documents, timeline and the
investigation sections (ledger, evidence, records) with their forms. Shown by case_views.case_detail and
again, with a failed form's errors, by the investigation POST handlers."""

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
from .investigation_forms import EvidenceForm, LedgerEntryForm, PaymentForm, RecordForm
from .penalty_page import penalty_page_context


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
    return {
        "case": case,
        "parties": list(_parties(case, unmasked=False)),
        "complaints": case.complaints.order_by("id"),
        "deadlines": [(d, days_left(d)) for d in deadlines_for(case=case)],
        "documents": documents_for(case),
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
        **case_sections_context(request, case, forms=forms),
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
        "evidence_max_mb": evidence_services.max_bytes() // (1024 * 1024),
        "evidence_types": evidence_services.FILE_TYPES.values(),
        "investigation_records": list(records.case_records(case)),
    }
    if can_investigate:
        forms = forms or {}
        context.update(
            {
                "ledger_entry_form": forms.get("ledger_entry_form") or LedgerEntryForm(),
                "payment_form": forms.get("payment_form") or PaymentForm(),
                "payment_entry_id": forms.get("payment_entry_id"),
                "evidence_form": forms.get("evidence_form") or EvidenceForm(),
                "record_form": forms.get("record_form") or RecordForm(case=case, initial={"inspectors": [user.pk]}),
            }
        )
    return context
