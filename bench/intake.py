"""Intake throughput (P1) and per-action cost of claim / complete (P2), in-process, on PostgreSQL.

    cd /work/main
    .venv/bin/python -m bench.intake --db postgres://postgres@127.0.0.1:5432/zhiqian_bench_intake \\
        --clients 2 --complaints 3000

What it does (DEBUG off, Celery eager: DJANGO_DEBUG=0 and CELERY_BROKER_URL unset are forced):

1. Creates the database if missing (psycopg, via the `postgres` database), runs `migrate` and
   `load_regions --province 360000`.
2. For each P1 run it generates --complaints realistic, varied bodies (seeded): complainants with
   valid ID numbers and mobiles, employers with or without a valid USCC, projects, Jiangxi counties
   named by `region_code`, by a project address ("萍乡市安源区建设路12号"), by the employer address
   only, or only a city (the city's intake pool). Some complaints repeat an earlier complainant at the
   same employer (the duplicate flag), some go to an employer + project that already has an open case
   (grouping: "hot" sites, whose case is filed before the clock starts). Each run has its own names, so
   every run has the same mix. A clerk is created (cases.services.staff_create) for every region the
   complaints route to.
3. P1: forks the client processes (multiprocessing, fork; connections.close_all() first, each child
   opens its own connection before a barrier), each looping over its share:
   `complaint_validate(body)` then `intake_submit(actor=None, clean=..., channel="web",
   idempotency_key=<unique>)`. Wall time = last end - first start. Runs with 1 client and with
   --clients, each with the console SMS backend (the default; its output goes to
   bench/results/sms-console-<date>.log, flushed per message as ConsoleSMSBackend does) and with
   bench.sms.NoopSMSBackend (ZHIQIAN_SMS_BACKEND). Eager Celery sends the SMS inside the call,
   after commit: both are in the figures.
4. P2: --pairs claim + complete pairs in this process (half accept, half refuse; ungrouped acceptance
   tasks left by P1), per SMS backend. As the REST API does: a fresh user object, the task loaded with
   workflows.selectors.task_for_user (outside the measured call), then the measured
   `task_assign` / `task_complete`. Statements of every action are counted with an execute wrapper;
   the first --list-actions actions of each kind are also run under CaptureQueriesContext, whose
   statements are listed in the JSON (and the counts checked to be the same).
5. Statement listing of one submission of each kind (new employer, known employer, duplicate,
   grouped) under CaptureQueriesContext, and optionally (--profile N) a cProfile of N submissions.
6. Optionally (--vanilla, default on) the plain-viewflow baseline: /work/shared/bench-vanilla copied
   to /tmp/bench-vanilla, run on PostgreSQL (database zhiqian_bench_vanilla): `flow --workers 2`,
   `flow --workers 1`, `flow --workers 2 --starts-only` and a per-step statement count.
7. Prints a table (goal beside each figure) and writes bench/results/intake-<date>-postgres.json.

The machine is shared: before each measured phase it waits (--quiet PCT SECONDS) for others' work to
settle, records how busy the machine was, and the CPU seconds of the client processes and of their
PostgreSQL backends (/proc), so a run disturbed by others can be told apart; --repeat N runs each P1
configuration N times (interleaved) and the table shows the fastest. ANALYZE runs before each P1 run
and before P2 (the bench inserts thousands of rows in minutes; autovacuum would not have caught up).
--profile N adds a cProfile and a per-component Python CPU breakdown of N submissions.

Transactions: psycopg sends BEGIN before a transaction's first statement and Django COMMIT at the
end of the outermost atomic block; CaptureQueriesContext sees neither. They are counted separately
(commits), and SAVEPOINT / RELEASE SAVEPOINT statements (which it does see) are reported apart.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import multiprocessing
import os
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
CONSOLE_SMS = "cases.notifications.ConsoleSMSBackend"
NOOP_SMS = "bench.sms.NoopSMSBackend"
VANILLA_SRC = Path("/work/shared/bench-vanilla")
VANILLA_DIR = Path("/tmp/bench-vanilla")
VANILLA_DB = "zhiqian_bench_vanilla"
GOALS = {"p1_per_s": 300, "statements": 8, "p95_ms": 10}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def summary_ms(seconds) -> dict:
    if not seconds:
        return {}
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 3),
        "p95_ms": round(pct(ms, 95), 3),
        "p99_ms": round(pct(ms, 99), 3),
        "mean_ms": round(statistics.fmean(ms), 3),
        "max_ms": round(max(ms), 3),
    }


# ---------------------------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------------------------


def db_create(url: str, *, fresh: bool = False) -> bool:
    """Create the database of `url` if missing (connecting to `postgres`). True if created."""
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = False
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            return True
    return False


class TxCounter:
    """Counts statements (an execute wrapper: sees what CaptureQueriesContext sees) and commits /
    rollbacks of this connection (which it does not see)."""

    def __init__(self, connection):
        self.connection = connection
        self.statements = 0
        self.savepoints = 0
        self.begins = 0
        self.commits = 0
        self.rollbacks = 0
        self.log: list | None = None  # [(sql, seconds)] while listing

    def __call__(self, execute, sql, params, many, context):
        self.statements += 1
        if sql.lstrip()[:9].upper() in ("SAVEPOINT", "RELEASE S", "ROLLBACK "):
            self.savepoints += 1
        if self.log is None:
            return execute(sql, params, many, context)
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.log.append((sql, time.perf_counter() - t))

    @contextlib.contextmanager
    def listing(self):
        """Record each statement with its own wall time (perf_counter, not CaptureQueriesContext's 1 ms)."""
        self.log = []
        try:
            yield self.log
        finally:
            self.log = None

    def _timed(self, name, fn, *args):
        if self.log is None:
            return fn(*args)
        t = time.perf_counter()
        try:
            return fn(*args)
        finally:
            self.log.append((name, time.perf_counter() - t))

    @contextlib.contextmanager
    def installed(self):
        conn = self.connection
        orig_commit, orig_rollback, orig_autocommit = conn._commit, conn._rollback, conn._set_autocommit

        def commit():
            if conn.connection is not None:
                self.commits += 1
            return self._timed("COMMIT", orig_commit)

        def rollback():
            if conn.connection is not None:
                self.rollbacks += 1
            return self._timed("ROLLBACK", orig_rollback)

        def set_autocommit(autocommit):
            if not autocommit:
                # Django logs "BEGIN" here; psycopg sends BEGIN (its own round trip) just before the
                # transaction's first statement, whose time below includes it.
                self.begins += 1
                return self._timed("BEGIN", orig_autocommit, autocommit)
            return orig_autocommit(autocommit)

        conn._commit, conn._rollback, conn._set_autocommit = commit, rollback, set_autocommit
        try:
            with conn.execute_wrapper(self):
                yield self
        finally:
            del conn._commit, conn._rollback, conn._set_autocommit  # back to the class's methods

    def snapshot(self) -> tuple[int, int, int, int, int]:
        """(statements incl. savepoints, savepoint statements, BEGIN, COMMIT, ROLLBACK)"""
        return self.statements, self.savepoints, self.begins, self.commits, self.rollbacks


def breakdown(before, after) -> dict:
    """What CaptureQueriesContext would list between two snapshots: every statement, with the
    transaction-control ones (BEGIN, COMMIT, ROLLBACK) and SAVEPOINT / RELEASE counted apart."""
    d = [a - b for a, b in zip(after, before)]
    tx = d[2] + d[3] + d[4]
    return {"total": d[0] + tx, "begin_commit": tx, "savepoint": d[1], "other": d[0] - d[1]}


def classify(sql: str) -> str:
    s = sql.lstrip().upper()
    if s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
        return "savepoint"
    if s in ("BEGIN", "COMMIT", "ROLLBACK"):
        return "transaction"
    if s.startswith("SELECT") and "FOR UPDATE" in s:
        return "select_for_update"
    return s.split(None, 1)[0].lower() if s else "?"


def short_sql(sql: str, limit: int = 240) -> str:
    sql = re.sub(r"\s+", " ", sql)
    return sql if len(sql) <= limit else sql[: limit - 1] + "…"


@contextlib.contextmanager
def capture():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as cq:
        yield cq


def statements_of(cq, log=None) -> list[dict]:
    """CaptureQueriesContext's statements; with `log` (TxCounter.listing) each one's precise time."""
    captured = cq.captured_queries
    if log is not None and len(log) == len(captured):
        return [
            {"kind": classify(q["sql"]), "ms": round(dt * 1000, 3), "sql": short_sql(q["sql"], 600)}
            for q, (_sql, dt) in zip(captured, log)
        ]
    return [
        {"kind": classify(q["sql"]), "ms": round(float(q["time"]) * 1000, 3), "sql": short_sql(q["sql"], 600)}
        for q in captured
    ]


# ---------------------------------------------------------------------------------------------
# SMS backend switch
# ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def sms_backend(kind: str, console_log: Path):
    """Point ZHIQIAN_SMS_BACKEND at the console or the no-op backend; the console's stdout goes to a file."""
    from django.conf import settings

    path = CONSOLE_SMS if kind == "console" else NOOP_SMS
    old_setting, old_env, old_stdout = settings.ZHIQIAN_SMS_BACKEND, os.environ.get("ZHIQIAN_SMS_BACKEND"), sys.stdout
    settings.ZHIQIAN_SMS_BACKEND = path
    os.environ["ZHIQIAN_SMS_BACKEND"] = path
    sink = open(console_log, "a", encoding="utf-8") if kind == "console" else None
    if sink is not None:
        sys.stdout = sink
    try:
        yield path
    finally:
        sys.stdout = old_stdout
        if sink is not None:
            sink.close()
        settings.ZHIQIAN_SMS_BACKEND = old_setting
        if old_env is None:
            os.environ.pop("ZHIQIAN_SMS_BACKEND", None)
        else:
            os.environ["ZHIQIAN_SMS_BACKEND"] = old_env


# ---------------------------------------------------------------------------------------------
# Realistic bodies
# ---------------------------------------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强文斌海燕红梅小龙春生金凤玉兰德胜国"
    "庆永红宏伟水根火旺细妹冬生"
)
FIRM_A = "恒达鸿运宏图鑫源华信金鼎锦程瑞丰隆盛永安盛世兴业广厦天成宏达中鼎博远嘉禾润泽聚贤福海安居顺发"
FIRM_B = "建筑建设建工路桥市政园林装饰劳务钢构水电"
FIRM_KIND = ["工程有限公司", "集团有限公司", "有限责任公司", "工程有限责任公司", "建设有限公司"]
PROJECT_A = "锦绣阳光翠湖滨江幸福和谐紫荆凤凰金色碧桂书香江南东方新城"
PROJECT_KIND = [
    "安置房项目",
    "棚户区改造项目",
    "商住楼工程",
    "学校建设项目",
    "道路改造工程",
    "标准厂房项目",
    "人民医院住院楼工程",
    "污水管网工程",
    "保障性住房项目",
    "产业园一期工程",
]
ROADS = [
    "建设路",
    "人民路",
    "解放路",
    "胜利路",
    "中山路",
    "跃进路",
    "滨江大道",
    "迎宾大道",
    "学府路",
    "工业大道",
    "公园路",
    "环城路",
    "昌盛路",
    "八一大道",
]
PLACES = ["城南片区", "高新区某地块", "工业园", "经济开发区", "老城区改造片区"]
DESCRIPTIONS = [
    "{project}自{start}起拖欠{workers}名农民工工资共计{amount}元，多次讨要未果。",
    "工程完工后总包单位以未收到工程款为由拖欠工资，涉及{workers}人，金额{amount}元。",
    "劳务班组长失联，{workers}名工人{start}以来的工资{amount}元无人支付。",
    "项目停工，施工单位拖欠{workers}名工人工资{amount}元，承诺多次未兑现。",
]

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # the org-code part uses the same 31 characters here


