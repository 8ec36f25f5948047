"""Bulk imports of the construction data: the project list (housing department's layout), rosters and
attendance (real-name platform), wage sheets and the bank's payment lines. CSV (UTF-8 or GB18030) or XLSX.

Each row is checked and written in its own savepoint: a bad row is reported (row number, column, message)
and writes nothing; a file that cannot be read, or lacks a required column, writes nothing at all.
Re-importing the same file changes nothing (rows are matched on their natural keys: unchanged)."""

from .payroll import payments_import, wage_sheet_import
from .projects_list import PROJECT_COLUMNS, projects_import
from .rosters import ROSTER_COLUMNS, attendance_import, roster_import
from .table import ImportReport, RowResult

__all__ = [
    "PROJECT_COLUMNS",
    "ROSTER_COLUMNS",
    "ImportReport",
    "RowResult",
    "attendance_import",
    "payments_import",
    "projects_import",
    "roster_import",
    "wage_sheet_import",
]
