"""Validation: a complaint body in, a typed and normalised CleanComplaint out (or every field's error)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from stdnum.cn import uscc

from ..import_messages import not_a_choice
from ..models import Channel
from ..personal_data import blind_index
from ..values import compact, mobile_compact, mobile_problem, resident_id_problem, uscc_problem
from .region_index import _BLANKS, _region_by_code

DESCRIPTION_MAX = 2000
WORKERS_MAX = 100_000
AMOUNT_MAX_INTEGER_DIGITS = 12
STALE_AFTER_YEARS = 2  # LSIR art 20: violations older than 2 years are not investigated (flag, clerk decides)

# Plain-words names of the body's fields, by their dotted JSON path (used in messages).
LABELS: dict[str, str] = {
    "channel": "渠道",
    "complainant": "投诉人信息",
    "complainant.name": "投诉人姓名",
    "complainant.id_number": "身份证号",
    "complainant.phone": "手机号",
    "employer": "用人单位信息",
    "employer.name": "用人单位名称",
    "employer.uscc": "统一社会信用代码",
    "employer.address": "单位地址",
    "employer.legal_representative": "法定代表人（主要负责人）",
    "employer.uscc_override_reason": "信用代码豁免理由",
    "project": "项目信息",
    "project.name": "项目名称",
    "project.address": "项目地址",
    "project.project_no": "项目编号",
    "region_code": "区划代码",
    "workers_count": "涉及人数",
    "amount_owed": "欠薪金额",
    "period_start": "欠薪起始日期",
    "period_end": "欠薪截止日期",
    "description": "情况说明",
}
MAX_LENGTHS = {
    "complainant.name": 64,
    "employer.name": 200,
    "employer.address": 300,
    "employer.legal_representative": 64,
    "employer.uscc_override_reason": 200,
    "project.name": 200,
    "project.address": 300,
    "project.project_no": 40,
}


@dataclass(frozen=True)
class CleanPerson:
    name: str
    id_number: str  # 18 characters, upper-case X; "" only for staff entry without an ID
    phone: str  # 11 digits, no +86

    @property
    def key(self) -> str:
        """The duplicate-check key (Complaint.complainant_key): the blind index of the ID number, else
        of the phone — the same value as the party's id_number_index / phone_index."""
        return blind_index("id", self.id_number) if self.id_number else blind_index("phone", self.phone)


@dataclass(frozen=True)
class CleanEmployer:
    name: str
    uscc: str = ""
    address: str = ""
    uscc_override_reason: str = ""  # set only when staff accepted a code that fails the check
    legal_representative: str = ""  # 法定代表人 / 主要负责人 (documents and publications name them)


@dataclass(frozen=True)
class CleanProject:
    name: str
    address: str = ""
    project_no: str = ""  # the registry's project number (项目编号), when the complainant knows it


@dataclass(frozen=True)
class CleanComplaint:
    """A complaint body that passed complaint_validate: typed and normalised."""

    channel: str
    complainant: CleanPerson
    employer: CleanEmployer
    project: CleanProject | None
    region_code: str
    workers_count: int
    amount_owed: Decimal
    period_start: date
    period_end: date
    description: str
    stale: bool = False  # period_end more than 2 years before the day of validation

    def fingerprint(self) -> str:
        """SHA-256 of the canonical content: the default request hash for idempotency."""
        body = asdict(self)
        body.pop("stale")
        canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class _Errors:
    """Collects one message per dotted field path; raises them all at once."""

    def __init__(self) -> None:
        self.messages: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.messages.setdefault(path, [message])

    def __contains__(self, path: str) -> bool:
        return path in self.messages

    def raise_if_any(self) -> None:
        if self.messages:
            raise ValidationError(self.messages)


def _text(value: Any, path: str, errors: _Errors, *, required: bool) -> str:
    label = LABELS[path]
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        errors.add(path, f"{label}应为文字")
        return ""
    text = _BLANKS.sub(" ", str(value)).strip()
    if required and not text:
        errors.add(path, f"请填写{label}")
    limit = MAX_LENGTHS.get(path)
    if limit and len(text) > limit:
        errors.add(path, f"{label}不能超过{limit}个字（现有{len(text)}个字）")
    return text


def _object(data: dict, key: str, errors: _Errors, *, required: bool) -> dict:
    value = data.get(key)
    if value is None or value == "" or value == {}:
        if required:
            errors.add(key, f"请填写{LABELS[key]}")
        return {}
    if not isinstance(value, dict):
        errors.add(key, f"{LABELS[key]}格式错误，应为一个对象")
        return {}
    return value