def _org_code(rnd: random.Random) -> str:
    """GB 11714 organisation code: 8 characters + check character."""
    body = "".join(rnd.choice(_ORG_ALPHABET) for _ in range(8))
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c, 36) * w for c, w in zip(body, weights))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def make_uscc(rnd: random.Random, area: str) -> str:
    from stdnum.cn import uscc

    head = "91" + area + _org_code(rnd)
    head = head.replace("X", "Y")  # X is not a USCC character
    return head + uscc.calc_check_digit(head)


def make_id_number(rnd: random.Random, area: str) -> str:
    from stdnum.cn import ric

    born = date(1962, 1, 1) + timedelta(days=rnd.randrange(40 * 365))
    head = f"{area}{born:%Y%m%d}{rnd.randrange(1000):03d}"
    return head + ric.calc_check_digit(head + "0")


def make_phone(rnd: random.Random) -> str:
    return f"1{rnd.choice('3456789')}{rnd.randrange(10**9):09d}"


@dataclass
class Site:
    """One employer + project, and where its complaints are routed from."""

    employer: dict
    project: dict | None
    region_code: str  # body's region_code ("" when routed by address)
    route_kind: str
    people: list = field(default_factory=list)  # complainants seen here (for repeats)
    hot: bool = False  # has an open case (filed before the clock starts): complaints are grouped


def _regions():
    from cases.models import Region

    rows = list(Region.objects.filter(code__startswith="36").order_by("code"))
    by_id = {r.pk: r for r in rows}
    counties = [r for r in rows if r.level == "county"]
    cities = [r for r in rows if r.level == "city"]
    city_of = {}
    for c in counties:
        parent = by_id.get(c.parent_id)
        city_of[c.code] = parent if parent is not None and parent.level == "city" else None
    return counties, cities, city_of


