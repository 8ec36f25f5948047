"""The coverage indicators count the projects whose wage deposit is in place (registered by the deposits app on
projects.coverage): deposited by the month's end and not returned before it began; the figure opens its list."""

from datetime import date

import pytest

from cases.models import Role
from deposits.register import deposit_record, deposit_register
from indicators.figures import coverage_for
from tests import factories, world
from tests.depositkit import project_with

pytestmark = pytest.mark.django_db


def test_a_project_with_its_deposit_in_place_counts_and_the_figure_opens_its_list(client):
    held, missing = project_with(801, since=date(2025, 6, 1)), project_with(802, since=date(2025, 6, 1))
    clerk = factories.staff(Role.CLERK, "360302")
    deposit = deposit_register(project=held, actor=clerk)
    deposit_register(project=missing, actor=clerk)
    deposit_record(deposit=deposit, form="cash", bank="农行", amount=deposit.required_amount,
                   deposited_on=date(2026, 3, 10), account_no="6228480000001234", actor=clerk)  # fmt: skip
    leader = world.user("leader", "360302")
    client.force_login(leader)
    march = coverage_for(user=leader, region_code="360302", month=date(2026, 3, 1), live=True)["totals"]
    february = coverage_for(user=leader, region_code="360302", month=date(2026, 2, 1), live=True)["totals"]
    assert (march["counts"]["building"], march["counts"]["deposit"]) == (2, 1)
    assert february["counts"]["deposit"] == 0  # deposited in March
    listed = client.get(march["links"]["deposit"]).context["page"].object_list
    assert [p.pk for p in listed] == [held.pk]
