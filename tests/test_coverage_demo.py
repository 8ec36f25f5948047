"""The coverage demo (indicators.demo, run by seed_demo): 安源区 above the targets, 湘东区 below them."""

from __future__ import annotations

import pytest

from indicators.demo import coverage_demo
from indicators.figures import coverage_of
from indicators.models import CoverageSnapshot
from tests import world

pytestmark = pytest.mark.django_db


def test_one_demo_county_above_the_targets_and_one_below():
    assert coverage_demo(progress=lambda *a: None) > 0
    above = coverage_of(world.region("360302"), None, live=False)["totals"]
    below = coverage_of(world.region("360313"), None, live=False)["totals"]
    assert above["counts"]["building"] >= 6 and below["counts"]["building"] >= 6
    assert above["meets"] == {"real_name": True, "account": True, "on_behalf": None, "deposit": None}
    assert below["meets"]["real_name"] is False
    city = coverage_of(world.region("360300"), None, live=False)
    assert {row["code"] for row in city["rows"]} >= {"360302", "360313"}
    count = CoverageSnapshot.objects.count()
    coverage_demo(progress=lambda *a: None)  # idempotent
    assert CoverageSnapshot.objects.count() == count
    assert coverage_of(world.region("360302"), None, live=False)["totals"]["counts"] == above["counts"]
