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
- vanilla: the baseline project ($ZHIQIAN_VANILLA_SRC) copied to /tmp/bench-vanilla-suite (database
  zhiqian_bench_vanilla_suite): `flow --workers 2` (full case and starts only), statements per
  action, and its list queries at its own 100,000 cases (`load` once, then `queries`).
- A measure that cannot run here (P7 without `wrk`, the baseline without its directory) keeps a row
  in the table with the reason. Measures: bench/measures/ (one module each, `run(ctx) -> dict`);
  the table: bench/report.py; shared helpers: bench/common.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from types import SimpleNamespace
from urllib.parse import urlparse

from bench.common import NOOP_SMS, RESULTS, ROOT, Unavailable, add_quiet_option, code_label, log, machine, wait_quiet

ALL = ("P1", "P2", "P3", "P4", "P5", "P6", "P7")


def parse(argv) -> argparse.Namespace:
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
    add_quiet_option(parser, default=[30, 90], what="phase")
    args = parser.parse_args(argv)
    selected = [p.strip().upper() for p in args.only.split(",") if p.strip()] or list(ALL)
    if unknown := set(selected) - set(ALL):
        parser.error(f"--only: unknown {sorted(unknown)}")
    if urlparse(args.db).scheme not in ("postgres", "postgresql"):
        parser.error("--db must be a postgres:// URL")
    args.selected = selected
    return args


def setup(db: str) -> tuple[str, dict]:
    """DEBUG off, Celery eager, the no-op SMS backend, Django set up on `db`: (server, its settings)."""
    os.environ["DATABASE_URL"] = db
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.pop("ZHIQIAN_ENV", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ["ZHIQIAN_SMS_BACKEND"] = NOOP_SMS
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.urls import get_resolver

    assert not settings.DEBUG and settings.CELERY_TASK_ALWAYS_EAGER
    get_resolver().url_patterns  # noqa: B018 - viewflow's node.reverse() needs the URLconf loaded
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        server = "PostgreSQL " + cur.fetchone()[0]
        cur.execute(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
            "('shared_buffers', 'work_mem', 'effective_cache_size', 'synchronous_commit', 'max_connections')"
        )
        return server, dict(cur.fetchall())


def measure(module, ctx) -> dict:
    """One measure's results, or {"skipped": reason} when it cannot run here (the table says why)."""
    try:
        return module.run(ctx)
    except Unavailable as exc:
        log(f"{module.__name__}: cannot run: {exc}")
        return {"skipped": str(exc)}


def main(argv=None) -> int:
    args = parse(argv)
    selected = args.selected
    server, pg_settings = setup(args.db)
    from bench import report
    from bench.measures import data, p1, p2, p3, p4, p5, p6, p7, vanilla

    started = time.time()
    today = date.today().isoformat()
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
        result["data"] = data.ensure_data()
    else:
        from bench.generate_tasks import describe

        result["data"] = {"shape": describe()}
    log(f"data: {result['data']['shape']}")
    users = data.bench_users()
    result["users"] = {k: v[1] for k, v in users.items()}
    ctx = SimpleNamespace(args=args, db=args.db, users=users, python=sys.executable, selected=selected)

    if "P1" in selected or "P2" in selected:
        result["P1P2"] = measure(p1, ctx)
    if "P2" in selected:
        result["P2@1M"] = measure(p2, ctx)
    quiet = tuple(args.quiet)
    result["busy"] = {}
    if "P3" in selected:
        lists = p3.run(ctx)
        result["busy"].update(lists.pop("busy"))
        result.update(lists)
    if {"P7"} & set(selected) and args.proposed_indexes != "off":
        p3.indexes(create=True)
    for name, module, what in (
        ("P4", p4, "timeline verification over 1,000,000 events"),
        ("P5", p5, "deadline sweep"),
        ("P6", p6, "dashboard"),
        ("P7", p7, "HTTP"),
    ):
        if name not in selected:
            continue
        log(f"{name}: {what}")
        result["busy"][name] = {"before": wait_quiet(*quiet, name)}
        if name == "P6":
            try:
                result[name] = measure(module, ctx)
            except Exception as exc:  # noqa: BLE001 - the dashboard is being built by another engineer
                log(f"P6 failed: {type(exc).__name__}: {exc}")
                result[name] = {"pending": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}
        else:
            result[name] = measure(module, ctx)
    if args.proposed_indexes != "on" or "P3" not in selected:
        p3.indexes(create=False)  # leave the bench database with the schema's indexes only
    if args.vanilla and {"P1", "P2", "P3"} & set(selected):
        log("vanilla viewflow 2.4 baseline")
        result["busy"]["vanilla"] = {"before": wait_quiet(*quiet, "the vanilla baseline")}
        try:
            result["vanilla"] = measure(vanilla, ctx)
        except Exception as exc:  # noqa: BLE001 - reported, the rest of the table stands
            log(f"vanilla failed: {exc}")
            result["vanilla"] = {"error": str(exc)}
    result["machine"]["loadavg_end"] = os.getloadavg()
    result["seconds"] = round(time.time() - started)
    rows = report.table_rows(result)
    result["table"] = rows
    result["table_markdown"] = report.markdown(rows)
    result["p3_detail_markdown"] = report.p3_detail(result)
    path = report.write_json(result, RESULTS / f"run-{today}-postgres.json")
    report.print_report(result, path, ROOT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
