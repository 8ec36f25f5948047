"""The coverage page, its report download and API (issue 16 item 4): scope (in scope 200, out of scope 404,
wrong role 403), the menu, the XLSX's fixed layout (cell positions), the API in the schema, the report command."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from indicators.compute import coverage_refresh
from projects.registry import industry_role_grant
from tests import world
from tests.coveragekit import MONTH, covered_project
from workflows.menu import entries_for

pytestmark = pytest.mark.django_db

PAGES = ["indicators:coverage", "indicators:coverage-report", "api-coverage"]


@pytest.fixture
def projects():
    return [
        covered_project(201),
        covered_project(202, attendance=False),
        covered_project(203, region="360313", account=False),
    ]


def _get(client, user, name, **params):
    client.force_login(user)
    return client.get(reverse(name), {"month": "2026-05", **params})


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("role", "code", "region", "status"),
    [
        ("leader", "360000", "360302", 200),  # a subtree role: the regions below
        ("auditor", "360300", "360313", 200),
        ("leader", "360302", "360302", 200),
        ("clerk", "360302", "360302", 200),  # an own-office role of a county: its county
        ("inspector", "360302", "", 200),  # no region: the user's own
        ("leader", "360302", "360313", 404),  # a sibling county
        ("clerk", "360302", "360300", 404),  # the city above
        ("leader", "360300", "360102", 404),  # another city
        ("admin", "360302", "360302", 403),  # the administrator: no project data
        ("clerk", "360300", "360300", 200),  # the city's own office: its own projects (本级) only
        ("clerk", "360300", "360302", 404),
    ],
)
def test_scope_of_every_page_and_endpoint(client, projects, name, role, code, region, status):
    assert _get(client, world.user(role, code), name, region=region).status_code == status


@pytest.mark.parametrize("name", PAGES)
def test_an_industry_department_is_refused(client, projects, name):
    user = get_user_model().objects.create(username="housing_cov")
    industry_role_grant(actor=None, user=user, region=world.region("360302"), department="housing")
    assert _get(client, user, name, region="360302").status_code == 403


def test_the_menu_shows_the_page_to_whom_it_opens_for():
    assert "coverage" in [e.key for e in entries_for(world.user("leader", "360300"))]
    assert "coverage" in [e.key for e in entries_for(world.user("clerk", "360302"))]
    assert "coverage" not in [e.key for e in entries_for(world.user("admin", "360302"))]
    assert "coverage" in [e.key for e in entries_for(world.user("clerk", "360300"))]
    assert "coverage-targets" in [e.key for e in entries_for(world.user("admin", "360000"))]


def test_an_own_office_role_of_a_city_sees_its_own_offices_projects_only(client, projects):
    covered_project(204, region="360300")
    clerk = world.user("clerk", "360300")
    body = _get(client, clerk, "api-coverage", region="360300").json()
    assert body["own_only"] is True and body["totals"]["counts"]["building"] == 1
    assert [row["code"] for row in body["rows"]] == ["360300"]
    listed = client.get(body["totals"]["links"]["building"])
    assert listed.context["page"].paginator.count == 1
    leader = _get(client, world.user("leader", "360300"), "api-coverage", region="360300").json()
    assert leader["totals"]["counts"]["building"] == 4 and leader["own_only"] is False


def test_the_page_shows_figures_linked_to_their_lists_and_no_internal_keys(client, projects):
    page = _get(client, world.user("leader", "360300"), "indicators:coverage", region="360300")
    html = page.content.decode()
    assert "安源区" in html and "湘东区" in html and "未达标" in html
    assert 'data-figure="real_name" data-value="2"' in html  # the city's total: 2 of 3
    assert reverse("projects:index") + "?region=360302&amp;figure=real_name&amp;month=2026-05" in html
    assert "zq-coverage-data" in html and "echarts.min.js" in html
    assert "real_name" not in html.replace('data-figure="real_name"', "").replace("figure=real_name", "").replace(
        '"real_name"', ""
    )


def test_bad_month_names_the_field_and_changes_nothing(client, projects):
    leader = world.user("leader", "360300")
    page = _get(client, leader, "indicators:coverage", month="2026-13")
    assert page.status_code == 200 and "统计月份" in page.content.decode()
    assert _get(client, leader, "api-coverage", month="May").json()["errors"]["month"]
    assert _get(client, leader, "indicators:coverage-report", month="x").status_code == 400
    bad_list = client.get(reverse("projects:index"), {"figure": "nope", "month": "2026-05", "region": "999999"})
    assert bad_list.status_code == 200 and set(bad_list.context["filter_errors"]) == {"figure", "region"}


def test_the_api_answers_the_figures_and_is_in_the_schema(client, projects):
    body = _get(client, world.user("leader", "360300"), "api-coverage", region="360300").json()
    assert body["month"] == "2026-05" and body["region"]["code"] == "360300"
    assert body["totals"]["counts"]["building"] == 3 and body["totals"]["shares"]["real_name"] == "66.6"
    assert body["totals"]["meets"]["real_name"] is False and body["targets"]["real_name"] == "100"
    assert body["totals"]["links"]["account"].startswith("/projects/?region=360300&figure=account")
    assert len(body["trend"]) == 12
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/v1/indicators/coverage/" in schema


def test_the_report_layout_cell_by_cell(client, projects):
    response = _get(client, world.user("leader", "360300"), "indicators:coverage-report", region="360300")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="coverage-360300-2026-05.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["覆盖率月报", "项目清单"]
    sheet = book["覆盖率月报"]
    assert sheet["A1"].value == "在建工程项目农民工工资支付保障措施覆盖情况月报"
    assert sheet["A2"].value == "统计月份：2026年5月"
    assert sheet["A3"].value == "填报单位：萍乡市（360300）"
    assert sheet["A4"].value.startswith("计量单位：个、%、元；本年度目标：实名制管理 100%")
    heads = [c.value for c in sheet[5]]
    assert heads[:5] == ["地区", "区划代码", "在建项目数（个）", "实行实名制管理（个）", "实名制管理覆盖率（%）"]
    assert heads[11:14] == ["工资表实发金额（元）", "已支付金额（元）", "支付率（%）"]
    assert [sheet[f"A{r}"].value for r in (6, 7, 8)] == ["安源区", "湘东区", "合计"]
    assert [sheet[f"{c}6"].value for c in "BCDEFG"] == ["360302", 2, 1, 50.0, 2, 100.0]
    assert [sheet[f"{c}8"].value for c in "CDEFG"] == [3, 2, 66.6, 2, 66.6]
    assert sheet["L8"].value == 3000.0 and sheet["O8"].value == 0 and sheet["P8"].value == 2
    assert sheet["A9"].value.startswith("数据更新时间：")
    projects_sheet = book["项目清单"]
    assert [c.value for c in projects_sheet[1]][:6] == [
        "项目编号",
        "项目名称",
        "所在区划",
        "区划代码",
        "行业主管部门",
        "实名制管理",
    ]
    assert projects_sheet.max_row == 4 and projects_sheet["A2"].value == projects[0].project_no


def test_the_report_command_writes_the_file_with_progress(tmp_path, capsys, projects):
    call_command("coverage_report", "--region", "360300", "--month", "2026-05", "--output", str(tmp_path), "--refresh")
    out = capsys.readouterr().out
    assert "1/3" in out and "2/3" in out and "3/3" in out
    book = load_workbook(tmp_path / "coverage-360300-2026-05.xlsx")
    assert book["覆盖率月报"]["C8"].value == 3


def test_the_page_reads_the_snapshot_when_not_live(client, settings, projects):
    settings.ZHIQIAN_DASHBOARD_LIVE = False
    leader = world.user("leader", "360300")
    assert _get(client, leader, "api-coverage").json()["totals"]["counts"]["building"] == 0
    call_command("refresh_coverage", "--months", "1")  # this month only: nothing of May
    assert _get(client, leader, "api-coverage", month="2026-05").json()["totals"]["counts"]["building"] == 0
    coverage_refresh(months=[MONTH])
    assert _get(client, leader, "api-coverage", month="2026-05").json()["totals"]["counts"]["building"] == 3


def test_the_page_and_the_filtered_list_in_english(client, projects):
    client.force_login(world.user("leader", "360300"))
    html = client.get(reverse("indicators:coverage"), {"month": "2026-05"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Coverage by region" in html and "Real-name management" in html and "below target" in html
    assert "统计" not in html and "实名制" not in html
    listed = client.get(
        reverse("projects:index"),
        {"figure": "account", "month": "2026-05", "region": "360300"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "Wage account" in listed and "2 projects" in listed


def test_open_signals_by_level_once_an_upper_layer_wires_them(client, projects, monkeypatch):
    from indicators import extensions

    ids = {code: world.region(code).pk for code in ("360302", "360313")}
    monkeypatch.setattr(
        extensions, "open_signals", lambda region_ids: {ids["360302"]: {"red": 2}, ids["360313"]: {"yellow": 1}}
    )
    monkeypatch.setattr(extensions, "signal_list_url", lambda code, level, own: f"/s/?region={code}&level={level}")
    body = _get(client, world.user("leader", "360300"), "api-coverage", region="360300").json()
    assert body["signals"]["totals"] == {"yellow": 1, "orange": 0, "red": 2}
    assert ["red", 2, "/s/?region=360302&level=red"] in body["signals"]["cells"]["360302"]
    html = _get(client, world.user("leader", "360300"), "indicators:coverage", region="360300").content.decode()
    assert "红色预警" in html and 'href="/s/?region=360302&amp;level=red"' in html
    own = _get(client, world.user("clerk", "360302"), "api-coverage", region="360302").json()
    assert own["signals"]["totals"]["red"] == 2 and own["signals"]["totals"]["yellow"] == 0
