"""The case ledger export (案件台账, SPEC §7): one XLSX row per case in the user's scope.

Two queries whatever the number of cases: one grouped aggregate for the workers paid in full,
then the cases themselves, streamed (`.iterator()`) into an openpyxl write-only workbook.
"""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .. import selectors
from ..ledger import workers_paid_in_full_by_case
from ..xlsx import safe_row

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE = "案件台账"
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
CHUNK = 2000

# (header, column width)
COLUMNS: list[tuple[str, int]] = [
    ("案件编号", 20),
    ("承办机构", 22),
    ("承办机构代码", 14),
    ("用人单位", 34),
    ("统一社会信用代码", 22),
    ("工程项目", 32),
    ("状态", 10),
    ("立案日期", 12),
    ("涉及人数", 10),
    ("欠薪金额（元）", 16),
    ("已追回金额（元）", 16),
    ("未追回金额（元）", 16),
    ("已足额支付人数", 14),
    ("结案方式", 18),
]


def export_filename(today=None) -> str:
    return f"案件台账-{(today or timezone.localdate()):%Y%m%d}.xlsx"


def cases_ledger_xlsx(*, user, status: str = "", region: str = "", q: str = "") -> bytes:
    """The 台账 of the cases `user` may read, filtered exactly like the case list
    (selectors.case_list_for_user); PermissionDenied for a user who reads no cases."""
    cases = selectors.case_list_for_user(user, status=status, region=region, q=q)
    paid_in_full = workers_paid_in_full_by_case(cases)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_TITLE)
    ws.freeze_panes = "A2"
    for index, (_header, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header_cells = []
    for header, _width in COLUMNS:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center")
        header_cells.append(cell)
    ws.append(header_cells)

    def number(value, fmt: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = fmt
        return cell

    rows = 0
    for case in cases.select_related("project").iterator(chunk_size=CHUNK):
        owed, paid = case.amount_owed, case.amount_paid
        ws.append(
            safe_row(
                ws,
                [
                    case.case_no,
                    case.region.name,
                    case.region.code,
                    case.employer.name,
                    case.employer.uscc,
                    case.project.name if case.project is not None else "",
                    case.get_status_display(),
                    number(timezone.localtime(case.filed_at).date(), DATE_FORMAT),
                    case.workers_count,
                    number(owed, MONEY_FORMAT),
                    number(paid, MONEY_FORMAT),
                    number(owed - paid, MONEY_FORMAT),
                    paid_in_full.get(case.pk, 0),
                    case.get_closure_code_display() if case.closure_code else "",
                ],
            )
        )
        rows += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{rows + 1}"

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
