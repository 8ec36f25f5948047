"""The province-scale payroll import: one bank file with the payment lines of many projects (a month's
代发明细 of every project, up to a million lines), streamed — memory flat — and written with set-based SQL.

1. The file is read line by line (CSV, UTF-8 or GB18030); each line is checked in Python (ID check digit,
   amount, date) and the ID number turned into its blind index; the good lines stream into a temporary
   staging table (COPY on PostgreSQL, batched INSERTs elsewhere), the bad ones are reported by row/column.
2. Repeated lines (same project, worker, day and amount) are reported, keeping the first.
3. One join matches the staged lines to the projects, their rosters and the person records (by the blind
   index, and the name) into a narrow temporary table (line, worker); one SELECT reports the lines whose
   payee is on no roster of the named project.
4. One INSERT … SELECT writes the new payment lines; lines already imported are skipped (ON CONFLICT DO
   NOTHING on the line's natural key), so a re-import changes nothing.

Columns: 项目编号, 身份证号, 收款人姓名, 金额, 交易日期, and optionally 付款账号 and 代发 (as in the per-project
import). The month the wages are for is given (`month`)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import timeline, values
from cases.actors import Actor
from cases.models import Party, Region
from cases.personal_data import blind_indexer

from .. import summary
from ..models import PaymentLine, Project, WageAccount, Worker
from .staging import Check, StageSink, check_lines, fast_commit

COLUMNS = {
    "项目编号": "project_no",
    "身份证号": "id_number",
    "收款人姓名": "name",
    "收款人": "name",
    "金额": "amount",
    "交易金额": "amount",
    "交易日期": "paid_on",
    "付款账号": "payer",
    "代发": "on_behalf",
    "是否代发": "on_behalf",
}
REQUIRED = ("project_no", "id_number", "name", "amount", "paid_on")
KEEP_ERRORS = 1000  # the report keeps the first errors in full, and counts the rest


@dataclass
class StreamReport:
    lines: int = 0
    written: int = 0
    unchanged: int = 0
    errors: int = 0
    first_errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, message)

    def error(self, row: int, column: str, message: str) -> None:
        self.errors += 1
        if len(self.first_errors) < KEEP_ERRORS:
            self.first_errors.append((row, column, message))


def _lines(stream: IO[bytes]):
    """CSV rows of a seekable binary stream, decoded as UTF-8 (BOM or not) or else GB18030, streamed."""
    head = stream.read(65536)
    stream.seek(0)
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not a character cut at the buffer's end
            encoding = "gb18030"
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")  # type: ignore[arg-type]
    return csv.reader(text)


def _date(raw: str) -> date | None:
    raw = raw.strip().replace("/", "-").replace(".", "-")
    try:
        if len(raw) == 8 and raw.isdigit():
            return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        year, month, day = raw.split("-")
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


_STAGE = "projects_stage_payments"


def _stage_create(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {_STAGE}")
    temp = "TEMPORARY " if connection.vendor == "postgresql" else "TEMP "
    cursor.execute(
        f"CREATE {temp}TABLE {_STAGE} (row_no integer, project_no varchar(40), id_index varchar(32), "
        "name varchar(64), amount numeric(14, 2), paid_on date, on_behalf boolean, via_account boolean)"
    )


def payments_stream_import(
    *, actor: Actor, stream: IO[bytes], month: date, region: Region | None = None
) -> StreamReport:
    """Import a bank file of many projects' payment lines for `month` (see the module). `region`: the
    projects' region for the timeline summary (default: each project's event is not written, one summary on
    the province of the first project)."""
    report = StreamReport()
    accounts = {
        project_no: number
        for project_no, number in (
            (a.project.project_no, a.account_no) for a in WageAccount.objects.select_related("project").iterator()
        )
    }
    with transaction.atomic(), connection.cursor() as cursor:
        fast_commit(cursor)
        _stage_create(cursor)
        rows = _lines(stream)
        try:
            header = [str(c).strip().lstrip("\ufeff") for c in next(rows)]
        except StopIteration:
            raise ValidationError({"file": [_("文件是空的。")]}) from None
        index = {COLUMNS[h]: i for i, h in reversed(list(enumerate(header))) if h in COLUMNS}
        missing = [k for k in REQUIRED if k not in index]
        if missing:
            names = {v: k for k, v in reversed(list(COLUMNS.items()))}
            raise ValidationError({"file": [_("缺少列：%(cols)s。") % {"cols": "、".join(names[k] for k in missing)}]})
        sink = StageSink(cursor, _STAGE, 8)
        check = _checker(index, accounts, timezone.localdate())
        check_lines(rows, check, report, sink)
        sink.flush()
        _duplicates(cursor, report)
        unknown = _unknown(cursor)
        for row_no in unknown:
            report.error(row_no, "身份证号", _("未在该项目花名册中找到该收款人。"))
        # in the workers' order: the line's unique index and the foreign-key checks at COMMIT go through the
        # workers' pages one after the other, not at random
        cursor.execute(
            f"INSERT INTO {PaymentLine._meta.db_table} "
            "(worker_id, month, amount, paid_on, via_account, on_behalf, memo) "
            f"SELECT m.worker_id, %s, s.amount, s.paid_on, s.via_account, s.on_behalf, '' FROM {_STAGE} s "
            f"JOIN {_MATCHED} m ON m.row_no = s.row_no ORDER BY m.worker_id, s.row_no "
            "ON CONFLICT (worker_id, month, paid_on, amount) DO NOTHING",
            [month],
        )
        report.written = cursor.rowcount
        if report.written:
            # the month's summary of the file's projects (not of every project: the province's other lines
            # of the month are not read again)
            cursor.execute(
                f"SELECT DISTINCT w.project_id FROM {_MATCHED} m JOIN {Worker._meta.db_table} w ON w.id = m.worker_id"
            )
            summary.refresh_months(project_ids=[r[0] for r in cursor.fetchall()], months=[month])
        report.unchanged = report.lines - report.errors - report.written
        cursor.execute(f"DROP TABLE {_STAGE}")
        cursor.execute(f"DROP TABLE {_MATCHED}")
        if report.written and region is not None:
            timeline.record(
                region,
                "project.payments_imported",
                actor=actor,
                data={
                    "filename": "stream",
                    "created": report.written,
                    "updated": 0,
                    "month": month,
                },
            )
    return report


def _checker(index: dict[str, int], accounts: dict[str, str], today: date) -> Check:
    """The check of one line (reports its problems on `report`, returns the staged tuple or None), with what
    every line needs looked up once: the columns, today, the blind index's keyed HMAC."""
    width = max(index.values()) + 1
    i_project, i_id, i_name, i_amount, i_paid = (index[k] for k in REQUIRED)
    i_payer, i_behalf = index.get("payer"), index.get("on_behalf")
    id_index, id_problem, compact, yuan = blind_indexer("id"), values.resident_id_problem, values.compact, values.yuan
    top = Decimal("1e12")

    def check(number: int, row: list[str], report: Any) -> tuple | None:
        bad = False
        if len(row) < width:
            row = row + [""] * (width - len(row))
        project_no = row[i_project].strip()
        if not project_no or len(project_no) > 40:
            report.error(number, "项目编号", _("请填写项目编号。"))
            bad = True
        id_number = compact(row[i_id])
        problem = id_problem(id_number, today=today) if id_number else _("请填写身份证号。")
        if problem:
            report.error(number, "身份证号", problem)
            bad = True
        name = row[i_name].strip()
        if not name or len(name) > 64:
            report.error(number, "收款人姓名", _("请填写收款人姓名。"))
            bad = True
        try:
            amount = yuan(row[i_amount].strip().replace(",", ""))
        except ValueError:
            amount = None
        if amount is None or amount <= 0 or amount >= top:
            report.error(number, "金额", _("金额应大于0。"))
            bad = True
        paid_on = _date(row[i_paid])
        if paid_on is None:
            report.error(number, "交易日期", _("交易日期不是有效日期（例如2026-05-01）。"))
            bad = True
        if bad:
            return None
        payer = row[i_payer].strip().replace(" ", "") if i_payer is not None else ""
        on_behalf = i_behalf is not None and row[i_behalf].strip() in ("是", "Y", "y", "1", "true")
        via = bool(payer) and accounts.get(project_no) == payer
        return (number, project_no, id_index(id_number), name, amount, paid_on, on_behalf, via)

    return check


