"""挂牌督办 (SPEC §4.3; domain-rules §2 row 60, §3 "挂牌督办 trigger", §4.5): the services of supervised handling.

A superior office (city or province) supervises a case handled by an office strictly below it:

    PROPOSED ──confirm──▶ ACTIVE ──apply close──▶ CLOSING ──approve──▶ CLOSED
       │                  │  ▲                       │
       └─decline─▶ DECLINED  │  └───────return───────┘
                          ▼  │
                        OVERDUE (still reports and applies for closure; CLOSING → CLOSED from here too)

Clocks (cases.deadlines), all on the case and held by the case's office (the office that must act):

- "supervision.complete": the notice's deadline, province_config().supervision_days (complex cases
  supervision_days_complex) calendar days from the notice; paused while a closure application is under
  review (the superior's review time is not the lower office's), resumed on return. Overdue → OVERDUE,
  the next level up is notified and the registered hooks (on_supervision_overdue: accountability) run.
- "supervision.report": every supervision_report_wd working days. The first interval runs from the notice;
  a report on time starts the next interval where the last one ended (a fixed cadence), a late one starts
  it from the report. Overdue → a reminder, and the grace clock below.
- "supervision.report_grace" (registered here): one more interval after a missed report's due time.
  Overdue (still no report) → the missed report is escalated to the supervising office.

Per-case exception: while the supervision is open, the supervising office holds "supervise_case" on the
case (read-only: case, complaints, timeline), so its clerks and inspectors see what they supervise; its
leaders and auditors see the case anyway through their subtree. It is revoked at 销号 (CLOSED): see
supervision_close().

Every service is one transaction (cases.tx.one_transaction); every state change goes through the
transition kernel (cases.transitions) and writes one timeline event (documents and permission exceptions
write their own, through document_issue and case_exception_grant/revoke). Lock order, as in the sweep:
deadlines first, then the case, then the supervision row (clocks.step).

The package, by job:

- rules: states, clock kinds, the rules that propose a supervision (supervision_rules, supervision_candidates);
- offices: who supervises whom (may_supervise, supervising_office_for), who hears of an overdue one;
- clocks: the clocks on the case, and step() — the one way a supervision row changes;
- start: propose, start by hand, confirm, decline;
- reporting: acknowledge, report, apply for closure, close or return;
- sweep: the deadline handlers (remind, escalate, overdue and its hooks) and a leader's handling of alerts;
- selectors: what the case page shows.

This package is the cases layer: no viewflow, no workflows, no accountability imports. Outer layers hook in
with on_supervision_overdue(fn) and by registering the deadline handlers (listed in workflows/wiring.py).
"""

from __future__ import annotations

from .clocks import supervision_complete_deadline, supervision_report_opens
from .offices import may_supervise, supervising_office_for, supervision_next_level
from .reporting import supervision_acknowledge, supervision_apply_close, supervision_close, supervision_report
from .rules import (
    AMOUNT,
    CASE_CLOSED,
    COMPLETE,
    EXCEPTION,
    GRACE,
    GROUP_INCIDENT,
    MEDIA_REPORTED,
    OPEN,
    OPEN_DEADLINE,
    REASON_LABELS,
    REPORT,
    REPORTING,
    RUNNING,
    WORKERS,
    S,
    reasons_text,
    supervision_candidates,
    supervision_priority,
    supervision_rules,
)
from .selectors import supervisions_for
from .start import (
    supervision_confirm,
    supervision_decline,
    supervision_propose,
    supervision_propose_if_due,
    supervision_start,
)
from .sweep import (
    OVERDUE_HOOKS,
    SupervisionHook,
    each_supervised,
    on_supervision_overdue,
    supervision_alert_handled,
    supervision_escalate_missed_report,
    supervision_for_deadline,
    supervision_overdue,
    supervision_remind,
    supervisions_for_deadlines,
    supervisions_overdue,
)

__all__ = [
    "AMOUNT",
    "CASE_CLOSED",
    "COMPLETE",
    "EXCEPTION",
    "GRACE",
    "GROUP_INCIDENT",
    "MEDIA_REPORTED",
    "OPEN",
    "OPEN_DEADLINE",
    "OVERDUE_HOOKS",
    "REASON_LABELS",
    "REPORT",
    "REPORTING",
    "RUNNING",
    "S",
    "SupervisionHook",
    "WORKERS",
    "each_supervised",
    "may_supervise",
    "on_supervision_overdue",
    "reasons_text",
    "supervising_office_for",
    "supervision_acknowledge",
    "supervision_alert_handled",
    "supervision_apply_close",
    "supervision_candidates",
    "supervision_close",
    "supervision_complete_deadline",
    "supervision_confirm",
    "supervision_decline",
    "supervision_escalate_missed_report",
    "supervision_for_deadline",
    "supervision_next_level",
    "supervision_overdue",
    "supervision_propose",
    "supervision_propose_if_due",
    "supervision_remind",
    "supervision_report",
    "supervision_report_opens",
    "supervision_priority",
    "supervision_rules",
    "supervision_start",
    "supervisions_for",
    "supervisions_for_deadlines",
    "supervisions_overdue",
]
