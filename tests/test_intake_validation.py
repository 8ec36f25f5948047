"""cases.intake.complaint_validate: every rule of SPEC §4.1 step 1 / domain-rules §8, each error named by
its JSON path in plain Chinese, all errors at once, and nothing written when the body is refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cases.intake import complaint_submit, complaint_validate
from cases.models import Complaint, Employer, Notification, Party, TimelineEvent
from cases.personal_data import blind_index
from tests.factories import complaint_body, person_id

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)
PILOT_USCC = "91350100M0001TGQXM"  # a legally valid early pilot code that fails the GB 32100 check


def body(**over) -> dict:
    """The SPEC §7 body with a USCC that passes the GB 32100 check (PILOT_USCC is the one that fails it)."""
    return complaint_body(
        **{
            "employer__name": "萍乡某建筑工程有限公司",
            "employer__uscc": "91350100M000100Y43",
            "project__name": "安源区某安置房项目",
            **over,
        }
    )


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Complaint, Party, Employer, TimelineEvent, Notification))


def receive(data: dict, *, staff: bool = False):
    """What every entry point does: validate, then submit."""
    clean = complaint_validate(data, staff=staff, today=TODAY)
    return complaint_submit(actor=None, clean=clean, channel=clean.channel)


def test_a_valid_body_is_normalised():
    clean = complaint_validate(
        body(
            complainant__id_number=" 34052419800101001x ",
            complainant__phone="+86 138 0799 0001",
            employer__uscc="91350100m000100y43",
            amount_owed=86000,
            workers_count="12",
        ),
        today=TODAY,
    )
    assert clean.complainant.id_number == "34052419800101001X"
    assert clean.complainant.phone == "13807990001"
    assert clean.employer.uscc == "91350100M000100Y43"
    assert clean.amount_owed == Decimal("86000.00") and str(clean.amount_owed) == "86000.00"
    assert clean.workers_count == 12
    assert clean.period_start == date(2026, 5, 1) and clean.period_end == date(2026, 10, 31)
    assert clean.project.name == "安源区某安置房项目" and clean.region_code == "360302"
    assert clean.stale is False


@pytest.mark.parametrize("id_number", ["34052419800101001X", "370101190102039973"])
def test_the_reference_id_numbers_pass(id_number):
    assert complaint_validate(body(complainant__id_number=id_number), today=TODAY).complainant.id_number == id_number


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91512081MA62K0260E"])
def test_the_reference_usccs_pass(code):
    assert complaint_validate(body(employer__uscc=code), today=TODAY).employer.uscc == code


@pytest.mark.parametrize("phone", ["13807990001", "+8613807990001", "0086 138 0799 0001", "+86 199-0000-0000"])
def test_mobile_numbers_may_carry_spaces_and_the_country_prefix(phone):
    assert complaint_validate(body(complainant__phone=phone), today=TODAY).complainant.phone[:1] == "1"


BAD = [
    # (path in the body, bad value, dotted error key, words the message must contain)
    ("channel", "fax", "channel", "“fax”不是可选值（可选：网上投诉、12333热线"),
    ("channel", "hotline_12333", "channel", "web"),  # the public may only use the web channel
    ("complainant__name", "", "complainant.name", "投诉人姓名"),
    ("complainant__name", "张" * 65, "complainant.name", "不能超过64"),
    ("complainant__id_number", "", "complainant.id_number", "身份证号"),
    ("complainant__id_number", "34052419800101001", "complainant.id_number", "18位"),
    ("complainant__id_number", "3405241980010100AX", "complainant.id_number", "格式错误"),
    ("complainant__id_number", "340524198001010011", "complainant.id_number", "身份证号校验位错误"),
    ("complainant__id_number", person_id(1, prefix="34052419800230"), "complainant.id_number", "出生日期无效"),
    ("complainant__id_number", person_id(1, prefix="34052420261201"), "complainant.id_number", "晚于今天"),
    ("complainant__phone", "", "complainant.phone", "手机号"),
    ("complainant__phone", "12807990001", "complainant.phone", "手机号格式错误"),
    ("complainant__phone", "1380799000", "complainant.phone", "手机号格式错误"),
    ("complainant__phone", "+85213807990001", "complainant.phone", "手机号格式错误"),
    ("employer__name", "", "employer.name", "用人单位名称"),
    ("employer__uscc", "91350100M000100Y44", "employer.uscc", "统一社会信用代码校验位错误"),
    ("employer__uscc", PILOT_USCC, "employer.uscc", "校验位错误"),
    ("employer__uscc", "91350100M000100Y4", "employer.uscc", "18位"),
    ("employer__uscc", "91350100M000100YI3", "employer.uscc", "格式错误"),
    ("employer__uscc", "9135010AM000100Y43", "employer.uscc", "格式错误"),
    ("project__name", "", "project.name", "项目名称"),
    ("region_code", "999999", "region_code", "区划代码不存在"),
    ("region_code", "36", "region_code", "区划代码不存在"),
    ("workers_count", 0, "workers_count", "至少为1"),
    ("workers_count", -3, "workers_count", "至少为1"),
    ("workers_count", 2.5, "workers_count", "整数"),
    ("workers_count", "十二", "workers_count", "整数"),
    ("workers_count", None, "workers_count", "涉及人数"),
    ("amount_owed", "0", "amount_owed", "大于0"),
    ("amount_owed", "-100.00", "amount_owed", "大于0"),
    ("amount_owed", "八万", "amount_owed", "数字"),
    ("amount_owed", "NaN", "amount_owed", "数字"),
    ("amount_owed", True, "amount_owed", "数字"),
    ("amount_owed", "100.005", "amount_owed", "两位小数"),
    ("amount_owed", "1234567890123.00", "amount_owed", "12位"),
    ("amount_owed", "", "amount_owed", "欠薪金额"),
    ("period_start", "2026/05/01", "period_start", "YYYY-MM-DD"),
    ("period_end", "2026-02-30", "period_end", "YYYY-MM-DD"),
    ("period_end", "2026-11-28", "period_end", "不能晚于今天"),
    ("period_start", "2026-11-01", "period_end", "不能早于起始日期"),
    ("period_start", None, "period_start", "欠薪起始日期"),
    ("description", "", "description", "情况说明"),
    ("description", "   ", "description", "情况说明"),
    ("description", "欠" * 2001, "description", "2000"),
]


@pytest.mark.parametrize(("path", "value", "key", "words"), BAD, ids=[f"{b[0]}={str(b[1])[:20]}" for b in BAD])
def test_a_bad_value_names_its_field_and_writes_nothing(path, value, key, words):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        receive(body(**{path: value}))
    errors = exc.value.message_dict
    assert list(errors) == [key], errors
    assert words in errors[key][0], errors[key]
    assert counts() == before


def test_the_limits_themselves_pass():
    clean = complaint_validate(
        body(
            description="欠" * 2000,
            amount_owed="999999999999.99",
            workers_count=1,
            period_start="2026-11-27",
            period_end="2026-11-27",
        ),
        today=TODAY,
    )
    assert len(clean.description) == 2000 and clean.amount_owed == Decimal("999999999999.99")


def test_all_errors_are_reported_at_once():
    data = body(complainant__id_number="340524198001010011", amount_owed="0", description="")
    data["employer"].pop("name")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        receive(data)
    assert set(exc.value.message_dict) == {"complainant.id_number", "amount_owed", "description", "employer.name"}
    assert counts() == before


def test_missing_parts_of_the_body_are_named():
    with pytest.raises(ValidationError) as exc:
        complaint_validate({"channel": "web"}, today=TODAY)
    assert {"complainant", "employer", "workers_count", "amount_owed", "period_start", "period_end"} <= set(
        exc.value.message_dict
    )
    with pytest.raises(ValidationError) as exc:
        complaint_validate(body(complainant="张三"), today=TODAY)
    assert "complainant" in exc.value.message_dict
    with pytest.raises(ValidationError):
        complaint_validate(["not", "an", "object"], today=TODAY)


def test_project_and_region_code_and_the_uscc_are_optional():
    data = body()
    del data["project"], data["region_code"], data["employer"]["uscc"], data["employer"]["address"]
    clean = complaint_validate(data, today=TODAY)
    assert clean.project is None and clean.region_code == "" and clean.employer.uscc == ""


def test_a_failing_uscc_is_refused_for_the_public_even_with_a_reason():
    before = counts()
    with pytest.raises(ValidationError) as exc:
        receive(body(employer__uscc=PILOT_USCC, employer__uscc_override_reason="早期试点代码"))
    assert "统一社会信用代码校验位错误" in exc.value.message_dict["employer.uscc"][0]
    assert counts() == before


def test_staff_need_a_reason_to_accept_a_failing_uscc():
    before = counts()
    with pytest.raises(ValidationError) as exc:
        receive(body(channel="walk_in", employer__uscc=PILOT_USCC), staff=True)
    assert "豁免理由" in exc.value.message_dict["employer.uscc"][0]
    with pytest.raises(ValidationError):
        receive(body(channel="walk_in", employer__uscc=PILOT_USCC, employer__uscc_override_reason="  "), staff=True)
    assert counts() == before

    reason = "福建早期试点代码，已核实营业执照"
    complaint, created = receive(
        body(channel="walk_in", employer__uscc=PILOT_USCC, employer__uscc_override_reason=reason), staff=True
    )
    assert created and complaint.employer.uscc == PILOT_USCC
    assert complaint.employer.uscc_override_reason == reason


def test_staff_cannot_override_a_malformed_uscc():
    with pytest.raises(ValidationError) as exc:
        complaint_validate(
            body(channel="letter", employer__uscc="91350100M000100Y4", employer__uscc_override_reason="试点"),
            staff=True,
            today=TODAY,
        )
    assert "18位" in exc.value.message_dict["employer.uscc"][0]


def test_a_valid_uscc_keeps_no_override_reason():
    clean = complaint_validate(body(employer__uscc_override_reason="不需要"), staff=True, today=TODAY)
    assert clean.employer.uscc_override_reason == ""


def test_staff_may_use_every_channel_and_leave_out_the_id_number():
    clean = complaint_validate(body(channel="hotline_12333", complainant__id_number=""), staff=True, today=TODAY)
    assert clean.channel == "hotline_12333" and clean.complainant.id_number == ""
    assert clean.complainant.key == blind_index("phone", "13807990001")  # the duplicate check falls back to the phone
    with pytest.raises(ValidationError) as exc:
        complaint_validate(body(channel="hotline"), staff=True, today=TODAY)
    assert "channel" in exc.value.message_dict


def test_a_complaint_older_than_two_years_is_flagged_not_refused():
    old = complaint_validate(body(period_start="2024-01-01", period_end="2024-11-26"), today=TODAY)
    assert old.stale is True
    edge = complaint_validate(body(period_start="2024-01-01", period_end="2024-11-27"), today=TODAY)
    assert edge.stale is False
    complaint, _ = complaint_submit(actor=None, clean=old, channel="web")
    assert complaint.stale is True
    assert complaint.events.get().data["stale"] is True


def test_dates_and_decimals_from_code_are_accepted():
    clean = complaint_validate(
        body(period_start=date(2026, 5, 1), period_end=date(2026, 10, 31), amount_owed=Decimal("12.5")), today=TODAY
    )
    assert clean.amount_owed == Decimal("12.50") and clean.period_end == date(2026, 10, 31)


def test_today_defaults_to_the_local_date():
    with pytest.raises(ValidationError) as exc:
        complaint_validate(body(period_end="2999-01-01"))
    assert "period_end" in exc.value.message_dict
