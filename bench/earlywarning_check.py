"""Benchmark of issue 16's monthly wage check at province scale (docs/performance-earlywarning.md).

Builds N projects under construction with W rostered workers each (projects, units, persons and workers by
bench.projects_payroll._generate, through cases.bulk's COPY), then one month of attendance, wage sheets,
payment lines, wage accounts and labour-cost transfers for all of them, set-based in PostgreSQL, with a
realistic share of defects (below), and measures in one run:

- the set-based check (earlywarning.checks.run.month_set_check) over every project: first run (signals
  raised), second run (nothing changes); wall time and statements, and the statements for a 100-project
  subset of the same data (they must be equal);
- the per-project ORM loop (projects_check_loop: load_month + the rules + signal_raise one by one) over a
  sample, first run (the sample's signals deleted before) and again, extrapolated to N projects;
- the coverage page (indicators:coverage) of the province as a provincial leader, Django test client: p50/p95
  over 30 requests after 3 of warm-up, after indicators' nightly refresh (timed too).

Each figure is printed with /proc/loadavg at the time (the machine is shared).

    createdb -h 127.0.0.1 -U postgres zhiqian_ewcheck_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhiqian_ewcheck_bench ZHIQIAN_DASHBOARD_LIVE=0 \\
        .venv/bin/python -m bench.earlywarning_check --projects 20000 --workers 50

Defects (per project by its rank n, per worker by its id k = id % 1000): no notice board n%100==0; no wage
account n%100==1; labour costs late (orange) n%100 in 2,3 and missing (red) n%100==4; no labour-contract
date k<20 (2 %); paid below the minimum wage k in 20..24; no wage-sheet line k in 25..29; not paid k in
30..39; paid below the sheet k in 40..49; paid outside the wage account k in 50..69; the same person paid on
the next project too k in 70..71 (a second worker-month there).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date, datetime
from datetime import time as dtime

MONTH = date(2026, 5, 1)
TODAY = date(2026, 6, 25)


def _load() -> str:
    return open("/proc/loadavg").read().split(" ", 3)[:3].__repr__()


def _month_data(tag: str) -> dict:
    """The month's rows for the bench projects, set-based in SQL (seconds for a million rows)."""
    from django.db import connection

    from cases.bulk import bulk_insert
    from projects.models import Project, WageAccount

    like = f"B{tag}-%"
    with connection.cursor() as c:
        c.execute("DROP TABLE IF EXISTS bench_p")
        c.execute(
            "CREATE TEMP TABLE bench_p AS SELECT p.id, row_number() OVER (ORDER BY p.id) - 1 AS n, u.id AS unit_id"
            " FROM projects_project p JOIN projects_projectunit u ON u.project_id = p.id AND u.role = 'general'"
            " WHERE p.project_no LIKE %s",
            [like],
        )
        c.execute("CREATE INDEX ON bench_p (id)")
        c.execute("ANALYZE bench_p")
        c.execute(
            "UPDATE projects_project p SET status = %s, contract_signed_on = '2026-01-05', start_on = '2026-01-20',"
            " notice_board_posted_on = CASE WHEN b.n %% 100 = 0 THEN NULL ELSE DATE '2026-01-25' END"
            " FROM bench_p b WHERE b.id = p.id",
            [Project.Status.UNDER_CONSTRUCTION],
        )
        c.execute(
            "UPDATE projects_worker w SET contract_signed_on = CASE WHEN w.id %% 1000 < 20 THEN NULL"
            " ELSE DATE '2026-01-15' END, entered_on = '2026-01-20' FROM bench_p b WHERE b.id = w.project_id",
            [],
        )
        # the same person on the next project, paid there too (double_paid)
        c.execute(
            "INSERT INTO projects_worker (project_id, person_id, unit_id, team, trade, bank, bank_card,"
            " contract_signed_on, entered_on)"
            " SELECT nb.id, w.person_id, nb.unit_id, '', '', '', w.bank_card, DATE '2026-01-15', DATE '2026-01-20'"
            " FROM projects_worker w JOIN bench_p b ON b.id = w.project_id"
            " JOIN bench_p nb ON nb.n = (b.n + 1) %% (SELECT COUNT(*) FROM bench_p)"
            " WHERE w.id %% 1000 BETWEEN 70 AND 71",
            [],
        )
        twins = c.rowcount
        c.execute(
            "INSERT INTO projects_attendance (worker_id, month, days) SELECT w.id, %s, 15 + w.id %% 8"
            " FROM projects_worker w JOIN bench_p b ON b.id = w.project_id",
            [MONTH],
        )
        c.execute(
            "INSERT INTO projects_wagesheetline (worker_id, unit_id, month, days, amount_due, amount_net, signed)"
            " SELECT w.id, w.unit_id, %s, 15 + w.id %% 8, a, a, true FROM ("
            "  SELECT w.*, CASE WHEN w.id %% 1000 BETWEEN 20 AND 24 THEN 1000 ELSE 6000 END AS a"
            "  FROM projects_worker w JOIN bench_p b ON b.id = w.project_id) w"
            " WHERE w.id %% 1000 NOT BETWEEN 25 AND 29",
            [MONTH],
        )
        c.execute(
            "INSERT INTO projects_paymentline (worker_id, month, amount, paid_on, via_account, on_behalf, memo)"
            " SELECT w.id, %s, CASE WHEN w.id %% 1000 BETWEEN 20 AND 24 THEN 1000"
            "  WHEN w.id %% 1000 BETWEEN 40 AND 49 THEN 5000 ELSE 6000 END, DATE '2026-06-15',"
            "  w.id %% 1000 NOT BETWEEN 50 AND 69, true, '工资'"
            " FROM projects_worker w JOIN bench_p b ON b.id = w.project_id"
            " WHERE w.id %% 1000 NOT BETWEEN 30 AND 39",
            [MONTH],
        )
        c.execute("SELECT id, n FROM bench_p WHERE n %% 100 <> 1 ORDER BY id", [])
        with_account = c.fetchall()
    accounts = bulk_insert(
        WageAccount,
        [WageAccount(project_id=pk, bank="工商银行", account_no="6222000011112222", opened_on=date(2026, 1, 10))
         for pk, _n in with_account],
    )  # fmt: skip
    rank = {pk: n for pk, n in with_account}
    with connection.cursor() as c:
        rows = []
        for account in accounts:
            n = rank[account.project_id] % 100
            if n == 4:
                continue  # no labour costs at all: red
            received = date(2026, 6, 15) if n in (2, 3) else date(2026, 6, 8)
            rows.append((account.pk, MONTH, 300000, received))
        with c.cursor.copy(
            "COPY projects_labourcosttransfer (account_id, month, amount, received_on) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        c.execute("ANALYZE")
        c.execute(
            "SELECT COUNT(*) FROM projects_attendance a JOIN projects_worker w ON w.id = a.worker_id"
            " JOIN bench_p b ON b.id = w.project_id WHERE a.month = %s",
            [MONTH],
        )
        worker_months = c.fetchone()[0]
    return {"worker_months": worker_months, "double_paid_twins": twins, "accounts": len(accounts)}


def _timed(label: str, fn, out: dict) -> object:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.common import proc_cpu

    with connection.cursor() as c:
        c.execute("SELECT pg_backend_pid()")
        backend = c.fetchone()[0]
    with CaptureQueriesContext(connection) as ctx:
        cpu0, db0 = time.process_time(), proc_cpu(backend)
        t0 = time.perf_counter()
        value = fn()
        seconds = time.perf_counter() - t0
        cpu, db = time.process_time() - cpu0, proc_cpu(backend) - db0
    out[label] = {
        "seconds": round(seconds, 2),
        # CPU seconds of this process and of its PostgreSQL backend: what the run costs whatever the load
        "cpu_python_s": round(cpu, 2),
        "cpu_postgres_s": round(db, 2),
        "statements": len(ctx.captured_queries),
        "loadavg": _load(),
    }
    slowest = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:6]
    out[label]["slowest"] = [f"{float(q['time']):.2f}s {' '.join(q['sql'].split())[:90]}" for q in slowest]
    print(f"  {label}: {out[label]}", file=sys.stderr, flush=True)
    return value


