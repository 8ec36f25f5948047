"""The province-scale roster import: one file with the real-name rosters of many projects (up to a million
workers), streamed — memory flat — and written with set-based SQL, as the payroll stream import does.

1. The file is read line by line (CSV, UTF-8 or GB18030); each line is checked in Python (project number,
   name, ID check digit, unit's USCC, dates, lengths); the ID number is turned into its blind index and
   encrypted (and the bank card encrypted) right there, so no plaintext reaches the database; the good lines
   stream into a temporary staging table (COPY on PostgreSQL, batched INSERTs elsewhere), the bad ones are
   reported by row and column.
2. A worker repeated in the file (same project, same ID number) is reported, keeping the first line.
3. Lines of an unknown project, or of a unit that is not on the project (by its USCC), are reported, each
   check one anti-join; only the lines reported are marked (the staging table is never rewritten whole).
4. One INSERT … SELECT creates the persons not yet known (one per ID number, from its first good line, in
   file order); lines whose name differs from the person registered under that ID number are reported; then
   INSERT … SELECT joins the lines to their project, unit (the project's unit with that USCC) and person (the
   one record of that blind index) and writes the workers, in file order: those of the persons just created
   with a plain INSERT (they cannot be on any roster yet), the others with ON CONFLICT DO NOTHING — a worker
   already on the project's roster is left as it is ("unchanged"), so a re-import changes nothing.
   All in one transaction whose settings (staging.fast_commit) keep the joins in memory.

Columns: 项目编号, 姓名, 身份证号, 所属单位 (the unit's USCC), and optionally 班组, 工种, 进场日期, 退场日期,
劳动合同签订日期, 开户银行, 银行卡号."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import timeline, values
from cases.actors import Actor
from cases.models import Employer, Party, Region
from cases.personal_data import blind_indexer, encrypter

from ..models import Project, ProjectUnit, Worker
from .staging import StageSink, check_lines, fast_commit
from .stream import StreamReport, _date, _lines

COLUMNS = {
    "项目编号": "project_no",
    "姓名": "name",
    "身份证号": "id_number",
    "所属单位": "unit",
    "所属单位统一社会信用代码": "unit",
    "班组": "team",
    "工种": "trade",
    "进场日期": "entered_on",
    "退场日期": "exited_on",
    "劳动合同签订日期": "contract_signed_on",
    "开户银行": "bank",
    "银行卡号": "bank_card",
}
REQUIRED = ("project_no", "name", "id_number", "unit")
LABELS = {v: k for k, v in reversed(list(COLUMNS.items()))}
_STAGE = "projects_stage_roster"
_FIELDS = (
    "row_no integer, project_no varchar(40), uscc varchar(18), id_index varchar(32), id_cipher text, "
    "name varchar(64), team varchar(60), trade varchar(60), entered_on date, exited_on date, "
    "contract_signed_on date, bank varchar(60), card_cipher text, bad boolean"
)
_WIDTH = 14
_CARD_PURPOSE = "projects_worker.bank_card"
_ID_PURPOSE = "cases_party.id_number"


def _stage_create(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {_STAGE}")
    temp = "TEMPORARY " if connection.vendor == "postgresql" else "TEMP "
    cursor.execute(f"CREATE {temp}TABLE {_STAGE} ({_FIELDS})")


def _checker(index: dict[str, int], today: date) -> Callable[[int, list[str], Any], tuple | None]:
    """The check of one line (reports its problems on `report`, returns the staged tuple or None), with what
    every line needs looked up once: the columns, today, the blind index's keyed HMAC, the ciphers."""
    width = max(index.values()) + 1
    at = {key: index.get(key) for key in COLUMNS.values()}
    id_index, seal_id, seal_card = blind_indexer("id"), encrypter(_ID_PURPOSE), encrypter(_CARD_PURPOSE)
    id_problem, compact = values.resident_id_problem, values.compact
    limits = (("team", 60), ("trade", 60), ("bank", 60), ("bank_card", 30))

    def check(number: int, row: list[str], report: Any) -> tuple | None:
        bad = False
        if len(row) < width:
            row = row + [""] * (width - len(row))

        def text(key: str) -> str:
            i = at[key]
            return row[i].strip() if i is not None else ""

        def error(key: str, message: str) -> None:
            nonlocal bad
            report.error(number, LABELS[key], message)
            bad = True

        project_no = text("project_no")
        if not project_no or len(project_no) > 40:
            error("project_no", _("请填写项目编号。"))
        name = text("name")
        if not name or len(name) > 64:
            error("name", _("请填写姓名。"))
        id_number = compact(row[index["id_number"]])
        problem = id_problem(id_number, today=today) if id_number else _("请填写身份证号。")
        if problem:
            error("id_number", problem)
        uscc = text("unit").upper().replace(" ", "")
        if not uscc or len(uscc) > 18:
            error("unit", _("请填写所属单位（统一社会信用代码）。"))
        limited = {}
        for key, limit in limits:
            limited[key] = text(key).replace(" ", "") if key == "bank_card" else text(key)
            if len(limited[key]) > limit:
                error(key, _("不能超过%(n)d个字符。") % {"n": limit})
        days = {}
        for key in ("entered_on", "exited_on", "contract_signed_on"):
            raw = text(key)
            days[key] = _date(raw) if raw else None
            if raw and days[key] is None:
                error(key, _("不是有效日期（例如2026-05-01）。"))
        if days["entered_on"] and days["exited_on"] and days["exited_on"] < days["entered_on"]:
            error("exited_on", _("退场日期不能早于进场日期。"))
        if bad:
            return None
        return (
            number,
            project_no,
            uscc,
            id_index(id_number),
            seal_id(id_number),
            name,
            limited["team"],
            limited["trade"],
            days["entered_on"],
            days["exited_on"],
            days["contract_signed_on"],
            limited["bank"],
            seal_card(limited["bank_card"]),
            False,
        )

    return check


