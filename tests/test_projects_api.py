"""The projects' REST API: an import walk through the endpoints, and bad input answered 400 naming the
field (never a 5xx), nothing written."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import PaymentLine, Project, Worker
from tests import world
from tests.factories import uscc
from tests.projectkit import (
    ACCOUNT_NO,
    BANK_HEADER,
    PROJECT_HEADER,
    ROSTER_HEADER,
    csv_bytes,
    project_row,
    worker_ids,
    xlsx,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(client):
    client.force_login(world.user("clerk", "360302"))
    return client


def _upload(name: str, data: bytes):
    return SimpleUploadedFile(name, data)


def test_api_walk_project_list_roster_account_payments(clerk):
    response = clerk.post(
        reverse("api-project-import"), {"file": _upload("清单.xlsx", xlsx(PROJECT_HEADER, [project_row(61)]))}
    )
    assert response.status_code == 200 and response.json()["created"] == 1
    number = project_row(61)[0]
    units = clerk.post(
        reverse("api-project-units", args=[number]),
        {"name": "萍乡劳务", "uscc": uscc(6161), "role": "labour"},
        content_type="application/json",
    )
    assert units.status_code == 201 and [u["role"] for u in units.json()["units"]][-1] == "labour"
    ids = worker_ids(3, start=600)
    rows = [
        [i, f"工人{i}", "男", n, uscc(6161), "泥工班", "泥工", "2026-03-01", "2026-03-01", f"62220{i:014d}", "工行"]
        for i, n in enumerate(ids)
    ]
    roster = clerk.post(
        reverse("api-project-roster", args=[number]), {"file": _upload("r.csv", csv_bytes(ROSTER_HEADER, rows))}
    )
    assert roster.status_code == 200 and roster.json()["created"] == 3
    listed = clerk.get(reverse("api-project-roster", args=[number])).json()["workers"]
    assert [w["id_number"] for w in listed] == [n[:4] + "*" * 10 + n[-4:] for n in ids]
    account = clerk.post(
        reverse("api-project-account", args=[number]),
        {"bank": "工商银行", "account_no": ACCOUNT_NO, "opened_on": "2026-01-30", "tripartite_signed_on": "2026-01-30"},
        content_type="application/json",
    )
    assert account.status_code == 201 and account.json()["late"] is False and ACCOUNT_NO not in account.content.decode()
    cost = clerk.post(
        reverse("api-project-labour-costs", args=[number]),
        {"month": "2026-03", "amount": "30000", "received_on": "2026-03-09"},
        content_type="application/json",
    )
    assert cost.status_code == 201
    lines = [[ACCOUNT_NO, f"工人{i}", f"62220{i:014d}", "5000", "2026-04-05", "工资", "否"] for i in range(3)]
    paid = clerk.post(
        reverse("api-project-payments", args=[number]),
        {"file": _upload("bank.csv", csv_bytes(BANK_HEADER, lines)), "month": "2026-03"},
    )
    assert paid.status_code == 200 and paid.json()["created"] == 3
    detail = clerk.get(reverse("api-project-detail", args=[number])).json()
    march = next(m for m in detail["payroll"] if m["month"] == "2026-03-01")
    assert march["paid_lines"] == 3 and march["paid_via_account"] == 3 and march["labour_cost"] == "30000.00"
    page = clerk.get(reverse("projects:detail", args=[number])).content.decode()
    assert "劳务分包" in page and "工人0" in page and ids[0] not in page and ACCOUNT_NO not in page


def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(clerk):
    before = (Project.objects.count(), Worker.objects.count(), PaymentLine.objects.count())
    url = reverse("api-project-list")
    assert clerk.post(url, [1, 2], content_type="application/json").status_code == 400
    bad = clerk.post(
        url,
        {
            "project_no": "X1",
            "name": "",
            "region_code": "999999",
            "department": "飞机",
            "contract_sum": "-1",
            "start_on": "2026-13-01",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) >= {"name", "region_code", "department", "contract_sum", "start_on"}
    assert clerk.post(reverse("api-project-import"), {}).json() == {"errors": {"file": ["请选择要导入的文件。"]}}
    wrong = clerk.post(reverse("api-project-import"), {"file": _upload("x.txt", b"hello")})
    assert wrong.status_code == 400 and "file" in wrong.json()["errors"]
    missing = clerk.post(reverse("api-project-import"), {"file": _upload("x.csv", csv_bytes(["项目名称"], [["a"]]))})
    assert missing.status_code == 400 and "缺少列" in missing.json()["errors"]["file"][0]
    broken = clerk.post(reverse("api-project-import"), {"file": _upload("x.xlsx", b"not a workbook")})
    assert broken.status_code == 400
    assert (Project.objects.count(), Worker.objects.count(), PaymentLine.objects.count()) == before
    assert clerk.get(reverse("api-project-detail", args=["没有这个项目"])).status_code == 404


def test_a_file_that_breaks_the_reader_is_a_400(clerk):
    before = Project.objects.count()
    nul = clerk.post(reverse("api-project-import"), {"file": _upload("x.csv", b"\xef\xbb\xbf\xe9\xa1\xb9\x00\n1,2\n")})
    assert nul.status_code == 400 and "file" in nul.json()["errors"]
    odd = clerk.post(reverse("api-project-units", args=["nope"]), {"parent": "9" * 30}, content_type="application/json")
    assert odd.status_code == 404
    assert Project.objects.count() == before


def test_the_project_page_reads_in_english_too(clerk, settings):
    from tests.projectkit import make_project

    project = make_project(71)
    clerk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = clerk.get(reverse("projects:detail", args=[project.project_no])).content.decode()
    assert "Wage special account" in page and "Labour-service subcontractor" in page and "劳务分包" not in page
