"""How wages were paid: through the project's wage special account (WPR art. 26), and by the general
contractor on a subcontractor's behalf (总包代发, art. 31) where the province requires it; yellow."""

from __future__ import annotations

from projects.models import ProjectUnit

from ..rules import NOT_BY_GENERAL, NOT_VIA_ACCOUNT
from .base import LEVEL, Finding, MonthData, names

SUBCONTRACTORS = (ProjectUnit.Role.SPECIALIST, ProjectUnit.Role.LABOUR)


def via_account(data: MonthData) -> list[Finding]:
    out = []
    for unit_id, unit in data.units.items():
        off = [w for w in data.unit_workers(unit_id) if data.paid.get(w.pk) and data.paid[w.pk].not_via_account]
        if off:
            lines = sum(data.paid[w.pk].not_via_account for w in off)
            out.append(Finding(NOT_VIA_ACCOUNT.code, LEVEL.YELLOW, unit=unit, workers=len(off),
                               evidence={"workers": names(off), "lines": lines}))  # fmt: skip
    return out


def by_general(data: MonthData) -> list[Finding]:
    if not data.config.general_pays_subcontractors:
        return []
    out = []
    for unit_id, unit in data.units.items():
        if unit.role not in SUBCONTRACTORS:
            continue
        own = [w for w in data.unit_workers(unit_id) if data.paid.get(w.pk) and data.paid[w.pk].not_on_behalf]
        if own:
            lines = sum(data.paid[w.pk].not_on_behalf for w in own)
            out.append(Finding(NOT_BY_GENERAL.code, LEVEL.YELLOW, unit=unit, workers=len(own),
                               evidence={"workers": names(own), "lines": lines}))  # fmt: skip
    return out
