"""Due and warning times, computed in Asia/Shanghai local time and stored as aware datetimes:

- working days: due at 23:59:59 of the n-th working day after the start date (the start day is
  not counted); warning at 00:00 of the working day `warn_before` working days before the end of
  the due day (warn_before=1: 00:00 of the due day itself);
- days: due at 23:59:59 of start date + n calendar days; warning `warn_before` days earlier;
- hours: due exactly n hours after the start; warning `warn_before` hours earlier.

Working days come from cases.workdays (the statutory calendar and the offices' overrides).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ..values import LOCAL_TZ
from ..values import local_date as _local_date
from ..workdays import Calendar
from .rules import Unit, _rule

TZ = LOCAL_TZ
END_OF_DAY = time(23, 59, 59)


def _end_of(day: date) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=TZ)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=TZ)


def _aware(moment: datetime | None, name: str) -> datetime:
    if moment is None:
        return timezone.now()
    if timezone.is_naive(moment):
        raise ValueError(f"{name} must be timezone-aware")
    return moment


def _add(unit: str, moment: datetime, length: int, cal: Calendar) -> datetime:
    """`length` units after `moment`, by the due-time conventions of the module docstring."""
    if unit == Unit.WORKING_DAYS:
        return _end_of(cal.add_working_days(_local_date(moment), length))
    if unit == Unit.DAYS:
        return _end_of(_local_date(moment) + timedelta(days=length))
    return moment + timedelta(hours=length)


def _warn_at(unit: str, due_at: datetime, warn_before: int, cal: Calendar) -> datetime | None:
    if warn_before <= 0:
        return None
    if unit == Unit.WORKING_DAYS:
        return _start_of(cal.add_working_days(_local_date(due_at), -(warn_before - 1)))
    if unit == Unit.DAYS:
        return due_at - timedelta(days=warn_before)
    return due_at - timedelta(hours=warn_before)


def due_times(
    kind: str, start_at: datetime, *, length: int | None = None, calendar: Calendar | None = None
) -> tuple[datetime, datetime | None]:
    """(due_at, warn_at) of a deadline of `kind` started at `start_at`; `length` overrides the rule's."""
    rule = _rule(kind)
    cal = calendar or Calendar()
    due_at = _add(rule.unit, _aware(start_at, "start_at"), rule.length if length is None else length, cal)
    return due_at, _warn_at(rule.unit, due_at, rule.warn_before, cal)
