"""EXPLAIN the "cases I may see" list for three staff users, and time it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhiqian_bench .venv/bin/python -m bench.explain

For a province leader (360000), a city leader (360300) and a county clerk (360302) — created
with cases.services.staff_create if missing, no passwords — it prints, for the first page and
for page 40 of cases.selectors.case_list_for_user(user), exactly the query that
cases.selectors.keyset_page executes (qs[:26], and qs.filter(pk__lt=<last id of page 39>)[:26]):
its SQL, its EXPLAIN (ANALYZE, BUFFERS), and over --runs runs the median wall time of
evaluating it through the ORM, the median "Execution Time" PostgreSQL reports, and the median
of the whole request-side read (fresh user: scope look-ups + the page).
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import statistics
import sys
import time

USERS = (
    # username, region code, role, label
    ("bench_province_leader", "360000", "leader", "province leader 360000"),
    ("bench_city_leader", "360300", "leader", "city leader 360300"),
    ("bench_county_clerk", "360302", "clerk", "county clerk 360302"),
)
PAGE = 40


def stress_users() -> tuple:
    """--stress: subtree roles over the SMALLEST subtrees (a county leader, a city leader), where a
    backward scan of the case table needs the most rows to find 26 visible ones; and a leader of a
    province with no cases at all (Beijing's regions are loaded for it if missing): the worst case."""
    from django.core.management import call_command
    from django.db.models import Count

    from cases.models import Case, Region

    counts = dict(Case.objects.values_list("region_id").annotate(n=Count("id")).values_list("region_id", "n"))
    regions = list(Region.objects.filter(code__startswith="36"))
    county = min((r for r in regions if r.level == "county"), key=lambda r: counts.get(r.pk, 0))

    def subtree(city):
        return sum(counts.get(r.pk, 0) for r in regions if r.path.startswith(city.path))

    city = min((r for r in regions if r.level == "city"), key=subtree)
    if not Region.objects.filter(code="110000").exists():
        call_command("load_regions", province="110000")
    return (
        ("bench_small_county_leader", county.code, "leader", f"county leader {county.code} (smallest county)"),
        ("bench_small_city_leader", city.code, "leader", f"city leader {city.code} (smallest city)"),
        ("bench_empty_province_leader", "110000", "leader", "province leader 110000 (no cases)"),
    )


def ensure_users(specs=USERS):
    from django.contrib.auth import get_user_model

    from cases.models import Region, StaffRole
    from cases.services import staff_create

    users = []
    for username, code, role, label in specs:
        region = Region.objects.get(code=code)
        if not StaffRole.objects.filter(user__username=username, region=region, role=role).exists():
            staff_create(username=username, region=region, role=role, full_name=label)
        users.append((get_user_model().objects.get(username=username), region, label))
    return users


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _execution_ms(plan: str) -> float:
    return float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))


def measure(make_qs, runs: int) -> dict:
    """make_qs() -> a fresh, unevaluated queryset. Returns plan, SQL and medians (ms)."""
    qs = make_qs()
    sql = str(qs.query)
    rows = list(make_qs())  # warm-up (also: what the page shows)
    plan = make_qs().explain(analyze=True, buffers=True)
    orm, db = [], []
    for _ in range(runs):
        t = time.perf_counter()
        list(make_qs())
        orm.append(time.perf_counter() - t)
        db.append(_execution_ms(make_qs().explain(analyze=True)))
    return {
        "sql": sql,
        "plan": plan,
        "rows": len(rows),
        "orm_median_ms": _ms(statistics.median(orm)),
        "orm_min_ms": _ms(min(orm)),
        "orm_max_ms": _ms(max(orm)),
        "db_median_ms": round(statistics.median(db), 3),
    }


def _page(qs, before: int | None, size: int):
    """What cases.selectors.keyset_page evaluates: qs[:size + 1], after the id `before`."""
    return (qs.filter(pk__lt=before) if before else qs)[: size + 1]


def _fresh_page(user_pk: int, before: int | None, size: int):
    """The same page for a fresh user object: the scope look-ups (grants, exceptions) run again."""
    from django.contrib.auth import get_user_model

    from cases import selectors

    return _page(selectors.case_list_for_user(get_user_model().objects.get(pk=user_pk)), before, size)


def run(runs: int = 20, out=print, stress: bool = False) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from cases import selectors
    from cases.models import Case

    results = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        out(f"# {cursor.fetchone()[0]}")
    out(
        f"# cases in the database: {Case.objects.count():,}; runs per query: {runs}; "
        f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    size = selectors.PAGE_SIZE
    for user, _region, label in ensure_users(USERS + (stress_users() if stress else ())):
        # Same user object across runs, as within one request: scope look-ups cached on it.
        base = selectors.case_list_for_user(get_user_model().objects.get(pk=user.pk))
        cursor_id = None
        for _ in range(PAGE - 1):  # the cursor after page 39 = the id of its last row
            _, cursor_id = selectors.keyset_page(base, before=cursor_id)
            if cursor_id is None:
                break
        visible = base.count()
        out("")
        out("=" * 100)
        out(f"## {label} ({user.username}): {visible:,} cases visible")
        result = {"label": label, "username": user.username, "visible": visible, "pages": {}}
        for name, before in (("first page", None), (f"page {PAGE} (before={cursor_id})", cursor_id)):
            if name != "first page" and cursor_id is None:
                out(f"### {name}: fewer than {PAGE} pages; skipped")
                continue
            m = measure(functools.partial(_page, base, before, size), runs)
            # Request-side: a fresh user each time (StaffRole, guardian, assignment look-ups) + the page.
            whole = []
            for _ in range(runs):
                t = time.perf_counter()
                list(_fresh_page(user.pk, before, size))
                whole.append(time.perf_counter() - t)
            m["request_median_ms"] = _ms(statistics.median(whole))
            result["pages"][name] = m
            out("")
            out(f"### {name}: {m['rows']} rows")
            out("SQL:")
            out(m["sql"])
            out("EXPLAIN (ANALYZE, BUFFERS):")
            out(m["plan"])
            out(
                f"median over {runs}: ORM {m['orm_median_ms']} ms (min {m['orm_min_ms']}, max {m['orm_max_ms']}); "
                f"PostgreSQL execution {m['db_median_ms']} ms; with scope look-ups (fresh user) "
                f"{m['request_median_ms']} ms"
            )
        results.append(result)
    out("")
    out(f"# load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    out("=" * 100)
    out("| user | visible cases | page | ORM median (ms) | PG execution median (ms) | incl. scope look-ups (ms) |")
    out("|---|---:|---|---:|---:|---:|")
    for r in results:
        for name, m in r["pages"].items():
            out(
                f"| {r['label']} | {r['visible']:,} | {name} | {m['orm_median_ms']} | {m['db_median_ms']} | "
                f"{m['request_median_ms']} |"
            )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.explain", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--stress", action="store_true", help="also leaders of the smallest county and city")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        print(
            f"bench.explain needs PostgreSQL; the configured database is {connection.vendor}. "
            "Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhiqian_bench",
            file=sys.stderr,
        )
        return 2
    run(args.runs, stress=args.stress)
    return 0


if __name__ == "__main__":
    sys.exit(main())
