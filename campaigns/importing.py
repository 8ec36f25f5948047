"""Hazards imported from an XLSX sheet (隐患批量导入): every row checked first, each error named by its row and
column; nothing is written unless every row is right, then all rows in one transaction.

The columns (heads in row 1, data from row 2), A to I:
  项目编号 | 单位名称 | 统一社会信用代码 | 隐患类型 | 涉及人数 | 涉及金额（元） | 发现日期 | 责任机构 | 隐患情况
A project hazard names the project's number (the unit columns left empty); an employer's names the unit by its
code or its exact name (a unit already in the register). 隐患类型 is one of the kinds' Chinese names. 责任机构
(a region's name or code) defaults to the project's region, or to the importing inspector's office."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from cases.actors import Actor
from cases.models import Employer, Region
from cases.numbering import employer_name_key
from projects.models import Project

from . import scope
from .models import Campaign, Hazard
from .services import hazard_clean, hazards_create

COLUMNS = [
    ("project_no", gettext_lazy("项目编号")),
    ("employer", gettext_lazy("单位名称")),
    ("uscc", gettext_lazy("统一社会信用代码")),
    ("kind", gettext_lazy("隐患类型")),
    ("workers", gettext_lazy("涉及人数")),
    ("amount", gettext_lazy("涉及金额（元）")),
    ("found_on", gettext_lazy("发现日期")),
    ("region", gettext_lazy("责任机构")),
    ("description", gettext_lazy("隐患情况")),
]
FIELD_COLUMN = {"project": "project_no", "employer": "employer", "campaign": "project_no"}
MAX_ROWS = 2000


@dataclass
class RowError:
    row: int
    column: str
    message: str


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _label(key: str) -> str:
    return str(dict(COLUMNS)[key])


def _region(text: str) -> Region | None:
    return Region.objects.filter(code=text).first() or Region.objects.filter(name=text).order_by("code").first()


def _row(campaign: Campaign, values: dict, user) -> dict:
    """One row's clean hazard; ValidationError naming the column otherwise."""
    kinds = {str(label): value for value, label in Hazard.Kind.choices}
    kind = kinds.get(values["kind"])
    if kind is None:
        raise ValidationError({"kind": [_("隐患类型须为：%(kinds)s。") % {"kinds": "、".join(kinds)}]})
    project = employer = None
    if values["project_no"]:
        project = Project.objects.select_related("region").filter(project_no=values["project_no"]).first()
        if project is None:
            raise ValidationError({"project_no": [_("没有编号为“%(no)s”的项目。") % {"no": values["project_no"]}]})
    elif values["uscc"] or values["employer"]:
        qs = Employer.objects.all()
        qs = qs.filter(uscc=values["uscc"].upper()) if values["uscc"] else qs.filter(
            name_key=employer_name_key(values["employer"]))  # fmt: skip
        employer = qs.order_by("pk").first()
        if employer is None:
            raise ValidationError({"employer": [_("该单位未在系统中登记。")]})
    else:
        raise ValidationError({"project_no": [_("请填写项目编号，或单位名称、统一社会信用代码。")]})
    if values["region"]:
        region = _region(values["region"])
        if region is None:
            raise ValidationError({"region": [_("没有找到该行政区划。")]})
    elif project is not None:
        region = project.region
    else:
        own = scope.entry_regions(user, campaign)
        if not own:
            raise ValidationError({"region": [_("请填写责任机构。")]})
        region = own[0]
    found_on = _date(values["found_on"])
    if found_on is None:
        raise ValidationError({"found_on": [_("日期格式应为 YYYY-MM-DD。")]})
    if not scope.may_enter_for(user, campaign, region=region, project=project):
        raise ValidationError({"region": [_("您不能为该责任机构或项目登记隐患。")]})
    return hazard_clean(campaign=campaign, region=region, kind=kind, found_on=found_on, workers=values["workers"],
                        amount=values["amount"] or "0", description=values["description"], project=project,
                        employer=employer)  # fmt: skip


def hazards_import(*, campaign: Campaign, content: bytes, actor: Actor) -> list[Hazard]:
    """Check every row, then write all (one transaction) or none: ImportRejected lists each row's errors."""
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
    except Exception:  # noqa: BLE001 - any unreadable file is the same answer to the user
        raise ImportRejected([RowError(0, "", _("无法读取该文件，请上传 .xlsx 格式的表格。"))])
    heads = [_text(v) for v in (rows[0] if rows else [])]
    expected = [str(label) for _key, label in COLUMNS]
    if heads[: len(expected)] != expected:
        raise ImportRejected([RowError(1, "", _("表头应为：%(heads)s。") % {"heads": " | ".join(expected)})])
    data = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(_text(v) for v in r)]
    if not data:
        raise ImportRejected([RowError(0, "", _("表格中没有数据。"))])
    if len(data) > MAX_ROWS:
        raise ImportRejected([RowError(0, "", _("一次最多导入 %(n)s 行。") % {"n": MAX_ROWS})])
    errors: list[RowError] = []
    cleaned: list[dict] = []
    for number, raw in data:
        raw = list(raw) + [None] * (len(COLUMNS) - len(raw))
        values = {key: raw[i] if key in ("found_on",) else _text(raw[i]) for i, (key, _l) in enumerate(COLUMNS)}
        try:
            cleaned.append(_row(campaign, values, actor))
        except ValidationError as err:
            for field, messages in err.message_dict.items():
                column = FIELD_COLUMN.get(field, field if field in dict(COLUMNS) else "")
                for message in messages:
                    errors.append(RowError(number, _label(column) if column else "", message))
    if errors:
        raise ImportRejected(errors)
    return hazards_create(cleaned=cleaned, actor=actor)
