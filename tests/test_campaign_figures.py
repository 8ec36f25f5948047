"""The weekly progress figures of a campaign (调度): for two counties (and the city's own office) they equal the
counts made here, record by record, for two reporting weeks; each figure opens the records behind it; the XLSX
report has its fixed layout; the hazard import checks every row and writes all or nothing."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from campaigns import figures
from campaigns.models import Campaign, Hazard
from campaigns.services import campaign_create, check_record, hazard_case_filed, hazard_case_propose, hazard_record
from campaigns.services import hazard_resolve as resolve
from cases.models import Case, Employer, Role
from cases.proactive import filing_propose
from tests import world
from tests.clock import at
from tests.factories import staff, uscc
from tests.projectkit import make_project

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
CITY, A, B = "360300", "360302", "360313"
WEEK1, WEEK2 = date(2026, 10, 23), date(2026, 11, 20)  # Fridays, the campaign's reporting day


def _employer(n: int, code: str) -> Employer:
    name = f"调度测试建筑公司{n}"
    return Employer.objects.create(name=name, name_key=name, uscc=uscc(6500 + n), region=world.region(code),
                                   industry="E")  # fmt: skip


def _campaign(code: str = CITY) -> Campaign:
    return campaign_create(region=world.region(code), title="萍乡市根治欠薪冬季攻坚行动", period_start=date(2026, 9, 1),
                           period_end=date(2027, 2, 10), target_kinds=["construction", "employers"], industries=["E"],
                           report_weekday=4, actor=staff(Role.LEADER, code))  # fmt: skip


# (office, found, workers, amount, resolved on, paid, proposed for a case on, case filed on)
SPECS = [
    (A, date(2026, 9, 28), 4, "12000.00", date(2026, 10, 9), "12000.00", None, None),
    (A, date(2026, 10, 19), 2, "5000.00", None, None, None, None),  # found in WEEK1, open
    (A, date(2026, 9, 10), 6, "30000.00", None, None, date(2026, 10, 20), date(2026, 10, 21)),  # a case
    (A, date(2026, 9, 14), 3, "8000.00", date(2026, 11, 2), "7000.00", None, None),  # overdue at WEEK1, late
    (B, date(2026, 9, 15), 1, "2000.00", None, None, None, None),  # open and overdue at both weeks
    (B, date(2026, 11, 16), 5, "9100.50", None, None, None, None),  # found in WEEK2
    (B, date(2026, 10, 12), 2, "4000.00", date(2026, 10, 16), "4000.00", None, None),
    (CITY, date(2026, 10, 5), 7, "21000.00", None, None, date(2026, 11, 3), None),  # the city's own office
]


def _world():
    campaign = _campaign()
    hazards = []
    for n, (code, found, workers, amount, resolved, paid, proposed, filed) in enumerate(SPECS):
        hazard = hazard_record(campaign=campaign, region=world.region(code), kind="wages_owed", found_on=found,
                               workers=workers, amount=amount, employer=_employer(n, code),
                               actor=staff(Role.INSPECTOR, code))  # fmt: skip
        if resolved:
            resolve(hazard=hazard, resolved_on=resolved, evidence_note="工资发放回单", amount_paid=paid, actor=None)
        if proposed:
            filing = filing_propose(region=hazard.region, proposal={"facts": "隐患转立案"}, actor=None)
            with at(datetime.combine(proposed, datetime.min.time().replace(hour=10), tzinfo=SH)):
                hazard_case_propose(hazard=hazard, filing=filing, actor=None)
            if filed:
                case = world.make_case(code)
                Case.objects.filter(pk=case.pk).update(filed_at=datetime.combine(filed, datetime.min.time(), SH))
                case.refresh_from_db()
                hazard_case_filed(filing=filing, case=case, actor=None)
        hazards.append(hazard)
    # checks: a project twice in A (counted once), an employer without hazards in B; outside the city: ignored
    project = make_project(71, region=A)
    for day in (date(2026, 9, 20), date(2026, 10, 22)):
        check_record(campaign=campaign, region=world.region(A), checked_on=day, project=project, actor=None)
    check_record(campaign=campaign, region=world.region(B), checked_on=date(2026, 11, 10), employer=_employer(50, B),
                 actor=None)  # fmt: skip
    other = _campaign("360100")
    hazard_record(campaign=other, region=world.region("360102"), kind="no_account", found_on=date(2026, 10, 1),
                  employer=_employer(60, "360102"), actor=None)  # fmt: skip
    return campaign, [Hazard.objects.get(pk=h.pk) for h in hazards], project


def _expected(hazards: list[Hazard], end: date, codes: set[str]) -> dict:
    """The figures counted here, one hazard at a time, from the records' own dates."""
    out = dict.fromkeys(["found", "found_week", "resolved", "to_case", "open", "overdue", "cases", "workers"], 0)
    out.update(amount=Decimal("0"), paid=Decimal("0"))
    for h in hazards:
        if h.region.code not in codes or h.found_on > end:
            continue
        out["found"] += 1
        out["found_week"] += end - timedelta(days=7) < h.found_on
        out["workers"] += h.workers
        out["amount"] += h.amount
        resolved = h.resolved_on is not None and h.resolved_on <= end
        to_case = h.case_proposed_on is not None and h.case_proposed_on <= end
        out["resolved"] += resolved
        out["paid"] += h.amount_paid if resolved else 0
        out["to_case"] += to_case
        out["open"] += not resolved and not to_case
        out["overdue"] += not resolved and not to_case and h.due_on < end
        out["cases"] += h.case_filed_on is not None and h.case_filed_on <= end
    return out


