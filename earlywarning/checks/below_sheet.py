"""Paid at least what the signed wage sheet says (实发): orange for any shortfall of a paid worker; red when
the unit's shortfall reaches the province's amount (default 100,000 yuan). Unpaid workers are the unpaid
rule's."""

from __future__ import annotations

from ..rules import PAID_BELOW_SHEET
from .base import LEVEL, ZERO, Finding, MonthData, money, names


def check(data: MonthData) -> list[Finding]:
    out = []
    for unit_id, unit in data.units.items():
        short = []
        total = ZERO
        for w in data.unit_workers(unit_id):
            line, paid = data.sheet.get(w.pk), data.paid.get(w.pk)
            if line is None or paid is None or paid.total >= line.amount_net:
                continue
            short.append(w)
            total += line.amount_net - paid.total
        if short:
            level = LEVEL.RED if total >= data.config.shortfall_red_amount else LEVEL.ORANGE
            out.append(Finding(PAID_BELOW_SHEET.code, level, unit=unit, amount=total, workers=len(short),
                               evidence={"workers": names(short), "shortfall": money(total)}))  # fmt: skip
    return out
