"""Reading a sheet into rows keyed by field, and running a row handler over them with per-row errors."""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.import_messages import label_for, row_messages
from cases.intake.importing import _csv_rows, _read_bytes, _xlsx_rows

MAX_ROWS = 20000
_BLANKS = re.compile(r"[\s\u3000]+")

CREATED, UPDATED, UNCHANGED, ERROR = "created", "updated", "unchanged", "error"


@dataclass
class RowResult:
    row: int  # the row number in the sheet (the header is row 1)
    status: str = ""
    ref: str = ""  # what the row is about: a project number, a person's masked ID
    errors: dict[str, list[str]] = field(default_factory=dict)  # keyed by the column's header
    messages: list[str] = field(default_factory=list)  # 第5行「身份证号」：… (cases.import_messages)


@dataclass
class ImportReport:
    filename: str
    rows: list[RowResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def error_count(self) -> int:
        return self.count(ERROR)

    @property
    def changed_count(self) -> int:
        return self.count(CREATED) + self.count(UPDATED)

    def as_dict(self) -> dict:
        return {
            "filename": self.filename,
            "created": self.count(CREATED),
            "updated": self.count(UPDATED),
            "unchanged": self.count(UNCHANGED),
            "error_count": self.error_count,
            "rows": [asdict(r) for r in self.rows],
        }


class RowError(ValidationError):
    """A row's problems, keyed by column header."""


def _rows(file, filename: str) -> Iterator[list[Any]]:
    suffix = PurePath(filename or "").suffix.lower()
    data = _read_bytes(file)
    if suffix == ".csv":
        return _csv_rows(data)
    if suffix == ".xlsx":
        return _xlsx_rows(data)
    raise ValidationError({"file": [_("只能导入CSV或XLSX文件。")]})


def read(file, filename: str, columns: dict[str, str], required: tuple[str, ...]) -> Iterator[tuple[int, dict, dict]]:
    """(row number, {key: cell}, {key: the header the file uses}) for each non-blank row. `columns`: header
    (and synonyms) → key. ValidationError({"file": ...}) for an unreadable file or a missing column."""
    header: list[str | None] | None = None
    used: dict[str, str] = {}
    count = 0
    for number, row in enumerate(_rows(file, filename), 1):
        if header is None:
            header = []
            for cell in row:
                name = _BLANKS.sub("", str(cell or "")).lstrip("\ufeff")
                key = columns.get(name) or columns.get(name.replace("(", "（").replace(")", "）"))
                header.append(key)
                if key and key not in used:
                    used[key] = name
            missing = [k for k in required if k not in used]
            if missing:
                first: dict[str, str] = {}
                for name, key in columns.items():
                    first.setdefault(key, name)
                raise ValidationError(
                    {"file": [_("缺少列：%(cols)s。") % {"cols": "、".join(first[k] for k in missing)}]}
                )
            continue
        if not any(str(v).strip() for v in row if v is not None):
            continue
        count += 1
        if count > MAX_ROWS:
            raise ValidationError({"file": [_("单次最多导入%(n)d行，请拆分文件。") % {"n": MAX_ROWS}]})
        body: dict[str, Any] = {}
        for key, value in zip(header, row):
            if key is not None and key not in body:
                body[key] = value
        yield number, body, used
    if header is None:
        raise ValidationError({"file": [_("文件是空的。")]})


def run(
    *,
    file,
    filename: str,
    columns: dict[str, str],
    required: tuple[str, ...],
    handle: Callable[[dict], tuple[str, str]],
) -> ImportReport:
    """Call handle(body) → (status, ref) for each row, in a savepoint of its own; a ValidationError of the
    handler (keyed by field) becomes the row's errors, keyed by the file's column headers, and the row's
    writes roll back, with its sentences (第5行「身份证号」：…) in `messages`: a key the file has no column for
    is named by the header the template uses for it, a key of none (a unit, the row) names the row only.
    The whole file is read and checked first: an unreadable file writes nothing."""
    try:
        rows = list(read(file, filename, columns, required))
    except (csv.Error, ValueError, TypeError, KeyError, OSError, zipfile.BadZipFile):
        raise ValidationError({"file": [_("无法读取文件内容，请确认文件未损坏。")]}) from None
    report = ImportReport(filename=filename)
    template: dict[str, str] = {}
    for name, key in columns.items():
        template.setdefault(key, name)
    for number, body, used in rows:
        body["__row__"] = number
        line = RowResult(row=number)
        report.rows.append(line)
        try:
            with transaction.atomic():
                line.status, line.ref = handle(body)
        except ValidationError as exc:
            line.status = ERROR
            messages = exc.message_dict if hasattr(exc, "error_dict") else {"row": exc.messages}
            labels = {**template, **used}
            line.errors = {}
            for key, msgs in messages.items():
                line.errors.setdefault(label_for(key, labels) or _("整行"), []).extend(msgs)
            line.messages = row_messages(number, messages, labels)
    return report
