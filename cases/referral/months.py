"""Unpaid months (JI2013 art 3 "拖欠…个月以上"): whole calendar months, then the rest as a share of the next."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction


def months_text(months: Fraction) -> str:
    """Months as written in the reasons and the wage calculation: one decimal, rounded down."""
    value = (Decimal(months.numerator) / Decimal(months.denominator)).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def months_between(start: date, end: date) -> Fraction:
    """Months from `start` to `end` inclusive: whole calendar months, then the rest as a share of the next one.

    2026-05-01..2026-07-31 is 3; 2026-05-01..2026-07-30 is 2 + 30/31; 2026-05-15..2026-08-14 is 3.
    """
    stop = end + timedelta(days=1)
    whole = (stop.year - start.year) * 12 + stop.month - start.month
    while whole > 0 and _add_months(start, whole) > stop:
        whole -= 1
    anchor, following = _add_months(start, whole), _add_months(start, whole + 1)
    return whole + Fraction((stop - anchor).days, (following - anchor).days)


def worker_months(periods: list[tuple[date, date]]) -> Fraction:
    """The unpaid months of one worker: its periods merged (overlaps and adjacent periods joined)."""
    total, current = Fraction(0), None
    for start, end in sorted(periods):
        if current and start <= current[1] + timedelta(days=1):
            current = (current[0], max(current[1], end))
            continue
        if current:
            total += months_between(*current)
        current = (start, end)
    if current:
        total += months_between(*current)
    return total
