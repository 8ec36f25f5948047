"""The working-day calendar (SPEC §5): the `chinese_calendar` package (statutory holidays and
make-up working days, 调休), corrected by the WorkdayOverride table; for a year the package
does not cover, Monday to Friday.

Periods follow Chinese law: the day of the start event is not counted, so
`add_working_days(d, 5)` is the fifth working day *after* d. A period counted in calendar days whose
last day is a rest day or a statutory holiday ends on the next working day (`period_end`).

Each module-level function builds its own `Calendar`, which reads the override table once per
year it touches. Code that does many look-ups (a list page, a bulk start) makes one
`Calendar()` and calls its methods, so the table is read once in all.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

import chinese_calendar

from .models import WorkdayOverride

_DAY = timedelta(days=1)


@cache
def year_covered(year: int) -> bool:
    """Whether `chinese_calendar` has the State Council's holiday schedule for this year."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@cache
def _statutory_workday(d: date) -> bool:
    """chinese_calendar's answer for a covered year, remembered: the package scans its whole holiday
    table (max() and min() of its keys) on every call, ~18 µs, and the deadline sweep asks for
    hundreds of thousands of days (bench P5: 6.9 s of a 10 s sweep before this cache)."""
    return chinese_calendar.is_workday(d)


def _check_date(d: date) -> None:
    # datetime is a subclass of date: a datetime here is a bug (which local day is it?).
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"a date is needed, not {type(d).__name__}")


class Calendar:
    """Working-day arithmetic with the overrides cached per year (one query per year touched)."""

    def __init__(self) -> None:
        self._overrides: dict[int, dict[date, bool]] = {}
        self._added: dict[tuple[date, int], date] = {}

    def _year_overrides(self, year: int) -> dict[date, bool]:
        overrides = self._overrides.get(year)
        if overrides is None:
            overrides = dict(
                WorkdayOverride.objects.filter(date__gte=date(year, 1, 1), date__lte=date(year, 12, 31)).values_list(
                    "date", "is_workday"
                )
            )
            self._overrides[year] = overrides
        return overrides

    def is_workday(self, d: date) -> bool:
        _check_date(d)
        override = self._year_overrides(d.year).get(d)
        if override is not None:
            return override
        if year_covered(d.year):
            return _statutory_workday(d)
        return d.weekday() < 5

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after d (d not counted); for n < 0, the |n|-th working day before d."""
        _check_date(d)
        key = (d, n)
        if key not in self._added:  # a bulk start (the sweep's watches) asks for the same day many times
            self._added[key] = self._add(d, n)
        return self._added[key]

    def _add(self, d: date, n: int) -> date:
        step = _DAY if n >= 0 else -_DAY
        remaining = abs(n)
        while remaining:
            d += step
            if self.is_workday(d):
                remaining -= 1
        return d

    def period_end(self, d: date) -> date:
        """The last day of a period counted in calendar days whose last day would be `d`: `d` itself on a
        working day; on a rest day or statutory holiday, the first working day after it (Civil Code art
        203; Administrative Procedure Law art 107 — a period ending on a holiday ends on the day after the
        holiday). A make-up working day (调休) is a working day."""
        _check_date(d)
        while not self.is_workday(d):
            d += _DAY
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative (minus those in (b, a]) when b is before a."""
        _check_date(a)
        _check_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        count, d = 0, a
        while d < b:
            d += _DAY
            count += self.is_workday(d)
        return count


def is_workday(d: date) -> bool:
    """A WorkdayOverride row wins; else the package; for an uncovered year, Monday–Friday."""
    return Calendar().is_workday(d)


def add_working_days(d: date, n: int) -> date:
    """The n-th working day after d (the first day of a period is not counted)."""
    return Calendar().add_working_days(d, n)


def period_end(d: date) -> date:
    """The last day of a calendar-day period due on `d`, moved past rest days and holidays."""
    return Calendar().period_end(d)


def working_days_between(a: date, b: date) -> int:
    """Working days in (a, b]."""
    return Calendar().working_days_between(a, b)
