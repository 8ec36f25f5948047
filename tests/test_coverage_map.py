"""The coverage page's map (indicators.web.coverage_map): a city's counties, or the province's cities, each with
the same counts, shares, verdicts against the target and project-list links as the by-region table; the
vendored boundaries name the regions the map data names; no map where there are no regions below to draw."""

from __future__ import annotations

import html as htmllib
import json
import re
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cases.models import Region
from cases.web.dashboard_views import CITY_MAPS, MAP_RENAMED
from indicators.figures import share_keys
from tests import world
from tests.coveragekit import covered_project

pytestmark = pytest.mark.django_db

DATA = re.compile(r'<script id="zq-coverage-data" type="application/json">(.*?)</script>', re.S)
ROW = re.compile(r"<tr>\s*<td>(.*?)</tr>", re.S)


@pytest.fixture
def projects():
    return [
        covered_project(301),  # 安源区: everything
        covered_project(302, attendance=False),  # 安源区: no real-name attendance
        covered_project(303, region="360313", account=False),  # 湘东区: no wage account
        covered_project(304, region="360102", on_behalf=False),  # 南昌 东湖区
    ]


def page(user, region: str, lang: str | None = None) -> str:
    client = Client()
    client.force_login(user)
    headers = {"HTTP_ACCEPT_LANGUAGE": lang} if lang else {}
    response = client.get(reverse("indicators:coverage"), {"region": region, "month": "2026-05"}, **headers)
    assert response.status_code == 200
    return response.content.decode()


def chart(html: str) -> dict:
    return json.loads(DATA.search(html).group(1))


def table_rows(html: str) -> dict[str, dict]:
    """The by-region table, read as a user reads it: per region code, each share's count, link and shown
    share ("50.0%", or None for "—"), and whether it is marked 未达标 / 达标."""
    out: dict[str, dict] = {}
    for row in ROW.findall(html):
        code = re.search(r"\?region=(\d{6})", row)
        if not code or "本级" in row:
            continue
        cells = re.findall(r"<td class=\"num\">(.*?)</td>", row, re.S)
        figures = {}
        for key in share_keys():
            link = re.search(rf'<a href="([^"]*figure={key}[^"]*)" data-figure="{key}" data-value="(\d+)"', row)
            position = next(i for i, c in enumerate(cells) if f'data-figure="{key}"' in c)
            shown = re.sub(r"<[^>]+>", " ", cells[position + 1])
            percent = re.search(r"([\d.]+)%", shown)
            figures[key] = {
                "url": htmllib.unescape(link.group(1)),
                "count": int(link.group(2)),
                "share": float(percent.group(1)) if percent else None,
                "meets": False if "未达标" in shown else True if "达标" in shown else None,
            }
        building = re.search(r'data-figure="building" data-value="(\d+)"', row)
        out[code.group(1)] = {"building": int(building.group(1)), "figures": figures}
    return out


def assert_map_equals_table(html: str) -> dict:
    area_map = chart(html)["map"]
    table = table_rows(html)
    assert {a["code"] for a in area_map["areas"]} == set(table)
    for area in area_map["areas"]:
        row = table[area["code"]]
        assert area["building"] == row["building"], area["name"]
        for key, cell in row["figures"].items():
            assert area["counts"][key] == cell["count"], (area["name"], key)
            assert area["shares"][key] == cell["share"], (area["name"], key)
            assert area["meets"][key] == cell["meets"], (area["name"], key)
            assert area["urls"][key] == cell["url"], (area["name"], key)
    return area_map


