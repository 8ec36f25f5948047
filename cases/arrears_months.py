"""Months of arrears (欠薪月数): the one count the crime threshold (JI2013 art 3 "拖欠一名劳动者三个月以上的
劳动报酬"), the criminal referral and the credit listing all use.

The rule, for one worker:

1. Take the worker's ledger periods that are still (partly) unpaid.
2. Merge them: periods that overlap or follow each other without a gap (one ends on day d, the next starts
   on day d+1) are one run. A gap between two runs is not counted: a worker owed January and April is owed
   2 months, not the 4 of the span January–April.
3. Count each run in calendar months from its first day (the Civil Code's rule for periods in months, art
   202): from day d to the day before day d of the next month is one month; a month with no day d (a run
   starting on 31 January) ends on its last day. 2026-05-01..2026-07-31 is 3 months; 2026-05-15..2026-08-14
   is 3; 2026-01-31..2026-02-28 is 1; February alone is 1 (28 or 29 days).
4. The days left over after the whole months are the share of the month that would follow: 2026-05-01..
   2026-07-30 is 2 + 30/31; 2026-01-10..2026-01-20 is 11/31.
5. The worker's months are the sum over the runs, kept exact (a Fraction). Texts show it with one decimal,
   rounded down (months_text), so that 2.99 months never reads as "3 months".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

_DAY = timedelta(days=1)


def months_text(months: Fraction) -> str:
    """Months as written in the reasons and the wage calculation: one decimal, rounded down."""
    value = (Decimal(months.numerator) / Decimal(months.denominator)).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


def _month_after(start: date, months: int) -> date:
    """The first day after `months` whole months counted from `start` (the day `start.day` that many months
    later; when that month has no such day, the first day of the month after it)."""
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    try:
        return date(year, month, start.day)
    except ValueError:  # no 31st (30th, 29th) in that month: the month ran to its last day
        return date(year + month // 12, month % 12 + 1, 1)


def months_between(start: date, end: date) -> Fraction:
    """Months from `start` to `end`, both days included: whole months, then the rest as a share of the next."""
    if end < start:
        raise ValueError("a period cannot end before it starts")
    stop = end + _DAY
    whole = (stop.year - start.year) * 12 + stop.month - start.month
    while whole > 0 and _month_after(start, whole) > stop:
        whole -= 1
    anchor, following = _month_after(start, whole), _month_after(start, whole + 1)
    return whole + Fraction((stop - anchor).days, (following - anchor).days)


def merged_periods(periods: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """The periods merged into runs: overlapping or adjacent periods joined, gaps kept apart."""
    runs: list[tuple[date, date]] = []
    for start, end in sorted(periods):
        if runs and start <= runs[-1][1] + _DAY:
            runs[-1] = (runs[-1][0], max(runs[-1][1], end))
        else:
            runs.append((start, end))
    return runs


def worker_months(periods: Iterable[tuple[date, date]]) -> Fraction:
    """The months of arrears of one worker: the sum of its merged runs' months (see the module docstring)."""
    return sum((months_between(start, end) for start, end in merged_periods(periods)), Fraction(0))
