"""The early-warning numbers of a region's province (WarningConfig; defaults when the province has no row)."""

from __future__ import annotations

from cases import configuration
from cases.actors import Actor
from cases.models import Region
from cases.tx import one_transaction

from .models import WarningConfig


def province_of(region: Region) -> Region | None:
    """The province above `region` (or itself): its path's first segment."""
    if region.level == "province":
        return region
    code = region.code[:2] + "0000"
    return Region.objects.filter(code=code).first()


def config_for(region: Region | None) -> WarningConfig:
    """The province's row, or an unsaved row with the defaults (nothing is written by reading)."""
    province = province_of(region) if region is not None else None
    if province is None:
        return WarningConfig()
    row = WarningConfig.objects.filter(province=province).first()
    return row or WarningConfig(province=province)


class ConfigCache:
    """config_for() once per province in a run over many projects."""

    def __init__(self) -> None:
        self._by_code: dict[str, WarningConfig] = {}

    def __call__(self, region: Region) -> WarningConfig:
        code = region.code[:2]
        if code not in self._by_code:
            self._by_code[code] = config_for(region)
        return self._by_code[code]


FIELDS = [f.name for f in WarningConfig._meta.fields if f.name not in ("id", "province")]


@one_transaction
def warning_config_save(*, actor: Actor, province: Region, values: dict) -> WarningConfig:
    """Set the province's early-warning numbers (a row with the defaults on the first change): one event with
    the changes on the province's timeline. Only a province administrator (cases.configuration)."""
    return configuration.province_settings_save(
        model=WarningConfig,
        actor=actor,
        province=province,
        values=values,
        fields=FIELDS,
        event="config.warning_changed",
    )
