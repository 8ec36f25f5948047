"""Official accountability (问责, SPEC §4.5b; domain-rules §4.5, §7): services and selectors.

An accountability holds an office (`region`) to account before the superior level (`deciding_region`),
which finds the facts, decides (约谈 / 通报批评 / 责令检查 / 移送纪检监察 / 不予问责), issues the
ACCOUNTABILITY_DECISION under its own name and records the notice.

How one opens:
- a supervision runs overdue — `accountability_for_supervision_overdue(supervision, now)`, registered with
  cases.supervision's `on_supervision_overdue` (accountability/apps.py); the supervising office decides;
- a case deadline of the office's own duty (CASE_DUTY_KINDS) stays OVERDUE for the province's
  `accountability_overdue_wd` working days — the deadline's overdue transition starts an
  "accountability.case_overdue" watch of that length (`case_deadlines_overdue`), whose own end runs
  `accountability_case_overdue_check` for the case (`case_overdue_watch_due`). The same check over every
  case is the periodic job (`accountability_checks_run`): it also covers deadlines that went overdue
  before any watch existed;
- a group-incident case (`case.group_incident`): `accountability_for_group_incident`, and the periodic job;
- a city or province leader, by hand, on a case of an office below (the "accountability" startable).

Opened automatically, one accountability per case and trigger (per supervision for supervisions).
The workflow side registers `on_accountability_opened` to start the AccountabilityFlow: this module
never imports workflows. Every change writes one case timeline event ("accountability.*").

The module re-exports accountability.official (by job: opening, overdue, decision, register).
"""

from .official.decision import M, accountability_decide, accountability_facts_record, accountability_notice_record
from .official.opening import (
    AUTO_TRIGGERS,
    CASE_DUTY_KINDS,
    DEFAULT_OVERDUE_WD,
    WATCH,
    T,
    _auto_open,
    _opened_hooks,
    accountability_for_group_incident,
    accountability_for_supervision_overdue,
    accountability_open,
    accountability_open_for_region,
    accountability_start_by_leader,
    on_accountability_opened,
)
from .official.overdue import (
    _duty_overdue,
    _watch,
    accountability_case_overdue_check,
    accountability_checks_run,
    accountability_group_incident_check,
    case_deadlines_overdue,
    case_overdue_watch_due,
    overdue_limit,
)
from .official.register import accountability_register, register_regions

__all__ = [
    "AUTO_TRIGGERS",
    "CASE_DUTY_KINDS",
    "DEFAULT_OVERDUE_WD",
    "M",
    "T",
    "WATCH",
    "_auto_open",
    "_duty_overdue",
    "_opened_hooks",
    "_watch",
    "accountability_case_overdue_check",
    "accountability_checks_run",
    "accountability_decide",
    "accountability_facts_record",
    "accountability_for_group_incident",
    "accountability_for_supervision_overdue",
    "accountability_group_incident_check",
    "accountability_notice_record",
    "accountability_open",
    "accountability_open_for_region",
    "accountability_register",
    "accountability_start_by_leader",
    "case_deadlines_overdue",
    "case_overdue_watch_due",
    "on_accountability_opened",
    "overdue_limit",
    "register_regions",
]
