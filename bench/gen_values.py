"""bench.generate's values: dates, realistic names and words, weighted draws, personal data as stored."""

from __future__ import annotations

import functools
import random
from datetime import date, timedelta, timezone

START_DAY = date(2021, 1, 4)  # first Monday of 2021
UTC = timezone.utc  # noqa: UP017 (datetime.UTC reads less plainly next to BEIJING)
BEIJING = timezone(timedelta(hours=8))
WORKDAY_SECONDS = 9 * 3600  # filing happens 08:30-17:30 Beijing time

COUNTY_SHARE, CITY_SHARE, PROVINCE_SHARE = 0.94, 0.05, 0.01
ZIPF_EXPONENT = 0.9


class BenchError(Exception):
    """A precondition failed; the message says what to do."""


# --- realistic values ------------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强文斌海燕红梅春生金龙小红永福德明水根冬生桂花"
FIRM_WORDS = (
    "宏远",
    "鑫达",
    "恒通",
    "华盛",
    "建安",
    "瑞丰",
    "金源",
    "兴旺",
    "顺达",
    "长城",
    "赣鑫",
    "博远",
    "中恒",
    "新世纪",
    "联创",
    "利民",
    "天成",
    "东方",
    "正大",
    "盛世",
    "永安",
    "红星",
    "鸿运",
    "汇通",
    "嘉禾",
    "荣昌",
    "宝丰",
    "众诚",
)
FIRM_KINDS = (
    "建筑工程有限公司",
    "建筑劳务有限公司",
    "劳务分包有限公司",
    "建设工程有限公司",
    "装饰工程有限公司",
    "市政工程有限公司",
    "路桥工程有限公司",
    "房地产开发有限公司",
    "钢结构工程有限公司",
    "水利水电工程有限公司",
)
PLACES = (
    "城北",
    "城南",
    "东湖",
    "西城",
    "高新区",
    "工业园",
    "新区",
    "滨江",
    "老城区",
    "火车站片区",
    "开发区",
    "中心城区",
)
PROJECT_KINDS = (
    "安置房项目",
    "棚户区改造工程",
    "道路改造工程",
    "学校建设项目",
    "人民医院综合楼",
    "污水处理厂工程",
    "商住小区",
    "工业厂房",
    "农村公路建设",
    "保障性住房",
    "体育中心",
    "市政管网改造",
    "桥梁工程",
    "产业园标准厂房",
)
PHASES = ("", "", "一期", "二期", "三期", "A区", "B区")
ROADS = ("人民路", "解放路", "中山路", "建设路", "胜利路", "八一大道", "红旗路", "新华路", "光明路", "文化路", "滨江路")
CHANNEL_WEIGHTS = (
    ("web", 30),
    ("hotline_12333", 22),
    ("transfer_12345", 18),
    ("walk_in", 15),
    ("letter", 3),
    ("national_platform", 10),
    ("early_warning", 1),
    ("inspection", 1),
)
PROACTIVE_ORIGINS = (("inspection", 5), ("written_review", 2), ("double_random", 3), ("early_warning", 2))
OTHER_PROVINCE_COUNTIES = ("430181", "411523", "512021", "522121", "450881", "420116", "340822", "350583", "362502")
SUSPEND_REASONS = ("用人单位负责人下落不明", "等待司法鉴定结论", "当事人因不可抗力无法参加调查")
WITHDRAW_REASONS = ("经调查不存在拖欠工资情形", "已通过诉讼途径解决", "投诉人撤回投诉且无其他欠薪情形")
EVIDENCE = ("询问笔录", "工资表复印件", "考勤记录", "劳动合同", "银行流水", "现场照片", "工程结算单")


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


class _Event:
    """What cases.timeline.compute_hash reads from a TimelineEvent, without a model instance."""

    __slots__ = (
        "case_id",
        "complaint_id",
        "seq",
        "at",
        "actor_id",
        "actor_name",
        "actor_role",
        "actor_region",
        "kind",
        "data",
        "prev_hash",
    )


def working_days(until: date) -> list[date]:
    """The working days from START_DAY to the day before `until`: the project's calendar (cases.workdays:
    statutory holidays, make-up days, WorkdayOverride rows)."""
    from cases.workdays import Calendar

    calendar = Calendar()
    days, d = [], START_DAY
    while d < until:
        if calendar.is_workday(d):
            days.append(d)
        d += timedelta(days=1)
    return days


@functools.cache
def _personal_data():
    """(encrypt an ID number, encrypt a phone, blind_index) as the Party model stores them."""
    from cases.models import Party
    from cases.personal_data import blind_index, encrypt

    id_purpose, phone_purpose = (Party._meta.get_field(f).purpose for f in ("id_number", "phone"))
    return (
        functools.partial(encrypt, purpose=id_purpose),
        functools.partial(encrypt, purpose=phone_purpose),
        blind_index,
    )


def _cumulative(weights) -> list[float]:
    weights = list(weights)
    total, acc, out = float(sum(weights)), 0.0, []
    for w in weights:
        acc += w
        out.append(acc / total)
    return out


def _weighted(rng: random.Random, pairs) -> str:
    u = rng.random() * sum(w for _, w in pairs)
    for value, w in pairs:
        u -= w
        if u < 0:
            return value
    return pairs[-1][0]


def _evidence(rng: random.Random) -> dict:
    return {"sha256": f"{rng.getrandbits(256):064x}", "description": rng.choice(EVIDENCE)}
