"""The monthly coverage report for the superior level: an XLSX workbook in a fixed layout.

Sheet 1 「覆盖率月报」:
  A1  title (merged A1:P1)
  A2  统计月份：YYYY年M月
  A3  填报单位：<region>（<code>）
  A4  计量单位 and the month's targets
  row 5  the column heads (COLUMNS, A..P)
  row 6… one row per region below (the region's own office, 本级, first when it has projects of its own)
  then   合计 (the region's totals)
  then   数据更新时间
Sheet 2 「项目清单」: the projects under construction behind the figures, one per row (heads in row 1).

Extension columns (a figure registered by an upper layer, projects.coverage.register_figure) come after
column P, two each (projects, share)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cases.models import Region
from cases.xlsx import safe_value
from projects.coverage import FIGURES
from projects.models import Department

from .compute import project_rows

BASE = ["real_name", "account", "on_behalf"]
HEAD_ROW = 5
FIRST_ROW = 6


def _columns() -> list[tuple[str, str]]:
    """(key, head) of sheet 1's columns, A onwards."""
    cols = [
        ("name", _("地区")),
        ("code", _("区划代码")),
        ("building", _("在建项目数（个）")),
        ("real_name", _("实行实名制管理（个）")),
        ("real_name%", _("实名制管理覆盖率（%）")),
        ("account", _("开设工资专用账户（个）")),
        ("account%", _("工资专用账户覆盖率（%）")),
        ("on_behalf", _("总包代发（个）")),
        ("on_behalf%", _("总包代发比例（%）")),
        ("sheet", _("有工资支付表（个）")),
        ("paid_full", _("足额支付（个）")),
        ("wages_due", _("工资表实发金额（元）")),
        ("wages_paid", _("已支付金额（元）")),
        ("paid_rate", _("支付率（%）")),
        ("targets_met", _("达标指标数")),
        ("targets_all", _("考核指标数")),
    ]
    for key, figure in FIGURES.items():
        if figure.share and key not in BASE:
            label = {"label": figure.label}
            cols += [(key, _("%(label)s（个）") % label), (f"{key}%", _("%(label)s（%%）") % label)]
    return cols


def _value(row: dict, key: str):
    if key in ("name", "code"):
        return row.get(key)
    if key.endswith("%"):
        share = row["shares"].get(key[:-1])
        return None if share is None else float(share)
    if key in ("wages_due", "wages_paid"):
        return float(row[key])
    if key == "paid_rate":
        return None if row["paid_rate"] is None else float(row["paid_rate"])
    if key == "targets_met":
        return sum(1 for v in row["meets"].values() if v)
    if key == "targets_all":
        return sum(1 for v in row["meets"].values() if v is not None)
    return row["counts"].get(key, 0)


def _target_text(targets: dict) -> str:
    parts = [f"{FIGURES[k].label} {Decimal(targets[k]).normalize():f}%" for k in BASE if targets.get(k) is not None]
    return _("计量单位：个、%、元；本年度目标：") + "，".join(parts)


def report_filename(data: dict) -> str:
    return f"coverage-{data['region']['code']}-{data['month']:%Y-%m}.xlsx"


def report_workbook(data: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("覆盖率月报")
    cols = _columns()
    month = data["month"]
    region = data["region"]
    sheet["A1"] = _("在建工程项目农民工工资支付保障措施覆盖情况月报")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(cols))
    sheet["A2"] = _("统计月份：%(y)s年%(m)s月") % {"y": month.year, "m": month.month}
    sheet["A3"] = _("填报单位：%(name)s（%(code)s）") % {"name": region["name"], "code": region["code"]}
    sheet["A4"] = _target_text(data["targets"])
    for c, (_key, head) in enumerate(cols, start=1):
        cell = sheet.cell(row=HEAD_ROW, column=c, value=str(head))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    r = FIRST_ROW
    for row in data["rows"]:
        shown = {**row, "name": row["name"] + (_("（本级）") if row["own"] else "")}
        for c, (key, _head) in enumerate(cols, start=1):
            sheet.cell(row=r, column=c, value=safe_value(_value(shown, key)))
        r += 1
    totals = {**data["totals"], "name": _("合计"), "code": region["code"]}
    for c, (key, _head) in enumerate(cols, start=1):
        sheet.cell(row=r, column=c, value=safe_value(_value(totals, key))).font = Font(bold=True)
    at = data.get("refreshed_at") or timezone.now()
    sheet.cell(
        row=r + 1, column=1, value=_("数据更新时间：%(at)s") % {"at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M")}
    )
    sheet.column_dimensions["A"].width = 18
    _projects_sheet(book, data)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _projects_sheet(book, data: dict) -> None:
    sheet = book.create_sheet(_("项目清单"))
    flags = [k for k in FIGURES if k != "building"]
    heads = [_("项目编号"), _("项目名称"), _("所在区划"), _("区划代码"), _("行业主管部门")]
    heads += [str(FIGURES[k].label) for k in flags]
    sheet.append([*heads, _("工资表实发金额（元）"), _("已支付金额（元）")])
    region = Region.objects.get(code=data["region"]["code"])
    departments = dict(Department.choices)
    yes, no = _("是"), _("否")
    for p in project_rows(region, data["month"], own=data.get("own_only", False)):
        sheet.append(
            [safe_value(p["project_no"]), safe_value(p["name"]), p["region__name"], p["region__code"],
             str(departments.get(p["department"], "")), *[yes if p[f"is_{k}"] else no for k in flags],
             float(p["wages_due"]), float(p["wages_paid"])]
        )  # fmt: skip
