"""Per-province settings: the row for a region's province, or the defaults of SPEC §4."""

from __future__ import annotations

from .models import ProvinceConfig, Region


def province_of(region: Region) -> Region:
    code = region.path.split("/", 1)[0].ljust(2, "0") + "0000"
    return region if region.code == code else Region.objects.get(code=code)


def province_config(region: Region) -> ProvinceConfig:
    """The province's settings (an unsaved instance with the defaults when none was entered)."""
    province = province_of(region)
    config = ProvinceConfig.objects.filter(province=province).first()
    return config or ProvinceConfig(province=province)
