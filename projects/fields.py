"""Parsing of the values a form, an API body or a spreadsheet cell gives: each parser returns the value or
adds a message to `errors` under the field's name (the caller raises them together, naming each field)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from cases import values
from cases.import_messages import not_a_choice
from cases.models import Employer

Errors = dict[str, list[str]]

_DATE = re.compile(r"(\d{4})[/.年-](\d{1,2})[/.月-](\d{1,2})日?")
_MONTH = re.compile(r"(\d{4})[/.年-]?(\d{1,2})月?")
_TRUE = {"是", "y", "yes", "true", "1", "√", "有"}
_FALSE = {"否", "n", "no", "false", "0", "×", "无", ""}


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return values.clean_text(value)


def required(value: Any, field: str, label: str, errors: Errors, limit: int = 200) -> str:
    out = text(value)
    if not out:
        errors.setdefault(field, []).append(_("请填写%(label)s。") % {"label": label})
    elif len(out) > limit:
        errors.setdefault(field, []).append(_("%(label)s不能超过%(limit)d个字。") % {"label": label, "limit": limit})
    return out


def optional(value: Any, field: str, label: str, errors: Errors, limit: int = 200) -> str:
    out = text(value)
    if len(out) > limit:
        errors.setdefault(field, []).append(_("%(label)s不能超过%(limit)d个字。") % {"label": label, "limit": limit})
        return ""
    return out


def a_date(value: Any, field: str, label: str, errors: Errors, *, required: bool = False) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value)
    if not raw:
        if required:
            errors.setdefault(field, []).append(_("请填写%(label)s。") % {"label": label})
        return None
    match = _DATE.fullmatch(raw) or (re.fullmatch(r"(\d{4})(\d{2})(\d{2})", raw))
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    errors.setdefault(field, []).append(_("%(label)s不是有效日期（例如2026-05-01）。") % {"label": label})
    return None


def a_month(value: Any, field: str, label: str, errors: Errors) -> date | None:
    """The month's first day, from 2026-05, 202605, 2026年5月 or a date."""
    if isinstance(value, (datetime, date)):
        day = value.date() if isinstance(value, datetime) else value
        return day.replace(day=1)
    raw = text(value)
    if not raw:
        errors.setdefault(field, []).append(_("请填写%(label)s。") % {"label": label})
        return None
    match = _MONTH.fullmatch(raw) or _DATE.fullmatch(raw)
    if match and 1 <= int(match.group(2)) <= 12 and 1900 < int(match.group(1)) < 2200:
        return date(int(match.group(1)), int(match.group(2)), 1)
    errors.setdefault(field, []).append(_("%(label)s不是有效年月（例如2026-05）。") % {"label": label})
    return None


def money(value: Any, field: str, label: str, errors: Errors, *, required: bool = True) -> Decimal | None:
    raw = text(value).replace(",", "").replace("，", "").removesuffix("元")
    if not raw:
        if required:
            errors.setdefault(field, []).append(_("请填写%(label)s。") % {"label": label})
        return None
    try:
        amount = values.yuan(raw)
    except ValueError:
        errors.setdefault(field, []).append(_("%(label)s不是有效金额。") % {"label": label})
        return None
    if amount < 0:
        errors.setdefault(field, []).append(_("%(label)s不能为负数。") % {"label": label})
        return None
    if amount >= Decimal("1e12"):
        errors.setdefault(field, []).append(_("%(label)s过大。") % {"label": label})
        return None
    return amount


def days(value: Any, field: str, label: str, errors: Errors, *, required: bool = True) -> int | None:
    raw = text(value)
    if not raw:
        if required:
            errors.setdefault(field, []).append(_("请填写%(label)s。") % {"label": label})
        return None
    if not re.fullmatch(r"\d{1,2}", raw) or int(raw) > 31:
        errors.setdefault(field, []).append(_("%(label)s应为0至31的整数。") % {"label": label})
        return None
    return int(raw)


def boolean(value: Any, field: str, label: str, errors: Errors) -> bool:
    if isinstance(value, bool):
        return value
    raw = text(value).lower()
    if raw in _TRUE:
        return True
    if raw not in _FALSE:
        errors.setdefault(field, []).append(_("%(label)s请填写“是”或“否”。") % {"label": label})
    return False


def choice(value: Any, field: str, label: str, errors: Errors, choices, *, default: str = "") -> str:
    """A choice by its value or its label (住房城乡建设 / housing); `default` when empty."""
    raw = text(value)
    if not raw and default:
        return default
    for key, name in choices:
        if raw in (key, str(name)):
            return key
    for key, name in choices:  # a label's short form: 住建, 交通, 水利
        if raw and (str(name).startswith(raw) or raw.startswith(str(name)[:2])):
            return key
    errors.setdefault(field, []).append(not_a_choice(raw, [n for _k, n in choices]))
    return ""


def uscc(value: Any, field: str, errors: Errors, *, required: bool = True) -> str:
    code = values.compact(value)
    if not code:
        if required:
            errors.setdefault(field, []).append(_("请填写统一社会信用代码。"))
        return ""
    problem = values.uscc_problem(code)
    if problem:
        errors.setdefault(field, []).append(problem)
        return ""
    return code


def resident_id(value: Any, field: str, errors: Errors) -> str:
    number = values.compact(value)
    if not number:
        errors.setdefault(field, []).append(_("请填写身份证号。"))
        return ""
    problem = values.resident_id_problem(number)
    if problem:
        errors.setdefault(field, []).append(problem)
        return ""
    return number


def employer_by_uscc(code: str) -> Employer | None:
    return Employer.objects.filter(uscc=code).order_by("id").first() if code else None
