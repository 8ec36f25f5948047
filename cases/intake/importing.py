"""Bulk import (clerks): CSV (UTF-8 with or without BOM, or GB18030) or XLSX."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..actors import Actor
from ..import_messages import row_messages
from ..models import Channel, Complaint
from .region_index import _BLANKS
from .submit import complaint_replay, complaint_submit
from .validation import LABELS, complaint_validate

IMPORT_MAX_ROWS = 5000

# Column header → dotted field path. The first header of each path is the one the template uses.
IMPORT_COLUMNS: dict[str, str] = {
    "来源渠道": "channel",
    "投诉人姓名": "complainant.name",
    "投诉人身份证号": "complainant.id_number",
    "投诉人手机号": "complainant.phone",
    "用人单位": "employer.name",
    "统一社会信用代码": "employer.uscc",
    "单位地址": "employer.address",
    "项目名称": "project.name",
    "项目地址": "project.address",
    "区划代码": "region_code",
    "涉及人数": "workers_count",
    "欠薪金额": "amount_owed",
    "欠薪起始": "period_start",
    "欠薪截止": "period_end",
    "情况说明": "description",
    "信用代码豁免理由": "employer.uscc_override_reason",
    "法定代表人": "employer.legal_representative",
    "项目编号": "project.project_no",
}
# The column each field's errors name (第5行「投诉人身份证号」：…): the template's header.
IMPORT_LABELS: dict[str, str] = {
    **{path: col for col, path in reversed(IMPORT_COLUMNS.items())},
    "complainant": "投诉人姓名",
    "employer": "用人单位",
    "project": "项目名称",
}
# Also accepted as headers: the fields' plain names (用人单位名称, 欠薪起始日期) and the JSON paths.
_HEADER_ALIASES: dict[str, str] = {
    **{LABELS[path]: path for path in IMPORT_COLUMNS.values()},
    **{path: path for path in IMPORT_COLUMNS.values()},
    **IMPORT_COLUMNS,
    "渠道": "channel",  # the template's earlier headers
    "身份证号": "complainant.id_number",
    "手机号": "complainant.phone",
    "欠薪金额（元）": "amount_owed",
    "欠薪金额(元)": "amount_owed",
}
_IMPORT_REQUIRED = ("channel", "complainant.name", "complainant.phone", "employer.name", "workers_count",
                    "amount_owed", "period_start", "period_end", "description")  # fmt: skip
_CHANNEL_BY_LABEL = {str(label): value for value, label in Channel.choices}
_TEMPLATE_EXAMPLE = {
    "channel": "12333热线",
    "complainant.name": "张三",
    "complainant.id_number": "34052419800101001X",
    "complainant.phone": "13807990001",
    "employer.name": "萍乡某建筑工程有限公司",
    "employer.uscc": "91350100M000100Y43",
    "employer.address": "江西省萍乡市安源区某路1号",
    "employer.legal_representative": "王某",
    "project.name": "安源区某安置房项目",
    "project.address": "萍乡市安源区某地块",
    "region_code": "",
    "workers_count": "12",
    "amount_owed": "86000.00",
    "period_start": "2026-05-01",
    "period_end": "2026-10-31",
    "description": "工程完工后总包单位以未收到工程款为由拖欠农民工工资。",
    "employer.uscc_override_reason": "",
    "project.project_no": "",
}


@dataclass
class ImportRow:
    row: int  # the row number in the sheet (the header is row 1)
    receipt_no: str = ""
    created: bool = False  # False with a receipt: this row was imported before (same file, same row)
    errors: dict[str, list[str]] = field(default_factory=dict)  # keyed by field path (for programs)
    messages: list[str] = field(default_factory=list)  # 第5行「投诉人身份证号」：… (for people)

    @property
    def ok(self) -> bool:
        return bool(self.receipt_no) and not self.errors


@dataclass
class ImportReport:
    filename: str
    rows: list[ImportRow] = field(default_factory=list)

    @property
    def created_count(self) -> int:
        """Rows that have a receipt number (new, or imported before from the same file)."""
        return sum(1 for r in self.rows if r.ok)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if not r.ok)

    def as_dict(self) -> dict:
        return {
            "filename": self.filename,
            "created_count": self.created_count,
            "error_count": self.error_count,
            "rows": [asdict(r) for r in self.rows],
        }


def import_template_csv() -> str:
    """The import template: header row plus one example row, for a download link.

    Starts with a BOM so that Excel opens the UTF-8 file with the right encoding.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(IMPORT_COLUMNS.keys())
    writer.writerow(_TEMPLATE_EXAMPLE[path] for path in IMPORT_COLUMNS.values())
    return "\ufeff" + out.getvalue()


