"""Bulk benchmark data: N wage-arrears cases spread over Jiangxi, written with PostgreSQL COPY.

    createdb -h 127.0.0.1 -U postgres zhiqian_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhiqian_bench \\
        .venv/bin/python -m bench.generate --cases 1000000 --reset

What it writes (ids assigned here, identity sequences moved past them at the end):

- cases_case: ~88 % complaint cases, the rest proactive (inspection, double random, ...);
  filed on working days 2021-01 .. now, ids in filing order; 94 % at one of Jiangxi's
  100 counties with a Zipf skew (a few counties are much bigger), ~5 % at a city office,
  ~1 % at the province; statuses by age (old cases mostly closed). Case numbers
  "{region}-{year}-{n:05d}" (cases.services.case_number_format), no gap per office and year.
- cases_complaint: 1..15 per complaint case (group cases have many), plus ~8 % never filed
  (received, supplement requested, refused, transferred); receipt numbers
  "T{region}{yy}{n:06d}" (Beijing year) as cases.intake.submit issues them.
- cases_party (each complainant, some responsible persons; ID numbers with a valid GB 11643
  check digit, mobile numbers), cases_employer (reused by repeat offenders; USCC with valid
  GB 32100 / GB 11714 check characters), cases_project, cases_caseparty.
- cases_timelineevent: ~3 events per case chain plus 1-2 per complaint chain; every chain is
  valid: hashes come from cases.timeline.compute_hash itself.
- cases_officesequence: "case" and "receipt" rows = the last number issued per office and year.

Case numbers and receipt numbers take the year in Beijing time. Columns this module fills but
the database lacks (a migration not applied yet, or since removed) are left out with a note;
a required column it does not know stops it before anything is written.

--reset TRUNCATEs the tables above (CASCADE: whatever references them, e.g. guardian rows,
deadlines, documents) and is refused on a database whose name lacks "bench" unless --force.

The load runs in ONE transaction (an error leaves nothing behind) with
session_replication_role = replica, so the per-row deferred FK triggers do not run; the
foreign keys of every new row are checked afterwards in bulk (anti-joins) before COMMIT.
Then VACUUM (ANALYZE), and a sample of chains is verified with cases.timeline.
"""

from __future__ import annotations

import argparse
import bisect
import functools
import json
import operator
import os
import queue
import random
import sys
import threading
import time
from datetime import date, datetime, timedelta, timezone

from .ids import USCC_CHARS, org_code, resident_id, uscc_code

# COPY column lists, per table, in load order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "cases_party": ("id", "name", "id_number", "phone", "created_at", "id_number_index", "phone_index"),
    "cases_employer": (
        "id",
        "name",
        "name_key",
        "uscc",
        "uscc_override_reason",
        "address",
        "legal_representative",
        "created_at",
        "region_id",
    ),
    "cases_project": ("id", "name", "address", "general_contractor", "government_invested", "created_at", "region_id"),
    "cases_case": (
        "id",
        "case_no",
        "origin",
        "status",
        "filed_at",
        "closed_at",
        "workers_count",
        "amount_owed",
        "amount_paid",
        "group_incident",
        "media_reported",
        "leader_instructed",
        "government_invested",
        "employer_id",
        "project_id",
        "region_id",
        "decision",
        "order_due",
        "penalty_amount",
        "compensation_rate",
        "unpaid_after_order",
        "closure_code",
        "satisfaction",
    ),
    "cases_complaint": (
        "id",
        "receipt_no",
        "channel",
        "workers_count",
        "amount_owed",
        "period_start",
        "period_end",
        "description",
        "status",
        "received_at",
        "case_id",
        "employer_id",
        "complainant_id",
        "project_id",
        "region_id",
        "complainant_key",
        "route_basis",
        "possible_duplicate_of_id",
        "stale",
        "decision_reason",
        "decided_at",
        "entered_by_id",
        "idempotency_key",
        "request_hash",
    ),
    "cases_caseparty": ("id", "kind", "case_id", "complaint_id", "party_id"),
    "cases_timelineevent": (
        "id",
        "seq",
        "at",
        "actor_name",
        "actor_role",
        "actor_region",
        "kind",
        "data",
        "prev_hash",
        "hash",
        "actor_id",
        "case_id",
        "complaint_id",
    ),
}
TABLES = tuple(COLUMNS)
SEQUENCE_TABLE = "cases_officesequence"

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


# --- the generator ---------------------------------------------------------------------