class World:
    """Bodies for one run: `n` complaints over sites in Jiangxi, seeded, names unique to the run."""

    ROUTE_MIX = [("code", 0.45), ("project_address", 0.30), ("employer_address", 0.15), ("city_pool", 0.10)]

    def __init__(self, *, n: int, run_tag: str, seed: int | str, hot_share: float = 0.2, repeat_share: float = 0.12):
        self.rnd = rnd = random.Random(seed)
        self.run_tag = run_tag
        counties, cities, city_of = _regions()
        if not counties:
            raise SystemExit("no Jiangxi counties loaded (load_regions --province 360000)")
        rnd.shuffle(counties)
        self.counties = counties
        self.county_weights = [1 / (i + 1) ** 0.8 for i in range(len(counties))]  # a few big counties
        self.city_of = city_of
        self.cities = cities
        self.used_names: set[str] = set()
        n_sites = max(10, n // 3)
        self.sites = [self._site() for _ in range(n_sites)]
        n_hot = max(3, int(n * 0.02))
        for site in self.sites[:n_hot]:
            site.hot = True
        self.hot = self.sites[:n_hot]
        self.cold = self.sites[n_hot:]
        self.hot_share, self.repeat_share = hot_share, repeat_share
        self.bodies: list[tuple[str, dict]] = []
        for i in range(n):
            self.bodies.append((f"bench:{run_tag}:{i}", self._body()))

    # --- names -------------------------------------------------------------------------------
    def _unique(self, make) -> str:
        for _ in range(1000):
            name = make()
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        raise RuntimeError("name space exhausted")

    def _county(self):
        return self.rnd.choices(self.counties, weights=self.county_weights)[0]

    def _address(self, county, *, province: bool = False) -> str:
        city = self.city_of.get(county.code)
        prefix = ("江西省" if province else "") + (city.name if city else "")
        return f"{prefix}{county.name}{self.rnd.choice(ROADS)}{self.rnd.randrange(1, 300)}号"

    def _site(self) -> Site:
        rnd = self.rnd
        county = self._county()
        city = self.city_of.get(county.code)
        home = self._county() if rnd.random() < 0.3 else county  # employer registered elsewhere sometimes
        home_city = self.city_of.get(home.code)
        place = home_city.name[:-1] if home_city else home.name[:-1]  # 萍乡 (市), 安源 (区)
        firm = self._unique(
            lambda: f"{place}{rnd.choice(FIRM_A)}{rnd.choice(FIRM_A)}{rnd.choice(FIRM_B)}{rnd.choice(FIRM_KIND)}"
        )
        firm = f"{firm}（{self.run_tag}）"  # unique to the run: every run has the same mix of new / known
        employer = {"name": firm, "address": self._address(home, province=rnd.random() < 0.5)}
        if rnd.random() < 0.75:
            employer["uscc"] = make_uscc(rnd, home.code)
        kind = rnd.choices([k for k, _ in self.ROUTE_MIX], weights=[w for _, w in self.ROUTE_MIX])[0]
        pname = self._unique(
            lambda: f"{(city.name[:-1] if city else county.name[:-1])}"
            f"{rnd.choice(PROJECT_A)}{rnd.choice(PROJECT_A)}{rnd.choice(PROJECT_KIND)}"
            f"{rnd.randrange(1, 9)}期"
        )
        pname = f"{pname}（{self.run_tag}）"
        project: dict | None = {"name": pname, "address": self._address(county)}
        region_code = ""
        if kind == "code":
            region_code = county.code
        elif kind == "employer_address":
            employer["address"] = self._address(county, province=True)
            project = None if rnd.random() < 0.4 else {"name": pname, "address": ""}
        elif kind == "city_pool":
            if city is None:  # a county directly under the province: use its code
                kind, region_code = "code", county.code
            else:
                region_code = city.code
                project = {"name": pname, "address": f"{city.name}{rnd.choice(PLACES)}"}
                employer["address"] = f"{city.name}{rnd.choice(ROADS)}{rnd.randrange(1, 300)}号"
        return Site(employer=employer, project=project, region_code=region_code, route_kind=kind)

    def person(self) -> dict:
        rnd = self.rnd
        given = rnd.choice(GIVEN) + (rnd.choice(GIVEN) if rnd.random() < 0.7 else "")
        return {
            "name": rnd.choice(SURNAMES) + given,
            "id_number": make_id_number(rnd, self._county().code),
            "phone": make_phone(rnd),
        }

    def body_for(self, site: Site, person: dict) -> dict:
        rnd = self.rnd
        today = date.today()
        stale = rnd.random() < 0.02
        end = today - timedelta(days=rnd.randrange(800, 1200) if stale else rnd.randrange(1, 300))
        start = end - timedelta(days=rnd.randrange(30, 400))
        workers = rnd.choice([1, 1, 1, 2, 3, 5, 8, 12, 20, 35, 60])
        amount = Decimal(workers * rnd.randrange(2500, 15000)) + Decimal(rnd.randrange(100)) / 100
        body = {
            "channel": "web",
            "complainant": dict(person),
            "employer": dict(site.employer),
            "region_code": site.region_code,
            "workers_count": workers,
            "amount_owed": f"{amount:.2f}",
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "description": rnd.choice(DESCRIPTIONS).format(
                project=site.project["name"] if site.project else "该项目",
                start=f"{start:%Y年%m月}",
                workers=workers,
                amount=f"{amount:.2f}",
            ),
        }
        if site.project is not None:
            body["project"] = dict(site.project)
        return body

    def _body(self) -> dict:
        rnd = self.rnd
        site = rnd.choice(self.hot) if rnd.random() < self.hot_share else rnd.choice(self.cold)
        if site.people and rnd.random() < self.repeat_share * 2:  # ~repeat_share of all bodies
            person = rnd.choice(site.people)  # the same person again at the same employer: duplicate flag
        else:
            person = self.person()
            site.people.append(person)
        return self.body_for(site, person)


# ---------------------------------------------------------------------------------------------
# Setup: migrate, regions, clerks, seed cases
# ---------------------------------------------------------------------------------------------


def setup_database() -> dict:
    from django.core.management import call_command

    out = io.StringIO()
    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_regions", province="360000", stdout=out)
    from cases.models import Region

    log(
        f"migrate + load_regions: {time.perf_counter() - t:.1f}s ({out.getvalue().strip().splitlines()[-1].strip()}); "
        f"{Region.objects.filter(code__startswith='36').count()} Jiangxi regions"
    )
    from django.core.exceptions import ValidationError

    from cases import intake

    try:  # loads the in-process region index once: inherited by the forked clients
        intake.complaint_validate({"region_code": "360302"})
    except ValidationError:
        pass
    return {"regions": Region.objects.filter(code__startswith="36").count()}


def clerks_for(region_ids) -> dict[int, int]:
    """region id -> user id of a clerk there (created with staff_create if missing)."""
    from cases.models import Region, StaffRole
    from cases.services import staff_create

    have = dict(StaffRole.objects.filter(role="clerk", region_id__in=region_ids).values_list("region_id", "user_id"))
    created = 0
    for region in Region.objects.filter(pk__in=set(region_ids) - set(have)):
        user = staff_create(username=f"bench_clerk_{region.code}", region=region, role="clerk")
        have[region.pk] = user.pk
        created += 1
    if created:
        log(f"created {created} clerks")
    return have


def analyze() -> float:
    """ANALYZE the database: planner statistics as autovacuum keeps them in steady state (the bench
    inserts thousands of rows within minutes; stale statistics turn some look-ups into scans)."""
    from django.db import connection

    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return round(time.perf_counter() - t, 2)


def fresh_user(user_id):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user_id)


