"""The penalty procedure (issue 13 items 2, 5, 6): legal bases with their ranges, case causes, the pre-decision
notice served, the party's statement and hearing windows, statements, hearing, waiver, review, and the check the
penalty decision runs.

    penalty_notice_serve(case=…, actor=…, method=…, served_at=…, recipient=…)
    penalty_statement_record(case=…, actor=…, text=…, made_on=…)
    penalty_hearing_request(case=…, actor=…, requested_on=…)
    penalty_hearing_schedule(case=…, actor=…, scheduled_at=…, place=…)      # issues the 听证通知书
    penalty_hearing_notice_serve(case=…, actor=…, method=…, served_at=…, recipient=…)
    penalty_hearing_hold(case=…, actor=…, held_at=…, record=…)
    penalty_rights_waive(case=…, actor=…, waived_on=…, note=…)
    penalty_review(case=…, actor=…, outcome=…, reasons=…)
    case_cause_add(case=…, actor=…, violation=…, note=…) / case_cause_remove(case=…, actor=…, cause_id=…)
"""

from ..timeline.labels import event_label  # the labels of every event kind live in one place
from . import rules  # noqa: F401  (registers the clocks)
from .bounds import amount_check, basis_get, basis_range, fine_check
from .causes import case_cause_add, case_cause_remove, cause_rows, causes_of, violations_of
from .party import (
    penalty_hearing_hold,
    penalty_hearing_notice_serve,
    penalty_hearing_request,
    penalty_hearing_schedule,
    penalty_rights_waive,
    penalty_statement_record,
)
from .procedure import (
    current,
    hearing_pending,
    notice_data,
    penalty_decision_check,
    penalty_notice_serve,
    penalty_review,
    procedure_open,
    window_open,
)
from .status import penalty_status

__all__ = [
    "amount_check",
    "basis_get",
    "basis_range",
    "case_cause_add",
    "case_cause_remove",
    "cause_rows",
    "causes_of",
    "current",
    "event_label",
    "fine_check",
    "hearing_pending",
    "notice_data",
    "penalty_decision_check",
    "penalty_hearing_hold",
    "penalty_hearing_notice_serve",
    "penalty_hearing_request",
    "penalty_hearing_schedule",
    "penalty_notice_serve",
    "penalty_review",
    "penalty_rights_waive",
    "penalty_statement_record",
    "penalty_status",
    "procedure_open",
    "violations_of",
    "window_open",
]
