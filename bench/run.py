"""The benchmark suite (issue 7): every measure P1-P7 at 1M cases, beside vanilla viewflow 2.4.

    cd /work/main
    .venv/bin/python -m bench.run --db postgres://postgres@127.0.0.1:5432/zhiqian_bench \\
        [--skip-generate] [--only P3,P4] [--runs 30] [--no-vanilla]

Prints one table (measure, median, p95, goal, met?, ratio to vanilla) and writes
bench/results/run-<date>-postgres.json. DEBUG off, Celery eager (CELERY_BROKER_URL unset),
ZHIQIAN_ENV unset, SMS backend bench.sms.NoopSMSBackend (the outbox row is still written).

Data (unless --skip-generate): 1,000,000 cases (bench.generate) if the database has none, then the
workflow data (bench.generate --tasks: ~5M tasks, ~1M open deadlines, per-case exceptions, staff)
if it has no tasks. Nothing is dropped.

- P1 / P2: from bench/results/intake-*.json (bench.intake, its own database), the newest; run as
  `python -m bench.intake --no-vanilla` when there is none. P2 is also measured here, on the 1M
  database ("P2@1M"): claim and complete of acceptance tasks of complaints submitted for it.
- P3: inbox, queue and case list, first page and a deep page (keyset; page 40, or the last), for
  six users (county inspector / clerk / leader, city leader, province leader, and an inspector with
  7,000 per-case guardian grants): a fresh user object per run (no cached grants, as a request has),
  the scope look-ups, the page and its rows serialised as the API does (TaskRowSerializer) —
  statements counted. Twice: as shipped (the schema's indexes) and with PROPOSED_INDEXES created
  by hand on the bench database (dropped again at the end; --proposed-indexes off|on|both).
- P4: cases.timeline's verifier over the first 1,000,000 events of the database (the same code as
  verify_timeline: _chains + _check_chain); the case page and the timeline page of a case with
  500 events (django.test.Client, in-process, full middleware and template).
- P5: cases.deadlines.deadlines_sweep as of the moment when 1 % of the open deadlines are due,
  inside a transaction rolled back at the end (repeatable); also with timeline.record() per event
  (the code before record_many) for comparison.
- P6: cases.dashboard.dashboard_for for the province, a city and a county, a year; stats_refresh
  first if RegionDayStats is empty (timed).
- P7: gunicorn (2 sync workers) on 127.0.0.1 against the bench database (DJANGO_DEBUG=0, ZHIQIAN_ENV
  unset, with the proposed indexes), wrk on loopback (2 threads, 2 connections, closed loop): the
  inbox page (HTML, session cookie) and the task list API (DRF token) of the busiest county
  inspector for --http-seconds; then claim and completion of --http-tasks acceptance tasks through
  the API (token), each task once (2 Python client threads: wrk cannot bound a request count).
  The server is stopped at the end.

Before each phase the run waits (--quiet PCT SECONDS) for the machine to be idle-ish and records how
busy it was: other sessions' test suites share these 2 cores.
- vanilla: /work/shared/bench-vanilla copied to /tmp/bench-vanilla-suite (database
  zhiqian_bench_vanilla_suite): `flow --workers 2` (full case and starts only), statements per
  action, and its list queries at its own 100,000 cases (`load` once, then `queries`).
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
VANILLA_SRC = Path("/work/shared/bench-vanilla")
VANILLA_DIR = Path("/tmp/bench-vanilla-suite")  # not /tmp/bench-vanilla: bench.intake rmtree's that one
VANILLA_DB = "zhiqian_bench_vanilla_suite"
ALL = ("P1", "P2", "P3", "P4", "P5", "P6", "P7")
GOALS = {
    "P1": ">= 300/s",
    "P2_statements": "<= 8",
    "P2_p95": "<= 10 ms",
    "P3": "<= 15 ms",
    "P4_verify": "<= 10 s",
    "P4_page": "<= 50 ms",
    "P5": "<= 2 s",
    "P6": "<= 200 ms",
    "P7_inbox": "<= 50 ms",
    "P7_complete": "<= 40 ms",
}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def summary_ms(seconds) -> dict:
    ms = [s * 1000 for s in seconds]
    return {"median_ms": round(statistics.median(ms), 2), "p95_ms": round(pct(ms, 95), 2), "n": len(ms)}


class Counter:
    """Statements of this connection (execute wrapper: SQL incl. SAVEPOINT/RELEASE) plus BEGIN and
    COMMIT, which no wrapper sees: counted from Django's set_autocommit(False) / commit."""

    def __init__(self, connection):
        self.connection = connection
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)

    @contextlib.contextmanager
    def installed(self):
        conn = self.connection
        orig_commit, orig_autocommit = conn._commit, conn._set_autocommit

        def commit():
            if conn.connection is not None:
                self.n += 1
            return orig_commit()

        def set_autocommit(autocommit):
            if not autocommit:
                self.n += 1  # BEGIN (psycopg sends it before the transaction's first statement)
            return orig_autocommit(autocommit)

        conn._commit, conn._set_autocommit = commit, set_autocommit
        try:
            with conn.execute_wrapper(self):
                yield self
        finally:
            del conn._commit, conn._set_autocommit


