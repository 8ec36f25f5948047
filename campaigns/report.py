"""The weekly progress report of a campaign (调度表) for the level above: an XLSX workbook in a fixed layout.

Sheet 1 「专项行动调度表」:
  A1  title (merged A1:N1)
  A2  专项行动：<title>
  A3  统计周：<Monday> 至 <reporting day>（截至该日累计）
  A4  填报单位：<region>（<code>）
  row 5  the column heads: A 地区, B 区划代码, C… the figures in figures.COLUMNS order (C..N)
  row 6… one row per region below (本级 first when the region's own office has records)
  then   合计
  then   数据生成时间
Sheet 2 「未整改隐患」: the hazards open at the week's end behind the 合计 row, one per row (heads in row 1)."""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cases.models import Region
from cases.xlsx import MONEY_FORMAT, safe_value

from . import figures
from .models import Campaign

HEAD_ROW = 5
FIRST_ROW = 6
MONEY = ("amount", "paid")


def report_filename(campaign: Campaign, end: date, root: Region) -> str:
    return f"campaign-{campaign.pk}-{root.code}-{end:%Y-%m-%d}.xlsx"


def report_workbook(campaign: Campaign, end: date, root: Region, rows: list[figures.Row]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("专项行动调度表")
    heads = [_("地区"), _("区划代码"), *[str(figures.LABELS[k]) for k in figures.COLUMNS]]
    sheet["A1"] = _("根治欠薪专项行动进展情况调度表")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(heads))
    sheet["A2"] = _("专项行动：%(title)s") % {"title": campaign.title}
    sheet["A3"] = _("统计周：%(start)s 至 %(end)s（截至该日累计）") % {
        "start": f"{end - timedelta(days=6):%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"}  # fmt: skip
    sheet["A4"] = _("填报单位：%(name)s（%(code)s）") % {"name": root.name, "code": root.code}
    for c, head in enumerate(heads, start=1):
        cell = sheet.cell(row=HEAD_ROW, column=c, value=str(head))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    r = FIRST_ROW
    for row in rows:
        total = row.region is None
        if total:
            name, code = _("合计"), root.code
        else:
            assert row.region is not None
            name = row.region.name + (_("（本级）") if row.own and row.region.pk == root.pk and len(rows) > 2 else "")
            code = row.region.code
        values = [name, code, *[row.figures[k] for k in figures.COLUMNS]]
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=safe_value(float(value) if c > 2 and figures.COLUMNS[c - 3]
                                                                  in MONEY else value))  # fmt: skip
            if c > 2 and figures.COLUMNS[c - 3] in MONEY:
                cell.number_format = MONEY_FORMAT
            if total:
                cell.font = Font(bold=True)
        r += 1
    sheet.cell(row=r, column=1, value=_("数据生成时间：%(at)s") % {
        "at": timezone.localtime().strftime("%Y-%m-%d %H:%M")})  # fmt: skip
    sheet.column_dimensions["A"].width = 18
    _open_sheet(book, campaign, end, root)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _open_sheet(book, campaign: Campaign, end: date, root: Region) -> None:
    sheet = book.create_sheet(_("未整改隐患"))
    sheet.append([_("责任机构"), _("区划代码"), _("排查对象"), _("项目编号"), _("隐患类型"), _("涉及人数"),
                  _("涉及金额（元）"), _("发现日期"), _("整改期限"), _("是否逾期")])  # fmt: skip
    hazards = (
        figures.records(campaign, "open", end, root, own=False)
        .select_related("region", "project", "employer")
        .order_by("region__code", "due_on", "pk")
    )
    yes, no = _("是"), _("否")
    for h in hazards:
        sheet.append([
            h.region.name, h.region.code, safe_value(h.target_name), h.project.project_no if h.project else "",
            h.get_kind_display(), h.workers, float(h.amount), h.found_on, h.due_on, yes if h.due_on < end else no,
        ])  # fmt: skip
