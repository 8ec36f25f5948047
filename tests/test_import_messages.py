"""Import errors in the words a clerk knows (issue 14 item 7, issue 15): every importer names the row and the
column as the file's header (or the template's) and a choice by its labels — never a field path or a stored
value — through the one formatter cases.import_messages; and the complaint import's 项目编号 column links the
complaint to the registered project (issue 15 item 5)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cases.import_messages import label_for, not_a_choice, row_message, row_messages
from cases.intake import complaints_import
from cases.models import Complaint
from projects.importing import attendance_import, payments_import, projects_import, roster_import, wage_sheet_import
from projects.links import intake_project, registry_project
from tests import world
from tests.factories import uscc
from tests.projectkit import (
    ACCOUNT_NO,
    BANK_HEADER,
    PROJECT_HEADER,
    ROSTER_HEADER,
    WAGE_HEADER,
    csv_bytes,
    make_project,
    project_row,
    worker_ids,
    xlsx,
)
from tests.test_complaints_import import csv_bytes as complaint_csv
from tests.test_complaints_import import row

pytestmark = pytest.mark.django_db

# what a clerk must never read: a dotted field path, a key in English
INTERNAL = re.compile(r"[a-z_]+\.[a-z_]+|\b(?:channel|id_number|project_no|region_code|amount_owed)\b")


def _clean(messages: list[str]) -> None:
    assert messages
    for m in messages:
        assert re.match(r"^第\d+行", m), m
        assert not INTERNAL.search(m), m


def test_the_formatter_words():
    assert row_message(5, "投诉人身份证号", "校验位不正确") == "第5行「投诉人身份证号」：校验位不正确"
    assert row_message(7, "", "整行有误") == "第7行：整行有误"
    assert not_a_choice("visit", ["来访", "来电", "网上"]) == "“visit”不是可选值（可选：来访、来电、网上）"
    labels = {"complainant.id_number": "投诉人身份证号", "employer": "用人单位"}
    assert label_for("employer.address", labels) == "用人单位"  # the parent's label
    assert label_for("some.internal_key", labels) == ""  # never the key itself
    assert label_for("complainant", labels) == "投诉人身份证号"  # a parent: its first labelled child
    assert row_messages(3, {"__all__": ["x"], "complainant.id_number": ["y"]}, labels) == [
        "第3行：x",
        "第3行「投诉人身份证号」：y",
    ]


def test_complaint_import_errors_name_the_column_and_the_choices():
    rows = [row(), row(投诉人身份证号="340524198001010011", 来源渠道="visit")]
    report = complaints_import(actor=world.user("clerk", "360302"), file=complaint_csv(rows), filename="投诉.csv")
    bad = report.rows[1]
    assert bad.row == 3 and set(bad.errors) == {"complainant.id_number", "channel"}  # programs keep the paths
    _clean(bad.messages)
    assert "第3行「投诉人身份证号」：身份证号校验位错误，请核对号码。" in bad.messages
    channel = next(m for m in bad.messages if "「来源渠道」" in m)
    assert channel.startswith("第3行「来源渠道」：“visit”不是可选值（可选：网上投诉、12333热线、12345转办、来访、来信")
    assert report.as_dict()["rows"][1]["messages"] == bad.messages


def test_the_complaint_import_links_the_registered_project_by_its_number():
    project = make_project(1)
    clerk = world.user("clerk", "360302")
    rows = [
        row(项目编号=project.project_no, 项目名称="", 项目地址=""),  # name and address from the registry
        row(项目编号="JX-360302-9999", 投诉人手机号="13807990009"),  # unknown number: the row's error
        row(项目编号="", 投诉人手机号="13807990008"),  # no number: as before (by name)
    ]
    before = Complaint.objects.count()
    report = complaints_import(
        actor=clerk, file=complaint_csv(rows), filename="投诉.csv", project_lookup=intake_project
    )
    assert [r.ok for r in report.rows] == [True, False, True]
    assert Complaint.objects.count() - before == 2
    linked = Complaint.objects.get(receipt_no=report.rows[0].receipt_no)
    assert linked.project.project_no == project.project_no and linked.project.name == project.name
    assert registry_project(linked.project) == project
    unknown = report.rows[1]
    assert unknown.errors.keys() == {"project.project_no"}
    assert unknown.messages == ["第3行「项目编号」：未找到项目编号为“JX-360302-9999”的登记在建项目，请核对项目编号"]
    # a bad number and a bad field: every error of the row at once
    both = complaints_import(
        actor=clerk,
        file=complaint_csv([row(项目编号="NO-SUCH", 欠薪金额="0")]),
        filename="b.csv",
        project_lookup=intake_project,
    )
    assert both.rows[0].errors.keys() == {"project.project_no", "amount_owed"}


def test_the_complaint_import_page_shows_the_sentences_and_the_template_has_the_project_column(client):
    make_project(1)
    client.force_login(world.user("clerk", "360302"))
    template = client.get(reverse("complaints:import") + "?template=1")
    assert template.status_code == 200 and "项目编号" in template.content.decode("utf-8-sig").splitlines()[0]
    upload = complaint_csv([row(项目编号="NO-SUCH", 来源渠道="visit")])
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.post(reverse("complaints:import"), {"file": SimpleUploadedFile("c.csv", upload)})
    html = page.content.decode()
    assert page.status_code == 200
    assert "第2行「项目编号」" in html and "第2行「来源渠道」" in html
    assert "project.project_no" not in html and "<code>channel" not in html


def test_projects_list_errors_name_the_files_header_and_the_choices():
    bad = project_row(2)
    bad[6] = bad[6][:-1] + ("0" if bad[6][-1] != "0" else "1")  # the general contractor's USCC check digit
    odd = project_row(3)
    odd[12] = "教育"  # no such industry department
    report = projects_import(
        actor=world.user("clerk", "360302"),
        file=xlsx(PROJECT_HEADER, [project_row(1), bad, odd]),
        filename="在建项目清单.xlsx",
    )
    assert [r.status for r in report.rows] == ["created", "error", "error"]
    _clean(report.rows[1].messages + report.rows[2].messages)
    assert any(m.startswith("第3行「施工总承包单位统一社会信用代码」：") for m in report.rows[1].messages)
    department = next(m for m in report.rows[2].messages if "「行业主管部门」" in m)
    assert department.startswith("第4行「行业主管部门」：“教育”不是可选值（可选：住房城乡建设")


def test_roster_attendance_wage_sheet_and_payments_errors_are_sentences():
    clerk = world.user("clerk", "360302")
    project = make_project(1)
    ids = worker_ids(2)
    wrong = ids[1][:-1] + ("0" if ids[1][-1] != "0" else "1")
    roster = [
        [1, "工人0", "男", ids[0], uscc(7001), "钢筋班", "钢筋工", "2026-02-01", "2026-02-01", "", ""],
        [2, "工人1", "男", wrong, uscc(7001), "钢筋班", "钢筋工", "2026-02-01", "2026-02-01", "", ""],
    ]
    report = roster_import(actor=clerk, project=project, file=csv_bytes(ROSTER_HEADER, roster), filename="r.csv")
    assert report.rows[1].messages == ["第3行「身份证号」：身份证号校验位错误，请核对号码。"]

    attendance = csv_bytes(["身份证号", "年月", "出勤天数"], [[ids[0], "2026-05", "40"]])
    report = attendance_import(actor=clerk, project=project, file=attendance, filename="a.csv")
    _clean(report.rows[0].messages)
    assert report.rows[0].messages[0].startswith("第2行「出勤天数」：")

    wage = xlsx(WAGE_HEADER, [[1, "不在册", worker_ids(1, start=500)[0], "2026-05", 20, "5000", "0", "5000", "已签"]])
    report = wage_sheet_import(actor=clerk, project=project, file=wage, filename="w.xlsx")
    assert report.rows[0].messages == ["第2行「身份证号」：该人员不在本项目花名册中。"]

    bank = csv_bytes(BANK_HEADER, [[ACCOUNT_NO, "工人0", "6217002000000000000", "-1", "2026-05-05", "工资", "也许"]])
    report = payments_import(actor=clerk, project=project, file=bank, filename="b.csv", month="2026-05")
    _clean(report.rows[0].messages)
    assert "第2行「金额」：金额不能为负数。" in report.rows[0].messages
    assert "第2行「代发」：代发请填写“是”或“否”。" in report.rows[0].messages


def test_the_project_import_page_shows_the_sentences(client):
    project = make_project(1)
    client.force_login(world.user("clerk", "360302"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    wage = xlsx(WAGE_HEADER, [[1, "不在册", worker_ids(1, start=500)[0], "2026-05", 20, "5000", "0", "5000", "已签"]])
    page = client.post(
        reverse("projects:project-import", args=[project.project_no]),
        {"kind": "wage_sheet", "file": SimpleUploadedFile("w.xlsx", wage)},
    )
    assert page.status_code == 200
    assert "第2行「身份证号」：该人员不在本项目花名册中。" in page.content.decode()



def test_a_complaint_file_missing_a_column_is_refused_on_the_page_naming_the_columns(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.user("clerk", "360302"))
    before = Complaint.objects.count()
    upload = SimpleUploadedFile("c.csv", "投诉人姓名,投诉人手机号\n张三,13807990001\n".encode())
    page = client.post(reverse("complaints:import"), {"file": upload})
    assert page.status_code == 400
    html = page.content.decode()
    assert "缺少列" in html and "来源渠道" in html and 'data-field="file"' in html
    assert Complaint.objects.count() == before