def _id_number(value: Any, errors: _Errors, *, required: bool, today: date) -> str:
    path = "complainant.id_number"
    raw = _text(value, path, errors, required=required)
    if not raw or path in errors:
        return ""
    number = compact(raw)
    problem = resident_id_problem(number, today=today)  # cases.values: GB 11643 through stdnum.cn.ric
    if problem:
        errors.add(path, problem)
    return number


def _mobile(value: Any, errors: _Errors) -> str:
    path = "complainant.phone"
    raw = _text(value, path, errors, required=True)
    if not raw or path in errors:
        return ""
    number = mobile_compact(raw)
    problem = mobile_problem(number)
    if problem:
        errors.add(path, problem)
    return number


def _uscc_check_digit_only(code: str) -> bool:
    """The code is right but for its check digit (an early pilot code staff may let through)."""
    if len(code) != 18:
        return False
    try:
        return uscc_problem(code[:17] + uscc.calc_check_digit(code[:17])) is None
    except (KeyError, ValueError):  # a character outside the code's alphabet
        return False


def _uscc(employer: dict, errors: _Errors, *, staff: bool) -> tuple[str, str]:
    """(code, override reason). A code failing the check digit is refused, unless staff give a reason."""
    path = "employer.uscc"
    raw = _text(employer.get("uscc"), path, errors, required=False)
    reason = _text(employer.get("uscc_override_reason"), "employer.uscc_override_reason", errors, required=False)
    if not raw or path in errors:
        return "", ""
    code = compact(raw)
    problem = uscc_problem(code)  # cases.values: GB 32100 through stdnum.cn.uscc
    if problem is None:
        return code, ""
    if not staff or not _uscc_check_digit_only(code):
        errors.add(path, problem)
    elif not reason:
        errors.add(path, "统一社会信用代码校验位错误；如确认代码无误（如早期试点代码），请填写信用代码豁免理由")
    else:
        return code, reason
    return code, ""


def _employer(emp: dict, errors: _Errors, *, staff: bool) -> CleanEmployer:
    code, reason = _uscc(emp, errors, staff=staff) if emp else ("", "")
    return CleanEmployer(
        name=_text(emp.get("name"), "employer.name", errors, required=True) if emp else "",
        uscc=code,
        address=_text(emp.get("address"), "employer.address", errors, required=False) if emp else "",
        uscc_override_reason=reason,
        legal_representative=_text(emp.get("legal_representative"), "employer.legal_representative", errors,
                                   required=False) if emp else "",  # fmt: skip
    )


def employer_validate(data: dict, *, staff: bool) -> tuple[CleanEmployer, dict[str, list[str]]]:
    """The employer part of a body (also used by proactive cases): the clean value and any errors by path."""
    errors = _Errors()
    if not data.get("name"):
        errors.add("employer.name", f"请填写{LABELS['employer.name']}")
    employer = _employer(data, errors, staff=staff)
    return employer, errors.messages


def _integer(value: Any, path: str, errors: _Errors) -> int:
    label = LABELS[path]
    if value is None or value == "":
        errors.add(path, f"请填写{label}")
        return 0
    if isinstance(value, bool):
        errors.add(path, f"{label}应为整数")
        return 0
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
        value = int(value)
    if not isinstance(value, int):
        errors.add(path, f"{label}应为整数")
        return 0
    if value < 1:
        errors.add(path, f"{label}至少为1人")
    elif value > WORKERS_MAX:
        errors.add(path, f"{label}不能超过{WORKERS_MAX}人")
    return value