def _read_bytes(file) -> bytes:
    if isinstance(file, (bytes, bytearray)):
        return bytes(file)
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read()
    return data.encode("utf-8") if isinstance(data, str) else data


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes nearly anything
        raise ValidationError({"file": ["无法识别文件编码，请保存为UTF-8或GB18030编码的CSV"]})
    yield from csv.reader(io.StringIO(text, newline=""))


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ValidationError({"file": ["无法读取XLSX文件，请确认文件未损坏且为Excel 2007及以上格式"]})
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def _cell(value: Any, path: str) -> Any:
    """A spreadsheet cell as complaint_validate expects it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer() and path != "amount_owed":
        value = int(value)  # a number cell: 12.0 workers, a phone typed as a number
    if isinstance(value, (int, float)) and path != "workers_count":
        return str(value)
    if isinstance(value, str):
        value = value.strip()
        if path in ("period_start", "period_end"):
            match = re.fullmatch(r"(\d{4})[/.年-](\d{1,2})[/.月-](\d{1,2})日?", value)
            if match:
                return "{}-{:0>2}-{:0>2}".format(*match.groups())
        if path == "channel":
            return _CHANNEL_BY_LABEL.get(value, value)
    return value


def _row_body(header: list[str | None], row: list[Any]) -> dict:
    body: dict[str, Any] = {}
    for path, value in zip(header, row):
        if path is None:
            continue
        value = _cell(value, path)
        if "." in path:
            outer, inner = path.split(".", 1)
            body.setdefault(outer, {})[inner] = value
        else:
            body[path] = value
    project = body.get("project")
    if project is not None and not any(project.values()):
        body.pop("project")  # no project on this row
    return body


def _header(cells: Iterable[Any]) -> list[str | None]:
    header: list[str | None] = []
    for cell in cells:
        name = _BLANKS.sub("", str(cell or "")).lstrip("\ufeff")
        header.append(_HEADER_ALIASES.get(name) or _HEADER_ALIASES.get(name.lower()))
    missing = [p for p in _IMPORT_REQUIRED if p not in header]
    if missing:
        columns = {path: col for col, path in reversed(IMPORT_COLUMNS.items())}
        raise ValidationError({"file": [f"缺少列：{'、'.join(columns[p] for p in missing)}（请使用导入模板）"]})
    return header


ProjectLookup = Callable[[str], "dict | None"]


def _registered(body: dict, lookup: ProjectLookup | None) -> dict[str, list[str]]:
    """The row's 项目编号 checked against the registry (`lookup`: number → the registered project's
    {"name", "address"}, or None): the project's name and address filled from it when the row leaves them
    blank, so intake links the complaint to it (project_get_or_create: by number, else by name). Errors
    (keyed by field) for an unknown number; nothing when no lookup is given or the row has no number."""
    project = body.get("project") or {}
    number = str(project.get("project_no") or "").strip()
    if lookup is None or not number:
        return {}
    found = lookup(number)
    if found is None:
        return {"project.project_no": [f"未找到项目编号为“{number}”的登记在建项目，请核对项目编号"]}
    for key in ("name", "address"):
        if not str(project.get(key) or "").strip() and found.get(key):
            project[key] = found[key]
    return {}


def complaints_import(
    *,
    actor: Actor,
    file,
    filename: str,
    submit: Callable[..., tuple[Complaint, bool]] | None = None,
    project_lookup: ProjectLookup | None = None,
) -> ImportReport:
    """Import complaints entered by clerks from a CSV or XLSX sheet: one complaint per row.

    Each row is validated as staff entry and submitted in its own savepoint (its own transaction
    when the caller holds none), so a bad row never stops the others. Re-importing the same file
    returns the receipts of the rows already imported (idempotency key: file hash + row number).
    `submit` (default complaint_submit) lets an outer layer wrap the submission, e.g. to start the
    intake flow; it takes complaint_submit's keyword arguments and returns (complaint, created).
    `project_lookup` (the registry's, given by an outer layer): a 项目编号 column's number → the registered
    project, or None — an unknown number is the row's error.
    A file that cannot be read raises ValidationError({"file": ...}); row errors are in the report, keyed by
    field (`errors`) and as sentences naming the row and the column (`messages`, cases.import_messages).
    """
    submit = submit or complaint_submit
    suffix = PurePath(filename or "").suffix.lower()
    data = _read_bytes(file)
    if suffix == ".csv":
        rows = _csv_rows(data)
    elif suffix == ".xlsx":
        rows = _xlsx_rows(data)
    else:
        raise ValidationError({"file": ["只能导入CSV或XLSX文件"]})
    digest = hashlib.sha256(data).hexdigest()[:40]
    report = ImportReport(filename=filename)
    header: list[str | None] | None = None
    today = timezone.localdate()
    for number, row in enumerate(rows, 1):
        if header is None:
            header = _header(row)
            continue
        if not any(str(v).strip() for v in row if v is not None):
            continue  # a blank line
        if len(report.rows) >= IMPORT_MAX_ROWS:
            raise ValidationError({"file": [f"单次最多导入{IMPORT_MAX_ROWS}行，请拆分文件"]})
        line = ImportRow(row=number)
        report.rows.append(line)
        key = f"import:{digest}:{number}"
        try:
            body = _row_body(header, row)
            unknown = _registered(body, project_lookup)
            try:
                clean = complaint_validate(body, staff=True, today=today)
            except ValidationError as exc:
                raise ValidationError({**exc.message_dict, **unknown}) from None
            if unknown:
                raise ValidationError(unknown)
            try:
                with transaction.atomic():
                    complaint, line.created = submit(
                        actor=actor, clean=clean, channel=clean.channel, idempotency_key=key
                    )
            except IntegrityError:
                # the same file imported at the same moment: that row's complaint, committed first
                replayed = complaint_replay(key, clean.fingerprint())
                if replayed is None:
                    raise
                complaint, line.created = replayed, False
        except ValidationError as exc:
            line.errors = exc.message_dict
            line.messages = row_messages(number, line.errors, IMPORT_LABELS)
            continue
        line.receipt_no = complaint.receipt_no
    if header is None:
        raise ValidationError({"file": ["文件是空的"]})
    return report