def _row(rows, code: str, own: bool = False):
    return next(r for r in rows if r.region is not None and r.region.code == code and r.own == own)


def test_the_weekly_figures_of_two_counties_equal_the_records_counted_one_by_one():
    campaign, hazards, _project = _world()
    assert WEEK1 in figures.weeks(campaign) and WEEK2 in figures.weeks(campaign)
    root = world.region(CITY)
    for week in (WEEK1, WEEK2):
        rows = figures.table(campaign, week, root)
        for code in (A, B):
            got = {k: _row(rows, code).figures[k] for k in _expected(hazards, week, {code})}
            assert got == _expected(hazards, week, {code}), (week, code)
        assert {k: _row(rows, CITY, own=True).figures[k] for k in ("found", "to_case", "open")} == {
            k: _expected(hazards, week, {CITY})[k] for k in ("found", "to_case", "open")}  # fmt: skip
        total = rows[-1]
        assert total.region is None
        assert {k: total.figures[k] for k in _expected(hazards, week, {A, B, CITY})} == _expected(
            hazards, week, {A, B, CITY})  # fmt: skip
    # spot values, so that a wrong definition on both sides cannot pass: WEEK1 in 安源区
    week1 = _row(figures.table(campaign, WEEK1, root), A).figures
    assert (week1["found"], week1["found_week"], week1["resolved"], week1["to_case"], week1["open"],
            week1["overdue"], week1["cases"]) == (4, 1, 1, 1, 2, 1, 1)  # fmt: skip
    # a hazard counts its employer as checked on the day it was found
    assert (week1["checked_projects"], week1["checked_employers"]) == (1, 4)
    week2 = _row(figures.table(campaign, WEEK2, root), B).figures
    assert (week2["found"], week2["open"], week2["overdue"], week2["checked_employers"]) == (3, 2, 1, 4)
    assert week2["amount"] == Decimal("15100.50") and week2["paid"] == Decimal("4000.00")


def test_each_figure_opens_the_records_behind_it_for_the_launching_level_only():
    campaign, hazards, project = _world()
    leader = Client()
    leader.force_login(world.user(Role.LEADER, CITY))
    page = leader.get(reverse("campaigns:figures", args=[campaign.pk]), {"week": WEEK1.isoformat()})
    assert page.status_code == 200
    text = page.content.decode()
    link = reverse("campaigns:records", args=[campaign.pk]) + f"?figure=overdue&amp;week={WEEK1}&amp;region={A}"
    assert link in text
    listed = leader.get(reverse("campaigns:records", args=[campaign.pk]),
                        {"figure": "overdue", "week": WEEK1.isoformat(), "region": A}).content.decode()  # fmt: skip
    overdue = [h for h in hazards if h.region.code == A and _expected([h], WEEK1, {A})["overdue"]]
    assert len(overdue) == 1 and overdue[0].target_name in listed
    assert all(h.target_name not in listed for h in hazards if h not in overdue)
    checks = leader.get(reverse("campaigns:records", args=[campaign.pk]),
                        {"figure": "checked_projects", "week": WEEK1.isoformat(), "region": A}).content.decode()
    assert project.name in checks  # fmt: skip
    # a county leader reads its own county's figures, rolled up from its subtree
    county = Client()
    county.force_login(world.user(Role.LEADER, A))
    page = county.get(reverse("campaigns:figures", args=[campaign.pk]), {"week": WEEK1.isoformat()})
    assert page.status_code == 200 and "湘东区" not in page.content.decode()
    assert county.get(reverse("campaigns:records", args=[campaign.pk]),
                      {"figure": "found", "region": B}).status_code == 404  # fmt: skip