class _Generator:
    def __init__(self, *, cases: int, seed: int, now: datetime, regions, bases: dict[str, int], sequences: dict):
        from cases.services import case_number_format, employer_name_key
        from cases.timeline import GENESIS, compute_hash

        self.total = cases
        self.rng = random.Random(seed)
        self.now = now
        self.case_number_format = case_number_format
        self.employer_name_key = employer_name_key
        self.compute_hash = compute_hash
        self.genesis = GENESIS
        self.next_id = dict(bases)  # table -> next id
        self.sequences = sequences  # (region_id, year, kind) -> last number issued
        self.days = working_days((now.astimezone(BEIJING) - timedelta(days=1)).date())
        self.day_starts = [datetime(d.year, d.month, d.day, 8, 30, tzinfo=BEIJING).astimezone(UTC) for d in self.days]
        self.span = len(self.days) * WORKDAY_SECONDS

        rng = self.rng
        self.by_id = {r.pk: r for r in regions}
        counties = [r for r in regions if r.level == "county"]
        cities = [r for r in regions if r.level == "city"]
        province = [r for r in regions if r.level == "province"]
        rng.shuffle(counties)
        county_w = {r.pk: 1.0 / (rank + 1) ** ZIPF_EXPONENT for rank, r in enumerate(counties)}
        county_total = sum(county_w.values())
        city_w = {c.pk: sum(w for pk, w in county_w.items() if self.by_id[pk].path.startswith(c.path)) for c in cities}
        city_total = sum(city_w.values()) or 1.0
        weights = [(pk, COUNTY_SHARE * w / county_total) for pk, w in county_w.items()]
        weights += [(pk, CITY_SHARE * w / city_total) for pk, w in city_w.items()]
        weights += [(r.pk, PROVINCE_SHARE) for r in province]
        self.region_ids, cum, acc = [], [], 0.0
        for pk, w in weights:
            acc += w
            self.region_ids.append(pk)
            cum.append(acc)
        self.region_cum = [c / acc for c in cum]
        self.expected_share = {pk: w / acc for pk, w in weights}
        # Where each region's employers and projects are: (id, name, uscc, government_invested) pools.
        self.employers: dict[int, list[tuple[int, str]]] = {pk: [] for pk in self.by_id}
        self.projects: dict[int, list[tuple[int, str, bool]]] = {pk: [] for pk in self.by_id}
        self.native_counties = [r.code for r in counties]
        self.channels = [c for c, _ in CHANNEL_WEIGHTS]
        self.channel_cum = _cumulative(w for _, w in CHANNEL_WEIGHTS)
        self.rows: dict[str, list[tuple]] = {t: [] for t in TABLES}
        self.done = 0

    # ids and numbers

    def _id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def _number(self, region_id: int, year: int, kind: str) -> int:
        key = (region_id, year, kind)
        n = self.sequences.get(key, 0) + 1
        self.sequences[key] = n
        return n

    # values

    def _name(self) -> str:
        rng = self.rng
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        return rng.choice(SURNAMES) + given

    def _party(self, at: datetime) -> tuple[int, str]:
        rng = self.rng
        home = rng.choice(self.native_counties) if rng.random() < 0.75 else rng.choice(OTHER_PROVINCE_COUNTIES)
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(16000))
        first17 = f"{home}{born:%Y%m%d}{rng.randrange(1000):03d}"
        phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        pk, id_number = self._id("cases_party"), resident_id(first17)
        # encrypted at rest, with blind indexes (docs/personal-data.md); the index is the complainant_key
        seal_id, seal_phone, index = _personal_data()
        id_index = index("id", id_number)
        self.rows["cases_party"].append(
            (pk, self._name(), seal_id(id_number), seal_phone(phone), at, id_index, index("phone", phone))
        )
        return pk, id_index

    def _employer(self, region, at: datetime) -> tuple[int, str]:
        rng = self.rng
        pool = self.employers[region.pk]
        if pool and rng.random() < 0.4:  # repeat offenders
            return pool[int(len(pool) * rng.random() ** 2)] if rng.random() < 0.5 else rng.choice(pool)
        city = self.by_id.get(region.parent_id) if region.level == "county" else region
        prefix = (city.name if city else region.name).removesuffix("市").removesuffix("省")
        name = f"{prefix}{rng.choice(FIRM_WORDS)}{rng.choice(FIRM_WORDS)}{rng.choice(FIRM_KINDS)}"
        if rng.random() < 0.95:
            org = "MA" + "".join(rng.choice(USCC_CHARS) for _ in range(6))
            uscc = uscc_code(f"91{region.code}{org_code(org)}")
        else:
            uscc = ""  # missing: grouped by normalised name
        pk = self._id("cases_employer")
        address = f"{region.name}{rng.choice(ROADS)}{rng.randrange(1, 999)}号"
        self.rows["cases_employer"].append(
            (pk, name, self.employer_name_key(name), uscc, "", address, self._name(), at, region.pk)
        )
        pool.append((pk, name))
        if len(pool) > 300:
            del pool[: len(pool) - 300]
        return pk, name

    def _project(self, region, at: datetime) -> tuple[int, str, bool] | None:
        rng = self.rng
        if rng.random() < 0.15:
            return None
        pool = self.projects[region.pk]
        if pool and rng.random() < 0.35:
            return rng.choice(pool)
        name = f"{region.name}{rng.choice(PLACES)}{rng.choice(PROJECT_KINDS)}{rng.choice(PHASES)}"
        gov = rng.random() < 0.25
        contractor = f"{rng.choice(FIRM_WORDS)}{rng.choice(FIRM_WORDS)}{rng.choice(FIRM_KINDS)}"
        pk = self._id("cases_project")
        address = f"{region.name}{rng.choice(PLACES)}{rng.choice(ROADS)}"
        self.rows["cases_project"].append((pk, name, address, contractor, gov, at, region.pk))
        project = (pk, name, gov)
        pool.append(project)
        if len(pool) > 300:
            del pool[: len(pool) - 300]
        return project

    def _workers(self) -> int:
        u = self.rng.random()
        if u < 0.70:
            return 1
        if u < 0.90:
            return self.rng.randint(2, 9)
        if u < 0.98:
            return self.rng.randint(10, 49)
        return self.rng.randint(50, 300)

    def _amount_cents(self, workers: int) -> int:
        per_worker = min(max(self.rng.lognormvariate(9.4, 0.7), 800.0), 150000.0)  # median ~12,000 yuan
        cents = int(per_worker * workers * 100)
        return cents - cents % 100 if self.rng.random() < 0.6 else cents  # often whole yuan

    def _region(self):
        return self.by_id[self.region_ids[bisect.bisect(self.region_cum, self.rng.random())]]

    def _county(self):
        region = self._region()
        while region.level != "county":
            region = self._region()
        return region

    def _filed_at(self, i: int) -> datetime:
        # Stratified over the working seconds since START_DAY: case ids follow filing time.
        pos = (i + self.rng.random()) / self.total * self.span
        day = int(pos // WORKDAY_SECONDS)
        return self.day_starts[day] + timedelta(seconds=pos - day * WORKDAY_SECONDS)

    def _status(self, age_days: float) -> str:
        u = self.rng.random()
        if age_days > 365:
            table = (("closed", 0.86), ("withdrawn", 0.08), ("suspended", 0.03), ("enforcing", 0.03))
        elif age_days > 90:
            table = (
                ("closed", 0.55),
                ("withdrawn", 0.07),
                ("enforcing", 0.15),
                ("deciding", 0.08),
                ("suspended", 0.05),
                ("investigating", 0.10),
            )
        elif age_days > 7:
            table = (
                ("filed", 0.05),
                ("investigating", 0.50),
                ("deciding", 0.15),
                ("enforcing", 0.10),
                ("suspended", 0.05),
                ("closed", 0.12),
                ("withdrawn", 0.03),
            )
        else:
            table = (("filed", 0.60), ("investigating", 0.40))
        for status, p in table:
            u -= p
            if u < 0:
                return status
        return table[-1][0]

    # timeline

    def _chain(self, *, case_id: int | None, complaint_id: int | None, events) -> None:
        """events: (at, actor_name, role, region_code, kind, data); appends the hashed rows."""
        rows = self.rows["cases_timelineevent"]
        ev = _Event()
        ev.case_id, ev.complaint_id, ev.actor_id = case_id, complaint_id, None
        prev = self.genesis
        for seq, (at, actor_name, role, region_code, kind, data) in enumerate(events, 1):
            ev.seq, ev.at, ev.actor_name, ev.actor_role, ev.actor_region = seq, at, actor_name, role, region_code
            ev.kind, ev.data, ev.prev_hash = kind, data, prev
            digest = self.compute_hash(ev)
            rows.append(
                (
                    self._id("cases_timelineevent"),
                    seq,
                    at,
                    actor_name,
                    role,
                    region_code,
                    kind,
                    json.dumps(data, ensure_ascii=False),
                    prev,
                    digest,
                    None,
                    case_id,
                    complaint_id,
                )
            )
            prev = digest

    def _staff(self, role: str, region) -> str:
        return f"{role}{self.rng.randint(1, 4)}@{region.code}"

    # one complaint, one case

    def _complaint(
        self,
        *,
        region,
        at: datetime,
        employer: tuple[int, str],
        project,
        case_id,
        status: str,
        workers: int,
        cents: int,
        case_no: str = "",
        filed_at: datetime | None = None,
    ) -> tuple[int, str, int]:
        """One complaint and its own chain: received, then accepted (-> case_no) or another decision."""
        rng = self.rng
        year = at.astimezone(BEIJING).year
        receipt_no = f"T{region.code}{year % 100:02d}{self._number(region.pk, year, 'receipt'):06d}"
        channel = self.channels[bisect.bisect(self.channel_cum, rng.random())]
        party, complainant_key = self._party(at)
        local_day = at.astimezone(BEIJING).date()
        stale = rng.random() < 0.01  # wages owed for more than two years: flagged
        period_end = local_day - timedelta(days=rng.randrange(740, 1100) if stale else rng.randrange(0, 120))
        period_start = period_end - timedelta(days=rng.randrange(30, 400))
        where = project[1] if project else region.name
        description = (
            f"{workers}名工人在{where}务工，{employer[1]}拖欠{period_start:%Y年%m月}至{period_end:%Y年%m月}"
            f"工资共计{money(cents)}元，多次讨要未果。"
        )
        u = rng.random()
        route_basis = "project_address" if project and u < 0.5 else "employer_address" if u > 0.9 else "region_code"
        by_staff = channel in ("hotline_12333", "walk_in", "letter", "transfer_12345")
        actor = self._staff("clerk", region) if by_staff else "system"
        events = [
            (
                at,
                actor,
                "",
                "",
                "complaint.received",
                {"receipt_no": receipt_no, "channel": channel, "region": region.code},
            )
        ]
        clerk = self._staff("clerk", region)
        handling, reason, decided_at = region, "", None
        if case_id is not None:
            decided_at = filed_at
            events.append((filed_at, clerk, "clerk", region.code, "complaint.accepted", {"case_no": case_no}))
        elif status != "received":
            decided_at = at + timedelta(days=rng.uniform(0.5, 5))
            if status == "refused":
                reason = "不属于劳动保障监察管辖范围" if rng.random() < 0.5 else "已由人民法院受理"
                kind, data = "complaint.refused", {"reason": reason}
            elif status == "supplement_requested":
                reason = "请补充欠薪期间和用工项目名称"
                kind, data = "complaint.supplement_requested", {"reason": reason}
            else:  # transferred to the competent county: it now holds the complaint
                handling, reason = self._county(), "用工所在地不在本辖区"
                kind, data = "complaint.transferred", {"from": region.code, "to": handling.code, "reason": reason}
            decided_at = min(decided_at, self.now - timedelta(minutes=5))
            events.append((decided_at, clerk, "clerk", region.code, kind, data))
        pk = self._id("cases_complaint")
        self.rows["cases_complaint"].append(
            (
                pk,
                receipt_no,
                channel,
                workers,
                money(cents),
                period_start,
                period_end,
                description,
                status,
                at,
                case_id,
                employer[0],
                party,
                project[0] if project else None,
                handling.pk,
                complainant_key,
                route_basis,
                None,
                stale,
                reason,
                decided_at,
                None,
                None,
                "",
            )
        )
        self._chain(case_id=None, complaint_id=pk, events=events)
        return pk, receipt_no, party

    def case(self, i: int) -> None:
        rng = self.rng
        region = self._region()
        filed_at = self._filed_at(i)
        year = filed_at.astimezone(BEIJING).year
        age = (self.now - filed_at).total_seconds() / 86400
        status = self._status(age)
        case_id = self._id("cases_case")
        case_no = self.case_number_format(region, year, self._number(region.pk, year, "case"))
        employer = self._employer(region, filed_at)
        project = self._project(region, filed_at)
        complaint_status = {"filed": "accepted", "closed": "closed", "withdrawn": "closed"}.get(status, "investigating")

        if rng.random() < 0.88:
            origin = "complaint"
            u = rng.random()
            n = 1 if u < 0.82 else 2 if u < 0.94 else rng.randint(3, 5) if u < 0.98 else rng.randint(6, 15)
        else:
            origin = _weighted(rng, PROACTIVE_ORIGINS)
            n = 0
        workers = cents = 0
        receipts, complaints = [], []
        for _ in range(n):
            w = self._workers()
            c = self._amount_cents(w)
            received = filed_at - timedelta(seconds=rng.uniform(1800, 6 * 86400))
            complaints.append(
                self._complaint(
                    region=region,
                    at=received,
                    employer=employer,
                    project=project,
                    case_id=case_id,
                    status=complaint_status,
                    workers=w,
                    cents=c,
                    case_no=case_no,
                    filed_at=filed_at,
                )
            )
            receipts.append(complaints[-1][1])
            workers, cents = workers + w, cents + c
        if origin != "complaint":
            workers = self._workers()
            cents = self._amount_cents(workers)

        caseparty = self.rows["cases_caseparty"]
        for complaint_id, _, party in complaints:
            caseparty.append((self._id("cases_caseparty"), "complainant", case_id, complaint_id, party))
        if rng.random() < 0.25 or origin != "complaint":
            caseparty.append((self._id("cases_caseparty"), "responsible", case_id, None, self._party(filed_at)[0]))

        # The case's chain: filed, then what its status implies, inside [filed_at, now).
        leader, code = self._staff("leader", region), region.code
        inspectors = [f"inspector{k}@{code}" for k in sorted(rng.sample(range(1, 7), 2))]
        filer = (self._staff("clerk", region), "clerk") if origin == "complaint" else (leader, "leader")
        steps: list[tuple[str, str, str, dict]] = [
            ("investigation.assigned", leader, "leader", {"inspectors": inspectors})
        ]
        first, second = inspectors
        served = ("document.served", second, "inspector", {"document": "order_to_pay", "method": "direct"})
        paid = 0
        if status == "investigating" and rng.random() < 0.5:
            steps.append(("evidence.added", inspectors[0], "inspector", _evidence(rng)))
        elif status == "suspended":
            steps.append(("investigation.suspended", first, "inspector", {"reason": rng.choice(SUSPEND_REASONS)}))
        elif status == "deciding":
            steps.append(("evidence.added", inspectors[0], "inspector", _evidence(rng)))
            steps.append(("investigation.ended", inspectors[0], "inspector", {"finding": "violation"}))
        elif status == "enforcing":
            steps.append(served)
            if rng.random() < 0.4:
                paid = int(cents * rng.uniform(0.3, 0.9))
                steps.append(("payment.recorded", inspectors[1], "inspector", {"amount": money(paid)}))
        elif status == "closed":
            paid = cents if rng.random() < 0.92 else int(cents * rng.uniform(0.5, 0.99))
            if paid < cents or rng.random() < 0.4:  # not paid in full without an order: never
                steps.append(served)
            closing = {"closure": "paid" if paid == cents else "partly_paid", "amount_paid": money(paid)}
            steps.append(("case.closed", leader, "leader", closing))
        elif status == "withdrawn":
            steps.append(("case.withdrawn", leader, "leader", {"reason": rng.choice(WITHDRAW_REASONS)}))
        if status == "filed":
            steps = []
        if status in ("closed", "withdrawn"):
            duration = min(age * 0.95, max(2.0, rng.lognormvariate(3.8, 0.6)))  # median ~45 days
        else:
            duration = age * rng.uniform(0.2, 0.95)
        offsets = sorted(rng.random() for _ in steps)
        events = [
            (
                filed_at,
                filer[0],
                filer[1],
                code,
                "case.filed",
                {"case_no": case_no, "complaints": receipts, "origin": origin},
            )
        ]
        for (kind, actor, role, data), f in zip(steps, offsets):
            events.append((filed_at + timedelta(days=duration * (0.05 + 0.95 * f)), actor, role, code, kind, data))
        closed_at = events[-1][0] if status in ("closed", "withdrawn") else None
        self._chain(case_id=case_id, complaint_id=None, events=events)

        # The decision and the closure (SPEC §4.2 steps 4-5).
        served_at = next((e[0] for e in events if e[4] == "document.served"), None)
        decision = "withdraw" if status == "withdrawn" else ""
        order_due = penalty = rate = None
        unpaid_after_order = False
        if served_at is not None:
            decision = "order_to_pay" if rng.random() < 0.9 else "order_to_correct"
            order_due = (served_at + timedelta(days=15)).astimezone(BEIJING).date()
            unpaid_after_order = status == "enforcing" and order_due < self.now.date() and paid < cents
            if unpaid_after_order and rng.random() < 0.5:
                rate = rng.choice((50, 60, 80, 100))
        closure = satisfaction = ""
        if status == "closed":
            closure = "paid_in_full" if paid == cents else rng.choice(("court_enforcement", "penalty_executed"))
            if closure == "penalty_executed":
                decision, penalty = "penalty", money(rng.choice((2000, 5000, 10000, 20000, 50000)) * 100)
            if origin == "complaint":
                u = rng.random()
                satisfaction = (
                    "satisfied"
                    if u < 0.7
                    else "basically"
                    if u < 0.9
                    else "dissatisfied"
                    if u < 0.95
                    else "unreachable"
                )
        elif status == "withdrawn":
            closure = "withdrawn"

        gov = bool(project and project[2])
        self.rows["cases_case"].append(
            (
                case_id,
                case_no,
                origin,
                status,
                filed_at,
                closed_at,
                workers,
                money(cents),
                money(paid),
                workers >= 30 and rng.random() < 0.5,
                rng.random() < 0.01,
                rng.random() < 0.02,
                gov,
                employer[0],
                project[0] if project else None,
                region.pk,
                decision,
                order_due,
                penalty,
                rate,
                unpaid_after_order,
                closure,
                satisfaction,
            )
        )

        # ~8 % of complaints are never filed (yet): received, supplement requested, refused, transferred.
        if rng.random() < 0.08:
            other = self._region() if rng.random() < 0.5 else region
            at = filed_at - timedelta(seconds=rng.uniform(0, 3 * 86400))
            if (self.now - at).days < 10:
                st = "received" if rng.random() < 0.7 else "supplement_requested"
            else:
                st = "refused" if rng.random() < 0.6 else "transferred"
            w = self._workers()
            self._complaint(
                region=other,
                at=at,
                employer=self._employer(other, at),
                project=self._project(other, at),
                case_id=None,
                status=st,
                workers=w,
                cents=self._amount_cents(w),
            )
        self.done += 1

    def take_rows(self) -> dict[str, list[tuple]]:
        rows, self.rows = self.rows, {t: [] for t in TABLES}
        return rows


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


# --- database --------------------------------------------------------------------------


def ensure_ready(progress=print) -> None:
    """PostgreSQL, migrated, Jiangxi's regions loaded (migrate / load_regions when not)."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if connection.vendor != "postgresql":
        raise BenchError(
            f"bench.generate needs PostgreSQL (COPY); the configured database is {connection.vendor}. "
            "Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhiqian_bench (createdb it first)."
        )
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        progress("database not fully migrated: running migrate")
        call_command("migrate", interactive=False, verbosity=1)
    from cases.models import Region

    if not Region.objects.filter(code__startswith="36", level="county").exists():
        progress("no Jiangxi regions: running load_regions --province 360000")
        call_command("load_regions", province="360000")


def _copy_plan(cursor, progress) -> dict[str, tuple[tuple[str, ...], object]]:
    """table -> (columns to COPY, row projection or None): columns this module knows but the
    database lacks (a migration not applied, or since removed) are left out, with a note."""
    cursor.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = ANY(%s)",
        [list(TABLES)],
    )
    present = set(cursor.fetchall())
    plan = {}
    for table, columns in COLUMNS.items():
        keep = [i for i, c in enumerate(columns) if (table, c) in present]
        if len(keep) == len(columns):
            plan[table] = (columns, None)
        else:
            progress(
                f"note: {table} has no column {', '.join(c for c in columns if (table, c) not in present)}; left out"
            )
            plan[table] = (tuple(columns[i] for i in keep), operator.itemgetter(*keep))
    return plan


def _check_columns(cursor) -> None:
    """Fail clearly if the schema gained a NOT NULL column without a default that COPY would miss."""
    cursor.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = ANY(%s) AND is_nullable = 'NO' "
        "AND column_default IS NULL AND is_identity = 'NO'",
        [list(TABLES)],
    )
    missing = sorted(f"{t}.{c}" for t, c in cursor.fetchall() if c not in COLUMNS[t])
    if missing:
        raise BenchError(f"the schema has required columns bench/generate.py does not fill: {', '.join(missing)}")


def _reset(cursor, progress) -> None:
    cursor.execute(
        "SELECT DISTINCT c.conrelid::regclass::text FROM pg_constraint c "
        "WHERE c.contype = 'f' AND c.confrelid::regclass::text = ANY(%s) AND NOT c.conrelid::regclass::text = ANY(%s)",
        [list(TABLES), list(TABLES)],
    )
    also = sorted(r[0] for r in cursor.fetchall())
    if also:
        progress(f"--reset: TRUNCATE ... CASCADE also empties {', '.join(also)}")
    # the timeline's anchors go with the events; migration 0013 refuses TRUNCATE unless a superuser says so
    anchors = ("cases_timelinehead", "cases_timelinecheckpointentry", "cases_timelinecheckpoint")
    tables = ", ".join(TABLES + (SEQUENCE_TABLE,) + anchors)
    cursor.execute("SET LOCAL zhiqian.timeline_truncate = 'allow'")
    cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    cursor.execute("SET LOCAL zhiqian.timeline_truncate = ''")


def _check_foreign_keys(cursor, bases: dict[str, int], *, tables=TABLES, key: dict | None = None) -> list[str]:
    """Orphans among the new rows (id >= base; `key` names another id column per table), for every
    single-column FK of the loaded tables."""
    key = key or {}
    cursor.execute(
        "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, fa.attname "
        "FROM pg_constraint c "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1] "
        "WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND c.conrelid::regclass::text = ANY(%s)",
        [list(tables)],
    )
    problems = []
    for table, column, ref_table, ref_column in cursor.fetchall():
        cursor.execute(
            f'SELECT count(*) FROM {table} t WHERE t."{key.get(table, "id")}" >= %s AND t."{column}" IS NOT NULL '
            f"AND NOT EXISTS "
            f'(SELECT 1 FROM {ref_table} r WHERE r."{ref_column}" = t."{column}")',
            [bases[table]],
        )
        orphans = cursor.fetchone()[0]
        if orphans:
            problems.append(f"{table}.{column}: {orphans} rows point to no {ref_table}")
    return problems


def _copy(pg_cursor, table: str, rows: list[tuple], plan) -> None:
    if not rows:
        return
    columns, project = plan[table]
    with pg_cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        write = copy.write_row
        if project is None:
            for row in rows:
                write(row)
        else:
            for row in rows:
                write(project(row))


class _CopyWorker(threading.Thread):
    """COPYs one chunk while the main thread generates the next: PostgreSQL (inserting rows,
    maintaining indexes) and Python (building rows, hashing) then run on both cores."""

    def __init__(self, pg_connection, plan):
        super().__init__(name="bench-copy", daemon=True)
        self.pg_connection = pg_connection
        self.plan = plan
        self.jobs: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None

    def run(self) -> None:
        cursor = self.pg_connection.cursor()
        while (job := self.jobs.get()) is not None:
            if self.error is None:
                try:
                    for table, rows in job.items():
                        _copy(cursor, table, rows, self.plan)
                except BaseException as exc:  # re-raised in the main thread
                    self.error = exc

    def put(self, job: dict) -> None:
        if self.error is not None:
            raise self.error
        self.jobs.put(job)

    def finish(self) -> None:
        self.jobs.put(None)
        self.join()
        if self.error is not None:
            raise self.error


def generate(
    cases: int, *, seed: int = 1, progress=print, reset: bool = False, chunk: int = 10_000, verify_sample: int = 200
) -> dict:
    """Write `cases` cases (and their complaints, parties, employers, projects, timelines)."""
    from django.db import connection, transaction
    from django.utils import timezone as dj_timezone

    from cases.models import Case, Region

    ensure_ready(progress)
    started = time.monotonic()
    now = dj_timezone.now()
    regions = list(Region.objects.filter(code__startswith="36"))
    totals = {t: 0 for t in TABLES}

    with transaction.atomic():
        with connection.cursor() as cursor:
            pg = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
            _check_columns(cursor)
            plan = _copy_plan(cursor, progress)
            if reset:
                _reset(cursor, progress)
            cursor.execute(f"LOCK TABLE {', '.join(TABLES + (SEQUENCE_TABLE,))} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute("SELECT current_setting('is_superuser')")
            if cursor.fetchone()[0] == "on":
                # No per-row FK triggers during the load; checked in bulk below, before COMMIT.
                cursor.execute("SET LOCAL session_replication_role = replica")
                fk_mode = "bulk check"
            else:
                fk_mode = "deferred triggers (not a superuser)"
            cursor.execute("SET LOCAL synchronous_commit = off")
            bases = {}
            for table in TABLES:
                cursor.execute(f"SELECT COALESCE(max(id), 0) + 1 FROM {table}")
                bases[table] = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT region_id, year, kind, last FROM {SEQUENCE_TABLE} WHERE kind IN ('case', 'receipt')"
            )
            sequences = {(r, y, k): last for r, y, k, last in cursor.fetchall()}

            gen = _Generator(cases=cases, seed=seed, now=now, regions=regions, bases=bases, sequences=sequences)
            progress(f"generating {cases:,} cases (seed {seed}, {len(regions)} regions, FKs: {fk_mode})")
            last_report = 0.0
            worker = _CopyWorker(pg.connection, plan)
            worker.start()
            try:
                for start in range(0, cases, chunk):
                    for i in range(start, min(start + chunk, cases)):
                        gen.case(i)
                    job = gen.take_rows()
                    for table, rows in job.items():
                        totals[table] += len(rows)
                    worker.put(job)
                    elapsed = time.monotonic() - started
                    if elapsed - last_report >= 2 or gen.done == cases:
                        last_report = elapsed
                        rows_done = sum(totals.values())
                        estimate = rows_done * cases // max(gen.done, 1)
                        progress(
                            f"  cases {gen.done:>10,}/{cases:,} ({100 * gen.done / cases:5.1f} %)  "
                            f"rows {rows_done:>11,}/~{estimate:,}  {rows_done / elapsed:>9,.0f} rows/s  "
                            f"{elapsed:6.1f} s"
                        )
            finally:
                worker.finish()  # waits for the last COPY; re-raises its error, if any

            progress("office sequences, identity sequences, foreign-key check ...")
            seq_rows = [(r, y, k, last) for (r, y, k), last in gen.sequences.items()]
            cursor.executemany(
                f"INSERT INTO {SEQUENCE_TABLE} (region_id, year, kind, last) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (region_id, year, kind) DO UPDATE SET last = GREATEST(EXCLUDED.last, "
                f"{SEQUENCE_TABLE}.last)",
                seq_rows,
            )
            for table in TABLES + (SEQUENCE_TABLE,):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST((SELECT max(id) FROM {table}), 1))",
                    [table],
                )
            problems = _check_foreign_keys(cursor, bases)
            if problems:
                raise BenchError("foreign keys broken, nothing committed: " + "; ".join(problems))
            from cases.timeline.anchor import HEADS_BACKFILL

            progress("timeline heads of the new chains (cases.timeline.anchor) ...")
            cursor.execute(HEADS_BACKFILL)
    load_seconds = time.monotonic() - started
    progress(f"committed in {load_seconds:.1f} s; VACUUM (ANALYZE) ...")
    with connection.cursor() as cursor:
        for table in TABLES + (SEQUENCE_TABLE,):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    total_seconds = time.monotonic() - started

    # A sample of chains, verified by the project's own verifier.
    from cases import timeline

    rng = random.Random(seed + 1)
    first, last = bases["cases_case"], bases["cases_case"] + cases - 1
    ids = sorted({rng.randint(first, last) for _ in range(verify_sample)} | {first, last})
    broken = [c.case_no for c in Case.objects.filter(pk__in=ids).only("pk", "case_no") if not timeline.chain_ok(c)]
    if broken:
        raise BenchError(f"timeline chains do not verify: {', '.join(broken[:10])}")
    progress(f"verified {len(ids)} sample cases with cases.timeline.chain_ok: all chains valid")
    progress(f"done: {sum(totals.values()):,} rows in {total_seconds:.1f} s (load {load_seconds:.1f} s)")
    for table, n in totals.items():
        progress(f"  {table:<22} {n:>11,}")
    return {
        "rows": totals,
        "load_seconds": load_seconds,
        "total_seconds": total_seconds,
        "sequences": len(seq_rows),
        "verified_cases": len(ids),
        "region_share": gen.expected_share,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=None, help="number of cases (default 100000, or 0 with --tasks)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reset", action="store_true", help="TRUNCATE the generated tables first")
    parser.add_argument("--force", action="store_true", help="allow --reset on a database whose name lacks 'bench'")
    parser.add_argument("--chunk", type=int, default=10_000, help="cases per COPY batch")
    parser.add_argument(
        "--tasks",
        action="store_true",
        help="add the workflow data (processes, ~5 tasks per case, deadlines, per-case exceptions, "
        "staff) for the cases in the database: bench/generate_tasks.py",
    )
    parser.add_argument("--reset-tasks", action="store_true", help="with --tasks: TRUNCATE the workflow tables first")
    parser.add_argument(
        "--open-deadlines",
        type=int,
        default=1_000_000,
        help="with --tasks: pad the open deadlines up to this many (default 1000000)",
    )
    parser.add_argument(
        "--due-share",
        type=float,
        default=0.01,
        help="with --tasks: share of running deadlines due and not yet swept (default 0.01)",
    )
    args = parser.parse_args(argv)
    if args.cases is None:
        args.cases = 0 if args.tasks else 100_000

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    try:
        if (args.reset or args.reset_tasks) and "bench" not in connection.settings_dict["NAME"] and not args.force:
            raise BenchError(
                f"--reset empties the case tables of database {connection.settings_dict['NAME']!r}; "
                "use a database named *bench* or add --force"
            )
        progress = functools.partial(print, flush=True)
        if args.cases:
            generate(args.cases, seed=args.seed, reset=args.reset, chunk=args.chunk, progress=progress)
        if args.tasks:
            from .generate_tasks import generate_tasks

            generate_tasks(
                seed=args.seed,
                progress=progress,
                reset=args.reset_tasks,
                open_deadlines=args.open_deadlines,
                due_share=args.due_share,
            )
    except BenchError as exc:
        print(f"bench.generate: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