def _flag(cursor, report: StreamReport, where: str, column: str, message: str, params=()) -> None:
    """Report the staged lines matching `where` (not already bad) under `column`, and mark them bad."""
    cursor.execute(f"SELECT row_no FROM {_STAGE} WHERE NOT bad AND ({where}) ORDER BY row_no", list(params))
    rows = [r[0] for r in cursor.fetchall()]
    for row_no in rows:
        report.error(row_no, column, message)
    if rows:
        cursor.execute(f"UPDATE {_STAGE} SET bad = TRUE WHERE NOT bad AND ({where})", list(params))


def _match(cursor, report: StreamReport) -> None:
    """Steps 2 and 3 of the module, and the new persons of step 4. The staged lines are never rewritten as a
    whole (a million-row UPDATE rewrites every row): the checks are anti-joins, only the lines they report
    are marked bad, and the matching itself is done by the joins of the final INSERT (`_WORKERS`)."""
    party = Party._meta.db_table
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {_STAGE}")
    # 2. repeated workers: keep the first line of each project and ID number
    cursor.execute(
        f"SELECT s.row_no, f.first FROM {_STAGE} s JOIN (SELECT project_no, id_index, MIN(row_no) AS first "
        f"FROM {_STAGE} GROUP BY project_no, id_index HAVING COUNT(*) > 1) f ON f.project_no = s.project_no "
        "AND f.id_index = s.id_index WHERE s.row_no > f.first ORDER BY s.row_no"
    )
    repeated = cursor.fetchall()
    for row_no, first in repeated:
        report.error(row_no, LABELS["id_number"], _("与本文件第%(row)d行重复的人员。") % {"row": first})
    if repeated:
        cursor.execute(
            f"UPDATE {_STAGE} SET bad = TRUE WHERE row_no IN (SELECT s.row_no FROM {_STAGE} s JOIN {_STAGE} t "
            "ON t.project_no = s.project_no AND t.id_index = s.id_index AND t.row_no < s.row_no)"
        )
    # 3. unknown projects, units not on the project
    _flag(
        cursor,
        report,
        f"NOT EXISTS (SELECT 1 FROM {_PROJECT} p WHERE p.project_no = {_STAGE}.project_no)",
        LABELS["project_no"],
        _("没有这个项目编号的项目。"),
    )
    _flag(
        cursor,
        report,
        f"NOT EXISTS (SELECT 1 FROM {_PROJECT} p JOIN {_UNIT} pu ON pu.project_id = p.id JOIN {_EMPLOYER} e "
        f"ON e.id = pu.employer_id WHERE p.project_no = {_STAGE}.project_no AND e.uscc = {_STAGE}.uscc)",
        LABELS["unit"],
        _("所属单位不是本项目的参建单位。"),
    )
    # 4. the one person record of each staged ID number (the oldest, as person_for finds it), with its name,
    # in a narrow table; then the persons not known yet (one per ID number, from its first good line), added
    cursor.execute(f"DROP TABLE IF EXISTS {_PERSONS}")
    if connection.vendor == "postgresql":  # one pass, sorted byte-wise (hex digests): no join back by id
        # (after a large import the table's statistics lag, and the join back became a million index probes)
        cursor.execute(
            f'CREATE TEMP TABLE {_PERSONS} AS SELECT DISTINCT ON (id_number_index COLLATE "C") id_number_index, '
            f"id, name, FALSE AS created FROM {party} WHERE id_number_index IN (SELECT id_index FROM {_STAGE}) "
            'ORDER BY id_number_index COLLATE "C", id'
        )
    else:
        cursor.execute(
            f"CREATE TEMP TABLE {_PERSONS} AS SELECT pa.id_number_index, pa.id, pa.name, FALSE AS created "
            f"FROM {party} pa JOIN (SELECT MIN(id) AS id FROM {party} WHERE id_number_index IN "
            f"(SELECT id_index FROM {_STAGE}) GROUP BY id_number_index) m ON m.id = pa.id"
        )
    # in file order (ORDER BY): the new persons' ids follow the lines, so the workers' inserts and the
    # foreign-key checks at COMMIT read the person table's pages one after the other, not at random
    new_persons = (
        f"INSERT INTO {party} (name, id_number, phone, created_at, id_number_index, phone_index) "
        f"SELECT s.name, s.id_cipher, '', %s, s.id_index, '' FROM {_STAGE} s JOIN (SELECT id_index, "
        f"MIN(row_no) AS first FROM {_STAGE} t WHERE NOT bad AND NOT EXISTS (SELECT 1 FROM {_PERSONS} m "
        "WHERE m.id_number_index = t.id_index) GROUP BY id_index) f ON f.first = s.row_no ORDER BY s.row_no"
    )  # the known ID numbers left out before the grouping: a re-import groups nothing, joins nothing
    if connection.vendor == "postgresql":  # the new rows straight into the persons' table (RETURNING)
        cursor.execute(
            f"WITH new AS ({new_persons} RETURNING id_number_index, id, name) "
            f"INSERT INTO {_PERSONS} (id_number_index, id, name, created) "
            "SELECT id_number_index, id, name, TRUE FROM new",
            [timezone.now()],
        )
    else:  # SQLite (no INSERT in WITH): the rows after the largest id (one writer at a time)
        cursor.execute(f"SELECT MAX(id) FROM {party}")
        before = cursor.fetchone()[0] or 0
        cursor.execute(new_persons, [timezone.now()])
        cursor.execute(
            f"INSERT INTO {_PERSONS} (id_number_index, id, name, created) "
            f"SELECT id_number_index, id, name, TRUE FROM {party} WHERE id > %s",
            [before],
        )
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {_PERSONS}")
    # a name differing from the one registered for that ID number (the person each line is matched to)
    _flag(
        cursor,
        report,
        f"row_no IN (SELECT s.row_no FROM {_STAGE} s JOIN {_PERSONS} m ON m.id_number_index = s.id_index "
        "WHERE m.name <> s.name)",
        LABELS["name"],
        _("该身份证号已登记的姓名与本行不符。"),
    )


