"""A period counted in calendar days whose last day is a rest day or statutory holiday ends on the next
working day (issue 13 item 8; Civil Code art 203); periods the law counts in working days keep counting
working days; a term fixed by a decision (the listing's 3 years) and hour clocks do not move. Real holidays
from chinesecalendar: National Day 2025 (10-01..10-08, make-up Sun 09-28 and Sat 10-11), Spring Festival 2026
(02-15..02-23, make-up Sat 02-14 and 02-28), National Day 2026 (10-01..10-07, make-up Sat 10-10)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

import accountability.listing  # noqa: F401  (registers the listing's deadline kinds)
import cases.referral  # noqa: F401  (registers the referral's deadline kinds)
from cases.deadlines import RULES, deadline_extend, deadline_start, due_times
from cases.models import Deadline, WorkdayOverride
from cases.workdays import add_working_days, period_end
from tests import world

SH = ZoneInfo("Asia/Shanghai")
D = date.fromisoformat


def t(y, m, d, hh=0) -> datetime:
    return datetime(y, m, d, hh, tzinfo=SH)


def end(y, m, d) -> datetime:
    return datetime(y, m, d, 23, 59, 59, tzinfo=SH)


CALENDAR_DAY_KINDS = sorted(k for k, r in RULES.items() if r.unit == Deadline.Unit.DAYS and r.holiday_rolls)


@pytest.mark.django_db
def test_the_last_day_on_a_holiday_moves_to_the_next_working_day():
    assert period_end(D("2025-10-03")) == D("2025-10-09")  # National Day 2025
    assert period_end(D("2026-02-16")) == D("2026-02-24")  # Spring Festival 2026
    assert period_end(D("2026-11-07")) == D("2026-11-09")  # a Saturday → Monday
    assert period_end(D("2026-11-06")) == D("2026-11-06")  # a working day stays


@pytest.mark.django_db
def test_a_make_up_working_day_is_a_working_day():
    assert period_end(D("2025-09-28")) == D("2025-09-28")  # Sunday, 调休 working day
    assert period_end(D("2026-10-10")) == D("2026-10-10")  # Saturday, 调休 working day


@pytest.mark.django_db
def test_an_office_override_counts():
    WorkdayOverride.objects.create(date=D("2026-11-07"), is_workday=True, note="调休")
    assert period_end(D("2026-11-07")) == D("2026-11-07")


@pytest.mark.django_db
def test_referral_report_due_inside_national_day_ends_on_the_next_working_day():
    """Reported 2025-09-30: 3 days (R310 art 5) end on 10-03, inside National Day → 2025-10-09."""
    due_at, warn_at = due_times("referral.approve", t(2025, 9, 30, 10))
    assert due_at == end(2025, 10, 9)
    assert warn_at == end(2025, 10, 8)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", CALENDAR_DAY_KINDS)
def test_every_calendar_day_clock_ends_on_a_working_day(kind):
    """Each clock counted in calendar days (referral, police, supervision …), its length chosen so that the
    last day is 2025-10-03: it ends at the end of 2025-10-09."""
    start = D("2025-10-03").toordinal() - RULES[kind].length
    day = date.fromordinal(start)
    assert due_times(kind, t(day.year, day.month, day.day, 10))[0] == end(2025, 10, 9)


@pytest.mark.django_db
def test_the_referral_clocks_are_among_them():
    assert {"referral.approve", "police.decide", "referral.handover", "supervision.complete"} <= set(CALENDAR_DAY_KINDS)


@pytest.mark.django_db
def test_police_decision_over_the_spring_festival():
    assert due_times("police.decide", t(2026, 2, 13, 9))[0] == end(2026, 2, 24)


@pytest.mark.django_db
def test_supervision_days_from_the_province_setting_end_on_a_working_day():
    case = world.make_case("360302")
    with transaction.atomic():
        clock = deadline_start(
            kind="supervision.complete", region=case.region, start_at=t(2025, 9, 23, 10), case=case, length=15
        )  # 09-23 + 15 = 10-08, the last day of the holiday
    assert clock.due_at == end(2025, 10, 9)


@pytest.mark.django_db
def test_an_extension_ending_on_a_holiday_ends_on_the_next_working_day():
    case = world.make_case("360302")
    leader = world.user("leader", "360302")
    with transaction.atomic():
        clock = deadline_start(kind="supervision.complete", region=case.region, start_at=t(2025, 9, 1, 10), case=case)
        assert clock.due_at == end(2025, 9, 16)
        deadline_extend(deadline=clock, length=17, reason="情况复杂", approved_by=leader, at=t(2025, 9, 10))
    assert clock.due_at == end(2025, 10, 9)  # 09-16 + 17 = 10-03


@pytest.mark.django_db
def test_working_day_periods_keep_counting_working_days():
    due_at, _warn = due_times("listing.defence", t(2025, 9, 26, 10))  # 09-28 (调休), 09-29, 09-30, 10-09, 10-10
    assert due_at == end(2025, 10, 10)
    assert due_at.date() == add_working_days(D("2025-09-26"), 5)


@pytest.mark.django_db
def test_hour_clocks_do_not_move():
    assert due_times("referral.transfer", t(2025, 9, 30, 10))[0] == t(2025, 10, 1, 10)


@pytest.mark.django_db
def test_the_listing_term_fixed_by_the_decision_keeps_its_day():
    """The 3-year term ends on the day the decision states, holiday or not."""
    assert RULES["listing.term"].holiday_rolls is False
    length = (D("2028-10-03") - D("2025-10-03")).days
    assert due_times("listing.term", t(2025, 10, 3, 10), length=length)[0] == end(2028, 10, 3)
