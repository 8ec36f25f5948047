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
6. Optionally (--vanilla, default on) the plain-viewflow baseline: the baseline project ($ZHIQIAN_VANILLA_SRC) copied
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

Modules: the bodies bench/intake_world.py; P1, P2 and the listings bench/measures/intake_*.py; the
baseline bench/measures/vanilla.py; the report bench/report_intake.py; helpers bench/common.py.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

from bench.common import NOOP_SMS, RESULTS, ROOT, Unavailable, add_quiet_option, code_label, db_create, log, wait_quiet
from bench.intake_world import World, analyze, prepare_run, setup_database
from bench.measures.intake_listing import cpu_breakdown, profile_submissions, submission_listing
from bench.measures.intake_p1 import p1_run
from bench.measures.intake_p2 import p2_candidates, p2_run
from bench.measures.vanilla import vanilla_run
from bench.report_intake import report, vanilla_ratios

CONSOLE_SMS = "cases.notifications.ConsoleSMSBackend"
GOALS = {"p1_per_s": 300, "statements": 8, "p95_ms": 10}


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
    add_quiet_option(parser, default=[20, 180], what="measured phase")
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
        except Unavailable as exc:
            log(f"vanilla baseline: cannot run: {exc}")
            result["vanilla"] = {"skipped": str(exc)}
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