_PROJECT, _UNIT, _EMPLOYER = Project._meta.db_table, ProjectUnit._meta.db_table, Employer._meta.db_table
_PERSONS = "projects_stage_roster_persons"
# the staged lines' workers: project by number, unit by the project and USCC, person by blind index; in file
# order (the new persons' order: see _match)
_WORKERS = (
    f"INSERT INTO {Worker._meta.db_table} (project_id, person_id, unit_id, team, trade, contract_signed_on, "
    "entered_on, exited_on, bank, bank_card) SELECT p.id, m.id, u.id, s.team, s.trade, s.contract_signed_on, "
    f"s.entered_on, s.exited_on, s.bank, s.card_cipher FROM {_STAGE} s "
    f"JOIN {_PROJECT} p ON p.project_no = s.project_no "
    f"JOIN (SELECT pu.project_id, e.uscc, MIN(pu.id) AS id FROM {_UNIT} pu JOIN {_EMPLOYER} e "
    f"ON e.id = pu.employer_id WHERE pu.project_id IN (SELECT id FROM {_PROJECT} WHERE project_no IN "
    f"(SELECT project_no FROM {_STAGE})) GROUP BY pu.project_id, e.uscc) u ON u.project_id = p.id AND u.uscc = s.uscc "
    f"JOIN {_PERSONS} m ON m.id_number_index = s.id_index "
    "WHERE NOT s.bad AND {which} ORDER BY s.row_no"
)
# A person this import created cannot be on any roster yet (no other transaction sees it before the COMMIT), so
# its workers are written with a plain INSERT; the others' may be there already (a re-import, another file, a
# concurrent import): ON CONFLICT (project, person) DO NOTHING leaves those as they are. The plain INSERT spares
# the speculative insertion (a look-up of the unique index before each row, a confirmation record after it).
_WORKERS_OF_NEW = _WORKERS.format(which="m.created")
_WORKERS_OF_KNOWN = _WORKERS.format(which="NOT m.created") + " ON CONFLICT (project_id, person_id) DO NOTHING"