def claim_and_complete(complaint, clerk_id, data):
    """As the REST API does (fresh user, task_for_user), untimed: used for seeding."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from workflows import selectors, services

    task_id = (
        Task.objects.filter(process__caseprocess__complaint=complaint, flow_task_type="HUMAN", status=STATUS.NEW)
        .values_list("pk", flat=True)
        .get()
    )
    user = fresh_user(clerk_id)
    services.task_assign(task=selectors.task_for_user(user, task_id), actor=user)
    user = fresh_user(clerk_id)
    return services.task_complete(task=selectors.task_for_user(user, task_id), actor=user, data=data)


def prepare_run(world: World) -> dict:
    """Clerks for every routed region; a filed (open) case at every hot site."""
    from cases import intake
    from workflows import services

    regions = {}
    for site in world.sites:
        clean = intake.complaint_validate(world.body_for(site, world.person()))
        region, basis = intake.complaint_route(clean)
        regions[region.pk] = region
    clerks = clerks_for(list(regions))
    t = time.perf_counter()
    for k, site in enumerate(world.hot):
        clean = intake.complaint_validate(world.body_for(site, world.person()))
        complaint, _ = services.intake_submit(
            actor=None, clean=clean, channel="web", idempotency_key=f"bench:{world.run_tag}:seed:{k}"
        )
        claim_and_complete(complaint, clerks[complaint.region_id], {"decision": "accept"})
    log(
        f"run {world.run_tag}: {len(world.sites)} sites, {len(regions)} regions, "
        f"{len(world.hot)} open cases filed at hot sites ({time.perf_counter() - t:.1f}s)"
    )
    return clerks


# ---------------------------------------------------------------------------------------------
# P1: submissions from forked client processes
# ---------------------------------------------------------------------------------------------


def _proc_cpu(pid) -> float:
    """CPU seconds (user + system) of a process on this machine, from /proc (0 if unreadable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _system_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def background_busy(seconds: float = 2.0) -> float:
    """% of the machine's CPU busy over `seconds` (others' work: tests, other benchmarks)."""
    a = _system_cpu()
    time.sleep(seconds)
    b = _system_cpu()
    return round(100 * (b[0] - a[0]) / max(1, b[1] - a[1]), 1)


def wait_quiet(threshold: float, max_wait: float, what: str) -> float:
    """Wait (up to max_wait s) until the machine is at most `threshold` % busy; return the last sample."""
    deadline = time.monotonic() + max_wait
    while True:
        busy = background_busy()
        if busy <= threshold or time.monotonic() >= deadline:
            if busy > threshold:
                log(f"  machine still {busy}% busy before {what} (others' work); measuring anyway")
            return busy
        log(f"  machine {busy}% busy before {what}; waiting for ≤{threshold}%")
        time.sleep(3)


def _client(idx, bodies, progress, barrier, results):
    from django.db import connection

    from cases.intake import complaint_validate
    from workflows.services import intake_submit

    connection.ensure_connection()  # this process's own connection (the parent closed its own)
    with connection.cursor() as cursor:  # not counted: before the clock
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    counter = TxCounter(connection)
    lat, errors, created = [], [], 0
    barrier.wait()
    cpu0, pg0 = _proc_cpu(os.getpid()), _proc_cpu(backend)
    t_start = time.perf_counter()
    with counter.installed():
        for i, (key, body) in enumerate(bodies):
            t = time.perf_counter()
            try:
                clean = complaint_validate(body)
                _, was_created = intake_submit(actor=None, clean=clean, channel="web", idempotency_key=key)
                created += was_created
            except Exception as exc:  # noqa: BLE001 - counted and reported
                errors.append(f"{type(exc).__name__}: {exc}"[:300])
            lat.append(time.perf_counter() - t)
            if i % 5 == 4:
                with progress.get_lock():
                    progress.value += 5
    t_end = time.perf_counter()
    cpu1, pg1 = _proc_cpu(os.getpid()), _proc_cpu(backend)
    with progress.get_lock():
        progress.value += len(bodies) % 5
    results.put(
        {
            "idx": idx,
            "t_start": t_start,
            "t_end": t_end,
            "lat": lat,
            "errors": errors,
            "created": created,
            "counts": breakdown((0, 0, 0, 0, 0), counter.snapshot()),
            "rollbacks": counter.rollbacks,
            "client_cpu_s": cpu1 - cpu0,
            "backend_cpu_s": pg1 - pg0,
        }
    )
    connection.close()


def p1_run(world: World, clients: int, label: str, quiet: tuple[float, float] = (15, 0)) -> dict:
    from django.db import connections

    busy_before = wait_quiet(*quiet, what=f"P1 {label}")
    bodies = world.bodies
    total = len(bodies)
    connections.close_all()  # each child opens its own connection
    ctx = multiprocessing.get_context("fork")
    progress = ctx.Value("i", 0)
    barrier = ctx.Barrier(clients + 1)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_client, args=(i, bodies[i::clients], progress, barrier, results), daemon=True)
        for i in range(clients)
    ]
    for p in procs:
        p.start()
    barrier.wait()
    t0 = time.perf_counter()
    sys0 = _system_cpu()
    last = 0.0
    while progress.value < total and any(p.is_alive() for p in procs):
        time.sleep(0.25)
        if time.perf_counter() - last >= 3:
            last = time.perf_counter()
            done = progress.value
            log(f"  P1 {label}: {done}/{total}  ({done / (last - t0):.0f}/s)")
    out = [results.get(timeout=1800) for _ in procs]
    sys1 = _system_cpu()
    for p in procs:
        p.join()
    wall = max(r["t_end"] for r in out) - min(r["t_start"] for r in out)
    lat = [x for r in out for x in r["lat"]]
    n = len(lat)
    errors = [e for r in out for e in r["errors"]]
    res = {
        "label": label,
        "clients": clients,
        "complaints": total,
        "wall_s": round(wall, 3),
        "per_s": round(total / wall, 1),
        "created": sum(r["created"] for r in out),
        "errors": len(errors),
        "first_errors": errors[:5],
        "latency": summary_ms(lat),
        "statements_per_submission": {
            k: round(sum(r["counts"][k] for r in out) / n, 2) for k in ("total", "other", "savepoint", "begin_commit")
        },
        "rollbacks": sum(r["rollbacks"] for r in out),
        "cpu_ms_per_submission": {
            "client_python": round(1000 * sum(r["client_cpu_s"] for r in out) / n, 2),
            "postgres_backend": round(1000 * sum(r["backend_cpu_s"] for r in out) / n, 2),
        },
        "machine_cpu_busy_pct": round(100 * (sys1[0] - sys0[0]) / max(1, sys1[1] - sys0[1]), 1),
        "machine_busy_before_pct": busy_before,
        "others_cpu_pct_during": round(
            100 * (sys1[0] - sys0[0]) / max(1, sys1[1] - sys0[1])
            - 100 * sum(r["client_cpu_s"] + r["backend_cpu_s"] for r in out) / (wall * (os.cpu_count() or 1)),
            1,
        ),
        "loadavg_after": os.getloadavg(),
        "per_client_per_s": [round(len(r["lat"]) / (r["t_end"] - r["t_start"]), 1) for r in out],
    }
    res["outcomes"] = outcomes(world.run_tag)
    log(
        f"  P1 {label}: {res['per_s']}/s, wall {res['wall_s']}s, median {res['latency']['median_ms']} ms, "
        f"p95 {res['latency']['p95_ms']} ms, {res['statements_per_submission']} statements/submission, "
        f"{res['errors']} errors; CPU ms/submission {res['cpu_ms_per_submission']}, machine busy "
        f"{res['machine_cpu_busy_pct']}%"
    )
    return res


def outcomes(run_tag: str) -> dict:
    from django.db.models import Count, Q

    from cases.models import Complaint

    qs = Complaint.objects.filter(idempotency_key__startswith=f"bench:{run_tag}:").exclude(
        idempotency_key__contains=":seed:"
    )
    agg = qs.aggregate(
        n=Count("id"),
        grouped=Count("id", filter=Q(case__isnull=False)),
        duplicate=Count("id", filter=Q(possible_duplicate_of__isnull=False)),
        stale=Count("id", filter=Q(stale=True)),
        regions=Count("region", distinct=True),
        employers=Count("employer", distinct=True),
        complainants=Count("complainant", distinct=True),
    )
    agg["route_basis"] = dict(qs.values_list("route_basis").annotate(c=Count("id")).order_by("-c"))
    return agg


