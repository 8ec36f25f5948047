"""Issue 17 item 1: the deposit ratio from the province's rate table and the contractor's record, at every
boundary — clean 2 and 3 years, arrears, listing, the small-contract exemption, the cap (DEP2021; WPR art 32;
domain-rules §3 "Wage guarantee deposit ratio")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from deposits.models import DepositRateTable
from deposits.ratio import deposit_ratio, rate_table
from tests.depositkit import arrears_case, gc_of, listed, project_with

pytestmark = pytest.mark.django_db
D = date(2026, 12, 1)  # the day the ratio is computed for


def ratio(project):
    return deposit_ratio(project=project, contractor=gc_of(project), day=D)


def test_the_defaults_of_the_rate_table_are_the_documented_ones():
    t = rate_table(project_with(301).region)
    assert t.province.level == "province"
    assert (t.base_rate, t.reduced_rate, t.arrears_rate, t.listed_rate) == (
        Decimal("2.00"), Decimal("1.00"), Decimal("2.50"), Decimal("3.00"))  # fmt: skip
    assert Decimal("1") <= t.base_rate <= Decimal("3") and t.listed_rate <= Decimal("3")  # DEP2021: 1 %–3 %
    assert t.small_contract_limit == Decimal("3000000.00")  # contract < 3 million
    assert (t.clean_years_reduce, t.clean_years_exempt, t.arrears_lookback_years) == (2, 3, 2)
    assert (t.deposit_wd, t.bank_pay_wd, t.topup_wd, t.return_notice_days) == (20, 5, 10, 30)  # rows 53-56


def test_a_new_contractor_pays_the_base_rate_with_its_reason():
    p = project_with(302, since=date(2025, 6, 1))  # in the system 1 year and a half: not 2 clean years
    r = ratio(p)
    assert (r.rate, r.amount, r.exempt) == (Decimal("2.00"), Decimal("240000.00"), False)
    assert any("基准比例2%" in x for x in r.reasons) and any("240,000.00" in x for x in r.reasons)


def test_clean_two_years_is_the_reduced_rate_one_day_less_is_the_arrears_rate():
    p = project_with(303)
    arrears_case(p, date(2024, 12, 1))  # exactly 2 years before D
    r = ratio(p)
    assert r.rate == Decimal("1.00") and r.amount == Decimal("120000.00")
    assert any("连续2年无拖欠" in x for x in r.reasons)
    arrears_case(p, date(2024, 12, 2))  # 1 year and 364 days before D
    r = ratio(p)
    assert r.rate == Decimal("2.50") and r.amount == Decimal("300000.00")
    assert any("近2年内有拖欠" in x for x in r.reasons)


def test_clean_three_years_with_real_name_and_account_is_exempt_one_day_less_is_reduced():
    p = project_with(304, real_name=True, account=True)
    arrears_case(p, date(2023, 12, 1))  # exactly 3 years
    r = ratio(p)
    assert r.exempt and r.amount == Decimal("0.00") and any("免予存储" in x for x in r.reasons)
    p2 = project_with(305, real_name=True, account=True)
    arrears_case(p2, date(2023, 12, 2))
    r2 = ratio(p2)
    assert not r2.exempt and r2.rate == Decimal("1.00")


def test_clean_three_years_without_real_name_or_account_is_only_reduced():
    for n, real_name, account in ((306, False, True), (307, True, False)):
        p = project_with(n, real_name=real_name, account=account)
        r = ratio(p)
        assert not r.exempt and r.rate == Decimal("1.00")
        assert any("不予免存" in x for x in r.reasons)


def test_a_listing_raises_the_rate_above_arrears_and_expires_after_the_lookback():
    p = project_with(308)
    case = arrears_case(p, date(2023, 1, 5))  # arrears long ago
    listed(case, date(2024, 12, 2))  # listed within 2 years
    r = ratio(p)
    assert r.rate == Decimal("3.00") and r.amount == Decimal("360000.00")
    assert any("失信联合惩戒名单" in x for x in r.reasons)
    p2 = project_with(309)
    case2 = arrears_case(p2, date(2023, 1, 5))
    listed(case2, date(2024, 12, 1))  # exactly 2 years ago: out of the look-back
    assert ratio(p2).rate == Decimal("1.00")  # 3 clean years, no real-name: reduced


def test_small_contract_without_arrears_in_the_prior_year_is_exempt_at_the_limit_it_is_not():
    p = project_with(310, contract_sum="2999999.99", since=date(2026, 1, 1))
    arrears_case(p, date(2025, 12, 1))  # exactly one year before D: not in the prior year
    r = ratio(p)
    assert r.exempt and any("低于3,000,000.00元" in x for x in r.reasons)
    arrears_case(p, date(2025, 12, 2))  # within the prior year
    assert ratio(p).rate == Decimal("2.50")
    p2 = project_with(311, contract_sum="3000000.00", since=date(2026, 1, 1))
    r2 = ratio(p2)
    assert not r2.exempt and r2.rate == Decimal("2.00") and r2.amount == Decimal("60000.00")
    p3 = project_with(312, contract_sum="1000000.00", since=date(2026, 1, 1))
    listed(arrears_case(p3, date(2024, 1, 2)), date(2025, 6, 1))  # listed: no small-contract exemption
    assert ratio(p3).rate == Decimal("3.00")


def test_the_cap_per_project_and_the_province_may_change_the_table():
    p = project_with(313, contract_sum="250000000.00", since=date(2025, 6, 1))
    r = ratio(p)  # 2 % of 250 million = 5 million: at the cap, not above
    assert r.amount == Decimal("5000000.00") and not any("超过单个项目上限" in x for x in r.reasons)
    DepositRateTable.objects.filter(pk=rate_table(p.region).pk).update(cap_amount=Decimal("4999999.99"))
    r = ratio(p)
    assert r.amount == Decimal("4999999.99") and any("超过单个项目上限" in x for x in r.reasons)
