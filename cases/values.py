"""The domain's plain values, checked and formatted in one place: required text, money, resident ID
numbers, mobile numbers, unified social credit codes (USCC), local time.

Every service, form and import uses these; none keeps a copy of its own.

- Text: `required_text(value, field=..., label=...)` → the stripped text, or ValidationError naming the field.
- Money: amounts are yuan with 2 places, rounded half up (四舍五入, the rule of official documents and of
  the bureaus' ledgers): `yuan(Decimal("0.005")) == Decimal("0.01")`; `yuan_text` writes `1,234.50元`.
- Resident ID (GB 11643), mobile, USCC (GB 32100): the check digits come from python-stdnum;
  `*_problem()` gives the message a person reads (or None), `*_clean()` raises it as a field error.
- Time: `LOCAL_TZ` (Asia/Shanghai: every legal date is a local date), `moment(at)` (now, or an aware
  datetime), `local_date(at)`, `month_end(day)`, `in_office_language(fn)` (texts kept on the record
  are in the site's language, whoever writes them).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

T = TypeVar("T")

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
CENT = Decimal("0.01")

# --- text ----------------------------------------------------------------------------------------------


def clean_text(value: Any) -> str:
    """NFKC-normalised (full-width digits and letters become ASCII), white space folded to single spaces."""
    return " ".join(unicodedata.normalize("NFKC", str(value or "")).split())


def required_text(value: Any, *, field: str, label: str = "", limit: int | None = None) -> str:
    """The text stripped; ValidationError on `field` when it is empty ("请填写<label>。", or "此项为必填。"
    without a label) or longer than `limit` characters."""
    text = str(value or "").strip()
    if not text:
        message = _("请填写%(label)s。") % {"label": label} if label else _("此项为必填。")
        raise ValidationError({field: message})
    if limit is not None and len(text) > limit:
        raise ValidationError(
            {
                field: _("%(label)s不能超过%(limit)d个字（现有%(n)d个字）。")
                % {"label": label or _("此项"), "limit": limit, "n": len(text)}
            }
        )
    return text


# --- money ---------------------------------------------------------------------------------------------


def yuan(value: Any) -> Decimal:
    """An amount as yuan with 2 places, rounded half up; None (an empty sum) is 0.00.

    Refuses what is not a finite number (ValueError): NaN and infinities never reach a ledger."""
    try:
        amount = Decimal(value if value is not None else 0)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def yuan_text(value: Any) -> str:
    """`1,234.50元`: as official documents, publications and referral reports write an amount."""
    return f"{yuan(value):,}元"


# --- resident ID numbers, mobiles, USCC ---------------------------------------------------------------------

_MOBILE = re.compile(r"^1[3-9]\d{9}$")  # mainland mobile numbers (stdnum has no rule for them)
_USCC_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")  # GB 32100: no I, O, S, V, Z


def compact(value: Any) -> str:
    """Spaces and dashes removed, upper case: how ID numbers and codes are compared and stored."""
    return re.sub(r"[\s\-]+", "", clean_text(value)).upper()


def _ric_validate(number: str) -> date:
    """stdnum.cn.ric.validate of a compacted number (compact()), without its last step, the birth-place
    look-up: a linear search of stdnum's area-code table, 2.5 ms a number (a million-line payroll file
    spent 40 minutes there), whose verdict resident_id_problem ignores anyway; and without stdnum's own
    compaction, done once by the callers. The same checks, in the same order, with stdnum's functions
    (the birth date read as stdnum.cn.ric.get_birth_date reads it, without its compaction: 14 µs of its
    15). Returns the birth date."""
    if len(number) != 18:
        raise stdnum_errors.InvalidLength()
    if not (number[:-1].isascii() and number[:-1].isdigit()):
        raise stdnum_errors.InvalidFormat()
    if number[-1] != ric.calc_check_digit(number):
        raise stdnum_errors.InvalidChecksum()
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise stdnum_errors.InvalidComponent() from None


def resident_id_problem(number: str, *, today: date | None = None) -> str | None:
    """What is wrong with a compacted resident ID number (GB 11643), or None. stdnum.cn.ric checks the
    length, the digits, the birth date and the check digit; a birth date before 1900 or after today is
    refused too. An area code missing from stdnum's list is not (IDs keep the code of an abolished county).
    A caller checking many numbers passes `today` once (timezone.localdate() costs as much as the check)."""
    try:
        born = _ric_validate(number)
    except stdnum_errors.InvalidLength:
        return _("身份证号应为18位（现为%(n)d位；15位旧号码请换成18位号码）。") % {"n": len(number)}
    except stdnum_errors.InvalidFormat:
        return _("身份证号格式错误：前17位应为数字，最后一位为数字或X。")
    except stdnum_errors.InvalidChecksum:
        return _("身份证号校验位错误，请核对号码。")
    except stdnum_errors.ValidationError:  # InvalidComponent: a birth date that does not exist
        return _("身份证号中的出生日期无效。")
    if born.year < 1900:
        return _("身份证号中的出生日期无效。")
    if born > (today or timezone.localdate()):
        return _("身份证号中的出生日期晚于今天。")
    return None


def resident_id_clean(value: Any, *, field: str, label: str = "", today: date | None = None) -> str:
    """The compacted number, or ValidationError on `field` ("请填写<label>。" when empty)."""
    number = compact(value)
    if not number:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label or _("身份证号")}})
    problem = resident_id_problem(number, today=today)
    if problem:
        raise ValidationError({field: problem})
    return number


def mobile_compact(value: Any) -> str:
    number = re.sub(r"[\s\-]+", "", clean_text(value))
    for prefix in ("+86", "0086"):
        if number.startswith(prefix):
            return number[len(prefix) :]
    return number


def mobile_problem(number: str) -> str | None:
    if not _MOBILE.match(number):
        return _("手机号格式错误，应为以1开头的11位手机号码。")
    return None


def mobile_clean(value: Any, *, field: str, required: bool = True) -> str:
    """The 11-digit mobile number (a +86 / 0086 prefix dropped), or ValidationError on `field`."""
    number = mobile_compact(value)
    if not number:
        if required:
            raise ValidationError({field: _("请填写手机号。")})
        return ""
    problem = mobile_problem(number)
    if problem:
        raise ValidationError({field: problem})
    return number


def uscc_problem(code: str) -> str | None:
    """What is wrong with a compacted USCC (GB 32100), or None: stdnum.cn.uscc checks the length, the
    character set (no I, O, S, V, Z) and the check digit."""
    try:
        uscc.validate(code)
    except stdnum_errors.InvalidLength:
        return _("统一社会信用代码应为18位（现为%(n)d位）。") % {"n": len(code)}
    except stdnum_errors.InvalidChecksum:
        return _("统一社会信用代码校验位错误，请核对代码。")
    except stdnum_errors.ValidationError:
        # stdnum wants digits in the first two places too; GB 32100 allows letters there (the registering
        # authority and the kind: N2…, Y1…, A1…): only digits in places 3–8 and the alphabet elsewhere
        if not _USCC_SHAPE.match(code):
            return _("统一社会信用代码格式错误：第3至8位应为数字，且不能含I、O、S、V、Z。")
        if uscc.calc_check_digit(code[:17]) != code[-1]:
            return _("统一社会信用代码校验位错误，请核对代码。")
    return None


# --- time ----------------------------------------------------------------------------------------------


def moment(at: datetime | None = None) -> datetime:
    """`at`, or now; a naive datetime is a programming error (ValueError)."""
    at = at or timezone.now()
    if timezone.is_naive(at):
        raise ValueError("`at` must be timezone-aware")
    return at


def local_date(at: datetime) -> date:
    return at.astimezone(LOCAL_TZ).date()


def month_end(day: date) -> date:
    """The last day of `day`'s month."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def in_office_language(fn: Callable[[], T]) -> T:
    """Call `fn` with the site's language active: texts kept on the record (reasons, documents) are in
    the office's language (Chinese), whatever language the acting user reads the site in."""
    with translation.override(settings.LANGUAGE_CODE):
        return fn()