def test_the_xlsx_report_has_its_fixed_layout():
    campaign, hazards, _project = _world()
    leader = Client()
    leader.force_login(world.user(Role.LEADER, CITY))
    response = leader.get(reverse("campaigns:figures", args=[campaign.pk]), {"week": WEEK1.isoformat(),
                                                                              "format": "xlsx"})  # fmt: skip
    assert response.status_code == 200 and f"campaign-{campaign.pk}-{CITY}-2026-10-23.xlsx" in response[
        "Content-Disposition"]  # fmt: skip
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["专项行动调度表", "未整改隐患"]
    sheet = book["专项行动调度表"]
    assert sheet["A1"].value == "根治欠薪专项行动进展情况调度表" and "A1:N1" in sheet.merged_cells
    assert sheet["A2"].value == "专项行动：萍乡市根治欠薪冬季攻坚行动"
    assert sheet["A3"].value == "统计周：2026-10-17 至 2026-10-23（截至该日累计）"
    assert sheet["A4"].value == "填报单位：萍乡市（360300）"
    assert [sheet.cell(5, c).value for c in range(1, 15)] == [
        "地区", "区划代码", "排查项目（个）", "排查用人单位（户）", "发现隐患（个）", "本周新发现（个）",
        "已整改（个）", "转立案查处（个）", "未整改（个）", "逾期未整改（个）", "已立案（件）", "涉及人数（人）",
        "涉及金额（元）", "已支付金额（元）",
    ]  # fmt: skip
    assert (sheet["A6"].value, sheet["B6"].value) == ("萍乡市（本级）", CITY)
    assert (sheet["A7"].value, sheet["B7"].value) == ("安源区", A)
    assert (sheet["A8"].value, sheet["B8"].value) == ("湘东区", B)
    a = _expected(hazards, WEEK1, {A})
    assert [sheet.cell(7, c).value for c in range(5, 12)] == [a[k] for k in
                                                              ("found", "found_week", "resolved", "to_case", "open",
                                                               "overdue", "cases")]  # fmt: skip
    assert sheet["M7"].value == float(a["amount"]) and sheet["M7"].number_format == "#,##0.00"
    counties = list(world.region(CITY).children.order_by("code"))
    total_row = 7 + len(counties)
    everything = _expected(hazards, WEEK1, {A, B, CITY})
    assert sheet.cell(total_row, 1).value == "合计" and sheet.cell(total_row, 5).value == everything["found"]
    assert sheet.cell(total_row, 9).value == everything["open"]
    assert sheet.cell(total_row + 1, 1).value.startswith("数据生成时间：")
    opened = book["未整改隐患"]
    assert opened["A1"].value == "责任机构" and opened.max_row == 1 + everything["open"]


def _xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["项目编号", "单位名称", "统一社会信用代码", "隐患类型", "涉及人数", "涉及金额（元）", "发现日期",
                  "责任机构", "隐患情况"])  # fmt: skip
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_import_names_each_bad_row_and_writes_nothing_until_every_row_is_right():
    campaign = _campaign()
    project = make_project(72, region=A)
    employer = _employer(80, A)
    inspector = Client()
    inspector.force_login(world.user(Role.INSPECTOR, A))
    url = reverse("campaigns:import", args=[campaign.pk])
    good = [project.project_no, "", "", "未开设工资专用账户", 0, 0, "2026-10-10", "", "项目未开设专户"]
    bad = [
        good,
        ["", "", employer.uscc, "欠薪", 2, 100, "2026-10-10", "", ""],  # row 3: unknown kind
        ["JX-NONE-0001", "", "", "拖欠工资", 2, 100, "2026-10-10", "", ""],  # row 4: unknown project
        ["", employer.name, "", "拖欠工资", 3, 6000, "2026/13/40", "", ""],  # row 5: bad date
        ["", employer.name, "", "拖欠工资", 3, 6000, "2026-10-11", "湘东区", ""],  # row 6: not this inspector's office
    ]
    before = Hazard.objects.count()
    page = inspector.post(url, {"file": io.BytesIO(_xlsx(bad))}).content.decode()
    assert Hazard.objects.count() == before
    assert "发现 4 处错误" in page
    for row, words in [(3, "隐患类型须为"), (4, "没有编号为"), (5, "日期格式应为"), (6, "您不能为该责任机构")]:
        assert f"<td>{row}</td>" in page and words in page
    wrong_heads = Workbook()
    wrong_heads.active.append(["编号", "名称"])
    buffer = io.BytesIO()
    wrong_heads.save(buffer)
    assert "表头应为" in inspector.post(url, {"file": io.BytesIO(buffer.getvalue())}).content.decode()
    rows = [good, ["", "", employer.uscc, "拖欠工资", 3, "6000.50", "2026-10-11", "", "拖欠两个月工资"]]
    response = inspector.post(url, {"file": io.BytesIO(_xlsx(rows))})
    assert response.status_code == 302 and Hazard.objects.count() == before + 2
    imported = Hazard.objects.get(employer=employer)
    assert imported.region.code == A and imported.amount == Decimal("6000.50") and imported.due_on > imported.found_on