def roster_stream_import(*, actor: Actor, stream: IO[bytes], region: Region | None = None) -> StreamReport:
    """Import a file of many projects' rosters (see the module), in one transaction. `region`: where the
    summary event goes on the timeline (none when not given)."""
    report = StreamReport()
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
            raise ValidationError({"file": [_("缺少列：%(cols)s。") % {"cols": "、".join(LABELS[k] for k in missing)}]})
        sink = StageSink(cursor, _STAGE, _WIDTH)
        check = _checker(index, timezone.localdate())
        check_lines(rows, check, report, sink)
        sink.flush()
        _match(cursor, report)
        report.written = 0
        cursor.execute(f"SELECT created, COUNT(*) FROM {_PERSONS} GROUP BY created")
        for created, count in cursor.fetchall():
            if count:
                cursor.execute(_WORKERS_OF_NEW if created else _WORKERS_OF_KNOWN)
                report.written += cursor.rowcount
        cursor.execute(f"SELECT COUNT(*) FROM {_STAGE} WHERE NOT bad")
        report.unchanged = cursor.fetchone()[0] - report.written
        cursor.execute(f"DROP TABLE {_STAGE}")
        cursor.execute(f"DROP TABLE {_PERSONS}")
        if report.written and region is not None:
            timeline.record(
                region,
                "project.roster_imported",
                actor=actor,
                data={"filename": "stream", "created": report.written, "updated": 0},
            )
    return report
