"""The deadline engine (SPEC §5, domain-rules §2): rules, services, the sweep and its handlers.

- rules: the kinds of deadline (Rule, RULES, rules_register);
- times: due and warning times (working days, days, hours; Asia/Shanghai);
- services: deadline_start / _start_many / _pause / _resume / _extend / _close / _cancel;
- handlers: on_warning, on_overdue, on_overdue_many (registered by outer layers);
- sweep: deadlines_sweep, which marks due deadlines overdue and warns, then calls the handlers;
- selectors: deadlines_for, days_left;
- subjects: clocks of the apps above cases (subject_ref_of, subject_register, subject_link).
"""

from .handlers import (
    ANY_KIND,
    BatchHandler,
    Handler,
    _overdue_batch_handlers,
    _overdue_handlers,
    _warning_handlers,
    on_overdue,
    on_overdue_many,
    on_warning,
)
from .rules import D25, DL2021, LSIR, PROVINCE_CONFIG, R310, RULES, Rule, State, Unit, rules_register
from .selectors import days_left, deadlines_for
from .services import (
    deadline_cancel,
    deadline_close,
    deadline_extend,
    deadline_pause,
    deadline_resume,
    deadline_start,
    deadline_start_many,
)
from .subjects import subject_link, subject_parse, subject_ref_of, subject_register
from .sweep import BATCH_SIZE, SweepResult, deadlines_sweep
from .times import END_OF_DAY, TZ, due_times

__all__ = [
    "ANY_KIND",
    "BATCH_SIZE",
    "BatchHandler",
    "D25",
    "DL2021",
    "END_OF_DAY",
    "Handler",
    "LSIR",
    "PROVINCE_CONFIG",
    "R310",
    "RULES",
    "Rule",
    "State",
    "SweepResult",
    "TZ",
    "Unit",
    "_overdue_batch_handlers",
    "_overdue_handlers",
    "_warning_handlers",
    "days_left",
    "subject_link",
    "subject_parse",
    "subject_ref_of",
    "subject_register",
    "deadline_cancel",
    "deadline_close",
    "deadline_extend",
    "deadline_pause",
    "deadline_resume",
    "deadline_start",
    "deadline_start_many",
    "deadlines_for",
    "deadlines_sweep",
    "due_times",
    "on_overdue",
    "on_overdue_many",
    "on_warning",
    "rules_register",
]