# ---------------------------------------------------------------------------------------------
# P2: claim and complete
# ---------------------------------------------------------------------------------------------


def p2_candidates(run_tags, clerks: dict[int, int], count: int, exclude: set[int]) -> list[tuple[int, int]]:
    """(task id, clerk id): NEW acceptance tasks of ungrouped P1 complaints."""
    from django.db.models import Q
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from workflows.flows import IntakeFlow

    keys = Q()
    for tag in run_tags:
        keys |= Q(process__caseprocess__complaint__idempotency_key__startswith=f"bench:{tag}:")
    rows = (
        Task.objects.filter(
            keys,
            flow_task=IntakeFlow.acceptance,
            status=STATUS.NEW,
            process__caseprocess__complaint__case__isnull=True,
            process__caseprocess__region_id__in=list(clerks),
        )
        .exclude(pk__in=exclude)
        .order_by("id")
        .values_list("pk", "process__caseprocess__region_id")[: count * 3]
    )
    rows = list(rows)
    random.Random(7).shuffle(rows)
    return [(task_id, clerks[region_id]) for task_id, region_id in rows[:count]]


def p2_run(candidates, *, list_actions: int, label: str, quiet: tuple[float, float] = (15, 0)) -> dict:
    from django.db import connection

    from workflows import selectors, services

    busy_before = wait_quiet(*quiet, what=f"P2 {label}")
    sys0 = _system_cpu()
    counter = TxCounter(connection)
    kinds = {"claim": [], "complete_accept": [], "complete_refuse": []}
    counts = {k: [] for k in kinds}
    listed: dict[str, list] = {k: [] for k in kinds}
    next_steps = {}
    t_loop = time.perf_counter()
    last = t_loop
    with counter.installed():
        for i, (task_id, clerk_id) in enumerate(candidates):
            decision = "accept" if i % 2 == 0 else "refuse"
            data = (
                {"decision": "accept"}
                if decision == "accept"
                else {"decision": "refuse", "reason": "不属于劳动保障监察管辖范围"}
            )
            for kind in ("claim", f"complete_{decision}"):
                user = fresh_user(clerk_id)  # a request's user: no cached grants
                task = selectors.task_for_user(user, task_id)  # as the API loads it (not measured)
                listing = len(listed[kind]) < list_actions
                before = counter.snapshot()
                cm = capture() if listing else contextlib.nullcontext()
                lm = counter.listing() if listing else contextlib.nullcontext()
                with cm as cq, lm as log_:
                    t = time.perf_counter()
                    if kind == "claim":
                        services.task_assign(task=task, actor=user)
                    else:
                        nxt = services.task_complete(task=task, actor=user, data=data)
                    dt = time.perf_counter() - t
                after = counter.snapshot()
                kinds[kind].append(dt)
                counts[kind].append(breakdown(before, after))
                if kind != "claim":
                    next_steps[kind] = [str(t.flow_task.name) for t in nxt]
                if listing:
                    captured = statements_of(cq, log_)
                    assert len(captured) == counts[kind][-1]["total"], (len(captured), counts[kind][-1])
                    listed[kind].append(captured)
            if time.perf_counter() - last >= 3:
                last = time.perf_counter()
                log(f"  P2 {label}: {i + 1}/{len(candidates)} pairs")
    sys1 = _system_cpu()
    res = {
        "label": label,
        "pairs": len(candidates),
        "machine_busy_before_pct": busy_before,
        "machine_cpu_busy_pct": round(100 * (sys1[0] - sys0[0]) / max(1, sys1[1] - sys0[1]), 1),
        "actions": {},
    }
    for kind, lat in kinds.items():
        if not lat:
            continue
        res["actions"][kind] = {
            "latency": summary_ms(lat),
            "statements": {
                k: statistics.median(c[k] for c in counts[kind])
                for k in ("total", "other", "savepoint", "begin_commit")
            },
            "statements_total_min_max": [min(c["total"] for c in counts[kind]), max(c["total"] for c in counts[kind])],
            "next_steps": next_steps.get(kind),
            "listing": listed[kind][0] if listed[kind] else [],
            "listing_counts": [len(x) for x in listed[kind]],
        }
        a = res["actions"][kind]
        log(
            f"  P2 {label} {kind}: statements {a['statements']}, "
            f"median {a['latency']['median_ms']} ms, p95 {a['latency']['p95_ms']} ms"
        )
    return res


# ---------------------------------------------------------------------------------------------
# Statement listing of one submission of each kind, cProfile
# ---------------------------------------------------------------------------------------------


def submission_listing(world: World) -> dict:
    """One submission of each kind under CaptureQueriesContext (noop SMS; console adds nothing in SQL)."""
    from django.db import connection

    from cases import intake
    from workflows import services

    counter = TxCounter(connection)
    cold = [s for s in world.cold if s.people]
    site_known = cold[0]
    samples = {
        "new employer, new project, new person": (world._site(), world.person()),
        "known employer + project, new person": (site_known, world.person()),
        "duplicate (same person, same employer)": (site_known, site_known.people[0]),
        "grouped onto an open case": (world.hot[0], world.person()),
    }
    out = {}
    for k, (label, (site, person)) in enumerate(samples.items()):
        body = world.body_for(site, person)
        with counter.installed(), capture() as cq, counter.listing() as log_:
            before = counter.snapshot()
            clean = intake.complaint_validate(body)
            complaint, _ = services.intake_submit(
                actor=None, clean=clean, channel="web", idempotency_key=f"bench:{world.run_tag}:list:{k}"
            )
            after = counter.snapshot()
        complaint.refresh_from_db()
        counts = breakdown(before, after)
        assert counts["total"] == len(cq.captured_queries), (counts, len(cq.captured_queries))
        out[label] = {
            "statements": counts,
            "grouped": complaint.case_id is not None,
            "duplicate": complaint.possible_duplicate_of_id is not None,
            "route_basis": complaint.route_basis,
            "listing": statements_of(cq, log_),
        }
    return out


