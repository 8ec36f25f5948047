"""Coverage indicators (issue 16 item 4): the shares at the target boundaries, the figures rolled up by region
and equal to the project lists they open, set-based counting, the snapshot, the targets' setting."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import TimelineEvent
from indicators.compute import coverage_refresh, figures_by_region
from indicators.figures import coverage_for, coverage_of
from indicators.models import CoverageSnapshot, CoverageTarget
from indicators.targets import coverage_target_save, meets, plan_targets, share, targets_for
from tests import world
from tests.coveragekit import MONTH, covered_project

pytestmark = pytest.mark.django_db


# --- the arithmetic at the plan's boundaries ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "total", "target", "met", "shown"),
    [
        (799, 1000, 80, False, "79.9"),
        (7999, 10000, 80, False, "79.9"),  # 79.99 % shows as 79.9, never as the target
        (800, 1000, 80, True, "80.0"),
        (899, 1000, 90, False, "89.9"),
        (900, 1000, 90, True, "90.0"),
        (999, 1000, 100, False, "99.9"),
        (1000, 1000, 100, True, "100.0"),
        (4, 5, 80, True, "80.0"),
    ],
)
def test_share_meets_its_target_exactly_at_the_boundary(count, total, target, met, shown):
    assert meets(count, total, Decimal(target)) is met
    assert str(share(count, total)) == shown


def test_no_projects_or_no_target_is_neither_met_nor_missed():
    assert share(0, 0) is None
    assert meets(0, 0, Decimal("80")) is None
    assert meets(3, 4, None) is None


def test_the_plans_targets_by_year_80_90_100():
    assert plan_targets(2016)["real_name"] == 80
    assert plan_targets(2017) == {"real_name": 80, "account": 80, "on_behalf": None}
    assert plan_targets(2018) == {"real_name": 90, "account": 90, "on_behalf": None}
    assert plan_targets(2019)["account"] == 100 and plan_targets(2026)["real_name"] == 100


def test_a_province_row_replaces_the_plan_from_its_year_on():
    jiangxi = world.region("360000")
    coverage_target_save(actor=None, province=jiangxi, year=2025, values={"real_name": "95", "account": "90"})
    assert targets_for(jiangxi.pk, 2018)["real_name"] == 90  # the plan's before the row's year
    assert targets_for(jiangxi.pk, 2026) == {"real_name": 95, "account": 90, "on_behalf": None}
    assert targets_for(world.region("430000").pk, 2026)["real_name"] == 100  # another province: the plan's


# --- the figures, rolled up, against counts made here --------------------------------------------------------


@pytest.fixture
def projects():
    """360302: 5 projects — 4 with attendance (80 %), 3 with an account, 2 paid by the general contractor, one
    paid short; 360313: 2 projects, both covered; one stopped project in 360302 that counts nowhere."""
    made = [
        covered_project(101),
        covered_project(102),
        covered_project(103, account=False, on_behalf=False),
        covered_project(104, account=False, paid="400.00", on_behalf=False),
        covered_project(105, attendance=False, paid=None),
        covered_project(106, region="360313"),
        covered_project(107, region="360313"),
        covered_project(108, status="stopped"),
    ]
    return made


EXPECTED = {
    "360302": {"building": 5, "real_name": 4, "account": 3, "on_behalf": 2, "sheet": 5, "paid_full": 3,
               "deposit": 0},
    "360313": {"building": 2, "real_name": 2, "account": 2, "on_behalf": 2, "sheet": 2, "paid_full": 2,
               "deposit": 0},
}


def test_figures_per_county_rolled_up_to_city_and_province(projects):
    figures = figures_by_region([MONTH])
    county = figures[("36/3603/360302/", MONTH)]
    assert county["counts"] == EXPECTED["360302"]
    assert county["wages_due"] == Decimal("5000") and county["wages_paid"] == Decimal("3400")
    city = figures[("36/3603/", MONTH)]["counts"]
    assert city == {k: EXPECTED["360302"][k] + EXPECTED["360313"][k] for k in city}
    assert figures[("36/", MONTH)]["counts"] == city
    assert ("36/3601/", MONTH) not in figures  # no projects in 南昌


def test_counting_is_set_based_the_queries_do_not_grow_with_projects(projects):
    with CaptureQueriesContext(connection) as few:
        figures_by_region([MONTH])
    for n in range(120, 126):
        covered_project(n, region="360313")
    with CaptureQueriesContext(connection) as more:
        figures_by_region([MONTH])
    assert len(few) == len(more) == 2


def test_the_share_against_a_province_target_at_80_and_90(projects):
    jiangxi = world.region("360000")
    coverage_target_save(actor=None, province=jiangxi, year=2026, values={"real_name": "80", "account": "60"})
    data = coverage_of(world.region("360302"), MONTH, live=True)
    assert data["totals"]["shares"]["real_name"] == Decimal("80.0")
    assert data["totals"]["meets"]["real_name"] is True  # 4 of 5 = 80 %
    assert data["totals"]["meets"]["account"] is True  # 3 of 5 = 60 %
    assert data["totals"]["meets"]["on_behalf"] is None  # no target
    coverage_target_save(actor=None, province=jiangxi, year=2026, values={"real_name": "90", "account": "60.1"})
    data = coverage_of(world.region("360302"), MONTH, live=True)
    assert data["totals"]["meets"]["real_name"] is False and data["totals"]["meets"]["account"] is False


def test_the_snapshot_reads_what_the_live_count_shows(projects):
    assert coverage_refresh(months=[MONTH]) == 4  # 360302, 360313, 360300, 360000
    city = world.region("360300")
    snap, live = coverage_of(city, MONTH, live=False), coverage_of(city, MONTH, live=True)
    assert snap["totals"]["counts"] == live["totals"]["counts"]
    assert [r["counts"] for r in snap["rows"]] == [r["counts"] for r in live["rows"]]
    assert snap["refreshed_at"] is not None
    covered_project(130)  # the snapshot moves on its next refresh only
    assert coverage_of(city, MONTH, live=False)["totals"]["counts"]["building"] == 7
    coverage_refresh(months=[MONTH])
    assert CoverageSnapshot.objects.get(region=city, month=MONTH).counts["building"] == 8


def test_every_figure_opens_the_list_of_exactly_its_projects(client, projects):
    leader = world.user("leader", "360300")
    client.force_login(leader)
    data = coverage_for(user=leader, region_code="360300", month=MONTH, live=True)
    rows = {row["code"]: row for row in data["rows"]}
    assert {k: rows["360302"]["counts"][k] for k in EXPECTED["360302"]} == EXPECTED["360302"]
    checked = 0
    for row in [*data["rows"], data["totals"]]:
        for key, url in row["links"].items():
            page = client.get(url)
            assert page.status_code == 200, url
            assert page.context["page"].paginator.count == row["counts"][key], url
            checked += 1
    assert checked == 3 * 7  # six figures of projects, and the deposits' (registered by deposits)
    # the wages link to the projects with a wage sheet: their sum is the figure
    listed = client.get(rows["360302"]["links"]["sheet"]).context["page"].object_list
    assert {p.project_no for p in listed} == {p.project_no for p in projects[:5]}


def test_the_trend_has_twelve_months_ending_with_the_month(projects):
    data = coverage_of(world.region("360302"), MONTH, live=True)
    assert [m["month"] for m in data["trend"]][-1] == MONTH and len(data["trend"]) == 12
    assert data["trend"][0]["month"] == date(2025, 6, 1) and data["trend"][0]["counts"]["building"] == 0


# --- the targets' setting --------------------------------------------------------------------------------------


def test_only_the_province_administrator_sets_targets_and_bad_input_names_the_field():
    jiangxi = world.region("360000")
    with pytest.raises(ValidationError) as refused:
        coverage_target_save(actor=world.user("admin", "360300"), province=jiangxi, year=2026,
                             values={"real_name": "90", "account": "90"})  # fmt: skip
    assert "province" in refused.value.message_dict
    with pytest.raises(ValidationError) as bad:
        coverage_target_save(actor=world.user("admin", "360000"), province=jiangxi, year="20x6",
                             values={"real_name": "101", "account": ""})  # fmt: skip
    assert set(bad.value.message_dict) == {"year", "real_name", "account"}
    assert not CoverageTarget.objects.exists()
    coverage_target_save(actor=world.user("admin", "360000"), province=jiangxi, year=2026,
                         values={"real_name": "95", "account": "92.5", "on_behalf": "50"})  # fmt: skip
    event = TimelineEvent.objects.filter(kind="config.coverage_target_saved").get()
    assert event.data["real_name"] == ["", "95"] and event.data["year"] == 2026
