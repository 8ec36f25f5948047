"""Every staff list exports as XLSX with its current filters (issue 14 item 6): one mechanism
(cases.web.list_export, `?format=xlsx`), Chinese headers, formula-safe, the list's scope and rights."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.http import QueryDict
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import Role
from cases.web.list_export import XLSX_CONTENT_TYPE
from cases.xlsx import export_query
from tests import world

pytestmark = pytest.mark.django_db


def _xlsx(client, url: str, **params) -> list[tuple]:
    response = client.get(url, {**params, "format": "xlsx"})
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;") and ".xlsx" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_case_list_exports_its_filtered_rows_in_scope(client):
    mine = world.make_case("360302", employer="=HYPERLINK(\"http://evil\",\"x\")")
    other = world.make_case("360313")
    client.force_login(world.user(Role.LEADER, "360302"))
    rows = _xlsx(client, reverse("cases:index"))
    assert rows[0][:4] == ("案件编号", "状态", "用人单位", "承办机构")
    numbers = {r[0] for r in rows[1:]}
    assert mine.case_no in numbers and other.case_no not in numbers  # the list's scope
    row = next(r for r in rows if r[0] == mine.case_no)
    assert row[2] == "'" + mine.employer.name  # text, not a formula
    assert row[1] == mine.get_status_display() and isinstance(row[5], float | int)
    filtered = _xlsx(client, reverse("cases:index"), q=mine.case_no)
    assert [r[0] for r in filtered[1:]] == [mine.case_no]  # the list's filters


def test_the_headers_are_chinese_in_english_too(client):
    world.make_case("360302")
    client.force_login(world.user(Role.LEADER, "360302"))
    client.cookies["django_language"] = "en"
    rows = _xlsx(client, reverse("cases:index"))
    assert rows[0][0] == "案件编号"


def test_the_complaint_list_exports(client):
    case = world.make_case("360302")
    client.force_login(world.user(Role.CLERK, "360302"))
    rows = _xlsx(client, reverse("complaints:index"))
    assert rows[0][0] == "回执号"
    receipts = {r[0] for r in rows[1:]}
    assert case.complaints.first().receipt_no in receipts
    assert world.case_in("360313").complaints.first().receipt_no not in receipts


def test_the_task_lists_export(client):
    client.force_login(world.user(Role.CLERK, "360302"))
    for name in ("tasks:inbox", "tasks:queue"):
        rows = _xlsx(client, reverse(name))
        assert rows[0][:2] == ("案件编号/回执号", "环节")


def test_the_account_list_exports_for_the_admin_only(client):
    client.force_login(world.user(Role.ADMIN, "360300"))
    rows = _xlsx(client, reverse("staff-admin:accounts"))
    assert rows[0] == ("用户名", "姓名", "岗位", "状态")
    names = {r[0] for r in rows[1:]}
    assert world.username(Role.CLERK, "360302") in names and world.username(Role.CLERK, "360102") not in names
    client.force_login(world.user(Role.CLERK, "360300"))
    assert client.get(reverse("staff-admin:accounts"), {"format": "xlsx"}).status_code == 403


def test_the_register_and_project_lists_export(client):
    client.force_login(world.user(Role.LEADER, "360302"))
    assert _xlsx(client, reverse("accountability-staff:register"))[0][:2] == ("年度", "被问责机构")
    rows = _xlsx(client, reverse("projects:index"))
    assert rows[0][:2] == ("项目编号", "项目名称")
    client.force_login(world.user(Role.CLERK, "360302"))
    assert client.get(reverse("accountability-staff:register"), {"format": "xlsx"}).status_code == 403


def test_the_pages_link_to_their_export_with_the_current_filters(client):
    world.make_case("360302")
    client.force_login(world.user(Role.LEADER, "360302"))
    page = client.get(reverse("cases:index"), {"q": "萍乡", "status": "filed"}).content.decode()
    assert "format=xlsx" in page and "q=%E8%90%8D%E4%B9%A1" in page
    assert reverse("cases:export") in page  # the 案件台账 is linked from the case list
    for url in (reverse("complaints:index"), reverse("projects:index"), reverse("accountability-staff:register")):
        assert "format=xlsx" in client.get(url).content.decode(), url


def test_the_export_query_drops_the_paging():
    assert export_query(QueryDict("q=a&page=3&before=9&after=2")) == "q=a&format=xlsx"


def test_the_staff_credit_list_exports(client):
    client.force_login(world.user(Role.INSPECTOR, "360302"))
    rows = _xlsx(client, reverse("accountability-staff:credit-list"))
    assert rows[0][:2] == ("用人单位", "统一社会信用代码")
    client.force_login(world.user(Role.ADMIN, "360302"))
    assert client.get(reverse("accountability-staff:credit-list"), {"format": "xlsx"}).status_code == 403
