"""The rules of the monthly check, in the order they run: (rule code, function). Open for rules of apps that
land later: `check_register(code, fn)` from the app's ready() (the deposits rule, reading
deposits.selectors.deposit_findings(project, month) — see docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Callable

from . import below_sheet, labour_cost, minimum_wage, payment_route, site, unpaid, wage_sheet
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
]


def check_register(code: str, fn: Check) -> None:
    """Add a rule (idempotent: a code already registered is replaced). Register its title and reference with
    earlywarning.rules.rule_register too."""
    for i, (known, _fn) in enumerate(CHECKS):
        if known == code:
            CHECKS[i] = (code, fn)
            return
    CHECKS.append((code, fn))


def rule_codes() -> list[str]:
    return [code for code, _fn in CHECKS]
