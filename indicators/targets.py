"""The targets the shares are checked against, and the share arithmetic.

The plan (seed 二(一)): real-name management and a wage special account on 80 % of the projects under
construction by the end of 2017, 90 % by the end of 2018, on all of them from 2019. A province sets its own
current targets (CoverageTarget: from a year on, until a later row), edited by the province's administrator
(cases.configuration.configures) through `coverage_target_save`. 总包代发 has no number in the plan: no target
unless the province sets one.

A share meets its target when count × 100 ≥ target × projects: exact, no rounding (79.9 % is below 80 %). A
share is shown to one decimal, rounded down, so a share below the target never shows as the target.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases import timeline
from cases.actors import Actor
from cases.configuration import configures
from cases.models import Region
from cases.tx import one_transaction

from .models import CoverageTarget

# year from which → (real-name %, account %); before 2017 the first step applies
PLAN: list[tuple[int, Decimal, Decimal]] = [
    (2017, Decimal("80"), Decimal("80")),
    (2018, Decimal("90"), Decimal("90")),
    (2019, Decimal("100"), Decimal("100")),
]
TARGET_FIELDS = ("real_name", "account", "on_behalf")


def plan_targets(year: int) -> dict[str, Decimal | None]:
    real_name, account = PLAN[0][1:]
    for start, rn, acc in PLAN:
        if year >= start:
            real_name, account = rn, acc
    return {"real_name": real_name, "account": account, "on_behalf": None}


def targets_for(province_id: int | None, year: int) -> dict[str, Decimal | None]:
    """The targets of `year` in the province: its latest row from that year or before, else the plan's."""
    row = (
        CoverageTarget.objects.filter(province_id=province_id, year__lte=year).order_by("-year").first()
        if province_id
        else None
    )
    if row is None:
        return plan_targets(year)
    return {f: getattr(row, f) for f in TARGET_FIELDS}


def share(count: int, total: int) -> Decimal | None:
    """count / total in %, one decimal rounded down; None when there is nothing to share."""
    if not total:
        return None
    return (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)


def meets(count: int, total: int, target: Decimal | None) -> bool | None:
    """Whether count out of total reaches target %; None without a target or without projects."""
    if target is None or not total:
        return None
    return Decimal(count) * 100 >= Decimal(target) * total


def _percent(value: Any, field: str, errors: dict, *, required: bool) -> Decimal | None:
    raw = str(value if value is not None else "").strip().removesuffix("%")
    if not raw:
        if required:
            errors.setdefault(field, []).append(_("请填写目标百分比。"))
        return None
    try:
        number = Decimal(raw)
    except ArithmeticError:
        number = Decimal("-1")
    if not number.is_finite() or not 0 <= number <= 100 or number != number.quantize(Decimal("0.1")):
        errors.setdefault(field, []).append(_("目标应为0至100之间的百分比，最多一位小数。"))
        return None
    return number


@one_transaction
def coverage_target_save(*, actor: Actor, province: Region, year: Any, values: dict) -> CoverageTarget:
    """Set the province's targets from `year` on (values: real_name, account, on_behalf — blank: none)."""
    errors: dict[str, list[str]] = {}
    if province.level != Region.Level.PROVINCE:
        errors["province"] = [_("请选择省级区划")]
    elif actor is not None and not configures(actor, province):
        errors["province"] = [_("只有省级系统管理员可以修改覆盖率目标")]
    try:
        clean_year = int(str(year).strip())
        if not 2015 <= clean_year <= 2100:
            raise ValueError
    except ValueError:
        errors["year"] = [_("起始年度应为2015至2100之间的年份。")]
        clean_year = 0
    clean = {f: _percent(values.get(f), f, errors, required=f != "on_behalf") for f in TARGET_FIELDS}
    if errors:
        raise ValidationError(errors)
    row = CoverageTarget.objects.filter(province=province, year=clean_year).first()
    before = {f: getattr(row, f) for f in TARGET_FIELDS} if row else {}
    row, _created = CoverageTarget.objects.update_or_create(province=province, year=clean_year, defaults=clean)
    changed = {f: [str(before.get(f) or ""), str(clean[f] or "")] for f in TARGET_FIELDS if before.get(f) != clean[f]}
    timeline.record(province, "config.coverage_target_saved", actor=actor, data={"year": clean_year, **changed})
    return row
