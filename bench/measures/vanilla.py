"""The vanilla django-viewflow 2.4 baseline: /work/shared/bench-vanilla copied to /tmp (the original is
read-only) and run on PostgreSQL in its own database. Unavailable when the directory is missing.

bench.run: `flow --workers 2` (full case, starts only), statements per step (BEGIN/COMMIT counted, as
bench.run counts ours) and its list queries at its own 100,000 cases. bench.intake: flows with 1 and 2
workers and statements per step as CaptureQueriesContext lists them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from bench.common import VANILLA_SRC, Unavailable, db_create, log

SUITE_DIR = Path("/tmp/bench-vanilla-suite")  # bench.run's copy (bench.intake rmtree's its own)
SUITE_DB = "zhiqian_bench_vanilla_suite"
INTAKE_DIR = Path("/tmp/bench-vanilla")
INTAKE_DB = "zhiqian_bench_vanilla"

STEPS_RUN = r"""
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

STEPS_INTAKE = r"""
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


def _prepare(where: Path, db: str, steps: str):
    """Copy the baseline to `where` with its steps script; return a runner of its commands (JSON out)."""
    if not VANILLA_SRC.exists():
        raise Unavailable(f"{VANILLA_SRC} not found")
    if where.exists():
        shutil.rmtree(where)
    shutil.copytree(VANILLA_SRC, where, ignore=shutil.ignore_patterns("__pycache__"))
    (where / "steps_sql.py").write_text(steps, encoding="utf-8")
    db_create(f"postgres://postgres@127.0.0.1:5432/{db}")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update(
        {
            "BENCH_DB": "postgres",
            "BENCH_PG_HOST": "127.0.0.1",
            "BENCH_PG_PORT": "5432",
            "BENCH_PG_USER": "postgres",
            "BENCH_PG_NAME": db,
        }
    )

    def run(python: str, *argv, timeout=1800):
        log(f"  vanilla: python {' '.join(argv)}")
        t = time.perf_counter()
        proc = subprocess.run([python, *argv], cwd=where, env=env, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"vanilla {argv} failed: {proc.stderr[-2000:]}")
        log(f"  vanilla: done in {time.perf_counter() - t:.0f} s")
        return json.loads(proc.stdout[proc.stdout.index("{") :])

    return run


def vanilla(python: str, parts: set[str], *, processes: int, runs: int, query_runs: int) -> dict:
    """bench.run's baseline: the parts its selected measures compare with."""
    cmd = _prepare(SUITE_DIR, SUITE_DB, STEPS_RUN)
    out = {"dir": str(SUITE_DIR), "db": SUITE_DB}
    cmd(python, "bench.py", "setup")
    if "P3" in parts:
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{SUITE_DB}") as conn:
            have = conn.execute("SELECT count(*) FROM cases_caseprocess").fetchone()[0]
        if have < processes:
            out["load"] = cmd(python, "bench.py", "load", "--processes", str(processes - have), timeout=3600)
        out["queries"] = cmd(
            python,
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
        out["flow_w2"] = cmd(python, "bench.py", "flow", "--workers", "2", "--runs", str(runs))
        out["starts_w2"] = cmd(
            python, "bench.py", "flow", "--workers", "2", "--starts-only", "--n", "3000", "--runs", str(runs)
        )
    if "P2" in parts:
        out["steps"] = cmd(python, "steps_sql.py", "100")
    return out


def vanilla_run(python: str, runs: int) -> dict:
    """bench.intake's baseline: flows with 1 and 2 workers, starts only, statements per step."""
    cmd = _prepare(INTAKE_DIR, INTAKE_DB, STEPS_INTAKE)
    out = {"dir": str(INTAKE_DIR), "db": INTAKE_DB}
    cmd(python, "bench.py", "setup", timeout=900)
    for workers in (2, 1):
        out[f"flow_w{workers}"] = cmd(python, "bench.py", "flow", "--workers", str(workers), "--runs", str(runs))
    for workers in (2, 1):
        out[f"starts_w{workers}"] = cmd(
            python, "bench.py", "flow", "--workers", str(workers), "--starts-only", "--n", "3000", "--runs", str(runs)
        )
    out["steps"] = cmd(python, "steps_sql.py", "100", timeout=900)
    return out


def run(ctx) -> dict:
    a = ctx.args
    return vanilla(
        ctx.python,
        set(ctx.selected),
        processes=a.vanilla_processes,
        runs=a.vanilla_runs,
        query_runs=a.vanilla_query_runs,
    )
