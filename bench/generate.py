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
import functools
import os
import random
import sys
import time

from bench.gen_cases import _Generator
from bench.gen_copy import (
    COLUMNS,
    SEQUENCE_TABLE,
    TABLES,
    _check_columns,
    _check_foreign_keys,
    _copy_plan,
    _CopyWorker,
    _reset,
    ensure_ready,
)
from bench.gen_values import BEIJING, START_DAY, UTC, BenchError, working_days

# the module's names as before the split (bench.generate_tasks, bench.measures.data and scripts import them)
__all__ = [
    "BEIJING",
    "COLUMNS",
    "SEQUENCE_TABLE",
    "START_DAY",
    "TABLES",
    "UTC",
    "BenchError",
    "_CopyWorker",
    "ensure_ready",
    "generate",
    "main",
    "working_days",
]


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
