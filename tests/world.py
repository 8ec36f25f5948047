"""The shared test world: China's regions, one user per role at each demo level,
and one case in each place the permission tests need.

Levels: province 360000 江西省, city 360300 萍乡市, county 360302 安源区.
Out of scope: county 360313 湘东区 (sibling), 360102 东湖区 (another city), 430102 (another province).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from cases.models import Region, Role
from cases.regions import regions_load
from cases.services import staff_create
from tests import factories

LEVELS = {"province": "360000", "city": "360300", "county": "360302"}
CASE_REGIONS = ["360302", "360313", "360300", "360102", "360000", "430102"]


def username(role: str, code: str) -> str:
    return f"{role}_{code}"


def build() -> None:
    regions_load()
    for code in [*LEVELS.values(), "360313"]:
        region = Region.objects.get(code=code)
        for role in Role.values:
            staff_create(username=username(role, code), region=region, role=role)
    for code in CASE_REGIONS:
        make_case(code)


def make_case(code: str, *, employer: str | None = None, workers: int = 5, amount: str = "50000.00"):
    """A new case of one complaint at `code`, filed through the services with no flow
    (tests.factories.case(flow=False)). Each call has its own project, so intake never groups
    the complaint onto an earlier open case; the employer has no USCC, so each name is its own employer."""
    return factories.case("filed", region=code, employer=employer, workers=workers, amount=amount, flow=False)


def user(role: str, code: str):
    return get_user_model().objects.get(username=username(role, code))


def case_in(code: str):
    from cases.models import Case

    return Case.objects.filter(region__code=code).order_by("id").first()


def region(code: str):
    return Region.objects.get(code=code)


def user_by_name(name: str):
    return get_user_model().objects.get(username=name)


def second_inspector(code: str):
    """A second inspector at `code` (investigations need two)."""
    name = f"inspector2_{code}"
    existing = get_user_model().objects.filter(username=name).first()
    return existing or staff_create(username=name, region=Region.objects.get(code=code), role=Role.INSPECTOR)
