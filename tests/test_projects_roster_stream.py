"""The streamed roster import of many projects (issue 15, performance: rosters of 1,000,000 workers), on
the test database (SQLite's fallback path, or PostgreSQL's COPY): bad rows reported by row and column and
nothing written for them, persons matched by blind index across projects, re-import changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from cases.models import Party
from projects.importing.roster_stream import roster_stream_import
from projects.models import Worker
from tests.projectkit import csv_bytes, make_project, worker_ids

pytestmark = pytest.mark.django_db

HEADER = ["项目编号", "姓名", "身份证号", "所属单位", "班组", "工种", "进场日期", "银行卡号"]


def test_streamed_roster_import_reports_bad_rows_and_reimport_changes_nothing(tmp_path):
    first, second = make_project(71), make_project(72)
    unit1 = first.units.get(role="labour").employer.uscc
    unit2 = second.units.get(role="labour").employer.uscc
    ids = worker_ids(5, start=700)
    wrong = ids[4][:-1] + ("0" if ids[4][-1] != "0" else "1")
    lines = [
        [first.project_no, "张一", ids[0], unit1, "钢筋班", "钢筋工", "2026-03-01", "6217 0000 1111 2222"],
        [first.project_no, "张二", ids[1], unit1, "", "", "", ""],
        [second.project_no, "张一", ids[0], unit2, "", "", "20260302", ""],  # same person, second project
        [second.project_no, "张三", ids[2], unit2, "", "", "", ""],
        [first.project_no, "张四", wrong, unit1, "", "", "", ""],  # row 6: wrong check digit
        ["NO-SUCH-PROJECT", "张五", ids[3], unit1, "", "", "", ""],  # row 7: unknown project
        [second.project_no, "张五", ids[3], unit1, "", "", "", ""],  # row 8: unit not on that project
        [first.project_no, "张二", ids[1], unit1, "", "", "", ""],  # row 9: repeats row 3
        [second.project_no, "李一", ids[0], unit2, "", "", "", ""],  # row 10: repeats row 4 (same project, ID)
        [first.project_no, "王三", ids[2], unit1, "", "", "", ""],  # row 11: ID registered as 张三
        [first.project_no, "张六", ids[4], unit1, "", "", "2026-13-01", ""],  # row 12: bad date
    ]
    data = csv_bytes(HEADER, lines)
    persons_before = Party.objects.count()
    report = roster_stream_import(actor=None, stream=io.BytesIO(data))
    assert (report.lines, report.written, report.unchanged) == (11, 4, 0)
    assert sorted(report.first_errors) == [
        (6, "身份证号", "身份证号校验位错误，请核对号码。"),
        (7, "项目编号", "没有这个项目编号的项目。"),
        (8, "所属单位", "所属单位不是本项目的参建单位。"),
        (9, "身份证号", "与本文件第3行重复的人员。"),
        (10, "身份证号", "与本文件第4行重复的人员。"),
        (11, "姓名", "该身份证号已登记的姓名与本行不符。"),
        (12, "进场日期", "不是有效日期（例如2026-05-01）。"),
    ]
    # one person per ID number, shared by the two projects; data readable through the models
    assert Party.objects.count() == persons_before + 3
    zhang = Party.objects.matching(id_number=ids[0]).get()
    assert zhang.name == "张一" and zhang.id_number == ids[0]
    assert set(Worker.objects.filter(person=zhang).values_list("project_id", flat=True)) == {first.pk, second.pk}
    worker = Worker.objects.get(project=first, person=zhang)
    assert (worker.team, worker.bank_card, str(worker.entered_on)) == ("钢筋班", "6217000011112222", "2026-03-01")
    assert not Worker.objects.filter(project=first, person__name="王三").exists()

    # re-import: nothing written, the good lines unchanged, the same errors; through the command too
    workers = list(Worker.objects.order_by("id").values())
    again = roster_stream_import(actor=None, stream=io.BytesIO(data))
    assert (again.written, again.unchanged, again.errors) == (0, 4, 7)
    path = tmp_path / "roster.csv"
    path.write_bytes(data)
    out = io.StringIO()
    call_command("import_roster_stream", str(path), stdout=out)
    assert "written 0, unchanged 4, errors 7" in out.getvalue()
    assert list(Worker.objects.order_by("id").values()) == workers
    assert Party.objects.count() == persons_before + 3


def test_streamed_roster_import_without_a_required_column_writes_nothing():
    from django.core.exceptions import ValidationError

    data = csv_bytes(["项目编号", "姓名"], [["X", "张一"]])
    with pytest.raises(ValidationError) as caught:
        roster_stream_import(actor=None, stream=io.BytesIO(data))
    assert "身份证号" in caught.value.messages[0] and "所属单位" in caught.value.messages[0]