def cpu_breakdown(world: World) -> dict:
    """Python CPU (time.process_time: waits for PostgreSQL excluded) per submission, by component.

    The components are wrapped in place for this pass only (cheap: two clock reads per call); each is
    inclusive of what it calls; "rest" = the submission's CPU minus the components (the idempotency
    look-up, duplicate and open-case look-ups, the complaint INSERT, savepoints, fingerprint...).
    """
    import cases.intake as intake_pkg
    from cases import acceptance, timeline
    from cases import tasks as case_tasks
    from workflows import services
    from workflows.flows import IntakeFlow

    submit_mod = sys.modules.get("cases.intake.submit", intake_pkg)  # cases/intake.py or cases/intake/submit.py
    totals: dict[str, float] = {}
    patched: list[tuple[object, str, object]] = []
    depth = [0]
    top_level = [0.0]  # CPU inside wrapped components that are not nested in another one

    def wrap(owner, name, label):
        original = getattr(owner, name, None)
        if original is None:
            return

        def timed(*args, **kwargs):
            depth[0] += 1
            t = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                dt = time.process_time() - t
                depth[0] -= 1
                totals[label] = totals.get(label, 0.0) + dt
                if depth[0] == 0:
                    top_level[0] += dt

        patched.append((owner, name, original))
        setattr(owner, name, timed)

    wrap(submit_mod, "complaint_route", "complaint_route (region index)")
    wrap(submit_mod, "office_number_next", "office_number_next (receipt no.)")
    for name in ("_employer_get_or_create", "employer_get_or_create"):
        wrap(submit_mod, name, "employer find/create")
    wrap(submit_mod, "_party_get_or_create", "party find/create")
    for name in ("_project_get_or_create", "project_get_or_create"):
        wrap(submit_mod, name, "project find/create")
    wrap(submit_mod, "_case_link", "grouping onto the open case (_case_link)")
    wrap(submit_mod, "complainant_notify", "complainant_notify (outbox INSERT)")
    wrap(timeline, "record", "timeline.record")
    wrap(acceptance, "acceptance_start", "acceptance_start (deadline)")
    wrap(IntakeFlow.start, "run", "IntakeFlow.start.run (viewflow)")
    wrap(case_tasks.notification_send, "delay", "eager SMS task after commit (Celery apply)")
    validate, submit = [], []
    try:
        for key, body in world.bodies:
            t = time.process_time()
            clean = intake_pkg.complaint_validate(body)
            t1 = time.process_time()
            services.intake_submit(actor=None, clean=clean, channel="web", idempotency_key=key)
            t2 = time.process_time()
            validate.append(t1 - t)
            submit.append(t2 - t1)
    finally:
        for owner, name, original in reversed(patched):
            setattr(owner, name, original)
    n = len(submit)
    out = {"n": n, "complaint_validate": round(1000 * sum(validate) / n, 3)}
    out["intake_submit"] = round(1000 * sum(submit) / n, 3)
    components = {k: round(1000 * v / n, 3) for k, v in sorted(totals.items(), key=lambda kv: -kv[1])}
    out["components_ms"] = components
    out["rest_ms"] = round(1000 * (sum(submit) - top_level[0]) / n, 3)
    out["note"] = "inclusive; timeline.record also runs inside _case_link for grouped complaints"
    return out


def profile_submissions(world: World, n: int) -> str:
    from cases import intake
    from workflows import services

    prof = cProfile.Profile()
    bodies = world.bodies[:n]
    prof.enable()
    for key, body in bodies:
        clean = intake.complaint_validate(body)
        services.intake_submit(actor=None, clean=clean, channel="web", idempotency_key=key)
    prof.disable()
    s = io.StringIO()
    pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(45)
    s.write("\n--- by own time ---\n")
    pstats.Stats(prof, stream=s).sort_stats("tottime").print_stats(30)
    return s.getvalue()


# ---------------------------------------------------------------------------------------------
# Vanilla baseline
# ---------------------------------------------------------------------------------------------

VANILLA_STEPS = r"""
import json, statistics, sys, time
import bench  # django.setup()
from django.db import connection
from django.test.utils import CaptureQueriesContext
from cases.flows import CaseFlow
from cases.models import Team
from django.contrib.auth.models import User
teams = list(Team.objects.order_by("pk"))
members = {}
for u in User.objects.filter(username__startswith="user").prefetch_related("groups"):
    members.setdefault(u.groups.all()[0].name, []).append(u.pk)
reviewer = User.objects.get(username="user0").pk
out = {"start": [], "claim": [], "triage": [], "review": []}
lat = {k: [] for k in out}
for i in range(int(sys.argv[1])):
    team = teams[i % len(teams)]
    with CaptureQueriesContext(connection) as q:
        t = time.perf_counter()
        p = CaseFlow.start.run(title=f"steps {i}", team=team, amount=100, reviewer_id=reviewer)
        lat["start"].append(time.perf_counter() - t)
    out["start"].append(len(q))
    pk = bench._next_task_pk(p.pk, CaseFlow.triage)
    w = members[team.name][0]
    with CaptureQueriesContext(connection) as q:
        t = time.perf_counter(); bench.claim_task(pk, p.pk, w); lat["claim"].append(time.perf_counter() - t)
    out["claim"].append(len(q))
    with CaptureQueriesContext(connection) as q:
        t = time.perf_counter(); bench.execute_task(pk, p.pk, w, priority=1, approved=True)
        lat["triage"].append(time.perf_counter() - t)
    out["triage"].append(len(q))
    rpk = bench._next_task_pk(p.pk, CaseFlow.review)
    with CaptureQueriesContext(connection) as q:
        t = time.perf_counter(); bench.execute_task(rpk, p.pk, reviewer, amount=120)
        lat["review"].append(time.perf_counter() - t)
    out["review"].append(len(q))
print(json.dumps({k: {"statements_median": statistics.median(v),
                      "median_ms": round(1000 * statistics.median(lat[k]), 3)} for k, v in out.items()}))
"""


def vanilla_run(python: str, runs: int) -> dict:
    """The shared baseline, copied to /tmp (the original is read-only), on PostgreSQL."""
    if not VANILLA_SRC.exists():
        return {"skipped": f"{VANILLA_SRC} not found"}
    if VANILLA_DIR.exists():
        shutil.rmtree(VANILLA_DIR)
    shutil.copytree(VANILLA_SRC, VANILLA_DIR, ignore=shutil.ignore_patterns("__pycache__"))
    (VANILLA_DIR / "steps_sql.py").write_text(VANILLA_STEPS, encoding="utf-8")
    db_create(f"postgres://postgres@127.0.0.1:5432/{VANILLA_DB}")
    env = {
        **os.environ,
        "BENCH_DB": "postgres",
        "BENCH_PG_HOST": "127.0.0.1",
        "BENCH_PG_PORT": "5432",
        "BENCH_PG_USER": "postgres",
        "BENCH_PG_NAME": VANILLA_DB,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)

    def run(*argv, timeout=900):
        log(f"  vanilla: python {' '.join(argv)}")
        t = time.perf_counter()
        proc = subprocess.run(
            [python, *argv], cwd=VANILLA_DIR, env=env, capture_output=True, text=True, timeout=timeout
        )
        if proc.returncode != 0:
            raise RuntimeError(f"vanilla {argv} failed: {proc.stderr[-2000:]}")
        log(f"  vanilla: done in {time.perf_counter() - t:.0f}s")
        return json.loads(proc.stdout)

    out = {"dir": str(VANILLA_DIR), "db": VANILLA_DB}
    run("bench.py", "setup")
    out["flow_w2"] = run("bench.py", "flow", "--workers", "2", "--runs", str(runs))
    out["flow_w1"] = run("bench.py", "flow", "--workers", "1", "--runs", str(runs))
    out["starts_w2"] = run("bench.py", "flow", "--workers", "2", "--starts-only", "--n", "3000", "--runs", str(runs))
    out["starts_w1"] = run("bench.py", "flow", "--workers", "1", "--starts-only", "--n", "3000", "--runs", str(runs))
    out["steps"] = run("steps_sql.py", "100")
    return out


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def _mark(ok: bool) -> str:
    return "OK " if ok else "MISS"