def _amount(value: Any, errors: _Errors) -> Decimal:
    path = "amount_owed"
    if value is None or value == "":
        errors.add(path, "请填写欠薪金额")
        return Decimal("0.00")
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        errors.add(path, "欠薪金额应为数字，例如 86000.00")
        return Decimal("0.00")
    text = str(value).strip().replace(",", "").replace("，", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        errors.add(path, "欠薪金额应为数字，例如 86000.00")
        return Decimal("0.00")
    if not amount.is_finite():
        errors.add(path, "欠薪金额应为数字，例如 86000.00")
        return Decimal("0.00")
    if amount <= 0:
        errors.add(path, "欠薪金额应大于0")
        return Decimal("0.00")
    if amount.adjusted() >= AMOUNT_MAX_INTEGER_DIGITS:  # before quantize, which fails on 1e400
        errors.add(path, f"欠薪金额过大：整数部分最多{AMOUNT_MAX_INTEGER_DIGITS}位")
        return Decimal("0.00")
    if amount != amount.quantize(Decimal("0.01")):
        errors.add(path, "欠薪金额最多保留两位小数（精确到分）")
        return Decimal("0.00")
    amount = amount.quantize(Decimal("0.01"))
    if len(str(int(amount))) > AMOUNT_MAX_INTEGER_DIGITS:
        errors.add(path, f"欠薪金额过大：整数部分最多{AMOUNT_MAX_INTEGER_DIGITS}位")
    return amount


def _date(value: Any, path: str, errors: _Errors) -> date | None:
    label = LABELS[path]
    if value is None or value == "":
        errors.add(path, f"请填写{label}")
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    errors.add(path, f"{label}格式错误，应为 YYYY-MM-DD（例如 2026-05-01）的有效日期")
    return None


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def complaint_validate(data: dict, *, staff: bool = False, today: date | None = None) -> CleanComplaint:
    """Validate and normalise a complaint body (SPEC §7). Raises ValidationError with every field's error.

    Keys of the error dict are the fields' dotted JSON paths ("complainant.id_number", "employer.uscc", ...).
    `staff` entry may use any channel, may leave out the ID number (hotline, letter) and may accept a USCC
    that fails the check digit with `employer.uscc_override_reason`. Writes nothing.
    """
    errors = _Errors()
    today = today or timezone.localdate()
    if not isinstance(data, dict):
        raise ValidationError({NON_FIELD_ERRORS: ["投诉内容格式错误，应为一个JSON对象"]})

    channel = _text(data.get("channel"), "channel", errors, required=True)
    if channel and "channel" not in errors:
        if channel not in Channel.values:
            errors.add("channel", not_a_choice(channel, [label for _v, label in Channel.choices]))
        elif not staff and channel != Channel.WEB:
            errors.add("channel", "网上投诉的渠道只能是 web")

    person = _object(data, "complainant", errors, required=True)
    complainant = CleanPerson(
        name=_text(person.get("name"), "complainant.name", errors, required=True) if person else "",
        id_number=_id_number(person.get("id_number"), errors, required=not staff, today=today) if person else "",
        phone=_mobile(person.get("phone"), errors) if person else "",
    )

    emp = _object(data, "employer", errors, required=True)
    employer = _employer(emp, errors, staff=staff)

    proj = _object(data, "project", errors, required=False)
    project = None
    if proj:
        project = CleanProject(
            name=_text(proj.get("name"), "project.name", errors, required=True),
            address=_text(proj.get("address"), "project.address", errors, required=False),
            project_no=_text(proj.get("project_no"), "project.project_no", errors, required=False),
        )

    region_code = _text(data.get("region_code"), "region_code", errors, required=False)
    if region_code and "region_code" not in errors and _region_by_code(region_code) is None:
        errors.add("region_code", f"区划代码不存在：{region_code}")

    workers_count = _integer(data.get("workers_count"), "workers_count", errors)
    amount_owed = _amount(data.get("amount_owed"), errors)
    period_start = _date(data.get("period_start"), "period_start", errors)
    period_end = _date(data.get("period_end"), "period_end", errors)
    if period_end and period_end > today:
        errors.add("period_end", "欠薪截止日期不能晚于今天")
    if period_start and period_start > today:
        errors.add("period_start", "欠薪起始日期不能晚于今天")
    if period_start and period_end and period_start > period_end:
        errors.add("period_end", "欠薪截止日期不能早于起始日期")

    description = data.get("description")
    description = description.strip() if isinstance(description, str) else description
    if not description:
        errors.add("description", "请填写情况说明")
    elif not isinstance(description, str):
        errors.add("description", "情况说明应为文字")
    elif len(description) > DESCRIPTION_MAX:
        errors.add("description", f"情况说明不能超过{DESCRIPTION_MAX}个字（现有{len(description)}个字）")

    errors.raise_if_any()
    assert period_start is not None and period_end is not None
    assert isinstance(description, str)  # raise_if_any() refused anything else
    return CleanComplaint(
        channel=channel,
        complainant=complainant,
        employer=employer,
        project=project,
        region_code=region_code,
        workers_count=workers_count,
        amount_owed=amount_owed,
        period_start=period_start,
        period_end=period_end,
        description=description,
        stale=period_end < _years_before(today, STALE_AFTER_YEARS),
    )
