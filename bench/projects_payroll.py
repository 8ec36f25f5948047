"""Benchmark of issue 15's province-scale payroll import (docs/performance-projects.md).

Builds N projects with W rostered workers each (COPY, through cases.bulk), writes the bank's file of one
month's payment lines (N × W lines) to disk, then measures, in one run on PostgreSQL:

- the streamed import (projects.importing.stream.payments_stream_import): wall time, the process's peak RSS
  before and after (flat memory: the file is never held in memory);
- the same file imported again (every line already there: nothing written);
- a plain ORM loop over the first `--orm-lines` lines (find the project, the person by blind index, the worker,
  get_or_create the line), side by side, and its time extrapolated to the whole file.

    createdb -h 127.0.0.1 -U postgres zhiqian_projects_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhiqian_projects_bench \\
        .venv/bin/python -m bench.projects_payroll --projects 2000 --workers 50
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _generate(projects: int, workers: int, tag: str) -> list[tuple[str, str, str]]:
    """Projects and rosters in bulk; returns (project number, ID number, name) of every worker."""
    from stdnum.cn import ric

    from cases.bulk import bulk_insert
    from cases.models import Employer, Party, Region
    from cases.regions import regions_load
    from projects.models import Project, ProjectUnit, Worker

    if not Region.objects.filter(code="360302").exists():
        regions_load(province="360000")
    region = Region.objects.get(code="360302")
    employer = Employer.objects.create(name=f"bench 总包 {tag}", name_key=f"BENCH{tag}")
    out = []
    seq = 0
    for start in range(0, projects, 500):
        batch = [
            Project(project_no=f"B{tag}-{n:06d}", name=f"bench {n}", region=region, department="housing")
            for n in range(start, min(start + 500, projects))
        ]
        bulk_insert(Project, batch)
        units = bulk_insert(ProjectUnit, [ProjectUnit(project=p, employer=employer, role="general") for p in batch])
        people, rows = [], []
        for project, unit in zip(batch, units, strict=True):
            for _ in range(workers):
                born = date(1960, 1, 1) + timedelta(days=seq // 1000)
                base = f"360302{born:%Y%m%d}{seq % 1000:03d}0"
                number = base[:-1] + ric.calc_check_digit(base)
                seq += 1
                person = Party(name=f"工人{seq}", id_number=number)
                people.append(person)
                rows.append((project, unit, person))
                out.append((project.project_no, number, person.name))
        bulk_insert(Party, people)
        bulk_insert(Worker, [Worker(project=p, unit=u, person=person) for p, u, person in rows])
        print(f"  generated {min(start + 500, projects)}/{projects} projects", file=sys.stderr, flush=True)
    return out


def _write_file(path: Path, workers: list[tuple[str, str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["项目编号", "身份证号", "收款人姓名", "金额", "交易日期", "代发"])
        for project_no, number, name in workers:
            writer.writerow([project_no, number, name, "5000.00", "2026-04-05", "是"])


def _orm_loop(path: Path, limit: int, month: date) -> float:
    from decimal import Decimal

    from django.db import transaction

    from cases.models import Party
    from projects.models import PaymentLine, Project, Worker

    started = time.perf_counter()
    with path.open(encoding="utf-8") as fh, transaction.atomic():
        reader = csv.reader(fh)
        next(reader)
        for n, (project_no, number, name, amount, paid_on, _behalf) in enumerate(reader):
            if n >= limit:
                break
            project = Project.objects.get(project_no=project_no)
            people = Party.objects.matching(id_number=number).filter(name=name).values("pk")
            worker = Worker.objects.get(project=project, person_id__in=people)
            PaymentLine.objects.get_or_create(
                worker=worker,
                month=month,
                paid_on=date.fromisoformat(paid_on),
                amount=Decimal(amount),
                defaults={"on_behalf": True},
            )
    return time.perf_counter() - started


def _page(runs: int) -> dict:
    """p50/p95 of the project page (staff site, a clerk of the project's office) for one project with 2,000
    workers and 24 months of attendance, wage sheets and payment lines."""
    import statistics
    from decimal import Decimal

    from django.test import Client

    from cases.bulk import bulk_insert
    from cases.models import Region
    from cases.services import staff_create
    from projects.models import Attendance, PaymentLine, WageSheetLine, Worker

    tag = str(int(time.time()))[-6:]
    _generate(1, 2000, f"P{tag}")
    workers = list(Worker.objects.filter(project__project_no__startswith=f"BP{tag}-"))
    project = workers[0].project
    months = [date(2024 + m // 12, m % 12 + 1, 1) for m in range(24)]
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
    clerk = staff_create(username=f"bench_clerk_{tag}", region=Region.objects.get(code="360302"), role="clerk")
    client = Client()
    client.force_login(clerk)
    url = f"/projects/{project.project_no}/"
    times = []
    for n in range(runs + 3):
        t0 = time.perf_counter()
        response = client.get(url, HTTP_HOST="127.0.0.1")
        if n >= 3:  # warm-up
            times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.status_code
    times.sort()
    return {
        "workers": len(workers),
        "months": 24,
        "runs": runs,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "max_ms": round(times[-1], 1),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--orm-lines", type=int, default=10000)
    parser.add_argument("--page", type=int, default=0, help="only measure the project page, this many requests")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("DATABASE_URL=postgres://… is needed (COPY)", file=sys.stderr)
        return 2
    _setup()
    from django.db import connection

    if args.page:
        print(json.dumps(_page(args.page), indent=2))
        return 0

    from projects.importing.stream import payments_stream_import
    from projects.models import PaymentLine

    tag = str(int(time.time()))[-6:]
    started = time.perf_counter()
    workers = _generate(args.projects, args.workers, tag)
    generated = time.perf_counter() - started
    month = date(2026, 3, 1)
    result: dict = {"projects": args.projects, "lines": len(workers), "generate_s": round(generated, 1)}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bank.csv"
        _write_file(path, workers)
        del workers
        result["file_mb"] = round(path.stat().st_size / 2**20, 1)
        for label in ("stream_first", "stream_again"):
            rss = _rss_mb()
            t0 = time.perf_counter()
            with path.open("rb") as fh:
                report = payments_stream_import(actor=None, stream=fh, month=month)
            result[label] = {
                "seconds": round(time.perf_counter() - t0, 2),
                "written": report.written,
                "unchanged": report.unchanged,
                "errors": report.errors,
                "peak_rss_mb_before": round(rss, 1),
                "peak_rss_mb_after": round(_rss_mb(), 1),
            }
            print(f"  {label}: {result[label]}", file=sys.stderr, flush=True)
        PaymentLine.objects.filter(worker__project__project_no__startswith=f"B{tag}-").delete()
        lines = min(args.orm_lines, result["lines"])
        seconds = _orm_loop(path, lines, month)
        result["orm_loop"] = {
            "lines": lines,
            "seconds": round(seconds, 2),
            "extrapolated_s": round(seconds / lines * result["lines"], 1),
        }
    result["database"] = connection.vendor
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