def report(result: dict) -> str:
    lines = []
    w = lines.append
    w("")
    w(f"zhiqian intake benchmark — {result['date']} — {result['db']['server']} — code {result.get('code', '?')}")
    w(
        f"{result['machine']['cpus']} CPUs, PostgreSQL on the same machine; DEBUG={result['settings']['DEBUG']}, "
        f"Celery eager={result['settings']['CELERY_TASK_ALWAYS_EAGER']}; {result['args']['complaints']} complaints per "
        f"P1 run; P2 {result['args']['pairs']} claim+complete pairs per SMS backend (half accept, half refuse)"
    )
    w("statements = everything CaptureQueriesContext lists: other SQL + SAVEPOINT/RELEASE + BEGIN/COMMIT")
    w("")
    sms_step = "the SMS queued on the broker" if result["settings"].get("celery_broker") else "the eager SMS"
    w(f"P1 — complaints accepted per second (complaint_validate + intake_submit, incl. {sms_step} after commit)")
    w(
        f"{'run':<26}{'per s':>7}{'goal':>6}{'':>5}{'median':>8}{'p95':>8}{'stmts':>7}{'(sql':>6}{'savept':>7}"
        f"{'tx)':>5}{'err':>5}{'vanilla':>9}{'ratio':>7}"
    )
    w(f"{'':<26}{'':>7}{'':>6}{'':>5}{'ms':>8}{'ms':>8}{'':>7}{'':>6}{'':>7}{'':>5}{'':>5}{'starts/s':>9}")
    for r in best_p1(result):
        v = result.get("vanilla_ratios", {}).get(f"starts_w{r['clients']}")
        vs = f"{v['vanilla']:>9.1f}{r['per_s'] / v['vanilla']:>7.2f}" if v else ""
        c = r["statements_per_submission"]
        w(
            f"{r['label']:<26}{r['per_s']:>7.1f}{'≥300':>6}{_mark(r['per_s'] >= 300):>5}"
            f"{r['latency']['median_ms']:>8.1f}{r['latency']['p95_ms']:>8.1f}"
            f"{c['total']:>7.1f}{c['other']:>6.1f}{c['savepoint']:>7.1f}{c['begin_commit']:>5.1f}{r['errors']:>5}{vs}"
        )
    for r in best_p1(result):
        runs = [x["per_s"] for x in result["p1"] if (x["clients"], x["sms"]) == (r["clients"], r["sms"])]
        if len(runs) > 1:
            w(f"  {r['label']:<24} all runs: {', '.join(f'{x:.1f}' for x in runs)} /s (best shown)")
    for r in best_p1(result):
        cpu = r.get("cpu_ms_per_submission")
        if cpu:
            both = cpu["client_python"] + cpu["postgres_backend"]
            w(
                f"  {r['label']:<24} CPU per submission: Python client {cpu['client_python']:.2f} ms + PostgreSQL "
                f"backend {cpu['postgres_backend']:.2f} ms = {both:.2f} ms → at most "
                f"{2000 / both if both else 0:.0f}/s on 2 fully busy cores; machine busy {r['machine_cpu_busy_pct']}% "
                f"(others' share during the run ≈{r.get('others_cpu_pct_during')}%)"
            )
    o = result["p1"][0]["outcomes"]
    w(
        f"  mix (per run, e.g. the first): {o['n']} complaints, {o['grouped']} grouped onto open cases, "
        f"{o['duplicate']} flagged duplicate, {o['stale']} stale, {o['regions']} regions, {o['employers']} employers; "
        f"route basis {o['route_basis']}"
    )
    w("")
    w("P2 — per human action, in-process service call (task loaded as the API does, untimed)")
    w(
        f"{'action':<32}{'stmts':>6}{'goal':>5}{'':>5}{'(sql':>5}{'savept':>7}{'tx)':>4}{'median':>8}{'p95':>7}"
        f"{'goal':>5}{'':>5}{'vanilla':>9}{'ratio':>7}"
    )
    w(f"{'':<32}{'':>6}{'':>5}{'':>5}{'':>5}{'':>7}{'':>4}{'ms':>8}{'ms':>7}{'':>5}{'':>5}{'median ms':>9}")
    vsteps = result.get("vanilla", {}).get("steps", {})
    vmap = {"claim": "claim", "complete_accept": "triage", "complete_refuse": "triage"}
    for r in result["p2"]:
        w(
            f"  ({r['label']}: machine busy {r.get('machine_cpu_busy_pct')}% during, others "
            f"{r.get('machine_busy_before_pct')}% before)"
        )
        for kind, a in r["actions"].items():
            vm = vsteps.get(vmap[kind], {}).get("median_ms")
            vs = f"{vm:>9.2f}{a['latency']['median_ms'] / vm:>7.2f}" if vm else ""
            c = a["statements"]
            w(
                f"{(r['label'] + ' ' + kind):<32}{c['total']:>6}{'≤8':>5}{_mark(c['total'] <= 8):>5}"
                f"{c['other']:>5}{c['savepoint']:>7}{c['begin_commit']:>4}"
                f"{a['latency']['median_ms']:>8.2f}{a['latency']['p95_ms']:>7.2f}{'≤10':>5}"
                f"{_mark(a['latency']['p95_ms'] <= 10):>5}{vs}"
            )
    if vsteps:
        w(
            "  vanilla statements per step (CaptureQueriesContext, incl. its user/task loads): "
            + ", ".join(f"{k} {v['statements_median']}" for k, v in vsteps.items())
        )
    if result.get("vanilla_ratios"):
        w("")
        w("Vanilla viewflow baseline (same machine, PostgreSQL; best of its runs, as for zhiqian):")
        for k, v in result["vanilla_ratios"].items():
            ratio = f"; zhiqian {v['zhiqian']} ; ratio {v['ratio']}" if v.get("ratio") else ""
            w(f"  {k:<10} {v['what']}: vanilla {v['vanilla']}{ratio}")
    w("")
    cb = result.get("cpu_breakdown")
    if cb:
        w(
            f"Python CPU per submission, one process ({cb['n']} submissions, noop SMS): complaint_validate "
            f"{cb['complaint_validate']} ms, intake_submit {cb['intake_submit']} ms, of which (inclusive):"
        )
        for k, v in cb["components_ms"].items():
            w(f"    {k:<44} {v:>7.3f} ms")
        w(f"    {'rest (look-ups, INSERT complaint, savepoints…)':<44} {cb['rest_ms']:>7.3f} ms")
        w("")
    w("Statements of one submission (CaptureQueriesContext):")
    for label, s in result["submission_listing"].items():
        c = s["statements"]
        w(
            f"  {label:<42} {c['total']:>3} = {c['other']} SQL + {c['savepoint']} SAVEPOINT/RELEASE "
            f"+ {c['begin_commit']} BEGIN/COMMIT"
        )
    return "\n".join(lines)


def best_p1(result: dict) -> list[dict]:
    """The fastest run of each (clients, SMS backend): the one least disturbed by others' work."""
    best: dict[tuple, dict] = {}
    for r in result["p1"]:
        key = (r["clients"], r["sms"])
        if key not in best or r["per_s"] > best[key]["per_s"]:
            best[key] = r
    return list(best.values())


def vanilla_ratios(result: dict) -> dict:
    v = result.get("vanilla") or {}
    if "flow_w2" not in v:
        return {}
    out = {}
    p1 = {r["clients"]: r for r in best_p1(result) if r["sms"] in ("noop", "queued")}
    for clients in (1, 2):
        key = f"starts_w{clients}"
        if key in v and clients in p1:
            van = max(r["processes_per_s"] for r in v[key]["runs"])  # best run, as for zhiqian
            ours = p1[clients]["per_s"]
            out[key] = {
                "what": f"flow starts/s vs complaints/s (noop SMS), {clients} client(s)",
                "vanilla": van,
                "zhiqian": ours,
                "ratio": round(ours / van, 2),
            }
        key = f"flow_w{clients}"
        if key in v:
            runs = v[key]["runs"]
            out[key] = {
                "what": f"full vanilla cases/s, {clients} client(s) (start+claim+2 executes), "
                f"{statistics.median(r['queries_per_process'] for r in runs)} statements/case",
                "vanilla": max(r["processes_per_s"] for r in v[key]["runs"]),
                "zhiqian": None,
                "ratio": None,
            }
    return out