def test_a_city_maps_its_counties_with_the_tables_figures_links_and_target(projects):
    html = page(world.user("leader", "360300"), "360300")
    area_map = assert_map_equals_table(html)
    assert area_map["name"] == CITY_MAPS["360300"] and area_map["parts"] == [] and area_map["renamed"] == MAP_RENAMED
    assert area_map["scripts"] == ["zhiqian/vendor/echarts-china-cities/360300.js"]
    assert 'src="/static/zhiqian/vendor/echarts-china-cities/360300.js"' in html and 'id="zq-coverage-map"' in html
    by_name = {a["name"]: a for a in area_map["areas"]}
    anyuan, xiangdong = by_name["安源区"], by_name["湘东区"]
    # 安源区: 1 of 2 with real-name attendance, 50 % against the plan's 100 % from 2019
    real_name = (anyuan["counts"]["real_name"], anyuan["shares"]["real_name"], anyuan["meets"]["real_name"])
    assert real_name == (1, 50.0, False)
    assert (xiangdong["shares"]["account"], xiangdong["meets"]["account"]) == (0.0, False)
    assert (xiangdong["shares"]["real_name"], xiangdong["meets"]["real_name"]) == (100.0, True)
    assert area_map["targets"]["real_name"] == 100.0 and area_map["targets"]["on_behalf"] is None
    assert "figure=account" in xiangdong["urls"]["account"] and "region=360313" in xiangdong["urls"]["account"]
    # the figure picker offers every share shown in the table, and is revealed by the script only
    assert re.search(r'<label class="zq-coverage-map-pick" hidden>', html)
    picker = re.search(r'<select id="zq-coverage-map-figure">(.*?)</select>', html, re.S).group(1)
    assert set(re.findall(r'<option value="(\w+)">', picker)) == set(share_keys()) == set(area_map["figures"])


def test_the_province_maps_its_cities_joined_from_their_county_maps(projects):
    html = page(world.user("leader", "360000"), "360000")
    area_map = assert_map_equals_table(html)
    assert [p["code"] for p in area_map["parts"]] == sorted(CITY_MAPS)
    assert area_map["scripts"] == [f"zhiqian/vendor/echarts-china-cities/{c}.js" for c in sorted(CITY_MAPS)]
    names = dict(Region.objects.filter(code__in=CITY_MAPS).values_list("code", "name"))
    # each area is named as the city's row in the table, which the script gives the joined counties
    assert {p["code"]: p["name"] for p in area_map["parts"]} == names
    assert {a["name"] for a in area_map["areas"]} == {names["360300"], names["360100"]}
    for part in area_map["parts"]:
        body = open(finders.find(f"zhiqian/vendor/echarts-china-cities/{part['code']}.js"), encoding="utf-8").read()
        assert f"echarts.registerMap('{part['map']}'" in body


def test_the_maps_colour_follows_the_provinces_own_target(projects):
    from indicators.targets import coverage_target_save

    coverage_target_save(actor=None, province=Region.objects.get(code="360000"), year=2026,
                         values={"real_name": "50", "account": "90", "on_behalf": ""})  # fmt: skip
    area_map = assert_map_equals_table(page(world.user("leader", "360300"), "360300"))
    anyuan = next(a for a in area_map["areas"] if a["name"] == "安源区")
    assert area_map["targets"]["real_name"] == float(Decimal("50"))
    assert anyuan["meets"]["real_name"] is True  # 50 % reaches a 50 % target exactly


def test_no_map_for_a_county_or_an_own_office_view(projects):
    county = page(world.user("leader", "360302"), "360302")
    assert "map" not in chart(county) and 'id="zq-coverage-map"' not in county and "echarts-china-cities" not in county
    own_office = page(world.user("clerk", "360300"), "360300")  # the city's own office: no regions below
    assert "map" not in chart(own_office) and "echarts-china-cities" not in own_office


def test_out_of_scope_and_wrong_role_see_no_map(projects):
    client = Client()
    client.force_login(world.user("leader", "360300"))
    assert client.get(reverse("indicators:coverage"), {"region": "360000"}).status_code == 404
    client.force_login(world.user("admin", "360300"))
    assert client.get(reverse("indicators:coverage"), {"region": "360300"}).status_code == 403


def test_the_map_in_english(projects):
    html = page(world.user("leader", "360300"), "360300", lang="en")
    with translation.override("en"):
        area_map = chart(html)["map"]
    assert area_map["words"]["below"] == "below target" and "未达标" not in json.dumps(area_map["words"])
    assert "Coverage map of the counties" in html