@contextlib.contextmanager
def sql_log(connection):
    statements = []

    def wrapper(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield statements


# Indexes this work proposes (no migration here: cases migrations belong to another engineer right
# now, and viewflow_task is viewflow's table, so they would go in a workflows RunSQL migration).
PROPOSED_INDEXES = {
    # inbox: WHERE owner_id = ? AND status = 'ASSIGNED' ORDER BY id (viewflow only indexes owner_id
    # alone: a user who owns many finished tasks made PostgreSQL walk the primary key instead)
    "bench_task_inbox": "CREATE INDEX IF NOT EXISTS bench_task_inbox ON viewflow_task (owner_id, id) "
    "WHERE status = 'ASSIGNED'",
    # queue: WHERE status = 'NEW' AND owner_permission = ? ... ORDER BY id
    "bench_task_queue": "CREATE INDEX IF NOT EXISTS bench_task_queue ON viewflow_task (owner_permission, id) "
    "WHERE status = 'NEW'",
}


def indexes(create: bool) -> dict:
    """Create (or drop) the proposed indexes on the bench database; seconds per index."""
    from django.db import connection

    out = {}
    with connection.cursor() as cur:
        for name, sql in PROPOSED_INDEXES.items():
            t = time.perf_counter()
            cur.execute(sql if create else f"DROP INDEX IF EXISTS {name}")
            out[name] = round(time.perf_counter() - t, 2)
        cur.execute("ANALYZE viewflow_task")
    return out


# the machine-load helpers are bench.intake's (one copy)
from bench.intake import _system_cpu, code_label, wait_quiet  # noqa: E402


class Phase:
    """Machine CPU busy % over a measured phase (ours included)."""

    def __enter__(self):
        self.start = _system_cpu()
        return self

    def __exit__(self, *exc):
        end = _system_cpu()
        self.busy = round(100 * (end[0] - self.start[0]) / max(1, end[1] - self.start[1]), 1)
        return False


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------


def ensure_data(progress=log) -> dict:
    from django.db import connection

    from . import generate, generate_tasks

    out = {}
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM cases_case")
        cases = cur.fetchone()[0]
    if cases == 0:
        progress("no cases: generating 1,000,000 (bench.generate)")
        out["cases"] = generate.generate(1_000_000, progress=progress)
    with connection.cursor() as cur:
        cur.execute("SELECT EXISTS (SELECT 1 FROM viewflow_task)")
        have_tasks = cur.fetchone()[0]
    if not have_tasks:
        progress("no tasks: generating the workflow data (bench.generate --tasks)")
        out["tasks"] = generate_tasks.generate_tasks(progress=progress)
    out["shape"] = generate_tasks.describe()
    return out


def busiest_county():
    from django.db.models import Count

    from cases.models import Case, Region

    top = Case.objects.filter(region__level="county").values("region_id").annotate(n=Count("id")).order_by("-n").first()
    return Region.objects.get(pk=top["region_id"])


def bench_users() -> dict:
    """label -> (user id, description): one user of every kind, from the generated staff."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from viewflow.workflow.models import Task

    from cases.models import CaseUserObjectPermission, Region, StaffRole

    User = get_user_model()
    county = busiest_county()
    city = Region.objects.get(pk=county.parent_id)

    def one(username):
        return User.objects.get(username=username).pk

    inspectors = StaffRole.objects.filter(role="inspector", region=county, user__username__startswith="bench.")
    busiest = (
        Task.objects.filter(status="ASSIGNED", owner_id__in=inspectors.values("user_id"))
        .values("owner_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    heavy = one("bench.heavy.360000")
    grants = CaseUserObjectPermission.objects.filter(user_id=heavy).count()
    done_owned = Task.objects.filter(owner_id=busiest["owner_id"]).count()
    return {
        "county inspector": (
            busiest["owner_id"],
            f"{county.code}, busiest inspector: {busiest['n']} open assigned tasks, {done_owned} tasks owned in all",
        ),
        "county clerk": (one(f"bench.clerk1.{county.code}"), f"{county.code} (intake queue)"),
        "county leader": (one(f"bench.leader1.{county.code}"), f"{county.code} (approval queue)"),
        "city leader": (one(f"bench.leader1.{city.code}"), f"{city.code} subtree"),
        "province leader": (one("bench.leader1.360000"), "360000 subtree: all 1M cases"),
        "heavy exceptions": (heavy, f"inspector 360000 with {grants} per-case guardian grants"),
    }


# ---------------------------------------------------------------------------------------------
# Complaints to act on (P2@1M, P7)
# ---------------------------------------------------------------------------------------------


def _body(rng: random.Random, county, tag: str, i: int) -> dict:
    from .generate import GIVEN, SURNAMES, USCC_CHARS, id_number_check, org_code_check, uscc_check

    born = date(1970, 1, 1) + timedelta(days=rng.randrange(12000))
    first17 = f"{county.code}{born:%Y%m%d}{rng.randrange(1000):03d}"
    org = "MA" + "".join(rng.choice(USCC_CHARS) for _ in range(6))
    uscc17 = f"91{county.code}{org}{org_code_check(org)}"
    end = date.today() - timedelta(days=rng.randrange(10, 200))
    workers = rng.choice([1, 1, 2, 3, 5, 12])
    amount = workers * rng.randrange(3000, 15000)
    return {
        "channel": "web",
        "complainant": {
            "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            "id_number": first17 + id_number_check(first17),
            "phone": f"139{rng.randrange(10**8):08d}",
        },
        "employer": {
            "name": f"{county.name}基准{tag}{i}号建筑劳务有限公司",
            "uscc": uscc17 + uscc_check(uscc17),
            "address": f"{county.name}建设路{rng.randrange(1, 300)}号",
        },
        "project": {"name": f"{county.name}基准{tag}{i}号安置房项目", "address": f"{county.name}人民路{i}号"},
        "region_code": county.code,
        "workers_count": workers,
        "amount_owed": f"{amount}.00",
        "period_start": (end - timedelta(days=120)).isoformat(),
        "period_end": end.isoformat(),
        "description": f"{workers}名工人被拖欠工资共计{amount}元，多次讨要未果。",
    }


def prepare_tasks(n: int, *, tag: str, claim: bool) -> tuple[int, list[int]]:
    """Submit n complaints to the busiest county (cases.intake → IntakeFlow); return (clerk id,
    acceptance task ids), claimed by the clerk when `claim`."""
    from django.contrib.auth import get_user_model
    from viewflow.workflow.models import Task

    from cases import intake
    from workflows import selectors, services

    county = busiest_county()
    clerk = get_user_model().objects.get(username=f"bench.clerk1.{county.code}")
    rng = random.Random(tag)
    ids = []
    for i in range(n):
        clean = intake.complaint_validate(_body(rng, county, tag, i))
        complaint, _ = services.intake_submit(
            actor=None, clean=clean, channel="web", idempotency_key=f"bench-run:{tag}:{i}"
        )
        task_id = (
            Task.objects.filter(process__caseprocess__complaint=complaint, flow_task_type="HUMAN", status="NEW")
            .values_list("pk", flat=True)
            .get()
        )
        if claim:
            user = get_user_model().objects.get(pk=clerk.pk)
            services.task_assign(task=selectors.task_for_user(user, task_id), actor=user)
        ids.append(task_id)
    return clerk.pk, ids


def decision_for(i: int) -> dict:
    return {"decision": "accept"} if i % 2 == 0 else {"decision": "refuse", "reason": "不属于劳动保障监察管辖范围"}


# ---------------------------------------------------------------------------------------------
# P1 / P2 (bench.intake) and P2 at 1M
# ---------------------------------------------------------------------------------------------


def intake_figures(python: str) -> dict:
    files = sorted(glob.glob(str(RESULTS / "intake-*.json")), key=os.path.getmtime)
    if not files:
        log("no bench/results/intake-*.json: running python -m bench.intake --no-vanilla")
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
        subprocess.run([python, "-m", "bench.intake", "--no-vanilla"], cwd=ROOT, env=env, check=True)
        files = sorted(glob.glob(str(RESULTS / "intake-*.json")), key=os.path.getmtime)
    path = files[-1]
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    out = {
        "file": str(Path(path).relative_to(ROOT)),
        "code": data.get("code"),
        "date": data.get("date"),
        "p1": [],
        "p2": [],
    }
    for r in data.get("p1", []):
        out["p1"].append(
            {
                "label": r["label"],
                "clients": r["clients"],
                "sms": r.get("sms"),
                "per_s": r["per_s"],
                "latency": r["latency"],
                "statements": r["statements_per_submission"]["total"],
                "machine_busy_before_pct": r.get("machine_busy_before_pct"),
            }
        )
    for r in data.get("p2", []):
        for kind, a in r["actions"].items():
            out["p2"].append(
                {
                    "label": f"{r['label']} {kind}",
                    "sms": r.get("sms"),
                    "kind": kind,
                    "statements": a["statements"]["total"],
                    "latency": a["latency"],
                }
            )
    return out


def p2_at_scale(pairs: int) -> dict:
    """Claim + complete, in-process, on the 1M database (half accept, half refuse)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from workflows import selectors, services

    tag = f"p2-{int(time.time())}"
    log(f"P2@1M: submitting {pairs} complaints ({tag})")
    clerk_id, task_ids = prepare_tasks(pairs, tag=tag, claim=False)
    User = get_user_model()
    lat = {"claim": [], "complete_accept": [], "complete_refuse": []}
    counts = {k: [] for k in lat}
    counter = Counter(connection)
    with counter.installed():
        for i, task_id in enumerate(task_ids):
            for kind in ("claim", "complete_accept" if i % 2 == 0 else "complete_refuse"):
                user = User.objects.get(pk=clerk_id)
                task = selectors.task_for_user(user, task_id)  # as the API loads it: not measured
                before = counter.n
                t = time.perf_counter()
                if kind == "claim":
                    services.task_assign(task=task, actor=user)
                else:
                    services.task_complete(task=task, actor=user, data=decision_for(i))
                lat[kind].append(time.perf_counter() - t)
                counts[kind].append(counter.n - before)
    return {
        k: {
            "latency": summary_ms(v),
            "statements_median": statistics.median(counts[k]),
            "statements_min_max": [min(counts[k]), max(counts[k])],
        }
        for k, v in lat.items()
        if v
    }


# ---------------------------------------------------------------------------------------------
# P3: lists
# ---------------------------------------------------------------------------------------------


def _case_row(case) -> dict:
    return {
        "case_no": case.case_no,
        "region": case.region.name,
        "employer": case.employer.name,
        "status": case.status,
        "filed_at": case.filed_at,
        "amount_owed": case.amount_owed,
    }


def list_readers():
    from cases import selectors as cs
    from workflows import selectors as ws
    from workflows.api import TaskRowSerializer

    def tasks(make):
        def read(user, cursor):
            rows, nxt = ws.keyset_page(make(user), after=cursor)
            return TaskRowSerializer(rows, many=True).data, nxt

        return read

    def cases(user, cursor):
        rows, nxt = cs.keyset_page(cs.case_list_for_user(user), before=cursor)
        return [_case_row(c) for c in rows], nxt

    return {"inbox": tasks(ws.tasks_inbox), "queue": tasks(ws.tasks_queue), "cases": cases}


def p3(users: dict, runs: int, deep: int = 40) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied
    from django.db import connection

    User = get_user_model()
    out = {}
    for name, read in list_readers().items():
        for label, (user_id, _) in users.items():
            key = f"{name} / {label}"
            try:
                cursors, cursor, rows = [None], None, 0
                for _ in range(deep - 1):  # walk to the deep page once (not timed)
                    page, cursor = read(User.objects.get(pk=user_id), cursor)
                    rows += len(page)
                    if cursor is None:
                        break
                    cursors.append(cursor)
            except PermissionDenied:
                out[key] = {"skipped": "403: the user reads no such list"}
                continue
            entry = {"pages_walked": len(cursors), "rows_before_deep_page": rows}
            for which, cur in (("first", None), ("deep", cursors[-1])):
                lat, stmts, sizes = [], [], []
                for _ in range(runs):
                    with sql_log(connection) as sql:
                        t = time.perf_counter()
                        page, _ = read(User.objects.get(pk=user_id), cur)  # a request's fresh user
                        lat.append(time.perf_counter() - t)
                    stmts.append(len(sql))
                    sizes.append(len(page))
                entry[which] = {
                    **summary_ms(lat),
                    "statements": max(stmts),
                    "rows": sizes[0],
                    "page_no": 1 if which == "first" else len(cursors),
                }
            out[key] = entry
            log(
                f"  P3 {key}: first {entry['first']['median_ms']}/{entry['first']['p95_ms']} ms "
                f"({entry['first']['statements']} stmts), page {entry['deep']['page_no']} "
                f"{entry['deep']['median_ms']}/{entry['deep']['p95_ms']} ms ({entry['deep']['statements']} stmts)"
            )
    return out


def explain(users: dict) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of each list's first-page query for each user (in the JSON): for the
    task lists the ids query (the detail query is by primary key)."""
    from django.contrib.auth import get_user_model

    from cases import selectors as cs
    from workflows import selectors as ws

    User = get_user_model()
    out = {}
    makers = {"inbox": ws.tasks_inbox, "queue": ws.tasks_queue, "cases": cs.case_list_for_user}
    for name, make in makers.items():
        for label, (user_id, _) in users.items():
            try:
                qs = make(User.objects.get(pk=user_id))
                # the page's first statement: workflows.selectors.keyset_page reads the ids first
                qs = (qs.values_list("pk", flat=True) if name != "cases" else qs)[:26]
                plan = qs.explain(analyze=True, buffers=True)
            except Exception as exc:  # noqa: BLE001 - a 403 user
                plan = f"{type(exc).__name__}"
            m = re.search(r"Execution Time: ([\d.]+) ms", plan)
            out[f"{name} / {label}"] = {"execution_ms": float(m.group(1)) if m else None, "plan": plan}
    return out


# ---------------------------------------------------------------------------------------------
# P4: timeline
# ---------------------------------------------------------------------------------------------


def _first_case_events(limit: int) -> tuple[int, int]:
    """(lo, hi): the case ids whose chains hold the first `limit` case events (in (case_id, seq) order)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT min(case_id) FROM cases_timelineevent WHERE case_id IS NOT NULL")
        lo = cur.fetchone()[0]
        cur.execute(
            "SELECT case_id FROM cases_timelineevent WHERE case_id IS NOT NULL ORDER BY case_id, seq OFFSET %s LIMIT 1",
            [limit - 1],
        )
        return lo, cur.fetchone()[0]


def p4_verify(limit: int = 1_000_000, jobs: int = 1) -> dict:
    """What `verify_timeline --jobs N` runs (cases.timeline.verify_slices over jobs × 4 subject-id
    slices, forked processes when jobs > 1), over the case chains that hold the first `limit` events."""
    from cases import timeline

    lo, hi = _first_case_events(limit)
    parts = max(1, jobs * 4)
    width = -(-(hi + 1 - lo) // parts)
    slices = [("case", start, min(start + width, hi + 1)) for start in range(lo, hi + 1, width)]
    t = time.perf_counter()
    result = timeline.verify_slices(slices, jobs=jobs)
    seconds = time.perf_counter() - t
    return {
        "jobs": jobs,
        "events": result.events,
        "chains": result.chains,
        "seconds": round(seconds, 2),
        "ok": result.ok,
        "first_broken": str(result.first_broken) if result.first_broken else None,
        "events_per_s": round(result.events / seconds),
    }


def long_case(n: int = 500):
    """A case with at least n timeline events (appended with record_many once, if none has)."""
    from django.db import connection, transaction
    from django.db.models import Count

    from cases import timeline
    from cases.models import Case, TimelineEvent

    row = (
        TimelineEvent.objects.filter(case__isnull=False, case_id__gte=999_000)
        .values("case_id")
        .annotate(n=Count("id"))
        .filter(n__gte=n)
        .order_by("case_id")
        .first()
    )
    if row is None:
        with connection.cursor() as cur:
            cur.execute("SELECT id FROM cases_case WHERE status = 'investigating' ORDER BY id DESC LIMIT 1")
            case = Case.objects.get(pk=cur.fetchone()[0])
        have = TimelineEvent.objects.filter(case=case).count()
        log(f"P4: appending {n - have} events to case {case.case_no} (record_many)")
        kinds = ("evidence.added", "record.added", "task.claimed", "deadline.warned", "payment.recorded")
        with transaction.atomic():
            timeline.record_many(
                [
                    timeline.Entry(case, kinds[i % len(kinds)], role="", data={"i": i, "note": "基准事件" * 4})
                    for i in range(n - have)
                ]
            )
        return case
    return Case.objects.get(pk=row["case_id"])


def p4_pages(runs: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from cases.models import TimelineEvent

    case = long_case()
    leader = get_user_model().objects.get(username=f"bench.leader1.{case.region.code}")
    client = Client()
    client.force_login(leader)
    out = {"case_no": case.case_no, "events": TimelineEvent.objects.filter(case=case).count()}
    pages = (
        ("case page", f"/cases/{case.case_no}/", None),
        ("case page, proposed deadlines_for", f"/cases/{case.case_no}/", proposed_deadlines_for),
        ("timeline page", f"/cases/{case.case_no}/timeline/", None),
    )
    from cases import deadlines

    for name, url, patch in pages:
        original = deadlines.deadlines_for
        if patch is not None:
            deadlines.deadlines_for = patch
        try:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            lat, stmts = [], []
            for _ in range(runs):
                with sql_log(connection) as sql:
                    t = time.perf_counter()
                    response = client.get(url)
                    lat.append(time.perf_counter() - t)
                stmts.append(len(sql))
        finally:
            deadlines.deadlines_for = original
        out[name] = {**summary_ms(lat), "statements": max(stmts), "bytes": len(response.content)}
        log(f"  P4 {name}: {out[name]}")
    return out


def proposed_deadlines_for(*, case=None, complaint=None):
    """cases.deadlines.deadlines_for with the query shape of timeline.for_case (a proposal, measured
    here only: that module is not this work's): the complaints' ids as a literal list instead of
    `complaint__case=case` inside the OR, which made PostgreSQL scan all 2.9M deadlines."""
    from django.db.models import Q

    from cases.models import Complaint, Deadline

    if case is not None:
        ids = list(Complaint.objects.filter(case=case).values_list("pk", flat=True))
        qs = Deadline.objects.filter(Q(case=case) | Q(complaint_id__in=ids))
    elif complaint is not None:
        qs = Deadline.objects.filter(complaint=complaint)
    else:
        raise ValueError("deadlines_for() needs a case or a complaint")
    return qs.select_related("region").order_by("due_at", "id")


# ---------------------------------------------------------------------------------------------
# P5: the deadline sweep
# ---------------------------------------------------------------------------------------------


def sweep_moment() -> tuple:
    """The moment at which 1 % of the open deadlines are due (running and due_at <= it)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM cases_deadline WHERE state IN ('running', 'paused', 'overdue')")
        open_ = cur.fetchone()[0]
        n_due = max(1, round(open_ / 100))
        cur.execute(
            "SELECT due_at FROM cases_deadline WHERE state = 'running' ORDER BY due_at OFFSET %s LIMIT 1", [n_due - 1]
        )
        return cur.fetchone()[0], open_, n_due


SWEEP_TABLES = ("cases_timelineevent", "cases_deadline", "viewflow_task", "viewflow_process", "cases_notification")


def _sweep_marks() -> dict:
    from django.db import connection

    with connection.cursor() as cur:
        marks = {}
        for table in SWEEP_TABLES:
            cur.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            marks[table] = cur.fetchone()[0]
    return marks


def _sweep_undo(marks: dict, now) -> dict:
    """Put the bench database back as it was before a committed sweep as of `now` (bench only): the rows
    it added, the deadlines it marked. The timeline's trigger is disabled for the DELETE (superuser)."""
    from django.db import connection, transaction

    undone = {}
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute("ALTER TABLE cases_timelineevent DISABLE TRIGGER cases_timelineevent_append_only")
        cur.execute("DELETE FROM cases_timelineevent WHERE id > %s", [marks["cases_timelineevent"]])
        undone["events"] = cur.rowcount
        cur.execute("ALTER TABLE cases_timelineevent ENABLE TRIGGER cases_timelineevent_append_only")
        cur.execute("DELETE FROM cases_notification WHERE id > %s", [marks["cases_notification"]])
        cur.execute("DELETE FROM cases_deadline WHERE id > %s", [marks["cases_deadline"]])
        undone["deadlines_started"] = cur.rowcount
        cur.execute(
            "DELETE FROM viewflow_task_previous WHERE from_task_id > %s OR to_task_id > %s",
            [marks["viewflow_task"]] * 2,
        )
        cur.execute("DELETE FROM viewflow_task WHERE id > %s", [marks["viewflow_task"]])
        cur.execute("DELETE FROM workflows_caseprocess WHERE process_ptr_id > %s", [marks["viewflow_process"]])
        cur.execute("DELETE FROM viewflow_process WHERE id > %s", [marks["viewflow_process"]])
        undone["flows_started"] = cur.rowcount
        cur.execute("UPDATE cases_deadline SET state = 'running', overdue_at = NULL WHERE overdue_at = %s", [now])
        undone["overdue"] = cur.rowcount
        cur.execute("UPDATE cases_deadline SET warned_at = NULL WHERE warned_at = %s", [now])
        undone["warned"] = cur.rowcount
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE) cases_deadline")
        cur.execute("VACUUM (ANALYZE) cases_timelineevent")
    return undone


def p5(legacy: bool) -> dict:
    """The sweep as it runs: committed (a COMMIT per batch, deferred FK checks included), once in one
    process and once as `sweep_deadlines --jobs N`, over the same 1 % of the open deadlines (what the
    first did is undone before the second: _sweep_undo). Then, rolled back, the same sweep without
    handlers and with the old per-event timeline writes, to show where the time goes."""
    from django.db import connection, transaction

    from cases import deadlines, timeline

    out = {
        "handlers": {
            kind: [f"{fn.__module__}.{fn.__qualname__}" for fn in fns]
            for kind, fns in deadlines._overdue_handlers.items()
            if fns
        },
        "batch_handlers": {
            kind: [f"{fn.__module__}.{fn.__qualname__}" for fn in fns]
            for kind, fns in deadlines._overdue_batch_handlers.items()
            if fns
        },
    }
    for jobs in (1, os.cpu_count() or 2):
        now, open_, n_due = sweep_moment()
        marks = _sweep_marks()
        counter = Counter(connection)
        with counter.installed():
            t = time.perf_counter()
            result = deadlines.deadlines_sweep(now=now, jobs=jobs)
            seconds = time.perf_counter() - t
        name = f"committed, --jobs {jobs}"
        out[name] = {
            "seconds": round(seconds, 3),
            "open_deadlines": open_,
            "due": n_due,
            "now": now.isoformat(),
            "overdue": result.overdue,
            "warned": result.warned,
            "statements": counter.n if jobs == 1 else None,  # the children's are not counted
            "undone": _sweep_undo(marks, now),
        }
        log(f"  P5 {name}: {out[name]}")

    def per_event(entries):  # the sweep before record_many: timeline.record() per event
        return [
            timeline.record(
                e.subject, e.kind, actor=e.actor, role=e.role, region_code=e.region_code, data=e.data, at=e.at
            )
            for e in entries
        ]

    # (name, record_many replacement, handlers on, batch size), each rolled back
    variants = [("rolled back, no handlers", None, False, deadlines.BATCH_SIZE)]
    if legacy:
        variants.append(("rolled back, record per event (before), no handlers", per_event, False, deadlines.BATCH_SIZE))
    now, open_, n_due = sweep_moment()
    for name, replacement, handlers, batch_size in variants:
        original = timeline.record_many
        registries = (deadlines._overdue_handlers, deadlines._warning_handlers, deadlines._overdue_batch_handlers)
        saved = [{k: list(v) for k, v in registry.items()} for registry in registries]
        if replacement is not None:
            timeline.record_many = replacement
        if not handlers:
            for registry in registries:
                registry.clear()
        counter = Counter(connection)
        try:
            with transaction.atomic(), counter.installed():
                t = time.perf_counter()
                result = deadlines.deadlines_sweep(now=now, batch_size=batch_size)
                with connection.cursor() as cur:
                    cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the FK checks a COMMIT would run
                seconds = time.perf_counter() - t
                transaction.set_rollback(True)  # leave the bench database as it was
        finally:
            timeline.record_many = original
            for registry, content in zip(registries, saved, strict=True):
                registry.update(content)
        out[name] = {
            "seconds": round(seconds, 3),
            "open_deadlines": open_,
            "due": n_due,
            "overdue": result.overdue,
            "warned": result.warned,
            "statements": counter.n,
        }
        log(f"  P5 {name}: {out[name]}")
    return out


# ---------------------------------------------------------------------------------------------
# P6: the dashboard
# ---------------------------------------------------------------------------------------------


def p6(runs: int) -> dict:
    try:
        from cases import dashboard
    except ImportError as exc:
        return {"pending": f"cases.dashboard not importable ({exc})"}
    from django.contrib.auth import get_user_model
    from django.db import connection

    from cases.models import RegionDayStats

    out = {}
    if not RegionDayStats.objects.exists():
        import io

        from django.core.management import call_command

        log("P6: RegionDayStats empty: manage.py refresh_dashboard (full rebuild, a year per step)")
        t = time.perf_counter()
        buf = io.StringIO()
        call_command("refresh_dashboard", stdout=buf)
        out["stats_refresh_full"] = {
            "seconds": round(time.perf_counter() - t, 1),
            "output": buf.getvalue().strip().splitlines()[-1:],
        }
        log(f"  P6 stats_refresh: {out['stats_refresh_full']}")
    t = time.perf_counter()
    dashboard.stats_refresh_recent()
    out["stats_refresh_recent_s"] = round(time.perf_counter() - t, 2)
    county = busiest_county()
    User = get_user_model()
    today = date.today()
    year_ago = today - timedelta(days=365)
    for label, username, code in (
        ("province", "bench.leader1.360000", "360000"),
        ("city", f"bench.leader1.{county.parent.code}", county.parent.code),
        ("county", f"bench.leader1.{county.code}", county.code),
    ):
        lat, stmts = [], []
        for _ in range(runs):
            with sql_log(connection) as sql:
                t = time.perf_counter()
                data = dashboard.dashboard_for(
                    user=User.objects.get(username=username), region_code=code, date_from=year_ago, date_to=today
                )
                lat.append(time.perf_counter() - t)
            stmts.append(len(sql))
        out[label] = {
            **summary_ms(lat),
            "statements": max(stmts),
            "rows": len(data["rows"]),
            "totals": {k: str(v) for k, v in data["totals"].items()},
        }
        log(f"  P6 {label}: {out[label]['median_ms']}/{out[label]['p95_ms']} ms, {out[label]['statements']} stmts")
    return out


# ---------------------------------------------------------------------------------------------
# P7: HTTP
# ---------------------------------------------------------------------------------------------

WRK_STATS = r"""
done = function(summary, latency, requests)
  io.write(string.format("WRKJSON {\"requests\": %d, \"errors\": %d, \"non2xx\": %d, \"duration_us\": %d, " ..
    "\"p50_us\": %d, \"p95_us\": %d, \"p99_us\": %d, \"max_us\": %d, \"mean_us\": %.1f}\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
"""


def _post_each(port: int, paths: list[str], headers: dict, bodies: list[str], clients: int = 2) -> dict:
    """POST each path once, from `clients` threads with one keep-alive connection each (a bounded
    closed-loop load, which wrk cannot do: it runs for a duration); latency per request."""
    import http.client
    import threading

    lat, statuses, lock = [], [], threading.Lock()
    jobs = list(zip(paths, bodies))

    def client(share):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for path, body in share:
            t = time.perf_counter()
            conn.request("POST", path, body=body.encode(), headers=headers)
            response = conn.getresponse()
            data = response.read()
            dt = time.perf_counter() - t
            with lock:
                lat.append(dt)
                statuses.append((response.status, data[:200].decode(errors="replace")))
        conn.close()

    threads = [threading.Thread(target=client, args=(jobs[k::clients],)) for k in range(clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    bad = [f"HTTP {st} {body}" for st, body in statuses if st >= 300]
    return {
        "requests": len(lat),
        "errors": 0,
        "non2xx": len(bad),
        "per_s": round(len(lat) / wall, 1),
        **{k: v for k, v in summary_ms(lat).items() if k != "n"},
        "p99_ms": round(1000 * pct(lat, 99), 2),
        "max_ms": round(1000 * max(lat), 2),
        "first_bad": bad[:3],
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wrk(args: list[str], script: str = "") -> dict:
    """wrk for a duration; its Lua `done` hook prints the figures (p95 included) as JSON."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script + WRK_STATS)
        path = f.name
    try:
        proc = subprocess.run(["wrk", *args, "-s", path], capture_output=True, text=True, timeout=900)
        stdout, stderr = proc.stdout, proc.stderr
    finally:
        os.unlink(path)
    line = next((ln for ln in stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {stdout[-1500:]} {stderr[-1500:]}")
    stats = json.loads(line[len("WRKJSON ") :])
    bad = [ln for ln in stdout.splitlines() if ln.startswith("HTTP ")]
    seconds = stats["duration_us"] / 1e6
    return {
        "requests": stats["requests"],
        "errors": stats["errors"],
        "non2xx": stats["non2xx"],
        "per_s": round(stats["requests"] / seconds, 1),
        "median_ms": round(stats["p50_us"] / 1000, 2),
        "p95_ms": round(stats["p95_us"] / 1000, 2),
        "p99_ms": round(stats["p99_us"] / 1000, 2),
        "max_ms": round(stats["max_us"] / 1000, 2),
        "first_bad": bad[:3],
    }


def _session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def p7(db: str, users: dict, *, seconds: int, n_tasks: int, workers: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connections
    from rest_framework.authtoken.models import Token
    from viewflow.workflow.models import Task

    if shutil.which("wrk") is None:
        return {"skipped": "wrk not installed (apt-get install -y wrk)"}
    User = get_user_model()
    inspector = User.objects.get(pk=users["county inspector"][0])
    cookie = _session_cookie(inspector)
    token = Token.objects.get_or_create(user=inspector)[0].key
    tag = f"p7-{int(time.time())}"
    log(f"P7: submitting {n_tasks} complaints for the completion run ({tag})")
    clerk_id, task_ids = prepare_tasks(n_tasks, tag=tag, claim=False)
    clerk_token = Token.objects.get_or_create(user_id=clerk_id)[0].key
    connections.close_all()

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("ZHIQIAN_ENV", "CELERY_BROKER_URL")}
    env.update(
        {
            "DATABASE_URL": db,
            "DJANGO_DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "ZHIQIAN_SMS_BACKEND": "bench.sms.NoopSMSBackend",
        }
    )
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [
            gunicorn,
            "config.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    out = {
        "server": f"gunicorn {workers} sync workers, {base}",
        "load": "GET: wrk -t2 -c2 for the duration (closed loop, loopback); POST: 2 Python threads with one "
        "keep-alive connection each, every task once",
        "user": users["county inspector"][1],
    }
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            time.sleep(0.2)
        common = ["-t2", "-c2", "--timeout", "10s"]
        inbox_hdr = ["-H", f"Cookie: {cookie}"]
        api_hdr = ["-H", f"Authorization: Token {token}"]
        # warm both workers (imports, connections), then measure
        _wrk([*common, "-d", "3s", *inbox_hdr, f"{base}/tasks/inbox/"])
        _wrk([*common, "-d", "2s", *api_hdr, f"{base}/api/v1/tasks/?scope=mine"])
        out["inbox page (HTML)"] = _wrk([*common, "-d", f"{seconds}s", *inbox_hdr, f"{base}/tasks/inbox/"])
        log(f"  P7 inbox page: {out['inbox page (HTML)']}")
        out["task list API"] = _wrk([*common, "-d", f"{seconds}s", *api_hdr, f"{base}/api/v1/tasks/?scope=mine"])
        log(f"  P7 task list API: {out['task list API']}")
        post_hdr = {"Authorization": f"Token {clerk_token}", "Content-Type": "application/json"}
        out["claim API"] = _post_each(
            port, [f"/api/v1/tasks/{t}/assign/" for t in task_ids], post_hdr, [""] * len(task_ids)
        )
        log(f"  P7 claim API: {out['claim API']}")
        out["completion API"] = _post_each(
            port,
            [f"/api/v1/tasks/{t}/complete/" for t in task_ids],
            post_hdr,
            [json.dumps(decision_for(i)) for i in range(len(task_ids))],
        )
        log(f"  P7 completion API: {out['completion API']}")
    finally:
        server.terminate()  # the gunicorn master started above: it stops its workers gracefully
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # its own process group (start_new_session), and only it
            server.wait()
        errors = server.stderr.read().decode(errors="replace")[-3000:] if server.stderr else ""
        if errors.strip():
            out["server_stderr_tail"] = errors
    out["tasks_done"] = Task.objects.filter(pk__in=task_ids, status="DONE").count()
    out["tasks"] = len(task_ids)
    return out


# ---------------------------------------------------------------------------------------------
# Vanilla viewflow 2.4 baseline
# ---------------------------------------------------------------------------------------------

VANILLA_STEPS = r"""
import json, statistics, sys, time
import bench  # django.setup()
from django.db import connection
from cases.flows import CaseFlow
from cases.models import Team
from django.contrib.auth.models import User

n = [0]
def wrapper(execute, sql, params, many, context):
    n[0] += 1
    return execute(sql, params, many, context)
orig_commit, orig_autocommit = connection._commit, connection._set_autocommit
def commit():
    n[0] += 1
    return orig_commit()
def set_autocommit(autocommit):
    if not autocommit:
        n[0] += 1
    return orig_autocommit(autocommit)
connection._commit, connection._set_autocommit = commit, set_autocommit

teams = list(Team.objects.order_by("pk"))
members = {}
for u in User.objects.filter(username__startswith="user").prefetch_related("groups"):
    members.setdefault(u.groups.all()[0].name, []).append(u.pk)
reviewer = User.objects.get(username="user0").pk
counts = {"start": [], "claim": [], "triage": [], "review": []}
lat = {k: [] for k in counts}
def step(name, fn, *a, **kw):
    before = n[0]
    t = time.perf_counter()
    result = fn(*a, **kw)
    lat[name].append(time.perf_counter() - t)
    counts[name].append(n[0] - before)
    return result
with connection.execute_wrapper(wrapper):
    for i in range(int(sys.argv[1])):
        team = teams[i % len(teams)]
        p = step("start", CaseFlow.start.run, title=f"steps {i}", team=team, amount=100, reviewer_id=reviewer)
        pk = bench._next_task_pk(p.pk, CaseFlow.triage)
        w = members[team.name][0]
        step("claim", bench.claim_task, pk, p.pk, w)
        step("triage", bench.execute_task, pk, p.pk, w, priority=1, approved=True)
        rpk = bench._next_task_pk(p.pk, CaseFlow.review)
        step("review", bench.execute_task, rpk, p.pk, reviewer, amount=120)
def p95(v):
    v = sorted(v); return v[min(len(v) - 1, int(round(0.95 * (len(v) - 1))))]
print(json.dumps({k: {"statements_median": statistics.median(v),
                      "median_ms": round(1000 * statistics.median(lat[k]), 2),
                      "p95_ms": round(1000 * p95(lat[k]), 2)} for k, v in counts.items()}))
"""


def _db_create(name: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def vanilla(python: str, parts: set[str], *, processes: int, runs: int, query_runs: int) -> dict:
    if not VANILLA_SRC.exists():
        return {"skipped": f"{VANILLA_SRC} not found"}
    if VANILLA_DIR.exists():
        shutil.rmtree(VANILLA_DIR)
    shutil.copytree(VANILLA_SRC, VANILLA_DIR, ignore=shutil.ignore_patterns("__pycache__"))
    (VANILLA_DIR / "steps_sql.py").write_text(VANILLA_STEPS, encoding="utf-8")
    _db_create(VANILLA_DB)
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update(
        {
            "BENCH_DB": "postgres",
            "BENCH_PG_HOST": "127.0.0.1",
            "BENCH_PG_PORT": "5432",
            "BENCH_PG_USER": "postgres",
            "BENCH_PG_NAME": VANILLA_DB,
        }
    )

    def run(*argv, timeout=1800):
        log(f"  vanilla: python {' '.join(argv)}")
        t = time.perf_counter()
        proc = subprocess.run(
            [python, *argv], cwd=VANILLA_DIR, env=env, capture_output=True, text=True, timeout=timeout
        )
        if proc.returncode != 0:
            raise RuntimeError(f"vanilla {argv} failed: {proc.stderr[-2000:]}")
        log(f"  vanilla: done in {time.perf_counter() - t:.0f} s")
        return json.loads(proc.stdout[proc.stdout.index("{") :])

    out = {"dir": str(VANILLA_DIR), "db": VANILLA_DB}
    run("bench.py", "setup")
    if "P3" in parts:
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{VANILLA_DB}") as conn:
            have = conn.execute("SELECT count(*) FROM cases_caseprocess").fetchone()[0]
        if have < processes:
            out["load"] = run("bench.py", "load", "--processes", str(processes - have), timeout=3600)
        out["queries"] = run(
            "bench.py",
            "queries",
            "--runs",
            str(query_runs),
            "--only",
            "inbox_user",
            "inbox_heavy",
            "queue_member_viewflow",
            "queue_supervisor_viewflow",
            "queue_member_by_team",
            "cases_guardian_direct_fk",
        )
        for q in out["queries"]["queries"].values():
            q.pop("sql_first_run", None)
    if "P1" in parts:
        out["flow_w2"] = run("bench.py", "flow", "--workers", "2", "--runs", str(runs))
        out["starts_w2"] = run(
            "bench.py", "flow", "--workers", "2", "--starts-only", "--n", "3000", "--runs", str(runs)
        )
    if "P2" in parts:
        out["steps"] = run("steps_sql.py", "100")
    return out


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------


def _ratio(ours, theirs) -> str:
    if ours is None or not theirs:
        return "—"
    return f"{ours / theirs:.2f}"


def table_rows(result: dict) -> list[dict]:
    """measure, median, p95, goal, met, vanilla figure, ratio (ours / vanilla)."""
    rows = []
    van = result.get("vanilla") or {}
    vq = (van.get("queries") or {}).get("queries", {})

    def add(measure, median, p95, goal, met, vanilla=None, ratio="—", unit="ms"):
        rows.append(
            {
                "measure": measure,
                "median": median,
                "p95": p95,
                "goal": goal,
                "met": None if met is None else bool(met),
                "vanilla": vanilla,
                "ratio": ratio,
                "unit": unit,
            }
        )

    intake = result.get("P1P2") or {}
    if "P1" in result["selected"]:
        v_starts = (van.get("starts_w2") or {}).get("median_processes_per_s")
        v_flow = (van.get("flow_w2") or {}).get("median_processes_per_s")
        for sms in ("queued", "noop", "console"):
            runs = [r for r in intake.get("p1", []) if r["clients"] == 2 and r["sms"] == sms]
            if not runs:
                continue
            best = max(runs, key=lambda r: r["per_s"])
            add(
                f"P1 complaints accepted/s, 2 clients, {sms} SMS (bench.intake, best of {len(runs)}: "
                f"{', '.join(str(r['per_s']) for r in runs)})",
                best["per_s"],
                None,
                GOALS["P1"],
                best["per_s"] >= 300,
                f"{v_starts} starts/s" if v_starts else None,
                _ratio(best["per_s"], v_starts),
                "/s",
            )
        if v_flow:
            add(
                "P1 (vanilla full case: start+claim+2 executes, 2 workers)",
                None,
                None,
                "",
                None,
                f"{v_flow} cases/s",
                "—",
                "/s",
            )
    if "P2" in result["selected"]:
        steps = van.get("steps") or {}
        vmap = {"claim": "claim", "complete_accept": "triage", "complete_refuse": "triage", "complete": "triage"}
        best_p2 = {}
        for r in intake.get("p2", []):
            if r["sms"] in ("noop", "queued") and (
                r["kind"] not in best_p2 or r["latency"]["p95_ms"] < best_p2[r["kind"]]["latency"]["p95_ms"]
            ):
                best_p2[r["kind"]] = r
        for r in best_p2.values():
            v = steps.get(vmap.get(r["kind"], ""), {})
            add(
                f"P2 {r['kind']} statements (bench.intake)",
                r["statements"],
                None,
                GOALS["P2_statements"],
                r["statements"] <= 8,
                v.get("statements_median"),
                _ratio(r["statements"], v.get("statements_median")),
                "",
            )
            add(
                f"P2 {r['kind']} latency (bench.intake)",
                r["latency"]["median_ms"],
                r["latency"]["p95_ms"],
                GOALS["P2_p95"],
                r["latency"]["p95_ms"] <= 10,
                v.get("p95_ms"),
                _ratio(r["latency"]["p95_ms"], v.get("p95_ms")),
            )
        for kind, a in (result.get("P2@1M") or {}).items():
            v = steps.get(vmap[kind], {})
            add(
                f"P2@1M {kind} statements",
                a["statements_median"],
                None,
                GOALS["P2_statements"],
                a["statements_median"] <= 8,
                v.get("statements_median"),
                _ratio(a["statements_median"], v.get("statements_median")),
                "",
            )
            add(
                f"P2@1M {kind} latency",
                a["latency"]["median_ms"],
                a["latency"]["p95_ms"],
                GOALS["P2_p95"],
                a["latency"]["p95_ms"] <= 10,
                v.get("p95_ms"),
                _ratio(a["latency"]["p95_ms"], v.get("p95_ms")),
            )
    if "P3" in result["selected"]:
        vanilla_for = {"inbox": "inbox_heavy", "queue": "queue_member_viewflow", "cases": "cases_guardian_direct_fk"}
        for mode in ("shipped", "indexes"):
            data = result.get(f"P3 {mode}")
            if not data:
                continue
            tag = "as shipped" if mode == "shipped" else "+ proposed indexes"
            for name in ("inbox", "queue", "cases"):
                entries = {k.split(" / ")[1]: e for k, e in data.items() if k.startswith(name + " /") and "first" in e}
                if not entries:
                    continue
                stmts = sorted({e[w]["statements"] for e in entries.values() for w in ("first", "deep")})
                for which in ("first", "deep"):
                    user, e = max(entries.items(), key=lambda kv: kv[1][which]["p95_ms"])
                    f = e[which]
                    vv = (
                        vq.get(vanilla_for[name], {})
                        .get("first_page" if which == "first" else "keyset_deep_page", {})
                        .get("p95_ms")
                    )
                    page = "first page" if which == "first" else "deep page (keyset)"
                    add(
                        f"P3 {name} {page}, worst of {len(entries)} users: {user} (page {f['page_no']}), "
                        f"{'/'.join(map(str, stmts))} stmts, {tag}",
                        f["median_ms"],
                        f["p95_ms"],
                        GOALS["P3"],
                        f["p95_ms"] <= 15,
                        vv,
                        _ratio(f["p95_ms"], vv),
                    )
    if "P4" in result["selected"] and result.get("P4"):
        p = result["P4"]
        for v in p["verify"]:
            add(
                f"P4 verify_timeline --jobs {v['jobs']}, {v['events']:,} events ({v['events_per_s']:,}/s)",
                v["seconds"],
                None,
                GOALS["P4_verify"],
                v["seconds"] <= 10 and v["ok"],
                None,
                "—",
                "s",
            )
        for page in ("case page", "case page, proposed deadlines_for", "timeline page"):
            if page in p["pages"]:
                f = p["pages"][page]
                add(
                    f"P4 {page}, {p['pages']['events']} events ({f['statements']} stmts)",
                    f["median_ms"],
                    f["p95_ms"],
                    GOALS["P4_page"],
                    f["p95_ms"] <= 50,
                )
    if "P5" in result["selected"] and result.get("P5"):
        p = result["P5"]
        for name, f in p.items():
            if not isinstance(f, dict) or "seconds" not in f:
                continue
            stmts = f" ({f['statements']} stmts)" if f.get("statements") else ""
            add(
                f"P5 sweep {f['open_deadlines']:,} open, {f['overdue']:,} due: {name}{stmts}",
                f["seconds"],
                None,
                GOALS["P5"],
                f["seconds"] <= 2,
                None,
                "—",
                "s",
            )
    if "P6" in result["selected"] and result.get("P6"):
        p = result["P6"]
        if "pending" in p:
            add(f"P6 dashboard: pending ({p['pending'][:60]})", None, None, GOALS["P6"], None)
        else:
            for label in ("province", "city", "county"):
                f = p[label]
                add(
                    f"P6 dashboard {label}, a year ({f['statements']} stmts)",
                    f["median_ms"],
                    f["p95_ms"],
                    GOALS["P6"],
                    f["p95_ms"] <= 200,
                )
    if "P7" in result["selected"] and result.get("P7") and "skipped" not in result["P7"]:
        p = result["P7"]
        for name, goal in (
            ("inbox page (HTML)", "P7_inbox"),
            ("task list API", "P7_inbox"),
            ("claim API", None),
            ("completion API", "P7_complete"),
        ):
            f = p.get(name)
            if not f:
                continue
            add(
                f"P7 {name}: {f['requests']} requests, {f['per_s']}/s, {f['non2xx']} non-2xx",
                f["median_ms"],
                f["p95_ms"],
                GOALS[goal] if goal else "",
                (f["p95_ms"] <= (50 if goal == "P7_inbox" else 40) and not f["non2xx"]) if goal else None,
            )
    return rows


def p3_detail(result: dict) -> str:
    """Markdown: every user and list, first and deep page, p95 ms (statements), both modes."""
    modes = [m for m in ("shipped", "indexes") if result.get(f"P3 {m}")]
    if not modes:
        return ""
    head = (
        "| list / user | "
        + " | ".join(
            f"{'first' if w == 'first' else 'deep'} p95, {'as shipped' if m == 'shipped' else '+ indexes'}"
            for m in modes
            for w in ("first", "deep")
        )
        + " |"
    )
    lines = [head, "|---|" + "---:|" * (2 * len(modes))]
    for key in result[f"P3 {modes[0]}"]:
        cells = []
        for m in modes:
            e = result[f"P3 {m}"].get(key, {})
            for w in ("first", "deep"):
                f = e.get(w)
                cells.append(f"{f['p95_ms']} ({f['statements']}; p.{f['page_no']})" if f else "—")
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.2f}" if v < 1000 else f"{v:,.0f}"
    return str(v)


def render(rows: list[dict]) -> str:
    head = (
        f"{'measure':<92} {'median':>9} {'p95':>9} {'unit':>4}  {'goal':<10} {'met?':<5} {'vanilla':>16} {'ratio':>6}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        met = "—" if r["met"] is None else ("yes" if r["met"] else "NO")
        lines.append(
            f"{r['measure']:<92} {_fmt(r['median']):>9} {_fmt(r['p95']):>9} {r['unit']:>4}  {r['goal']:<10} "
            f"{met:<5} {_fmt(r['vanilla']):>16} {r['ratio']:>6}"
        )
    return "\n".join(lines)


def markdown(rows: list[dict]) -> str:
    lines = ["| measure | median | p95 | goal | met? | vanilla | ratio |", "|---|---:|---:|---|---|---:|---:|"]
    for r in rows:
        met = "—" if r["met"] is None else ("yes" if r["met"] else "**no**")
        unit = "" if r["unit"] in ("", "ms") else f" {r['unit']}"
        lines.append(
            f"| {r['measure']} | {_fmt(r['median'])}{unit if r['median'] is not None else ''} | "
            f"{_fmt(r['p95'])} | {r['goal']} | {met} | {_fmt(r['vanilla'])} | {r['ratio']} |"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------


def machine() -> dict:
    mem = next(
        (ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")), "0"
    )
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(int(mem) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "loadavg_start": os.getloadavg(),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/zhiqian_bench")
    parser.add_argument("--skip-generate", action="store_true", help="use the data as it is")
    parser.add_argument("--only", default="", help="comma-separated subset of P1..P7")
    parser.add_argument("--runs", type=int, default=30, help="timed runs per in-process measure")
    parser.add_argument("--vanilla", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--vanilla-processes", type=int, default=100_000)
    parser.add_argument("--vanilla-runs", type=int, default=3)
    parser.add_argument("--vanilla-query-runs", type=int, default=5)
    parser.add_argument("--p2-pairs", type=int, default=100, help="P2@1M claim+complete pairs")
    parser.add_argument("--http-seconds", type=int, default=15)
    parser.add_argument("--http-tasks", type=int, default=300, help="P7 tasks claimed and completed over HTTP")
    parser.add_argument("--http-workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--legacy-sweep",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="P5 also with timeline.record() per event (the code before record_many)",
    )
    parser.add_argument(
        "--explain",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="P3: EXPLAIN ANALYZE each first page into the JSON",
    )
    parser.add_argument(
        "--proposed-indexes",
        choices=["both", "off", "on"],
        default="both",
        help="P3 as shipped and/or with the proposed indexes (PROPOSED_INDEXES; P7 runs with them "
        "unless off; dropped at the end unless on)",
    )
    parser.add_argument(
        "--quiet",
        type=float,
        nargs=2,
        default=[30, 90],
        metavar=("PCT", "SECONDS"),
        help="before each phase wait up to SECONDS for the machine to be at most PCT %% busy",
    )
    args = parser.parse_args(argv)
    selected = [p.strip().upper() for p in args.only.split(",") if p.strip()] or list(ALL)
    if unknown := set(selected) - set(ALL):
        parser.error(f"--only: unknown {sorted(unknown)}")
    if urlparse(args.db).scheme not in ("postgres", "postgresql"):
        parser.error("--db must be a postgres:// URL")

    os.environ["DATABASE_URL"] = args.db
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.pop("ZHIQIAN_ENV", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ["ZHIQIAN_SMS_BACKEND"] = "bench.sms.NoopSMSBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    assert not settings.DEBUG and settings.CELERY_TASK_ALWAYS_EAGER
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - viewflow's node.reverse() needs the URLconf loaded

    started = time.time()
    today = date.today().isoformat()
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        server = "PostgreSQL " + cur.fetchone()[0]
        cur.execute(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
            "('shared_buffers', 'work_mem', 'effective_cache_size', 'synchronous_commit', 'max_connections')"
        )
        pg_settings = dict(cur.fetchall())
    result = {
        "date": today,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "command": "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:]),
        "db": {"url": args.db, "server": server, "settings": pg_settings},
        "machine": machine(),
        "code": code_label(with_root=False),
        "selected": selected,
    }
    if not args.skip_generate:
        result["data"] = ensure_data()
    else:
        from .generate_tasks import describe

        result["data"] = {"shape": describe()}
    log(f"data: {result['data']['shape']}")
    users = bench_users()
    result["users"] = {k: v[1] for k, v in users.items()}

    if "P1" in selected or "P2" in selected:
        result["P1P2"] = intake_figures(sys.executable)
    if "P2" in selected:
        result["P2@1M"] = p2_at_scale(args.p2_pairs)
    quiet = tuple(args.quiet)
    result["busy"] = {}
    if "P3" in selected:
        modes = {"both": ("shipped", "indexes"), "off": ("shipped",), "on": ("indexes",)}[args.proposed_indexes]
        for mode in modes:
            result["index_build_s"] = indexes(create=mode == "indexes")
            log(f"P3: lists ({'with the proposed indexes' if mode == 'indexes' else 'as shipped'})")
            before = wait_quiet(*quiet, f"P3 {mode}")
            with Phase() as phase:
                result[f"P3 {mode}"] = p3(users, args.runs)
            result["busy"][f"P3 {mode}"] = {"before": before, "during": phase.busy}
            if args.explain:
                result[f"P3_explain {mode}"] = explain(users)
    if {"P7"} & set(selected) and args.proposed_indexes != "off":
        indexes(create=True)
    if "P4" in selected:
        log("P4: timeline verification over 1,000,000 events")
        result["busy"]["P4"] = {"before": wait_quiet(*quiet, "P4")}
        verify = []
        for jobs in (1, os.cpu_count() or 2):
            verify.append(p4_verify(jobs=jobs))
            log(f"  P4 verify --jobs {jobs}: {verify[-1]}")
        result["P4"] = {"verify": verify, "pages": p4_pages(args.runs)}
    if "P5" in selected:
        log("P5: deadline sweep")
        result["busy"]["P5"] = {"before": wait_quiet(*quiet, "P5")}
        result["P5"] = p5(args.legacy_sweep)
    if "P6" in selected:
        log("P6: dashboard")
        result["busy"]["P6"] = {"before": wait_quiet(*quiet, "P6")}
        try:
            result["P6"] = p6(args.runs)
        except Exception as exc:  # noqa: BLE001 - the dashboard is being built by another engineer
            log(f"P6 failed: {type(exc).__name__}: {exc}")
            result["P6"] = {"pending": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}
    if "P7" in selected:
        log("P7: HTTP")
        result["busy"]["P7"] = {"before": wait_quiet(*quiet, "P7")}
        result["P7"] = p7(args.db, users, seconds=args.http_seconds, n_tasks=args.http_tasks, workers=args.http_workers)
    if args.proposed_indexes != "on" or "P3" not in selected:
        indexes(create=False)  # leave the bench database with the schema's indexes only
    if args.vanilla and {"P1", "P2", "P3"} & set(selected):
        log("vanilla viewflow 2.4 baseline")
        result["busy"]["vanilla"] = {"before": wait_quiet(*quiet, "the vanilla baseline")}
        try:
            result["vanilla"] = vanilla(
                sys.executable,
                set(selected),
                processes=args.vanilla_processes,
                runs=args.vanilla_runs,
                query_runs=args.vanilla_query_runs,
            )
        except Exception as exc:  # noqa: BLE001 - reported, the rest of the table stands
            log(f"vanilla failed: {exc}")
            result["vanilla"] = {"error": str(exc)}
    result["machine"]["loadavg_end"] = os.getloadavg()
    result["seconds"] = round(time.time() - started)
    rows = table_rows(result)
    result["table"] = rows
    result["table_markdown"] = markdown(rows)
    result["p3_detail_markdown"] = p3_detail(result)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"run-{today}-postgres.json"
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    m = result["machine"]
    print(
        f"\nzhiqian benchmark suite — {today} — {server} — {m['nproc']} CPUs, {m['memory_gb']} GB — code "
        f"{result['code']}"
    )
    print(f"data: {result['data']['shape']}")
    print("ratio = ours / vanilla viewflow 2.4 (same machine, same run; times: lower is better, rates: higher)\n")
    print(render(rows))
    detail = p3_detail(result)
    if detail:
        print("\nP3 per user: p95 ms (statements; page number)\n" + detail)
    print(f"\nJSON: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