# ---------------------------------------------------------------------------------------------


def code_label(*, with_root: bool = True) -> str:
    """The commit measured, with the number of modified files (and the checkout, `with_root`)."""
    where = f" ({ROOT})" if with_root else ""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        return f"{head}{f' + {len(dirty)} modified files' if dirty else ''}{where}"
    except (OSError, subprocess.CalledProcessError):
        return f"no git{where}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.intake", description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/zhiqian_bench_intake")
    parser.add_argument("--clients", type=int, default=2, help="P1 runs with 1 and with this many clients")
    parser.add_argument("--complaints", type=int, default=3000, help="per P1 run")
    parser.add_argument("--pairs", type=int, default=200, help="P2 claim+complete pairs per SMS backend")
    parser.add_argument("--sms", choices=["both", "console", "noop"], default="both")
    parser.add_argument("--repeat", type=int, default=1, help="P1 runs per configuration (the table shows the best)")
    parser.add_argument("--list-actions", type=int, default=3, help="P2 actions listed per kind")
    parser.add_argument("--profile", type=int, default=0, help="cProfile this many submissions")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    parser.add_argument("--vanilla", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--vanilla-runs", type=int, default=3)
    parser.add_argument(
        "--quiet",
        type=float,
        nargs=2,
        default=[20, 180],
        metavar=("PCT", "SECONDS"),
        help="before each measured phase wait up to SECONDS for the machine to be at most PCT %% busy",
    )
    parser.add_argument("--code-label", default="", help="what code is measured (default: git HEAD + dirty files)")
    parser.add_argument(
        "--broker",
        default="",
        help="a Celery broker (e.g. redis://127.0.0.1:6379/14), as in production: the SMS of each complaint is "
        "queued there after commit, not sent during the run (SMS label 'queued'); the queue is purged at the end",
    )
    args = parser.parse_args(argv)

    os.environ["DATABASE_URL"] = args.db
    os.environ["DJANGO_DEBUG"] = "0"
    if args.broker:
        os.environ["CELERY_BROKER_URL"] = args.broker
        log(f"Celery broker {args.broker}: SMS tasks queued, not sent during the run")
    elif os.environ.pop("CELERY_BROKER_URL", None):
        log("CELERY_BROKER_URL unset for this run: Celery eager")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if urlparse(args.db).scheme not in ("postgres", "postgresql"):
        raise SystemExit("--db must be a postgres:// URL")
    if db_create(args.db, fresh=args.fresh):
        log(f"created database {urlparse(args.db).path.lstrip('/')}")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, connections

    assert not settings.DEBUG and settings.CELERY_TASK_ALWAYS_EAGER == (not args.broker)
    RESULTS.mkdir(parents=True, exist_ok=True)
    today = date.today().isoformat()
    console_log = RESULTS / f"sms-console-{today}.log"
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        server = "PostgreSQL " + cur.fetchone()[0]
    result = {
        "date": today,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "args": vars(args),
        "db": {"url": args.db, "server": server},
        "machine": {"cpus": os.cpu_count(), "loadavg_start": os.getloadavg(), "python": sys.version.split()[0]},
        "settings": {
            "DEBUG": settings.DEBUG,
            "CELERY_TASK_ALWAYS_EAGER": settings.CELERY_TASK_ALWAYS_EAGER,
            "celery_broker": args.broker or None,
            "CONN_MAX_AGE": settings.DATABASES["default"].get("CONN_MAX_AGE"),
            "sms_backends": {"console": CONSOLE_SMS + f" (stdout → {console_log})", "noop": NOOP_SMS},
        },
        "p1": [],
        "p2": [],
        "note": "ANALYZE runs before each P1 run and before P2 (planner statistics as in steady state)",
        "code": args.code_label or code_label(),
    }
    result["setup"] = setup_database()
    smses = ["queued"] if args.broker else ["console", "noop"] if args.sms == "both" else [args.sms]
    client_counts = sorted({1, args.clients})
    run_no = int(time.time()) % 100000
    all_clerks: dict[int, int] = {}
    tags = []
    last_world = None
    for repeat in range(args.repeat):  # repeats interleaved: others' load spreads over the configurations
        for clients in client_counts:
            for sms in smses:
                tag = f"r{run_no}{clients}{sms[0]}{repeat}"
                tags.append(tag)
                log(
                    f"P1 {clients} client(s), {sms} SMS, run {repeat + 1}/{args.repeat}: "
                    f"{args.complaints} bodies ({tag})"
                )
                world = World(n=args.complaints, run_tag=tag, seed=f"{args.seed}:{tag}")
                label = f"{clients} client{'s' if clients > 1 else ''}, {sms} SMS"
                with sms_backend(sms, console_log):
                    all_clerks.update(prepare_run(world))
                    took = analyze()
                    res = p1_run(world, clients, label, quiet=tuple(args.quiet))
                res["analyze_before_s"] = took
                res.update(sms=sms, run_tag=tag, repeat=repeat)
                result["p1"].append(res)
                last_world = world
    log(f"ANALYZE before P2: {analyze()}s")
    connections.close_all()
    used: set[int] = set()
    for sms in smses:
        cands = p2_candidates(tags, all_clerks, args.pairs, used)
        used.update(t for t, _ in cands)
        log(f"P2 {sms} SMS: {len(cands)} claim+complete pairs")
        with sms_backend(sms, console_log):
            res = p2_run(cands, list_actions=args.list_actions, label=f"{sms} SMS", quiet=tuple(args.quiet))
        res["sms"] = sms
        result["p2"].append(res)
    with sms_backend("noop", console_log):
        result["submission_listing"] = submission_listing(last_world)
        if args.profile:
            log(f"cProfile of {args.profile} submissions")
            world = World(n=args.profile, run_tag=f"r{run_no}prof", seed=f"{args.seed}:r{run_no}prof")
            prepare_run(world)
            result["profile"] = profile_submissions(world, args.profile)
            log(f"CPU breakdown of {args.profile} submissions")
            world = World(n=args.profile, run_tag=f"r{run_no}cpu", seed=f"{args.seed}:r{run_no}cpu")
            prepare_run(world)
            result["cpu_breakdown"] = cpu_breakdown(world)
    if args.vanilla:
        log("vanilla baseline (/tmp/bench-vanilla)")
        wait_quiet(*args.quiet, what="the vanilla baseline")
        try:
            result["vanilla"] = vanilla_run(sys.executable, args.vanilla_runs)
        except Exception as exc:  # noqa: BLE001 - the comparison is optional
            log(f"vanilla baseline failed: {exc}")
            result["vanilla"] = {"error": str(exc)}
    if args.broker:
        from config.celery import app

        log(f"purged {app.control.purge()} queued SMS tasks from {args.broker}")
    result["vanilla_ratios"] = vanilla_ratios(result)
    result["machine"]["loadavg_end"] = os.getloadavg()
    result["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    path = RESULTS / f"intake-{today}-postgres.json"
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    print(report(result))
    if args.profile:
        print("\ncProfile (top by cumulative time):")
        print(result["profile"][:6000])
    print(f"\nJSON: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