def _duplicates(cursor, report: StreamReport) -> None:
    cursor.execute(
        f"SELECT s.row_no, f.first FROM {_STAGE} s JOIN (SELECT project_no, id_index, paid_on, amount, "
        f"MIN(row_no) AS first FROM {_STAGE} GROUP BY project_no, id_index, paid_on, amount HAVING COUNT(*) > 1) f "
        "ON f.project_no = s.project_no AND f.id_index = s.id_index AND f.paid_on = s.paid_on AND f.amount = s.amount "
        "WHERE s.row_no > f.first ORDER BY s.row_no"
    )
    repeated = cursor.fetchall()
    for row_no, first in repeated:
        report.error(row_no, "金额", _("与本文件第%(row)d行重复的付款记录。") % {"row": first})
    if repeated:
        cursor.execute(
            f"DELETE FROM {_STAGE} WHERE row_no IN (SELECT s.row_no FROM {_STAGE} s JOIN {_STAGE} t ON "
            "t.project_no = s.project_no AND t.id_index = s.id_index AND t.paid_on = s.paid_on AND t.amount = s.amount "
            "AND t.row_no < s.row_no)"
        )


_MATCHED = "projects_stage_payments_matched"


def _unknown(cursor) -> list[int]:
    """Match every staged line to its worker (project number, blind index and name) with one join into a
    narrow table (line, worker: the staged lines are not rewritten); the rows of the lines left without one.
    A line matching two workers (two person records of one ID number, both on the roster) takes the first."""
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {_STAGE}")
    cursor.execute(f"DROP TABLE IF EXISTS {_MATCHED}")
    cursor.execute(
        f"CREATE TEMP TABLE {_MATCHED} AS SELECT s.row_no, MIN(w.id) AS worker_id FROM {_STAGE} s "
        f"JOIN {Project._meta.db_table} p ON p.project_no = s.project_no "
        f"JOIN {Worker._meta.db_table} w ON w.project_id = p.id "
        f"JOIN {Party._meta.db_table} pa ON pa.id = w.person_id AND pa.id_number_index = s.id_index "
        "AND pa.name = s.name GROUP BY s.row_no"
    )
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {_MATCHED}")
    cursor.execute(
        f"SELECT s.row_no FROM {_STAGE} s WHERE NOT EXISTS (SELECT 1 FROM {_MATCHED} m WHERE m.row_no = s.row_no) "
        "ORDER BY s.row_no"
    )
    return [r[0] for r in cursor.fetchall()]
