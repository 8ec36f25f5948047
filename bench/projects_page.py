"""Benchmark of issue 15's project page (docs/performance-projects.md): one project with 2,000 workers and
24 months of attendance, wage sheets and payment lines (144,000 rows), its staff page requested by a clerk
of its office through Django's test client, side by side in the same run:

- `summary`: today's page (the monthly summary rows `projects.summary` keeps, one page of 50 workers);
- `aggregate`: the page as it was (four grouped queries over the month tables on every view, 100 workers),
  the old selector reproduced here and patched in for its requests.

The two are requested alternately (warm-up first), so load on the machine hits both alike.

    createdb -h 127.0.0.1 -U postgres zhiqian_projperf_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhiqian_projperf_bench \\
        .venv/bin/python -m bench.projects_page --runs 100
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

from bench.projects_payroll import _generate, _setup


def legacy_payroll_months(project, limit: int = 24) -> list[dict]:
    """The page's monthly figures as they were computed before the summary table: four grouped queries."""
    from django.db.models import Count, Q, Sum

    from projects.models import Attendance, LabourCostTransfer, PaymentLine, WageSheetLine

    zero = Decimal("0")
    months: dict = defaultdict(
        lambda: dict.fromkeys(("attendance_workers", "sheet_workers", "paid_lines", "paid_via_account"), 0)
        | {"paid_on_behalf": 0, "amount_due": zero, "amount_net": zero, "paid": zero, "labour_cost": zero}
    )
    for row in Attendance.objects.filter(worker__project=project).values("month").annotate(n=Count("id")):
        months[row["month"]]["attendance_workers"] = row["n"]
    sheet = WageSheetLine.objects.filter(worker__project=project).values("month")
    for row in sheet.annotate(n=Count("id"), due=Sum("amount_due"), net=Sum("amount_net")):
        months[row["month"]].update(sheet_workers=row["n"], amount_due=row["due"], amount_net=row["net"])
    paid = PaymentLine.objects.filter(worker__project=project).values("month")
    paid = paid.annotate(
        n=Count("id"),
        total=Sum("amount"),
        via=Count("id", filter=Q(via_account=True)),
        behalf=Count("id", filter=Q(on_behalf=True)),
    )
    for row in paid:
        months[row["month"]].update(
            paid_lines=row["n"], paid=row["total"], paid_via_account=row["via"], paid_on_behalf=row["behalf"]
        )
    for row in LabourCostTransfer.objects.filter(account__project=project).values("month").annotate(t=Sum("amount")):
        months[row["month"]]["labour_cost"] = row["t"]
    out = [{"month": m, **v, "short": v["paid"] < v["amount_net"]} for m, v in months.items()]
    return sorted(out, key=lambda m: m["month"], reverse=True)[:limit]


def _build(workers_n: int, months_n: int):
    from cases.bulk import bulk_insert
    from projects import summary
    from projects.models import Attendance, PaymentLine, WageSheetLine, Worker

    tag = str(int(time.time()))[-6:]
    _generate(1, workers_n, f"Q{tag}")
    workers = list(Worker.objects.filter(project__project_no__startswith=f"BQ{tag}-").select_related("unit"))
    project = workers[0].project
    months = [date(2024 + m // 12, m % 12 + 1, 1) for m in range(months_n)]
    for month in months:
        bulk_insert(Attendance, [Attendance(worker=w, month=month, days=22) for w in workers])
        bulk_insert(
            WageSheetLine,
            [
                WageSheetLine(
                    worker=w, unit=w.unit, month=month, days=22, amount_due=Decimal(6000), amount_net=Decimal(6000)
                )
                for w in workers
            ],
        )
        bulk_insert(
            PaymentLine,
            [
                PaymentLine(worker=w, month=month, amount=Decimal(6000), paid_on=month + timedelta(days=40))
                for w in workers
            ],
        )
    t0 = time.perf_counter()
    summary.refresh_months(project_ids=[project.pk])  # what each import does for its project
    refresh_ms = (time.perf_counter() - t0) * 1000
    return project, tag, len(workers), refresh_ms


def _stats(times: list[float]) -> dict:
    times = sorted(times)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "max_ms": round(times[-1], 1),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2000)
    parser.add_argument("--months", type=int, default=24)
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("DATABASE_URL=postgres://… is needed", file=sys.stderr)
        return 2
    _setup()
    from django.conf import settings
    from django.test import Client

    from cases.models import Region
    from cases.services import staff_create
    from projects.web import views

    project, tag, workers, refresh_ms = _build(args.workers, args.months)
    clerk = staff_create(username=f"bench_clerk_{tag}", region=Region.objects.get(code="360302"), role="clerk")
    client = Client()
    client.force_login(clerk)
    url = f"/projects/{project.project_no}/"

    def get() -> float:
        t0 = time.perf_counter()
        response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, response.status_code
        return (time.perf_counter() - t0) * 1000

    def legacy() -> float:
        with (
            mock.patch.object(views.selectors, "payroll_months", legacy_payroll_months),
            mock.patch.object(views, "ROSTER_PAGE", 100),
        ):
            return get()

    for _ in range(3):  # warm-up
        get(), legacy()
    new_times, old_times = [], []
    for _ in range(args.runs):
        new_times.append(get())
        old_times.append(legacy())
    print(
        json.dumps(
            {
                "workers": workers,
                "months": args.months,
                "runs": args.runs,
                "debug": settings.DEBUG,
                "load_average": [round(x, 1) for x in os.getloadavg()],
                "summary_refresh_ms": round(refresh_ms, 1),
                "summary": _stats(new_times),
                "aggregate": _stats(old_times),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
