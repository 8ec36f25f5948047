"""The registers a bureau reports upward, as XLSX in a fixed layout: a title row, the period and the region,
the columns in Chinese, the rows, a totals row. Cells never become formulas (cases.xlsx)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from openpyxl import Workbook

from cases.xlsx import safe_row

DEPOSIT_COLUMNS = ["序号", "项目编号", "项目名称", "所在区划", "施工总承包单位", "合同价（元）", "存储比例（%）",
                   "应存金额（元）", "存储方式", "存储/保函银行", "保函编号", "保函到期日", "存储期限", "存储日期",
                   "可用余额（元）", "累计动用（元）", "返还金额（元）", "状态"]  # fmt: skip
FUND_COLUMNS = ["序号", "区划", "案件编号", "用人单位", "用途", "审批日期", "垫付日期", "垫付金额（元）",
                "已追回（元）", "未追回（元）", "状态"]  # fmt: skip
DEPOSIT_SUMS = (5, 7, 14, 15, 16)  # column indexes (0-based) summed in the totals row
FUND_SUMS = (7, 8, 9)


def _book(title: str, period: str, region: str, columns: list[str], rows: Iterable[list], sums: tuple) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.append(safe_row(ws, [title]))
    ws.append(safe_row(ws, [f"统计期间：{period}", "", f"填报单位（区划）：{region}"]))
    ws.append(safe_row(ws, columns))
    totals = [Decimal("0.00")] * len(columns)
    count = 0
    for values in rows:
        count += 1
        row = [count, *values]
        for i in sums:
            totals[i] += row[i] or Decimal("0.00")
        ws.append(safe_row(ws, row))
    last: list = ["合计", f"{count}项"] + [""] * (len(columns) - 2)
    for i in sums:
        last[i] = totals[i]
    ws.append(safe_row(ws, last))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def deposits_xlsx(deposits, *, period: str, region: str) -> bytes:
    def rows():
        for d in deposits.select_related("project", "region", "contractor").order_by("region__code", "id"):
            yield [d.project.project_no, d.project.name, d.region.name, d.contractor.name, d.contract_sum,
                   d.rate, d.required_amount, d.get_form_display() if d.form else "", d.bank, d.guarantee_no,
                   d.guarantee_expires_on, d.due_on, d.deposited_on, d.balance, d.drawn_total, d.returned_amount,
                   d.get_status_display()]  # fmt: skip

    return _book("农民工工资保证金台账", period, region, DEPOSIT_COLUMNS, rows(), DEPOSIT_SUMS)


def fund_xlsx(advances, *, period: str, region: str) -> bytes:
    def rows():
        for a in advances.select_related("fund__region", "case__employer").order_by("fund__region__code", "id"):
            decided = a.decided_at.date() if a.decided_at else None
            yield [a.fund.region.name, a.case.case_no, a.case.employer.name, a.get_purpose_display(), decided,
                   a.paid_on, a.amount, a.recovered, a.amount - a.recovered, a.get_status_display()]  # fmt: skip

    return _book("欠薪应急周转金垫付及追偿台账", period, region, FUND_COLUMNS, rows(), FUND_SUMS)


def period_text(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}"
    return "截至" + f"{(end or date.today()):%Y年%m月%d日}"
