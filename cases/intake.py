"""Complaint intake (SPEC §4.1): validate, route, submit, bulk import.

The public web form, the REST API, clerk entry and the bulk import all call these
services; there is one path that receives a complaint: `complaint_submit`.

    clean = complaint_validate(body, staff=False)           # ValidationError keyed by JSON path
    complaint, created = complaint_submit(actor=None, clean=clean, channel="web",
                                          idempotency_key=key)  # one transaction

Routing (`complaint_route`) goes to the county where the labour is used: the chosen
region, else a county named in the project address, else in the employer address; when
no county can be found, the city's (then the province's) intake pool. Region names are
matched against an in-process index of every region, loaded once.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from stdnum.cn import ric, uscc

from . import scope, timeline
from .models import Case, CaseParty, Channel, Complaint, Employer, Party, Project, Region
from .notifications import complainant_notify
from .services import employer_name_key, office_number_next

__all__ = [
    "IMPORT_COLUMNS",
    "CleanComplaint",
    "CleanEmployer",
    "CleanPerson",
    "CleanProject",
    "ImportReport",
    "ImportRow",
    "complaint_route",
    "complaint_submit",
    "complaint_validate",
    "complaints_import",
    "import_template_csv",
    "region_index_clear",
]

DESCRIPTION_MAX = 2000
WORKERS_MAX = 100_000
AMOUNT_MAX_INTEGER_DIGITS = 12
STALE_AFTER_YEARS = 2  # LSIR art 20: violations older than 2 years are not investigated (flag, clerk decides)
DUPLICATE_WINDOW = timedelta(days=30)  # same complainant + employer within 30 days → possible duplicate
IDEMPOTENCY_KEY_MAX = 80
IMPORT_MAX_ROWS = 5000
CLOSED_CASE_STATUSES = (Case.Status.CLOSED, Case.Status.WITHDRAWN)

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
    "employer.uscc_override_reason": "信用代码豁免理由",
    "project": "项目信息",
    "project.name": "项目名称",
    "project.address": "项目地址",
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
    "employer.uscc_override_reason": 200,
    "project.name": 200,
    "project.address": 300,
}

_ID_FORMAT = re.compile(r"^\d{17}[\dX]$")
_USCC_CHARS = "0-9A-HJ-NPQRTUWXY"  # GB 32100: no I, O, S, V, Z
_USCC_FORMAT = re.compile(rf"^[{_USCC_CHARS}]{{2}}\d{{6}}[{_USCC_CHARS}]{{10}}$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_BLANKS = re.compile(r"\s+")


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CleanPerson:
    name: str
    id_number: str  # 18 characters, upper-case X; "" only for staff entry without an ID
    phone: str  # 11 digits, no +86

    @property
    def key(self) -> str:
        """The duplicate-check key: the ID number, else the phone."""
        return self.id_number or self.phone


@dataclass(frozen=True)
class CleanEmployer:
    name: str
    uscc: str = ""
    address: str = ""
    uscc_override_reason: str = ""  # set only when staff accepted a code that fails the check


@dataclass(frozen=True)
class CleanProject:
    name: str
    address: str = ""


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


def _compact(value: str) -> str:
    return re.sub(r"[\s\-]+", "", value).upper()


def _id_number(value: Any, errors: _Errors, *, required: bool, today: date) -> str:
    path = "complainant.id_number"
    raw = _text(value, path, errors, required=required)
    if not raw or path in errors:
        return ""
    number = _compact(raw)
    if len(number) != 18:
        errors.add(path, f"身份证号应为18位（现为{len(number)}位；15位旧号码请换成18位号码）")
    elif not _ID_FORMAT.match(number):
        errors.add(path, "身份证号格式错误：前17位应为数字，最后一位为数字或X")
    elif ric.calc_check_digit(number) != number[-1]:
        errors.add(path, "身份证号校验位错误，请核对号码")
    else:
        try:
            born = ric.get_birth_date(number)
        except Exception:  # stdnum raises InvalidComponent for a date that does not exist
            born = None
        if born is None or born.year < 1900:
            errors.add(path, "身份证号中的出生日期无效")
        elif born > today:
            errors.add(path, "身份证号中的出生日期晚于今天")
    return number


def _mobile(value: Any, errors: _Errors) -> str:
    path = "complainant.phone"
    raw = _text(value, path, errors, required=True)
    if not raw or path in errors:
        return ""
    number = re.sub(r"[\s\-]+", "", raw)
    for prefix in ("+86", "0086"):
        if number.startswith(prefix):
            number = number[len(prefix) :]
            break
    if not _MOBILE.match(number):
        errors.add(path, "手机号格式错误，应为以1开头的11位手机号码")
    return number


def _uscc(employer: dict, errors: _Errors, *, staff: bool) -> tuple[str, str]:
    """(code, override reason). A code failing the check digit is refused, unless staff give a reason."""
    path = "employer.uscc"
    raw = _text(employer.get("uscc"), path, errors, required=False)
    reason = _text(employer.get("uscc_override_reason"), "employer.uscc_override_reason", errors, required=False)
    if not raw or path in errors:
        return "", ""
    code = _compact(raw)
    if len(code) != 18:
        errors.add(path, f"统一社会信用代码应为18位（现为{len(code)}位）")
    elif not _USCC_FORMAT.match(code):
        errors.add(path, "统一社会信用代码格式错误：第3至8位应为数字，且不能含I、O、S、V、Z")
    elif uscc.calc_check_digit(code[:17]) != code[-1]:
        if not staff:
            errors.add(path, "统一社会信用代码校验位错误，请核对代码")
        elif not reason:
            errors.add(path, "统一社会信用代码校验位错误；如确认代码无误（如早期试点代码），请填写信用代码豁免理由")
        else:
            return code, reason
    return code, ""


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
            errors.add("channel", f"渠道无效：{channel}（可选：{'、'.join(Channel.values)}）")
        elif not staff and channel != Channel.WEB:
            errors.add("channel", "网上投诉的渠道只能是 web")

    person = _object(data, "complainant", errors, required=True)
    complainant = CleanPerson(
        name=_text(person.get("name"), "complainant.name", errors, required=True) if person else "",
        id_number=_id_number(person.get("id_number"), errors, required=not staff, today=today) if person else "",
        phone=_mobile(person.get("phone"), errors) if person else "",
    )

    emp = _object(data, "employer", errors, required=True)
    code, reason = _uscc(emp, errors, staff=staff) if emp else ("", "")
    employer = CleanEmployer(
        name=_text(emp.get("name"), "employer.name", errors, required=True) if emp else "",
        uscc=code,
        address=_text(emp.get("address"), "employer.address", errors, required=False) if emp else "",
        uscc_override_reason=reason,
    )

    proj = _object(data, "project", errors, required=False)
    project = None
    if proj:
        project = CleanProject(
            name=_text(proj.get("name"), "project.name", errors, required=True),
            address=_text(proj.get("address"), "project.address", errors, required=False),
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


# ---------------------------------------------------------------------------
# The region index: every region's code and names, loaded once per process
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _R:
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    path: str

    def within(self, other: _R | None) -> bool:
        return other is None or self.path.startswith(other.path)

    def region(self) -> Region:
        """A Region instance built from the cache (no query); safe: regions are never deleted (PROTECT)."""
        obj = Region(
            id=self.id, code=self.code, name=self.name, level=self.level, parent_id=self.parent_id, path=self.path
        )
        obj._state.adding = False
        obj._state.db = DEFAULT_DB_ALIAS
        return obj


@dataclass(frozen=True)
class _Name:
    regions: tuple[_R, ...]
    short: bool  # a short form (安源 for 安源区): used only with care, see _tokens


@dataclass
class _RegionIndex:
    by_code: dict[str, _R]
    names: dict[str, _Name]
    lengths: tuple[int, ...]  # the name lengths present, longest first


# Short forms: 安源区 → 安源, 萍乡市 → 萍乡, 江西省 → 江西, 广西壮族自治区 → 广西, 阿里地区 → 阿里, 浦东新区 → 浦东.
_PROVINCE_SHORT = re.compile(r"^(.+?)(?:壮族|回族|维吾尔)?(?:省|市|自治区|特别行政区)$")
_LOWER_SHORT = re.compile(r"^(.{2,}?)(?:新区|地区|区|县|市|旗|盟)$")
# A short form followed by one of these is a street or a place inside a town (东风路, 光明小区), not a region.
_NOT_A_REGION_AFTER = tuple("路街道巷弄里村镇乡屯组社楼栋号园桥湖山门站口") + ("小区", "大道", "广场", "花园", "公园")

_index_lock = threading.Lock()
_index: _RegionIndex | None = None


def _short_name(r: _R) -> str:
    if "自治" in r.name and r.level != Region.Level.PROVINCE:
        return ""
    match = (_PROVINCE_SHORT if r.level == Region.Level.PROVINCE else _LOWER_SHORT).match(r.name)
    return match.group(1) if match and len(match.group(1)) >= 2 else ""


def _index_build() -> _RegionIndex:
    rows = [_R(*row) for row in Region.objects.values_list("id", "code", "name", "level", "parent_id", "path")]
    full: dict[str, list[_R]] = {}
    shorts: dict[str, list[_R]] = {}
    for r in rows:
        full.setdefault(r.name, []).append(r)
        if short := _short_name(r):
            shorts.setdefault(short, []).append(r)
    names = {name: _Name(tuple(rs), short=False) for name, rs in full.items()}
    for short, rs in shorts.items():
        if short in names:
            continue
        if len(rs) > 1:
            # 南昌 = 南昌市 and 南昌县 (inside it), 吉林 = 吉林省 and 吉林市: the outermost one, if it contains
            # the others; otherwise the short form is ambiguous and is not used.
            top = min(rs, key=lambda r: len(r.path))
            if not all(r.within(top) for r in rs):
                continue
            rs = [top]
        names[short] = _Name(tuple(rs), short=True)
    lengths = tuple(sorted({len(n) for n in names}, reverse=True))
    return _RegionIndex(by_code={r.code: r for r in rows}, names=names, lengths=lengths)


def _region_index() -> _RegionIndex:
    global _index
    index = _index
    if index is None:
        with _index_lock:
            index = _index
            if index is None:
                index = _index_build()
                if index.by_code:  # never cache an empty table (regions not loaded yet)
                    _index = index
    return index


def region_index_clear(**_kwargs) -> None:
    """Forget the cached region index (it reloads on next use). Called when a Region is saved or deleted."""
    global _index
    with _index_lock:
        _index = None


post_save.connect(region_index_clear, sender=Region, dispatch_uid="cases.intake.region_index_clear.save")
post_delete.connect(region_index_clear, sender=Region, dispatch_uid="cases.intake.region_index_clear.delete")


def _region_by_code(code: str) -> _R | None:
    found = _region_index().by_code.get(code)
    if found is None and re.fullmatch(r"\d{6}", code):
        # Added since the index was loaded (another process)? One query, then reload the index.
        if Region.objects.filter(code=code).exists():
            region_index_clear()
            found = _region_index().by_code.get(code)
    return found


def _tokens(text: str, index: _RegionIndex) -> Iterator[tuple[str, _Name]]:
    """Region names in the text, left to right, the longest name at each position."""
    text = _BLANKS.sub("", unicodedata.normalize("NFKC", text))
    i, n = 0, len(text)
    while i < n:
        for length in index.lengths:
            if i + length > n:
                continue
            word = text[i : i + length]
            name = index.names.get(word)
            if name is None:
                continue
            if name.short and text.startswith(_NOT_A_REGION_AFTER, i + length):
                continue
            yield word, name
            i += length
            break
        else:
            i += 1


def _address_parse(text: str, within: _R | None = None) -> _R | None:
    """The most precise region named in an address (county, else city, else province), inside `within`.

    Duplicate names (several 城关区, 朝阳区) are told apart by the province and city named in the same
    text; a county that contradicts them is ignored. Full names win over short forms (安源区 over 安源).
    """
    if not text:
        return None
    index = _region_index()

    def relevant(r: _R) -> bool:  # inside `within`, or one of its ancestors (江西省 when within is 萍乡市)
        return r.within(within) or (within is not None and within.within(r))

    found = [(name, [r for r in name.regions if relevant(r)]) for _word, name in _tokens(text, index)]

    def named(level: str) -> list[_R]:
        return [r for name, rs in found for r in rs if r.level == level]

    provinces = named(Region.Level.PROVINCE)
    cities = [c for c in named(Region.Level.CITY) if not provinces or any(c.within(p) for p in provinces)]

    def consistent(r: _R) -> bool:
        if not r.within(within):
            return False
        if cities and r.level == Region.Level.COUNTY and not any(r.within(c) for c in cities):
            return False
        return not provinces or any(r.within(p) for p in provinces)

    for level in (Region.Level.COUNTY, Region.Level.CITY, Region.Level.PROVINCE):
        for short in (False, True):
            for name, rs in found:
                if name.short != short:
                    continue
                candidates = {r.id: r for r in rs if r.level == level and consistent(r)}
                if len(candidates) == 1:
                    return next(iter(candidates.values()))
    return None


POOL_BASIS = {Region.Level.CITY: "city_pool", Region.Level.PROVINCE: "province_pool"}


def complaint_route(clean: CleanComplaint) -> tuple[Region, str]:
    """(region, basis): the county where the labour is used, else the city's or the province's intake pool.

    basis: "region_code", "project_address", "employer_address", "city_pool" or "province_pool".
    Runs no query once the region index is loaded.
    """
    chosen = _region_by_code(clean.region_code) if clean.region_code else None
    if chosen is not None and chosen.level == Region.Level.COUNTY:
        return chosen.region(), "region_code"
    best = chosen  # a city or province chosen: look for a county inside it
    sources = [
        (clean.project.address if clean.project else "", "project_address"),
        (clean.employer.address, "employer_address"),
    ]
    for text, basis in sources:
        found = _address_parse(text, within=best)
        if found is None or not found.within(best):
            continue
        if found.level == Region.Level.COUNTY:
            return found.region(), basis
        best = found  # a city (or province) narrower than what we had: keep looking for a county in it
    if best is None:
        code = getattr(settings, "ZHIQIAN_DEFAULT_INTAKE_REGION", "360000")
        best = _region_by_code(code)
        if best is None:
            raise ImproperlyConfigured(f"ZHIQIAN_DEFAULT_INTAKE_REGION={code!r} is not a loaded region")
    return best.region(), POOL_BASIS.get(best.level, "province_pool")


# ---------------------------------------------------------------------------
# Submission
# ---------------------------------------------------------------------------


def _project_name(name: str) -> str:
    return _BLANKS.sub(" ", unicodedata.normalize("NFKC", name)).strip()


def _advisory_lock(key: str) -> None:
    """Serialise creation of one employer across regions (PostgreSQL; SQLite writes are already serial)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


