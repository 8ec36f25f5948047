"""Routing: the region a complaint goes to, and on what basis."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ..models import Region
from .region_index import _address_parse, _region_by_code
from .validation import CleanComplaint

POOL_BASIS: dict[str, str] = {Region.Level.CITY: "city_pool", Region.Level.PROVINCE: "province_pool"}


def complaint_route(clean: CleanComplaint) -> tuple[Region, str]:
    """(region, basis): the county where the labour is used, else the city's or the province's intake pool.

    basis: "region_code", "project_address", "employer_address", "city_pool" or "province_pool".
    Runs no query once the region index is loaded.
    """
    chosen = _region_by_code(clean.region_code) if clean.region_code else None
    if chosen is not None and chosen.level == Region.Level.COUNTY:
        return chosen.region(), "region_code"
    best = chosen  # a city or province chosen: look for a county inside it
    sources = [
        (clean.project.address if clean.project else "", "project_address"),
        (clean.employer.address, "employer_address"),
    ]
    for text, basis in sources:
        found = _address_parse(text, within=best)
        if found is None or not found.within(best):
            continue
        if found.level == Region.Level.COUNTY:
            return found.region(), basis
        best = found  # a city (or province) narrower than what we had: keep looking for a county in it
    if best is None:
        code = getattr(settings, "ZHIQIAN_DEFAULT_INTAKE_REGION", "360000")
        best = _region_by_code(code)
        if best is None:
            raise ImproperlyConfigured(f"ZHIQIAN_DEFAULT_INTAKE_REGION={code!r} is not a loaded region")
    return best.region(), POOL_BASIS.get(best.level, "province_pool")
