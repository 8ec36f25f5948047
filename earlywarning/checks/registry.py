"""The rules of the monthly check, in the order they run: (rule code, per-project function), and each rule's
set-based form (SET_CHECKS: code → function over the month's project set, one statement or a fixed few, see
.monthset). Open for rules of apps that land later: `check_register(code, fn, many=fn_many)`. The deposit rule
(checks/deposit.py) reads deposits.selectors: deposits sits below earlywarning."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

from . import (
    below_sheet,
    deposit,
    labour_cost,
    minimum_wage,
    payment_route,
    quality,
    setrules,
    site,
    unpaid,
    wage_sheet,
)
from .base import Finding, MonthData
from .monthset import Found, MonthSet

Check = Callable[[MonthData], list[Finding]]
SetCheck = Callable[[MonthSet], list[Found]]

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
    ("contract_missing", quality.contract_missing),
    ("double_paid", quality.double_paid),
    ("deposit", deposit.check),  # the deposit's findings (deposits.selectors): missing, late, guarantee, top-up
]

SET_CHECKS: dict[str, SetCheck] = {
    "labour_cost_late": setrules.labour_cost_late,
    "wage_sheet_missing": setrules.wage_sheet_missing,
    "unpaid_workers": setrules.unpaid_workers,
    "paid_below_sheet": setrules.paid_below_sheet,
    "below_minimum_wage": setrules.below_minimum_wage,
    "not_via_account": setrules.not_via_account,
    "not_by_general": setrules.not_by_general,
    "account_not_opened": setrules.account_not_opened,
    "notice_board_missing": setrules.notice_board_missing,
    "contract_missing": quality.contract_missing_many,
    "double_paid": quality.double_paid_many,
    "deposit": deposit.check_many,
}


def check_register(code: str, fn: Check, *, many: SetCheck) -> None:
    """Add a rule with its per-project and its set-based form (idempotent: a code already registered is
    replaced). The two must find the same; register its title and reference with
    earlywarning.rules.rule_register too."""
    SET_CHECKS[code] = many
    for i, (known, _fn) in enumerate(CHECKS):
        if known == code:
            CHECKS[i] = (code, fn)
            return
    CHECKS.append((code, fn))


def set_checks() -> list[tuple[str, SetCheck]]:
    """The set-based forms, in the order of CHECKS; a rule registered without one is a configuration error
    (the set-based run would miss its findings and resolve its signals)."""
    missing = [code for code, _fn in CHECKS if code not in SET_CHECKS]
    if missing:
        raise ImproperlyConfigured(f"rule(s) without a set-based form: {', '.join(missing)}")
    return [(code, SET_CHECKS[code]) for code, _fn in CHECKS]


# a check whose findings carry rule codes other than its own
PRODUCES: dict[str, tuple[str, ...]] = {"deposit": deposit.CODES}


def rule_codes() -> list[str]:
    """The rule codes the monthly check's signals carry (a signal of one of them no longer found is resolved)."""
    return [rule for code, _fn in CHECKS for rule in PRODUCES.get(code, (code,))]
