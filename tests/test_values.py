"""cases.values: the one place where text, money, ID numbers, mobiles, USCC and local time are checked."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from stdnum.cn import ric

from cases import values as v


def _id(prefix17: str) -> str:
    return prefix17 + ric.calc_check_digit(prefix17 + "0")  # stdnum reads the first 17 characters


def _field_error(exc: pytest.ExceptionInfo, field: str) -> str:
    return exc.value.message_dict[field][0]


# --- money: one rounding rule ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount, expected",
    [
        ("0.005", "0.01"),  # half up: 四舍五入, not banker's rounding (which gives 0.00)
        ("0.015", "0.02"),
        ("0.025", "0.03"),  # banker's rounding would give 0.02
        ("0.004", "0.00"),
        ("-0.005", "-0.01"),
        ("1234.5", "1234.50"),
        (None, "0.00"),
    ],
)
def test_yuan_rounds_half_up_to_the_fen(amount, expected):
    assert v.yuan(amount) == Decimal(expected)


def test_yuan_text_writes_thousands_and_the_unit():
    assert v.yuan_text(Decimal("1234567.125")) == "1,234,567.13元"
    assert v.yuan_text(0) == "0.00元"


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity", "1e400x", "abc"])
def test_yuan_refuses_what_is_not_a_finite_amount(bad):
    with pytest.raises(ValueError):
        v.yuan(bad)


# --- required text ----------------------------------------------------------------------------------------


def test_required_text_names_the_field_and_strips():
    assert v.required_text("  理由  ", field="reason") == "理由"
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        v.required_text("   ", field="reason", label="理由")
    assert _field_error(exc, "reason") == "请填写理由。"
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        v.required_text(None, field="opinion")
    assert _field_error(exc, "opinion") == "此项为必填。"


def test_required_text_limit_counts_characters():
    assert v.required_text("一" * 10, field="note", limit=10) == "一" * 10
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        v.required_text("一" * 11, field="note", label="说明", limit=10)
    assert _field_error(exc, "note") == "说明不能超过10个字（现有11个字）。"


# --- resident ID numbers (GB 11643 through stdnum) -----------------------------------------------------------


def test_resident_id_valid_and_compacted():
    number = _id("36030219850312001")
    assert v.resident_id_clean(f" {number[:6]}-{number[6:14]} {number[14:].lower()} ", field="id") == number


@pytest.mark.parametrize(
    "number, message",
    [
        ("36030219850312001", "身份证号应为18位（现为17位；15位旧号码请换成18位号码）。"),
        ("3603021985031200AX", "身份证号格式错误：前17位应为数字，最后一位为数字或X。"),
        (_id("36030219850230001"), "身份证号中的出生日期无效。"),  # 30 February
        (_id("36030218991231001"), "身份证号中的出生日期无效。"),  # before 1900
        (_id("36030220991231001"), "身份证号中的出生日期晚于今天。"),
    ],
)
def test_resident_id_problems_are_named(number, message):
    with translation.override("zh-hans"):
        assert v.resident_id_problem(number, today=date(2026, 12, 4)) == message


def test_resident_id_check_digit():
    number = _id("36030219850312001")
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        v.resident_id_clean(wrong, field="worker.id_number")
    assert _field_error(exc, "worker.id_number") == "身份证号校验位错误，请核对号码。"
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        v.resident_id_clean("", field="worker.id_number", label="劳动者身份证号")
    assert _field_error(exc, "worker.id_number") == "请填写劳动者身份证号。"


# --- mobiles and USCC ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["13807990001", "+86 138-0799-0001", "0086 13807990001"])
def test_mobile_accepts_the_country_prefix(raw):
    assert v.mobile_clean(raw, field="phone") == "13807990001"


@pytest.mark.parametrize("raw", ["12807990001", "1380799000", "138079900011", "07996822222"])
def test_mobile_refuses_what_is_not_a_mainland_mobile(raw):
    with pytest.raises(ValidationError) as exc:
        v.mobile_clean(raw, field="complainant.phone")
    assert "complainant.phone" in exc.value.message_dict
    assert v.mobile_clean("", field="phone", required=False) == ""


def test_uscc_problems():
    assert v.uscc_problem("91350100M000100Y43") is None
    with translation.override("zh-hans"):
        assert v.uscc_problem("91350100M000100Y4") == "统一社会信用代码应为18位（现为17位）。"
        assert v.uscc_problem("91350100M000100Y44") == "统一社会信用代码校验位错误，请核对代码。"
        assert (
            v.uscc_problem("91350100M000100I43")
            == "统一社会信用代码格式错误：第3至8位应为数字，且不能含I、O、S、V、Z。"
        )


# --- time ---------------------------------------------------------------------------------------------


def test_local_time_is_shanghai():
    assert str(v.LOCAL_TZ) == "Asia/Shanghai"
    utc_evening = datetime.fromisoformat("2026-12-04T17:30:00+00:00")
    assert v.local_date(utc_evening) == date(2026, 12, 5)


def test_moment_refuses_naive_datetimes():
    with pytest.raises(ValueError):
        v.moment(datetime(2026, 12, 4, 9, 0))
    aware = datetime.fromisoformat("2026-12-04T09:00:00+08:00")
    assert v.moment(aware) is aware


@pytest.mark.parametrize(
    "day, end",
    [
        (date(2026, 2, 10), date(2026, 2, 28)),
        (date(2028, 2, 1), date(2028, 2, 29)),
        (date(2026, 12, 31), date(2026, 12, 31)),
    ],
)
def test_month_end(day, end):
    assert v.month_end(day) == end


def test_in_office_language_uses_the_site_language():
    from django.utils.translation import gettext

    with translation.override("en"):
        assert v.in_office_language(lambda: gettext("此项为必填。")) == "此项为必填。"
