"""The case ledger export (XLSX): exactly the user's cases, the case list's filters, right totals, flat queries."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases import selectors
from cases.ledger import ledger_entry_add, payment_record
from cases.models import Case, Region, Role
from cases.web.ledger_export import COLUMNS, XLSX_CONTENT_TYPE, cases_ledger_xlsx
from tests import factories, world
from tests.factories import person_id

pytestmark = pytest.mark.django_db

HEADERS = [h for h, _w in COLUMNS]


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def _rows(content: bytes) -> dict[str, dict]:
    ws = _sheet(content)
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    return {row[0]: dict(zip(HEADERS, row, strict=True)) for row in rows[1:]}


def _ledger_case(code: str = "360302") -> Case:
    """A case under investigation with 3 workers: one paid in full, one in part, one not at all."""
    case = factories.case("investigating", code, workers=3, amount="6001.50")
    inspector = factories.staff(Role.INSPECTOR, code)
    entries = [
        ledger_entry_add(
            case=case,
            worker={"name": f"工人{n}", "id_number": person_id(n)},
            period_start=date(2026, 5, 1),
            period_end=date(2026, 10, 31),
            amount_owed=f"{1000 * n}.50",
            actor=inspector,
        )
        for n in (1, 2, 3)
    ]
    payment_record(entry=entries[0], amount="1000.50", paid_on=date(2026, 11, 1), actor=inspector)
    payment_record(entry=entries[1], amount="500", paid_on=date(2026, 11, 1), actor=inspector)
    return case


@pytest.mark.parametrize(
    "role, code",
    [
        (Role.CLERK, "360302"),
        (Role.INSPECTOR, "360313"),
        (Role.LEGAL, "360300"),
        (Role.LEADER, "360300"),
        (Role.AUDITOR, "360000"),
    ],
)
def test_it_holds_exactly_the_cases_of_the_users_scope(role, code):
    _ledger_case("360302")
    world.make_case("360313")
    user = world.user(role, code)
    rows = _rows(cases_ledger_xlsx(user=user))
    expected = set(selectors.case_list_for_user(user).values_list("case_no", flat=True))
    assert expected  # every one of these users sees some cases
    assert set(rows) == expected
    assert len(rows) == len(expected)  # one row per case
    below = Region.objects.filter(path__startswith=world.region(code).path).values_list("code", flat=True)
    assert {r["承办机构代码"] for r in rows.values()} <= set(below)


def test_it_filters_exactly_like_the_case_list():
    case = _ledger_case("360302")
    user = world.user(Role.AUDITOR, "360000")
    for filters in [
        {"status": "investigating"},
        {"status": "filed"},
        {"region": "360302"},
        {"region": "360300"},
        {"q": case.case_no},
        {"q": case.employer.name[:6]},
        {"q": "没有这个单位"},
    ]:
        rows = _rows(cases_ledger_xlsx(user=user, **filters))
        expected = set(selectors.case_list_for_user(user, **filters).values_list("case_no", flat=True))
        assert set(rows) == expected, filters
    assert set(_rows(cases_ledger_xlsx(user=user, q=case.case_no))) == {case.case_no}


def test_the_totals_and_the_format():
    case = _ledger_case("360302")
    content = cases_ledger_xlsx(user=world.user(Role.CLERK, "360302"), q=case.case_no)
    row = _rows(content)[case.case_no]
    assert row["承办机构"] == "安源区" and row["承办机构代码"] == "360302"
    assert row["用人单位"] == case.employer.name
    assert row["工程项目"] == case.project.name
    assert row["状态"] == "调查中"
    assert row["结案方式"] is None
    assert row["立案日期"].date() == timezone.localtime(case.filed_at).date()
    assert row["涉及人数"] == 3
    assert Decimal(str(row["欠薪金额（元）"])) == Decimal("6001.50")
    assert Decimal(str(row["已追回金额（元）"])) == Decimal("1500.50")
    assert Decimal(str(row["未追回金额（元）"])) == Decimal("4501.00")
    assert row["已足额支付人数"] == 1

    ws = _sheet(content)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:N2"
    assert all(cell.font.b for cell in ws[1])
    amounts = ws["J2"], ws["K2"], ws["L2"]
    assert all(isinstance(c.value, (int, float)) and c.number_format == "#,##0.00" for c in amounts)
    assert ws.column_dimensions["A"].width == 20


def test_a_closed_case_shows_its_status_and_closure():
    case = factories.case("closed", workers=2, amount="9000.00")
    row = _rows(cases_ledger_xlsx(user=world.user(Role.CLERK, "360302"), q=case.case_no))[case.case_no]
    assert row["状态"] == "已结案" and row["结案方式"] == "已全额支付"
    assert Decimal(str(row["已追回金额（元）"])) == Decimal("9000.00") and row["未追回金额（元）"] == 0
    assert row["已足额支付人数"] == 2


def test_a_case_without_a_ledger_shows_its_claim():
    case = world.case_in("360302")
    row = _rows(cases_ledger_xlsx(user=world.user(Role.CLERK, "360302"), q=case.case_no))[case.case_no]
    assert (row["涉及人数"], row["欠薪金额（元）"], row["已追回金额（元）"], row["已足额支付人数"]) == (5, 50000, 0, 0)
    assert row["结案方式"] is None  # empty cell


def test_the_number_of_queries_does_not_grow_with_the_cases(django_assert_max_num_queries):
    user = world.user(Role.LEADER, "360000")
    _ledger_case("360302")

    def count() -> int:
        user.__dict__.pop("_zhiqian_grants", None)
        user.__dict__.pop("_zhiqian_exceptions", None)
        with CaptureQueriesContext(connection) as queries:
            cases_ledger_xlsx(user=user)
        return len(queries)

    count()  # warm the per-process caches (e.g. of the region tree) out of the measure
    before = count()
    for n in range(25):
        world.make_case("360302" if n % 2 else "360300")
    _ledger_case("360300")
    assert count() == before
    with django_assert_max_num_queries(8):
        rows = _rows(cases_ledger_xlsx(user=user))
    assert len(rows) == selectors.case_list_for_user(user).count()


def test_the_administrator_gets_no_export():
    with pytest.raises(PermissionDenied):
        cases_ledger_xlsx(user=world.user(Role.ADMIN, "360000"))


def test_the_page_and_the_api_answer_with_the_file_and_the_filters(client):
    case = _ledger_case("360302")
    client.force_login(world.user(Role.LEADER, "360300"))
    for url in [reverse("cases:export"), reverse("api-case-export")]:
        response = client.get(url, {"q": case.case_no})
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX_CONTENT_TYPE
        assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
        assert set(_rows(response.content)) == {case.case_no}
    response = client.get(reverse("api-case-export"), HTTP_ACCEPT=XLSX_CONTENT_TYPE)
    assert response.status_code == 200
    client.force_login(world.user(Role.ADMIN, "360000"))
    assert client.get(reverse("cases:export")).status_code == 403
    response = client.get(reverse("api-case-export"), HTTP_ACCEPT=XLSX_CONTENT_TYPE)
    assert response.status_code == 403
    assert response.json() == {"errors": {"detail": [response.json()["errors"]["detail"][0]]}}
