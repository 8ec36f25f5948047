"""Issue 14 item 3: the auditors' search — events across every case and complaint in their scope, by event
type from a list, actor, date range (date pickers) and case number; paginated; each row linking to its case;
the result as XLSX; the same through the API. Out-of-scope events never appear; other roles get 403."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases.documents import document_issue
from cases.models import Document, Role, TimelineEvent
from cases.web import audit_views
from tests import world
from tests.flowkit import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    world.build()
    leader = world.user("leader", "360302")
    here, other, sibling = world.make_case("360302"), world.make_case("360302"), world.case_in("360313")
    for case, actor in ((here, leader), (sibling, world.user("leader", "360313"))):
        document_issue(
            case=case, kind=Document.Kind.ORDER_TO_PAY, actor=actor, role=Role.LEADER,
            data={"facts": "拖欠工资。", "due_date": "2026-12-14"},
        )  # fmt: skip
    return here, other, sibling


def search(username: str, **params):
    client = api(username)
    response = client.get(reverse("api-audit-events"), params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_auditor_lands_on_the_audit_search_and_its_menu_has_it(client, cases):
    client.force_login(world.user("auditor", "360302"))
    assert client.get("/")["Location"] == reverse("cases:audit")
    page = client.get(reverse("cases:audit")).content.decode()
    assert 'data-menu="audit"' in page
    assert page.count('type="date"') == 2  # date pickers, never dates typed as text
    assert "<optgroup" in page and '<option value="document.issued">制发文书</option>' in page  # types from a list


def test_the_event_type_filter_finds_only_that_type_in_scope(cases):
    here, _other, sibling = cases
    found = search("auditor_360302", kind="document.issued")
    assert found["count"] == 1
    (row,) = found["results"]
    assert row["case_no"] == here.case_no and row["event"] == "制发文书" and "制发《" in row["sentence"]
    assert sibling.case_no not in str(found)  # 湘东区 is not the 安源区 auditor's


def test_the_case_number_filter_and_the_actor_filter(cases):
    here, other, _sibling = cases
    by_case = search("auditor_360302", case_no=other.case_no)
    assert by_case["count"] > 0 and {r["case_no"] for r in by_case["results"]} <= {other.case_no, ""}
    assert all(r["case_no"] == other.case_no for r in by_case["results"] if r["case_no"])
    by_actor = search("auditor_360302", actor="leader_3603")
    assert by_actor["count"] == 1 and by_actor["results"][0]["case_no"] == here.case_no


def test_the_date_range_filter(cases):
    today = timezone.localdate()
    assert search("auditor_360302", date_from=today.isoformat(), date_to=today.isoformat())["count"] > 0
    yesterday = (today - timedelta(days=1)).isoformat()
    assert search("auditor_360302", date_to=yesterday)["count"] == 0
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert search("auditor_360302", date_from=tomorrow)["count"] == 0


def test_a_date_range_backwards_is_a_400_naming_the_field(cases):
    today = timezone.localdate()
    response = api("auditor_360302").get(
        reverse("api-audit-events"),
        {"date_from": today.isoformat(), "date_to": (today - timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 400 and "date_to" in response.json()["errors"]


def test_scope_a_city_leader_sees_its_counties_a_county_auditor_never_its_sibling(cases):
    here, _other, sibling = cases
    city = search("leader_360300", kind="document.issued")
    assert {r["case_no"] for r in city["results"]} == {here.case_no, sibling.case_no}
    events = search("auditor_360302")
    assert events["count"] == TimelineEvent.objects.filter(case__region__code="360302").count() + (
        TimelineEvent.objects.filter(complaint__region__code="360302").count()
    )
    assert sibling.case_no not in str(events)


def test_the_payload_is_the_auditors_only(cases):
    assert "payload" in search("auditor_360302", kind="document.issued")["results"][0]
    assert "payload" not in search("leader_360302", kind="document.issued")["results"][0]


@pytest.mark.parametrize("role", ["clerk", "inspector", "legal", "admin"])
def test_a_role_without_the_search_gets_403(client, cases, role):
    client.force_login(world.user(role, "360302"))
    assert client.get(reverse("cases:audit")).status_code == 403
    assert client.get(reverse("cases:audit-export")).status_code == 403
    assert api(f"{role}_360302").get(reverse("api-audit-events")).status_code == 403


def test_the_page_is_paginated_and_each_row_links_to_its_case(client, cases, monkeypatch):
    monkeypatch.setattr(audit_views, "PER_PAGE", 2)
    here, _other, _sibling = cases
    client.force_login(world.user("auditor", "360302"))
    first = client.get(reverse("cases:audit"), {"kind": "case.filed"}).content.decode()
    assert "下一页" in first and "page=2" in first
    page = client.get(reverse("cases:audit"), {"case_no": here.case_no}).content.decode()
    assert f'href="{reverse("cases:detail", args=[here.case_no])}"' in page
    assert "document.issued" not in page.replace('value="document.issued"', "")  # labels, never the key


def test_the_export_is_an_xlsx_of_the_filtered_result(client, cases):
    here, _other, _sibling = cases
    client.force_login(world.user("auditor", "360302"))
    response = client.get(reverse("cases:audit-export"), {"kind": "document.issued"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("时间", "案件编号", "投诉编号", "事件", "经过")
    assert len(rows) == 2 and rows[1][1] == here.case_no and rows[1][3] == "制发文书" and "制发《" in rows[1][4]
