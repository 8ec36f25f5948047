"""The rules of the monthly check, in the order they run: (rule code, function). Open for rules of apps that
land later: `check_register(code, fn)`. The deposit rule (checks/deposit.py) reads
deposits.selectors.deposit_findings(project, month): deposits sits below earlywarning."""

from __future__ import annotations

from collections.abc import Callable

from . import below_sheet, deposit, labour_cost, minimum_wage, payment_route, site, unpaid, wage_sheet
from .base import Finding, MonthData

Check = Callable[[MonthData], list[Finding]]

CHECKS: list[tuple[str, Check]] = [
    ("labour_cost_late", labour_cost.check),
    ("wage_sheet_missing", wage_sheet.check),
    ("unpaid_workers", unpaid.check),
    ("paid_below_sheet", below_sheet.check),
    ("below_minimum_wage", minimum_wage.check),
    ("not_via_account", payment_route.via_account),
    ("not_by_general", payment_route.by_general),
    ("account_not_opened", site.account_opened),
    ("notice_board_missing", site.notice_board),
    ("deposit", deposit.check),  # the deposit's findings (deposits.selectors): missing, late, guarantee, top-up
]


def check_register(code: str, fn: Check) -> None:
    """Add a rule (idempotent: a code already registered is replaced). Register its title and reference with
    earlywarning.rules.rule_register too."""
    for i, (known, _fn) in enumerate(CHECKS):
        if known == code:
            CHECKS[i] = (code, fn)
            return
    CHECKS.append((code, fn))


# a check whose findings carry rule codes other than its own
PRODUCES: dict[str, tuple[str, ...]] = {"deposit": deposit.CODES}


def rule_codes() -> list[str]:
    """The rule codes the monthly check's signals carry (a signal of one of them no longer found is resolved)."""
    return [rule for code, _fn in CHECKS for rule in PRODUCES.get(code, (code,))]