def _page(runs: int, out: dict) -> None:
    from django.test import Client
    from django.urls import reverse

    from cases.accounts import staff_create
    from cases.models import Region, Role
    from indicators.compute import coverage_refresh

    t0 = time.perf_counter()
    coverage_refresh(months=[MONTH], count=1)
    out["coverage_refresh"] = {"seconds": round(time.perf_counter() - t0, 2), "loadavg": _load()}
    leader = staff_create(username=f"bench_leader_{int(time.time())}", region=Region.objects.get(code="360000"),
                          role=Role.LEADER)  # fmt: skip
    client = Client()
    client.force_login(leader)
    url = f"{reverse('indicators:coverage')}?region=360000&month={MONTH:%Y-%m}"
    times = []
    for n in range(runs + 3):
        t1 = time.perf_counter()
        response = client.get(url, HTTP_HOST="127.0.0.1")
        if n >= 3:
            times.append((time.perf_counter() - t1) * 1000)
        assert response.status_code == 200, response.status_code
    times.sort()
    out["coverage_page"] = {
        "runs": runs,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "max_ms": round(times[-1], 1),
        "loadavg": _load(),
    }
    print(f"  coverage_page: {out['coverage_page']}", file=sys.stderr, flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--sample", type=int, default=200, help="projects of the per-project loop")
    parser.add_argument("--page", type=int, default=30, help="requests of the coverage page")
    parser.add_argument("--page-only", action="store_true", help="only the coverage page, over the data there is")
    parser.add_argument("--reuse", default="", help="the tag of an earlier run's data (its project numbers B<tag>-…)")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("DATABASE_URL=postgres://… is needed (COPY)", file=sys.stderr)
        return 2
    os.environ.setdefault("ZHIQIAN_DASHBOARD_LIVE", "0")  # production: the nightly refresh, not eager
    from bench.projects_payroll import _generate, _setup

    _setup()
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from earlywarning.checks.run import month_set_check, projects_check_loop
    from earlywarning.models import Signal
    from projects.models import Project

    if args.page_only:
        page: dict = {"loadavg_start": _load()}
        _page(args.page, page)
        print(json.dumps(page, ensure_ascii=False, indent=2, default=str))
        return 0
    out: dict = {"projects": args.projects, "workers_per_project": args.workers, "loadavg_start": _load()}
    if args.reuse:  # the data of an earlier run: its signals deleted, so that the first run raises them again
        tag = args.reuse
        Signal.objects.filter(project__project_no__startswith=f"B{tag}-").delete()
        out["reused"] = tag
    else:
        tag = str(int(time.time()))[-6:]
        t0 = time.perf_counter()
        _generate(args.projects, args.workers, tag)
        out["generate_roster_s"] = round(time.perf_counter() - t0, 1)
        t0 = time.perf_counter()
        out.update(_month_data(tag))
        out["generate_month_s"] = round(time.perf_counter() - t0, 1)
    print(f"  generated: {out}", file=sys.stderr, flush=True)

    projects = Project.objects.filter(project_no__startswith=f"B{tag}-")
    out["projects"] = projects.count()
    now = timezone.make_aware(datetime.combine(TODAY, dtime(9, 0)))

    def run(qs):
        return lambda: month_set_check(projects=qs, month=MONTH, now=now)

    first = _timed("set_first_run", run(projects), out)
    out["set_first_run"]["outcomes"] = first.outcomes
    again = _timed("set_second_run", run(projects), out)
    out["set_second_run"]["outcomes"] = again.outcomes
    subset = projects.filter(pk__in=projects.order_by("pk").values("pk")[:100])
    _timed("set_run_100_projects", run(subset), out)
    out["signals"] = Signal.objects.filter(project__in=projects).count()
    out["signals_by_rule"] = dict(
        sorted(Signal.objects.filter(project__in=projects).values_list("rule").annotate(n=Count("id")))
    )

    sample_ids = list(projects.order_by("pk").values_list("pk", flat=True)[: args.sample])
    sample = Project.objects.filter(pk__in=sample_ids)
    Signal.objects.filter(project__in=sample_ids).delete()
    loop_first = _timed("loop_first_run_sample", lambda: projects_check_loop(projects=sample, month=MONTH, now=now),
                        out)  # fmt: skip
    out["loop_first_run_sample"]["outcomes"] = loop_first.outcomes
    _timed("loop_second_run_sample", lambda: projects_check_loop(projects=sample, month=MONTH, now=now), out)
    for label in ("loop_first_run_sample", "loop_second_run_sample"):
        figure = out[label]
        figure["extrapolated_s"] = round(figure["seconds"] / len(sample_ids) * args.projects, 1)
        figure["extrapolated_statements"] = round(figure["statements"] / len(sample_ids) * args.projects)
    # the loop wrote the sample's signals again: the set-based run finds them unchanged
    check = _timed("set_after_loop", run(projects), out)
    out["set_after_loop"]["outcomes"] = check.outcomes

    _page(args.page, out)
    out["database"] = connection.vendor
    out["loadavg_end"] = _load()
    print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
