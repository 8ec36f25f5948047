"""Months of arrears (issue 13 item 7): one count, used by the credit listing's criteria and the criminal
referral alike — a worker's unpaid periods merged, gaps left out, whole calendar months from the run's first
day and the rest as a share of the next month (cases.arrears_months)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from accountability import listing as lst
from cases.arrears_months import merged_periods, months_between, months_text, worker_months
from cases.ledger import ledger_entry_add
from cases.models import Case
from cases.referral import referral_eligibility
from tests import factories, world
from tests.test_referral import worker_id

D = date.fromisoformat


def months(*periods: tuple[str, str]) -> Fraction:
    return worker_months([(D(a), D(b)) for a, b in periods])


# --- the rule at its boundaries (pure) --------------------------------------------------------------------


def test_same_month_whole_and_partial():
    assert months(("2026-01-01", "2026-01-31")) == 1
    assert months(("2026-01-10", "2026-01-20")) == Fraction(11, 31)
    assert months(("2026-04-01", "2026-04-01")) == Fraction(1, 30)


def test_adjacent_months_join_into_one_run():
    assert months(("2026-01-01", "2026-01-31"), ("2026-02-01", "2026-02-28")) == 2
    assert merged_periods([(D("2026-02-01"), D("2026-02-28")), (D("2026-01-01"), D("2026-01-31"))]) == [
        (D("2026-01-01"), D("2026-02-28"))
    ]
    # overlapping periods are counted once
    assert months(("2026-01-01", "2026-02-28"), ("2026-02-01", "2026-03-31")) == 3


def test_a_gap_between_periods_is_not_counted():
    """One worker owed January and April 2026: 2 months, not the 4 of the span."""
    assert months(("2026-01-01", "2026-01-31"), ("2026-04-01", "2026-04-30")) == 2


def test_partial_months_count_as_a_share_of_the_following_month():
    assert months(("2026-05-01", "2026-07-30")) == 2 + Fraction(30, 31)
    assert months(("2026-05-15", "2026-08-14")) == 3
    assert months(("2026-05-15", "2026-08-13")) == 2 + Fraction(30, 31)
    assert months_text(2 + Fraction(30, 31)) == "2.9"  # rounded down: never reads as 3


def test_month_ends_a_run_from_the_31st_ends_on_the_last_day_of_a_shorter_month():
    assert months(("2026-01-31", "2026-02-28")) == 1
    assert months(("2026-01-30", "2026-02-28")) == 1
    assert months(("2026-08-31", "2026-11-30")) == 3
    assert months(("2026-01-31", "2026-03-30")) == 2  # the day before the 31st of March


def test_leap_february():
    assert months(("2028-02-01", "2028-02-29")) == 1
    assert months(("2028-02-01", "2028-02-28")) == Fraction(28, 29)
    assert months(("2028-01-31", "2028-02-29")) == 1
    assert months(("2028-01-29", "2028-02-28")) == 1
    assert months(("2027-12-01", "2028-02-29")) == 3


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        months_between(D("2026-02-01"), D("2026-01-31"))


# --- one count for the listing and the referral --------------------------------------------------------------


def _case_with(entries: list[tuple[str, str, str]]) -> Case:
    case = factories.order_served_and_due(world.make_case("360302"))
    inspector = world.user("inspector", "360302")
    for start, end, amount in entries:
        ledger_entry_add(
            case=case,
            worker={"name": "工人1", "id_number": worker_id(1)},
            period_start=start,
            period_end=end,
            amount_owed=amount,
            actor=inspector,
        )
    return case


@pytest.mark.django_db
def test_listing_and_referral_count_months_of_arrears_the_same_way():
    """January and April 2026, 12,000 owed: 2 months — under the 3-month single-worker threshold for both."""
    case = _case_with([("2026-01-01", "2026-01-31", "6000.00"), ("2026-04-01", "2026-04-30", "6000.00")])
    eligible, _reasons, failures = lst.listing_criteria(case)
    assert not eligible and any("数额较大" in f for f in failures), failures
    referral = referral_eligibility(case)
    assert any("单人最多拖欠2个月" in f for f in referral.failures), referral.failures


@pytest.mark.django_db
def test_listing_states_the_months_of_arrears_as_counted():
    """Adjacent periods, three months: the listing's reason names 3 months, like the referral."""
    case = _case_with([("2026-01-01", "2026-02-28", "6000.00"), ("2026-03-01", "2026-03-31", "6000.00")])
    eligible, reasons, _failures = lst.listing_criteria(case)
    assert eligible and any("其中一名劳动者3个月尚欠12,000.00元" in r for r in reasons), reasons
