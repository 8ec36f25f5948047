"""cases.intake.complaints_import: clerks' bulk import from CSV (UTF-8 with or without BOM, GB18030)
and XLSX; each row validated as staff entry and submitted on its own; a per-row report."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from cases.intake import IMPORT_COLUMNS, complaints_import, import_template_csv
from cases.models import Complaint, Employer, Notification, Party, TimelineEvent
from cases.personal_data import blind_index
from tests import world

pytestmark = pytest.mark.django_db

HEADER = list(IMPORT_COLUMNS)
GOOD = {
    "来源渠道": "hotline_12333",
    "投诉人姓名": "张三",
    "投诉人身份证号": "34052419800101001X",
    "投诉人手机号": "13807990001",
    "用人单位": "萍乡某建筑工程有限公司",
    "统一社会信用代码": "91350100M000100Y43",
    "单位地址": "萍乡市安源区某路1号",
    "项目名称": "安源区某安置房项目",
    "项目地址": "萍乡市安源区某地块",
    "区划代码": "",
    "涉及人数": "12",
    "欠薪金额": "86000.00",
    "欠薪起始": "2026-05-01",
    "欠薪截止": "2026-10-31",
    "情况说明": "工程完工后拖欠工资。",
    "信用代码豁免理由": "",
    "法定代表人": "",
    "项目编号": "",
}


def row(**over) -> dict:
    return {**GOOD, **over}


def csv_bytes(rows: list[dict], *, encoding: str = "utf-8-sig", header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(h, "") for h in header])
    return out.getvalue().encode(encoding)


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Complaint, Party, Employer, TimelineEvent, Notification))


def clerk():
    return world.user("clerk", "360302")


PILOT = {"统一社会信用代码": "91350100M0001TGQXM", "用人单位": "福建某试点企业"}
ROWS = [
    # row 2: good
    row(),
    # row 3: two bad fields
    row(投诉人身份证号="340524198001010011", 欠薪金额="0"),
    # row 4: good; the channel by its label, no ID number (staff entry), no project
    row(
        来源渠道="来信", 投诉人姓名="李四", 投诉人身份证号="", 投诉人手机号="+86 139 0799 0002",
        项目名称="", 项目地址="",
    ),
    # row 5: a code failing the check digit, without a reason
    row(**PILOT),
    # row 6: the same with a reason
    row(**PILOT, 信用代码豁免理由="早期试点代码"),
]


def _check_report(report, before):
    by_row = {r.row: r for r in report.rows}
    assert sorted(by_row) == [2, 3, 4, 5, 6]
    assert by_row[2].receipt_no.startswith("T360302") and by_row[2].errors == {} and by_row[2].created
    assert by_row[3].receipt_no == "" and set(by_row[3].errors) == {"complainant.id_number", "amount_owed"}
    assert "身份证号校验位错误" in by_row[3].errors["complainant.id_number"][0]
    assert by_row[4].receipt_no and by_row[5].errors.keys() == {"employer.uscc"}
    assert "豁免理由" in by_row[5].errors["employer.uscc"][0]
    assert by_row[6].receipt_no
    assert (report.created_count, report.error_count) == (3, 2)
    received = Complaint.objects.filter(receipt_no__in=[by_row[n].receipt_no for n in (2, 4, 6)])
    assert received.count() == 3
    assert {c.channel for c in received} == {"hotline_12333", "letter"}
    assert all(c.entered_by == clerk() for c in received)
    letter = received.get(channel="letter")
    assert letter.complainant.phone == "13907990002" and letter.complainant_key == blind_index("phone", "13907990002")
    assert letter.project is None
    pilot = received.get(employer__name="福建某试点企业").employer
    assert pilot.uscc == "91350100M0001TGQXM" and pilot.uscc_override_reason == "早期试点代码"
    # Only the good rows wrote anything: one complaint, one event and one notice each.
    after = counts()
    assert after[0] - before[0] == 3 and after[3] - before[3] == 3 and after[4] - before[4] == 3


def test_a_csv_with_good_and_bad_rows():
    before = counts()
    report = complaints_import(actor=clerk(), file=io.BytesIO(csv_bytes(ROWS)), filename="投诉.csv")
    _check_report(report, before)
    assert report.as_dict()["rows"][1]["errors"]["amount_owed"] == ["欠薪金额应大于0"]


def test_an_uploaded_csv_in_gb18030_without_bom():
    before = counts()
    upload = SimpleUploadedFile("complaints.CSV", csv_bytes(ROWS, encoding="gb18030"), content_type="text/csv")
    _check_report(complaints_import(actor=clerk(), file=upload, filename=upload.name), before)


def test_a_csv_with_english_field_names_and_no_bom():
    header = [IMPORT_COLUMNS[h] for h in HEADER]
    rows = [{IMPORT_COLUMNS[k]: v for k, v in r.items()} for r in ROWS]
    before = counts()
    data = csv_bytes(rows, encoding="utf-8", header=header)
    _check_report(complaints_import(actor=clerk(), file=data, filename="x.csv"), before)


def test_an_xlsx_with_good_and_bad_rows():
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for values in ROWS:
        cells = [values[h] for h in HEADER]
        sheet.append(cells)
    # Typed cells as Excel keeps them: numbers and dates.
    sheet["K2"], sheet["L2"] = 12, 86000.5
    sheet["M2"], sheet["N2"] = datetime(2026, 5, 1), datetime(2026, 10, 31)
    sheet["D2"] = 13807990001
    sheet.append([None] * len(HEADER))  # a blank line is skipped
    buffer = io.BytesIO()
    book.save(buffer)
    before = counts()
    report = complaints_import(actor=clerk(), file=io.BytesIO(buffer.getvalue()), filename="投诉.xlsx")
    _check_report(report, before)
    first = Complaint.objects.get(receipt_no=report.rows[0].receipt_no)
    assert (first.workers_count, str(first.amount_owed), first.period_end.isoformat()) == (12, "86000.50", "2026-10-31")


def test_importing_the_same_file_again_returns_the_same_receipts():
    data = csv_bytes(ROWS)
    first = complaints_import(actor=clerk(), file=data, filename="a.csv")
    before = counts()
    again = complaints_import(actor=clerk(), file=data, filename="a.csv")
    assert [r.receipt_no for r in again.rows] == [r.receipt_no for r in first.rows]
    assert not any(r.created for r in again.rows)
    assert counts() == before


def test_the_template_imports_as_it_is():
    template = import_template_csv()
    assert template.startswith("\ufeff来源渠道,投诉人姓名,投诉人身份证号,投诉人手机号,用人单位")
    assert template.splitlines()[0].endswith(",项目编号")
    lines = list(csv.reader(io.StringIO(template.lstrip("\ufeff"))))
    assert len(lines) == 2 and lines[0] == HEADER
    report = complaints_import(actor=clerk(), file=template.encode("utf-8"), filename="template.csv")
    assert report.error_count == 0 and report.created_count == 1


def test_an_unreadable_file_is_refused_as_a_whole():
    before = counts()
    with pytest.raises(ValidationError) as exc:
        complaints_import(actor=clerk(), file=b"x", filename="complaints.xls")
    assert "CSV或XLSX" in exc.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as exc:
        complaints_import(actor=clerk(), file=b"not a zip", filename="complaints.xlsx")
    assert "file" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        complaints_import(actor=clerk(), file="投诉人姓名,手机号\n张三,13807990001\n".encode(), filename="c.csv")
    assert "缺少列" in exc.value.message_dict["file"][0] and "欠薪金额" in exc.value.message_dict["file"][0]
    with pytest.raises(ValidationError):
        complaints_import(actor=clerk(), file=b"", filename="empty.csv")
    assert counts() == before


def test_a_custom_submit_wraps_each_row():
    from cases.intake import complaint_submit

    seen = []

    def submit(**kwargs):
        seen.append(kwargs["idempotency_key"])
        return complaint_submit(**kwargs)

    report = complaints_import(actor=clerk(), file=csv_bytes(ROWS[:2]), filename="a.csv", submit=submit)
    assert report.created_count == 1 and len(seen) == 1 and seen[0].startswith("import:")
