"""The shared test world: China's regions, one user per role at each demo level,
and one case in each place the permission tests need.

Levels: province 360000 江西省, city 360300 萍乡市, county 360302 安源区.
Out of scope: county 360313 湘东区 (sibling), 360102 东湖区 (another city), 430102 (another province).
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model

from cases.models import Channel, Region, Role
from cases.regions import regions_load
from cases.services import case_file, complaint_receive, staff_create

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


_serial = itertools.count(1)


def make_case(code: str, *, employer: str | None = None, workers: int = 5, amount: str = "50000.00"):
    """A new case of one complaint at `code`. Each call has its own project, so intake never groups
    the complaint onto an earlier open case; the employer has no USCC, so each name is its own employer."""
    region = Region.objects.get(code=code)
    complaint = complaint_receive(
        actor=None,
        channel=Channel.WEB,
        complainant={"name": f"投诉人{code}", "id_number": "34052419800101001X", "phone": "13807990001"},
        employer={"name": employer or f"{region.name}某建筑有限公司"},
        project={"name": f"{region.name}某项目{next(_serial)}"},
        region=region,
        workers_count=workers,
        amount_owed=Decimal(amount),
        period_start=date(2026, 5, 1),
        period_end=date(2026, 10, 31),
        description="拖欠工资",
    )
    return case_file(actor=None, role="", region=region, complaints=[complaint])


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
