"""The project page's shape (issue 15, performance): it reads the monthly summary the imports keep and one
page of the roster, so the number of statements it runs does not grow with the roster or the months of
payroll (a statement count, not a timing: the timing is in bench/projects_page.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.accounts import labour_cost_record, wage_account_open
from projects.importing import attendance_import, roster_import, wage_sheet_import
from projects.models import ProjectMonth, WageSheetLine
from projects.web.views import ROSTER_PAGE
from tests import world
from tests.projectkit import ACCOUNT_NO, ROSTER_HEADER, WAGE_HEADER, csv_bytes, make_project, worker_ids

pytestmark = pytest.mark.django_db


def _project(n: int, workers: int, months: list[str]):
    project = make_project(n)
    unit = project.units.get(role="labour").employer.uscc
    ids = worker_ids(workers, start=n * 1000)
    rows = [[i + 1, f"工人{i}", "男", number, unit, "", "", "", "", "", ""] for i, number in enumerate(ids)]
    roster_import(actor=None, project=project, file=csv_bytes(ROSTER_HEADER, rows), filename="r.csv")
    for month in months:
        sheet = [
            [i + 1, f"工人{i}", number, month, 22, "5000.00", "0", "4800.00", "已签"] for i, number in enumerate(ids)
        ]
        wage_sheet_import(actor=None, project=project, file=csv_bytes(WAGE_HEADER, sheet), filename="w.csv")
    return project, ids


def _statements(client, project, page: int = 1) -> tuple[int, str]:
    url = reverse("projects:detail", args=[project.project_no]) + f"?page={page}"
    client.get(url)  # warm (session, permissions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_project_page_statement_count_does_not_grow_with_roster_or_months(client):
    small, _ = _project(91, 2, ["2026-01"])
    large, _ = _project(92, ROSTER_PAGE + 15, ["2026-01", "2026-02", "2026-03"])
    client.force_login(world.user("clerk", "360302"))
    small_count, _ = _statements(client, small)
    large_count, page = _statements(client, large)
    assert large_count == small_count
    assert f"工人{ROSTER_PAGE - 1}<" in page and f"工人{ROSTER_PAGE}<" not in page


def test_project_roster_pages_fifty_workers_at_a_time(client):
    assert ROSTER_PAGE == 50
    project, _ = _project(93, ROSTER_PAGE + 3, [])
    client.force_login(world.user("clerk", "360302"))
    _, second = _statements(client, project, page=2)
    assert f"工人{ROSTER_PAGE}<" in second and f"工人{ROSTER_PAGE + 2}<" in second and "工人0<" not in second
    _, beyond = _statements(client, project, page=99)  # past the end: the last page, not an error
    assert f"工人{ROSTER_PAGE}<" in beyond
    _, junk = _statements(client, project, page="x")  # type: ignore[arg-type]
    assert "工人0<" in junk


def test_project_monthly_summary_is_refreshed_by_each_import_in_its_transaction():
    project, ids = _project(94, 3, ["2026-01", "2026-02"])
    rows = {r.month.strftime("%Y-%m"): r for r in ProjectMonth.objects.filter(project=project)}
    assert sorted(rows) == ["2026-01", "2026-02"]
    assert rows["2026-02"].sheet_workers == 3 and rows["2026-02"].amount_net == Decimal("14400.00")
    total = WageSheetLine.objects.filter(worker__project=project).aggregate(t=Sum("amount_net"))["t"]
    assert sum(r.amount_net for r in rows.values()) == total
    # attendance and labour costs land in the same rows
    attendance = [
        [i + 1, f"工人{i}", "男", number, "", "", "", "", "", "", "", "2026-02", 20] for i, number in enumerate(ids)
    ]
    attendance_import(
        actor=None,
        project=project,
        file=csv_bytes([*ROSTER_HEADER, "年月", "出勤天数"], attendance),
        filename="a.csv",
    )
    wage_account_open(actor=None, project=project, bank="建设银行", account_no=ACCOUNT_NO, opened_on="2026-01-05")
    labour_cost_record(actor=None, project=project, month="2026-02", amount="30000", received_on="2026-02-08")
    row = ProjectMonth.objects.get(project=project, month__month=2)
    assert (row.attendance_workers, row.labour_cost) == (3, Decimal("30000.00"))
    # a re-import changes nothing, the summary included
    before = list(ProjectMonth.objects.filter(project=project).order_by("month").values())
    sheet = [
        [i + 1, f"工人{i}", number, "2026-02", 22, "5000.00", "0", "4800.00", "已签"] for i, number in enumerate(ids)
    ]
    wage_sheet_import(actor=None, project=project, file=csv_bytes(WAGE_HEADER, sheet), filename="w.csv")
    assert list(ProjectMonth.objects.filter(project=project).order_by("month").values()) == before
