"""Paid at least the local minimum wage for the days worked: the province's monthly minimum wage (default
2,000 yuan) ÷ 21.75 (the statutory average of working days in a month) × days; orange."""

from __future__ import annotations

from decimal import Decimal

from ..rules import BELOW_MINIMUM_WAGE
from .base import LEVEL, ZERO, Finding, MonthData, money, names

MONTH_WORKDAYS = Decimal("21.75")


def daily_minimum(monthly: Decimal) -> Decimal:
    return (Decimal(monthly) / MONTH_WORKDAYS).quantize(Decimal("0.01"))


def check(data: MonthData) -> list[Finding]:
    daily = daily_minimum(data.config.minimum_wage_monthly)
    out = []
    for unit_id, unit in data.units.items():
        below, total = [], ZERO
        for w in data.attended(unit_id):
            paid = data.paid.get(w.pk)
            floor = daily * data.days[w.pk]
            if paid is not None and paid.total < floor:
                below.append(w)
                total += floor - paid.total
        if below:
            out.append(Finding(BELOW_MINIMUM_WAGE.code, LEVEL.ORANGE, unit=unit, amount=total, workers=len(below),
                               evidence={"workers": names(below), "daily_minimum": money(daily),
                                         "shortfall": money(total)}))  # fmt: skip
    return out