def _employer_find(emp: CleanEmployer) -> Employer | None:
    if emp.uscc:
        # The code, or a same-named employer recorded without a code (the code is then filled in).
        same = Q(uscc=emp.uscc) | Q(uscc="", name_key=employer_name_key(emp.name))
        rows = list(Employer.objects.filter(same).order_by("id")[:20])
        return next((e for e in rows if e.uscc == emp.uscc), rows[0] if rows else None)
    return Employer.objects.filter(name_key=employer_name_key(emp.name)).order_by("id").first()


def _employer_get_or_create(emp: CleanEmployer) -> tuple[Employer, bool]:
    found = _employer_find(emp)
    if found is None:
        _advisory_lock(f"employer:{emp.uscc or employer_name_key(emp.name)}")
        found = _employer_find(emp)
    if found is not None:
        if emp.uscc and not found.uscc:
            found.uscc, found.uscc_override_reason = emp.uscc, emp.uscc_override_reason
            found.save(update_fields=["uscc", "uscc_override_reason"])
        return found, False
    place = _address_parse(emp.address)
    employer = Employer.objects.create(
        name=emp.name,
        name_key=employer_name_key(emp.name),
        uscc=emp.uscc,
        uscc_override_reason=emp.uscc_override_reason,
        address=emp.address,
        region_id=place.id if place else None,
    )
    return employer, True


