"""Helpers shared by the benchmark suite's entry points (bench.run, bench.intake) and measures.

Timing (pct, summary_ms), statement counting (TxCounter, Counter, sql_log, capture, statements_of),
the machine's load (system_cpu, proc_cpu, wait_quiet, Phase, machine), PostgreSQL databases
(db_create), HTTP set-up (free_port, session_cookie), users (fresh_user) and code_label.
Nothing here imports Django at module level: the entry points set the environment first.
"""

from __future__ import annotations

import contextlib
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
# the plain viewflow 2.4 project the benchmarks run beside ours (not shipped with zhiqian): its checkout's path
VANILLA_SRC = Path(os.environ.get("ZHIQIAN_VANILLA_SRC", "/work/shared/bench-vanilla"))
NOOP_SMS = "bench.sms.NoopSMSBackend"


class Unavailable(Exception):
    """A measure that cannot run here (a tool or a directory missing): the table shows the reason."""


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------------------


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def summary_ms(seconds, *, brief: bool = False) -> dict:
    """Milliseconds: n, median, p95, p99, mean, max (3 decimals); `brief`: median, p95, n (2 decimals)."""
    if brief:
        ms = [s * 1000 for s in seconds]
        return {"median_ms": round(statistics.median(ms), 2), "p95_ms": round(pct(ms, 95), 2), "n": len(ms)}
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
# Statements
# ---------------------------------------------------------------------------------------------


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


class Counter(TxCounter):
    """One figure, `n`: every statement of this connection (SAVEPOINT/RELEASE included) plus BEGIN and
    COMMIT (rollbacks are not counted), as bench.run reports them."""

    @property
    def n(self) -> int:
        return self.statements + self.begins + self.commits


@contextlib.contextmanager
def sql_log(connection):
    statements = []

    def wrapper(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield statements


# ---------------------------------------------------------------------------------------------
# The machine
# ---------------------------------------------------------------------------------------------


def proc_cpu(pid) -> float:
    """CPU seconds (user + system) of a process on this machine, from /proc (0 if unreadable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def system_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def busy_pct(start: tuple[float, float], end: tuple[float, float]) -> float:
    return round(100 * (end[0] - start[0]) / max(1, end[1] - start[1]), 1)


def background_busy(seconds: float = 2.0) -> float:
    """% of the machine's CPU busy over `seconds` (others' work: tests, other benchmarks)."""
    a = system_cpu()
    time.sleep(seconds)
    return busy_pct(a, system_cpu())


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


class Phase:
    """Machine CPU busy % over a measured phase (ours included)."""

    def __enter__(self):
        self.start = system_cpu()
        return self

    def __exit__(self, *exc):
        self.busy = busy_pct(self.start, system_cpu())
        return False


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


# ---------------------------------------------------------------------------------------------
# Databases, HTTP, users
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session_cookie(user) -> str:
    """A logged-in session of `user` in the session table, as its Cookie header value."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def fresh_user(user_id):
    """A request's user object: loaded again, no cached grants."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user_id)


def add_quiet_option(parser, *, default: list[float], what: str) -> None:
    """--quiet PCT SECONDS: before each `what`, wait up to SECONDS for the machine to be at most PCT % busy."""
    parser.add_argument(
        "--quiet",
        type=float,
        nargs=2,
        default=default,
        metavar=("PCT", "SECONDS"),
        help=f"before each {what} wait up to SECONDS for the machine to be at most PCT %% busy",
    )
