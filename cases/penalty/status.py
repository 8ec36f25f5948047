"""The penalty procedure as the case page and the API show it."""

from __future__ import annotations

from ..models import Case, Hearing
from .procedure import current, hearing_pending, window_open


def penalty_status(case: Case) -> dict | None:
    """The current (undecided) procedure, or the latest one, in plain values; None if there is none."""
    procedure = current(case) or case.penalty_procedures.select_related("basis", "notice").order_by("-id").first()
    if procedure is None:
        return None
    hearing = Hearing.objects.filter(procedure=procedure).select_related("notice").first()
    served_hearing = hearing.notice.services.order_by("served_at").first() if hearing else None
    return {
        "notice": procedure.notice.number,
        "basis": procedure.basis.code,
        "basis_title": procedure.basis.title,
        "proposed_amount": procedure.proposed_amount,
        "workers_concerned": procedure.workers_concerned,
        "party_is_unit": procedure.party_is_unit,
        "hearing_threshold": procedure.hearing_threshold,
        "hearing_right": procedure.hearing_right,
        "served_at": procedure.served_at,
        "statement_due": procedure.statement_due,
        "hearing_request_due": procedure.hearing_request_due,
        "window_open": procedure.served_at is not None and window_open(procedure),
        "hearing_requested_on": procedure.hearing_requested_on,
        "hearing_pending": hearing_pending(procedure),
        "hearing": {
            "scheduled_at": hearing.scheduled_at,
            "place": hearing.place,
            "notice": hearing.notice.number,
            "notice_served_at": served_hearing.served_at if served_hearing else None,
            "held_at": hearing.held_at,
            "record": hearing.record,
        }
        if hearing
        else None,
        "waived_on": procedure.waived_on,
        "waiver_note": procedure.waiver_note,
        "statements": [{"made_on": s.made_on, "text": s.text} for s in procedure.statements.order_by("made_on", "id")],
        "outcome": procedure.outcome,
        "outcome_display": procedure.get_outcome_display() if procedure.outcome else "",
        "outcome_reasons": procedure.outcome_reasons,
        "decided": procedure.decided,
    }
