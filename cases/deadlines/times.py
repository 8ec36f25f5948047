"""Due and warning times, computed in Asia/Shanghai local time and stored as aware datetimes:

- working days: due at 23:59:59 of the n-th working day after the start date (the start day is
  not counted); warning at 00:00 of the working day `warn_before` working days before the end of
  the due day (warn_before=1: 00:00 of the due day itself);
- days: due at 23:59:59 of start date + n calendar days, or, when that day is a rest day or a statutory
  holiday, of the next working day (Calendar.period_end; a kind whose Rule says holiday_rolls=False, a
  term fixed by a decision, keeps its day); warning `warn_before` days earlier;
- hours: due exactly n hours after the start; warning `warn_before` hours earlier.

Working days come from cases.workdays (the statutory calendar and the offices' overrides).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ..values import LOCAL_TZ, local_date
from ..workdays import Calendar
from .rules import Unit, rule_of

TZ = LOCAL_TZ
END_OF_DAY = time(23, 59, 59)


def end_of(day: date) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=TZ)


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=TZ)


def aware(moment: datetime | None, name: str) -> datetime:
    if moment is None:
        return timezone.now()
    if timezone.is_naive(moment):
        raise ValueError(f"{name} must be timezone-aware")
    return moment


def days_end(day: date, cal: Calendar, *, holiday_rolls: bool = True) -> datetime:
    """The due time of a calendar-day period whose last day is `day`: the one place that moves a period
    ending on a rest day or holiday to the next working day."""
    return end_of(cal.period_end(day) if holiday_rolls else day)


def add_units(unit: str, moment: datetime, length: int, cal: Calendar, *, holiday_rolls: bool = True) -> datetime:
    """`length` units after `moment`, by the due-time conventions of the module docstring."""
    if unit == Unit.WORKING_DAYS:
        return end_of(cal.add_working_days(local_date(moment), length))
    if unit == Unit.DAYS:
        return days_end(local_date(moment) + timedelta(days=length), cal, holiday_rolls=holiday_rolls)
    return moment + timedelta(hours=length)


def warn_time(unit: str, due_at: datetime, warn_before: int, cal: Calendar) -> datetime | None:
    if warn_before <= 0:
        return None
    if unit == Unit.WORKING_DAYS:
        return start_of(cal.add_working_days(local_date(due_at), -(warn_before - 1)))
    if unit == Unit.DAYS:
        return due_at - timedelta(days=warn_before)
    return due_at - timedelta(hours=warn_before)


def due_times(
    kind: str, start_at: datetime, *, length: int | None = None, calendar: Calendar | None = None
) -> tuple[datetime, datetime | None]:
    """(due_at, warn_at) of a deadline of `kind` started at `start_at`; `length` overrides the rule's."""
    rule = rule_of(kind)
    cal = calendar or Calendar()
    due_at = add_units(
        rule.unit,
        aware(start_at, "start_at"),
        rule.length if length is None else length,
        cal,
        holiday_rolls=rule.holiday_rolls,
    )
    return due_at, warn_time(rule.unit, due_at, rule.warn_before, cal)
