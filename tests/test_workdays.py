"""The working-day calendar: chinese_calendar + WorkdayOverride, weekends for uncovered years.

Expected dates are worked out by hand from the State Council's 2026 schedule: 09-20 (Sun) and
10-10 (Sat) are make-up working days; 09-25 (Fri, Mid-Autumn) and 10-01..07 are holidays.
chinese_calendar 1.11.0 covers 2004-2026; 2027 falls back to Monday-Friday.
"""

from datetime import date, datetime

import pytest

from cases import workdays
from cases.models import WorkdayOverride
from cases.workdays import Calendar, add_working_days, is_workday, working_days_between, year_covered

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 9, 24), True),  # Thu
        (date(2026, 9, 25), False),  # Fri, Mid-Autumn Festival
        (date(2026, 9, 26), False),  # Sat
        (date(2026, 9, 20), True),  # Sun, make-up working day
        (date(2026, 9, 28), True),  # Mon
        (date(2026, 10, 1), False),
        (date(2026, 10, 5), False),  # Mon inside the National Day week
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),  # Sat, make-up working day (调休)
        (date(2026, 10, 11), False),  # Sun
        (date(2027, 1, 1), True),  # Fri: 2027 is not covered, weekends only
        (date(2027, 1, 2), False),  # Sat
        (date(2027, 1, 3), False),  # Sun
        (date(2027, 1, 4), True),
    ],
)
def test_it_knows_holidays_make_up_days_and_weekends(day, expected):
    assert is_workday(day) is expected


def test_coverage_of_the_package():
    assert year_covered(2026) is True
    assert year_covered(2004) is True
    assert year_covered(2027) is False
    assert year_covered(2003) is False


def test_an_override_wins_over_the_package_and_the_weekend_fallback():
    WorkdayOverride.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦")
    WorkdayOverride.objects.create(date=date(2027, 1, 2), is_workday=True, note="调休")
    WorkdayOverride.objects.create(date=date(2026, 10, 8), is_workday=False, note="test")
    WorkdayOverride.objects.create(date=date(2026, 10, 11), is_workday=True, note="test")
    assert is_workday(date(2027, 1, 1)) is False
    assert is_workday(date(2027, 1, 2)) is True
    assert is_workday(date(2026, 10, 8)) is False
    assert is_workday(date(2026, 10, 11)) is True


def test_the_first_day_is_not_counted():
    assert add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 24)  # Mon -> Tue
    assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Fri -> Mon
    assert add_working_days(date(2026, 11, 23), 0) == date(2026, 11, 23)


def test_five_working_days_across_national_day():
    # 09-29, 09-30, 10-08, 10-09, 10-10 (Sat, make-up day)
    assert add_working_days(date(2026, 9, 28), 5) == date(2026, 10, 10)
    # 09-24, (09-25 holiday), 09-28, 09-29, 09-30, 10-08
    assert add_working_days(date(2026, 9, 23), 5) == date(2026, 10, 8)


def test_five_working_days_into_an_uncovered_year():
    # 2027-01-01 (Fri) counts under the weekend fallback: 01, 04, 05, 06, 07
    assert add_working_days(date(2026, 12, 31), 5) == date(2027, 1, 7)
    WorkdayOverride.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦")
    assert add_working_days(date(2026, 12, 31), 5) == date(2027, 1, 8)


def test_negative_counts_go_backwards():
    assert add_working_days(date(2026, 10, 10), -1) == date(2026, 10, 9)
    assert add_working_days(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert add_working_days(date(2026, 9, 28), -1) == date(2026, 9, 24)


def test_working_days_between_counts_the_half_open_interval():
    assert working_days_between(date(2026, 9, 28), date(2026, 10, 10)) == 5
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 8)) == 1
    assert working_days_between(date(2026, 9, 24), date(2026, 9, 28)) == 1
    assert working_days_between(date(2026, 10, 10), date(2026, 10, 10)) == 0
    assert working_days_between(date(2026, 10, 10), date(2026, 9, 28)) == -5
    assert working_days_between(date(2026, 10, 10), date(2026, 10, 12)) == 1


def test_it_refuses_a_datetime():
    with pytest.raises(TypeError):
        is_workday(datetime(2026, 10, 10, 12, 0))
    with pytest.raises(TypeError):
        add_working_days(datetime(2026, 10, 10, 12, 0), 1)


def test_overrides_are_read_once_per_year_touched(django_assert_num_queries):
    # 60 working days from 2026-12-01 reach into 2027: one query per year.
    with django_assert_num_queries(2):
        add_working_days(date(2026, 12, 1), 60)
    cal = Calendar()
    with django_assert_num_queries(1):
        for day in range(1, 29):
            cal.is_workday(date(2026, 2, day))
        cal.add_working_days(date(2026, 3, 2), 20)
        cal.working_days_between(date(2026, 1, 5), date(2026, 12, 31))
    assert workdays.year_covered.cache_info().currsize >= 1


def test_the_admin_flags_years_the_package_does_not_cover(client, monkeypatch):
    from django.contrib.auth import get_user_model
    from django.contrib.messages import get_messages
    from django.urls import reverse
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 11, 27))
    client.force_login(get_user_model().objects.create_superuser("calendar_admin", "a@example.cn", None))
    response = client.get(reverse("admin:cases_workdayoverride_changelist"))
    assert response.status_code == 200
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == ["2027年节假日数据未收录：按周末计算，请在此维护调休/节假日"]
