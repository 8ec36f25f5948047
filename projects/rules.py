"""The numbers the project rules use, per province (a Django setting overrides the defaults):

    ZHIQIAN_PROJECT_RULES = {"360000": {"wage_account_due_days": 30}}

- wage_account_due_days: the wage special account is opened within this many days of the construction
  contract (row 50 of the legal references: 30 days, ACC2021).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from cases.models import Region

DEFAULTS = {
    "wage_account_due_days": 30,  # row 50: account opened ≤ 30 days after the contract is signed
}


def rule(region: Region | None, name: str) -> int:
    """The value of rule `name` for the province of `region` (its code's first two digits + "0000")."""
    overrides = getattr(settings, "ZHIQIAN_PROJECT_RULES", {}) or {}
    province = (region.code[:2] + "0000") if region is not None else ""
    return int(overrides.get(province, {}).get(name, DEFAULTS[name]))


def wage_account_due_on(*, region: Region, contract_signed_on: date | None) -> date | None:
    """The day by which the project's wage account must be open (None without a contract date)."""
    if contract_signed_on is None:
        return None
    return contract_signed_on + timedelta(days=rule(region, "wage_account_due_days"))