def _party_get_or_create(person: CleanPerson) -> tuple[Party, bool]:
    """The same person with the same contact details is one Party; a changed phone gives a new Party,
    so earlier complaints keep the phone they were filed with (status look-up, notices)."""
    found = (
        Party.objects.filter(id_number=person.id_number, name=person.name, phone=person.phone).order_by("id").first()
    )
    if found is not None:
        return found, False
    return Party.objects.create(name=person.name, id_number=person.id_number, phone=person.phone), True


def _project_get_or_create(proj: CleanProject | None, region: Region) -> tuple[Project | None, bool]:
    """By normalised name within the region. Race-free: the caller holds the region's receipt-number lock."""
    if proj is None:
        return None, False
    name = _project_name(proj.name)
    found = Project.objects.filter(region_id=region.pk, name=name).order_by("id").first()
    if found is not None:
        return found, False
    return Project.objects.create(name=name, address=proj.address, region=region), True


def _actor_staff(actor, region: Region) -> tuple[bool, str, str]:
    """(is staff, role, role's region code) for the timeline; a clerk's grant is preferred."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False, "", ""
    grants = scope.grants(actor)
    if not grants:
        return bool(getattr(actor, "is_staff", False)), "", ""
    best = min(grants, key=lambda g: (g.role != "clerk", g.region_id != region.pk))
    return True, best.role, best.region_code


def _idempotent_replay(key: str, request_hash: str) -> Complaint | None:
    found = Complaint.objects.select_related("region").filter(idempotency_key=key).first()
    if found is not None and found.request_hash != request_hash:
        raise ValidationError({"idempotency_key": ["该幂等键已用于另一份内容不同的投诉，请使用新的幂等键重新提交"]})
    return found


def complaint_submit(
    *,
    actor,
    clean: CleanComplaint,
    channel: str,
    idempotency_key: str | None = None,
    request_hash: str = "",
    received_at: datetime | None = None,
) -> tuple[Complaint, bool]:
    """Receive a validated complaint in one transaction: (complaint, created).

    Routes it, issues its receipt number, finds or creates employer / project / complainant, flags a
    possible duplicate (same complainant and employer within 30 days) and links it to an open case of
    the same employer and project in that region. Writes one "complaint.received" event (and
    "case.complaint_linked" on the case) and queues the "received" SMS for after commit.

    With an `idempotency_key` already used: the same request (hash) returns (that complaint, False);
    another request raises ValidationError({"idempotency_key": ...}). `request_hash` defaults to the
    clean content's fingerprint.
    """
    if channel not in Channel.values:
        raise ValidationError({"channel": [f"渠道无效：{channel}"]})
    if idempotency_key is not None and not (0 < len(idempotency_key) <= IDEMPOTENCY_KEY_MAX):
        raise ValidationError({"idempotency_key": [f"幂等键长度应为1至{IDEMPOTENCY_KEY_MAX}个字符"]})
    request_hash = request_hash or clean.fingerprint()
    received_at = received_at or timezone.now()
    if idempotency_key and (found := _idempotent_replay(idempotency_key, request_hash)) is not None:
        return found, False
    try:
        # Nested in the caller's transaction, a savepoint only when a key is given: it lets a
        # concurrent request with the same key be answered instead of failing the caller.
        with transaction.atomic(savepoint=bool(idempotency_key)):
            complaint = _complaint_create(
                actor=actor,
                clean=clean,
                channel=channel,
                idempotency_key=idempotency_key,
                request_hash=request_hash,
                received_at=received_at,
            )
    except IntegrityError:
        # A concurrent request with the same Idempotency-Key committed first.
        if idempotency_key and (found := _idempotent_replay(idempotency_key, request_hash)) is not None:
            return found, False
        raise
    return complaint, True


def _complaint_create(
    *, actor, clean: CleanComplaint, channel: str, idempotency_key: str | None, request_hash: str, received_at
) -> Complaint:
    region, basis = complaint_route(clean)
    local = timezone.localtime(received_at)
    # First write of the transaction: locks this office's receipt sequence, which also serialises the
    # project look-up and the grouping below for this region.
    number = office_number_next(region=region, kind="receipt", year=local.year)
    receipt_no = f"T{region.code}{local:%y}{number:06d}"
    employer, employer_new = _employer_get_or_create(clean.employer)
    party, _ = _party_get_or_create(clean.complainant)
    project, project_new = _project_get_or_create(clean.project, region)
    is_staff, role, role_region = _actor_staff(actor, region)

    duplicate = None
    if not employer_new:
        duplicate = (
            Complaint.objects.filter(
                complainant_key=clean.complainant.key,
                employer=employer,
                received_at__gte=received_at - DUPLICATE_WINDOW,
                received_at__lte=received_at,
            )
            .order_by("received_at", "id")
            .only("id", "receipt_no")
            .first()
        )
    case = None
    if not employer_new and not project_new:
        case = (
            Case.objects.filter(region_id=region.pk, employer=employer)
            .filter(Q(project=project) if project else Q(project__isnull=True))
            .exclude(status__in=CLOSED_CASE_STATUSES)
            .order_by("id")
            .only("id", "case_no")
            .first()
        )

    complaint = Complaint.objects.create(
        receipt_no=receipt_no,
        channel=channel,
        complainant=party,
        complainant_key=clean.complainant.key,
        employer=employer,
        project=project,
        region=region,
        workers_count=clean.workers_count,
        amount_owed=clean.amount_owed,
        period_start=clean.period_start,
        period_end=clean.period_end,
        description=clean.description,
        received_at=received_at,
        case=case,
        route_basis=basis,
        possible_duplicate_of=duplicate,
        stale=clean.stale,
        entered_by=actor if is_staff else None,
        idempotency_key=idempotency_key or None,
        request_hash=request_hash,
    )
    timeline.record(
        complaint,
        "complaint.received",
        actor=actor,
        role=role,
        region_code=role_region,
        data={
            "receipt_no": receipt_no,
            "channel": channel,
            "region": region.code,
            "route_basis": basis,
            "duplicate": duplicate is not None,
            "duplicate_of": duplicate.receipt_no if duplicate else None,
            "stale": clean.stale,
            "grouped": case is not None,
            "case_no": case.case_no if case else None,
        },
        at=received_at,
        first=True,
    )
    if case is not None:
        _case_link(case=case, complaint=complaint, actor=actor, role=role, role_region=role_region)
    complainant_notify(complaint=complaint, event="received")
    return complaint


def _case_link(*, case: Case, complaint: Complaint, actor, role: str, role_region: str) -> None:
    """Group a complaint onto an open case: complainant as a party, totals added, one event on the case."""
    CaseParty.objects.bulk_create(
        [CaseParty(case=case, party=complaint.complainant, kind=CaseParty.Kind.COMPLAINANT, complaint=complaint)],
        ignore_conflicts=True,  # the same person already a complainant of this case (an earlier complaint)
    )
    Case.objects.filter(pk=case.pk).update(
        workers_count=F("workers_count") + complaint.workers_count,
        amount_owed=F("amount_owed") + complaint.amount_owed,
    )
    timeline.record(
        case,
        "case.complaint_linked",
        actor=actor,
        role=role,
        region_code=role_region,
        data={
            "receipt_no": complaint.receipt_no,
            "workers_added": complaint.workers_count,
            "amount_added": complaint.amount_owed,
        },
        at=complaint.received_at,
    )


# ---------------------------------------------------------------------------
# Bulk import (clerks): CSV (UTF-8 with or without BOM, or GB18030) or XLSX
# ---------------------------------------------------------------------------

# Column header → dotted field path. The first header of each path is the one the template uses.
IMPORT_COLUMNS: dict[str, str] = {
    "渠道": "channel",
    "投诉人姓名": "complainant.name",
    "身份证号": "complainant.id_number",
    "手机号": "complainant.phone",
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
}
# Also accepted as headers: the fields' plain names (用人单位名称, 欠薪起始日期) and the JSON paths.
_HEADER_ALIASES: dict[str, str] = {
    **{LABELS[path]: path for path in IMPORT_COLUMNS.values()},
    **{path: path for path in IMPORT_COLUMNS.values()},
    **IMPORT_COLUMNS,
    "欠薪金额（元）": "amount_owed",
    "欠薪金额(元)": "amount_owed",
}
_IMPORT_REQUIRED = ("channel", "complainant.name", "complainant.phone", "employer.name", "workers_count",
                    "amount_owed", "period_start", "period_end", "description")  # fmt: skip
_CHANNEL_BY_LABEL = {str(label): value for value, label in Channel.choices}
_TEMPLATE_EXAMPLE = {
    "channel": Channel.HOTLINE.value,
    "complainant.name": "张三",
    "complainant.id_number": "34052419800101001X",
    "complainant.phone": "13807990001",
    "employer.name": "萍乡某建筑工程有限公司",
    "employer.uscc": "91350100M000100Y43",
    "employer.address": "江西省萍乡市安源区某路1号",
    "project.name": "安源区某安置房项目",
    "project.address": "萍乡市安源区某地块",
    "region_code": "",
    "workers_count": "12",
    "amount_owed": "86000.00",
    "period_start": "2026-05-01",
    "period_end": "2026-10-31",
    "description": "工程完工后总包单位以未收到工程款为由拖欠农民工工资。",
    "employer.uscc_override_reason": "",
}


@dataclass
class ImportRow:
    row: int  # the row number in the sheet (the header is row 1)
    receipt_no: str = ""
    created: bool = False  # False with a receipt: this row was imported before (same file, same row)
    errors: dict[str, list[str]] = field(default_factory=dict)

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


def complaints_import(
    *, actor, file, filename: str, submit: Callable[..., tuple[Complaint, bool]] | None = None
) -> ImportReport:
    """Import complaints entered by clerks from a CSV or XLSX sheet: one complaint per row.

    Each row is validated as staff entry and submitted in its own savepoint (its own transaction
    when the caller holds none), so a bad row never stops the others. Re-importing the same file
    returns the receipts of the rows already imported (idempotency key: file hash + row number).
    `submit` (default complaint_submit) lets an outer layer wrap the submission, e.g. to start the
    intake flow; it takes complaint_submit's keyword arguments and returns (complaint, created).
    A file that cannot be read raises ValidationError({"file": ...}); row errors are in the report.
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
        try:
            clean = complaint_validate(_row_body(header, row), staff=True, today=today)
            with transaction.atomic():
                complaint, line.created = submit(
                    actor=actor, clean=clean, channel=clean.channel, idempotency_key=f"import:{digest}:{number}"
                )
        except ValidationError as exc:
            line.errors = exc.message_dict
            continue
        line.receipt_no = complaint.receipt_no
    if header is None:
        raise ValidationError({"file": ["文件是空的"]})
    return report
