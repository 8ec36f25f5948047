"""After the decision (issue 13 items 1, 3, 4, 5, 9): the enforcement guard, the handling decision, service of
the decisions and the party's remedies, the demand notice, the court, the penalty executed, the transfer to the
police, the order to correct verified, and what each closure code rests on.

    enforcement_guard(case=case)                  # refused before the day after case.order_due (Asia/Shanghai)
    case_handling_decide(case=, actor=, order_due=)         # 行政处理决定书 (责令限期支付工资)
    case_decisions_serve(case=, actor=, method=, served_at=, recipient=)   # + 60-day / 6-month remedies clocks
    case_demand_issue → case_demand_serve (10 days) → case_court_apply (≤3 months) → case_court_outcome
    case_penalty_executed / case_transfer_close / case_correction_verify
    closure_refusal(case, code)                   # what a closure code needs
"""

from .guard import (
    WAGE_ORDER_KINDS,
    enforcement_guard,
    enforcement_refusal,
    fine_due,
    first_enforceable_day,
    performance_due,
    service_counts,
    today_local,
    wage_order_served,
)
from .handling import case_handling_decide, handling_decision_issue
from .rules import (
    COURT_APPLY,
    DECISION_KINDS,
    DEMAND,
    LITIGATION,
    RECONSIDERATION,
    add_months,
)
from .services import (
    case_correction_verify,
    case_court_apply,
    case_court_outcome,
    case_decisions_serve,
    case_demand_issue,
    case_demand_serve,
    case_penalty_executed,
    case_transfer_close,
    closure_refusal,
    fine_unpaid,
    remedies_end,
)

__all__ = [
    "COURT_APPLY",
    "DECISION_KINDS",
    "DEMAND",
    "LITIGATION",
    "RECONSIDERATION",
    "WAGE_ORDER_KINDS",
    "add_months",
    "case_correction_verify",
    "case_court_apply",
    "case_court_outcome",
    "case_decisions_serve",
    "case_demand_issue",
    "case_demand_serve",
    "case_handling_decide",
    "case_penalty_executed",
    "case_transfer_close",
    "closure_refusal",
    "enforcement_guard",
    "enforcement_refusal",
    "fine_due",
    "fine_unpaid",
    "first_enforceable_day",
    "handling_decision_issue",
    "performance_due",
    "remedies_end",
    "service_counts",
    "today_local",
    "wage_order_served",
]
