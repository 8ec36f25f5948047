"""A wage sheet (工资支付表) for every unit whose rostered workers worked in the month: orange when a unit's
workers with attendance have no sheet line."""

from __future__ import annotations

from ..rules import WAGE_SHEET_MISSING
from .base import LEVEL, Finding, MonthData, names


def check(data: MonthData) -> list[Finding]:
    out = []
    for unit_id, unit in data.units.items():
        attended = data.attended(unit_id)
        missing = [w for w in attended if w.pk not in data.sheet]
        if missing:
            out.append(Finding(WAGE_SHEET_MISSING.code, LEVEL.ORANGE, unit=unit, workers=len(missing),
                               evidence={"workers": names(missing), "attended": len(attended)}))  # fmt: skip
    return out
