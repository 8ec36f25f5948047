"""Benchmark of issue 15's province-scale roster import (docs/performance-projects.md).

Builds N projects (each with a general contractor unit; COPY through cases.bulk), writes a roster file of
N × W new workers (each a new person: valid resident ID numbers) to disk, then measures, in one run on
PostgreSQL:

- the streamed import (projects.importing.roster_stream.roster_stream_import, what
  `manage.py import_roster_stream` runs): wall time, and the process's peak RSS before and after;
- the same file imported again (every worker already there: nothing written);
- a plain ORM loop over the first `--orm-lines` lines of another copy of the file on fresh projects
  (project, unit, person by blind index or created, worker get_or_create), extrapolated to the whole file;
- with `--payroll`: the province payroll import (projects.importing.stream.payments_stream_import) of one
  month's bank file over the roster just imported (one payment line per worker: N × W lines), first and
  again — the same measure as bench.projects_payroll without its long generation of the workers.

    createdb -h 127.0.0.1 -U postgres zhiqian_projperf_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhiqian_projperf_bench \\
        .venv/bin/python -m bench.projects_roster --projects 20000 --workers 50
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.projects_payroll import _rss_mb, _setup


def _projects(projects: int, tag: str) -> str:
    """N projects with one general contractor unit (one employer, its USCC returned)."""
    from cases.bulk import bulk_insert
    from cases.models import Employer, Region
    from cases.regions import regions_load
    from projects.models import Project, ProjectUnit

    if not Region.objects.filter(code="360302").exists():
        regions_load(province="360000")
    region = Region.objects.get(code="360302")
    uscc = f"913603020000{tag}"
    employer = Employer.objects.create(name=f"bench 总包 R{tag}", name_key=f"BENCHR{tag}", uscc=uscc)
    for start in range(0, projects, 1000):
        batch = [
            Project(project_no=f"R{tag}-{n:06d}", name=f"bench {n}", region=region, department="housing")
            for n in range(start, min(start + 1000, projects))
        ]
        bulk_insert(Project, batch)
        bulk_insert(ProjectUnit, [ProjectUnit(project=p, employer=employer, role="general") for p in batch])
    return uscc


def _write_file(path: Path, projects: int, workers: int, tag: str, uscc: str, prefix: str = "R") -> int:
    """The roster file; ID numbers from a per-run area and birth-date range, so runs do not collide."""
    from stdnum.cn import ric

    area = ["360313", "360321", "360322", "360323"][int(tag) % 4]
    first_day = date(1950, 1, 1) + timedelta(days=(int(tag) % 7) * 3000)
    seq = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["项目编号", "姓名", "身份证号", "所属单位", "班组", "工种", "进场日期", "银行卡号"])
        for p in range(projects):
            project_no = f"{prefix}{tag}-{p:06d}"
            for _ in range(workers):
                born = first_day + timedelta(days=seq // 900)
                base = f"{area}{born:%Y%m%d}{seq % 900 + 100:03d}0"
                number = base[:-1] + ric.calc_check_digit(base)
                seq += 1
                writer.writerow(
                    [project_no, f"工{number[6:17]}", number, uscc, "钢筋班", "钢筋工", "2026-03-01", f"6217{seq:015d}"]
                )
    return seq


def _payroll_file(roster: Path, path: Path) -> None:
    """The bank's file of one month: a payment line for every worker of the roster file."""
    with roster.open(encoding="utf-8", newline="") as src, path.open("w", encoding="utf-8", newline="") as fh:
        reader, writer = csv.reader(src), csv.writer(fh)
        next(reader)
        writer.writerow(["项目编号", "身份证号", "收款人姓名", "金额", "交易日期", "代发"])
        for project_no, name, number, *_rest in reader:
            writer.writerow([project_no, number, name, "5000.00", "2026-04-05", "是"])


class _Statements:
    """Django's execute wrapper timing every statement of the import (the COPY is the time before the
    first statement after it; the COMMIT, the time after the last one)."""

    def __init__(self) -> None:
        self.timed: list[tuple[float, float, str]] = []  # (ended at, seconds, statement)

    def __call__(self, execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            ended = time.perf_counter()
            self.timed.append((ended, ended - t0, " ".join(str(sql).split())[:90]))

    def summary(self, started: float, ended: float) -> list[str]:
        out, last = [], started
        for at, seconds, sql in self.timed:
            gap = at - seconds - last  # Python between statements: reading, checking, COPY
            if gap >= 0.5:
                out.append(f"{gap:7.1f} s  (Python: reading, checking, COPY)")
            if seconds >= 0.5:
                out.append(f"{seconds:7.1f} s  {sql}")
            last = at
        out.append(f"{ended - last:7.1f} s  (COMMIT: deferred foreign-key checks, WAL)")
        return out


def _measure(label: str, result: dict, run) -> None:
    from django.db import connection

    rss = _rss_mb()
    statements = _Statements()
    t0 = time.perf_counter()
    with connection.execute_wrapper(statements):
        report = run()
    ended = time.perf_counter()
    for line in statements.summary(t0, ended):
        print(f"    {label} {line}", file=sys.stderr, flush=True)
    result[label] = {
        "seconds": round(ended - t0, 2),
        "written": report.written,
        "unchanged": report.unchanged,
        "errors": report.errors,
        "first_errors": report.first_errors[:3],
        "peak_rss_mb_before": round(rss, 1),
        "peak_rss_mb_after": round(_rss_mb(), 1),
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }
    print(f"  {label}: {result[label]}", file=sys.stderr, flush=True)


def _orm_loop(path: Path, limit: int) -> float:
    from django.db import transaction

    from projects.importing.rosters import person_for
    from projects.models import Project, ProjectUnit, Worker

    started = time.perf_counter()
    with path.open(encoding="utf-8") as fh, transaction.atomic():
        reader = csv.reader(fh)
        next(reader)
        for n, (project_no, name, number, uscc, team, trade, entered, card) in enumerate(reader):
            if n >= limit:
                break
            project = Project.objects.get(project_no=project_no)
            unit = ProjectUnit.objects.filter(project=project, employer__uscc=uscc).first()
            person = person_for(name, number)
            Worker.objects.get_or_create(
                project=project,
                person=person,
                defaults={"unit": unit, "team": team, "trade": trade, "entered_on": entered, "bank_card": card},
            )
    return time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--orm-lines", type=int, default=3000)
    parser.add_argument("--payroll", action="store_true", help="then the payroll import over this roster")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("DATABASE_URL=postgres://… is needed (COPY)", file=sys.stderr)
        return 2
    _setup()
    from django.db import connection

    from projects.importing.roster_stream import roster_stream_import

    tag = str(int(time.time()))[-6:]
    started = time.perf_counter()
    uscc = _projects(args.projects, tag)
    result: dict = {"projects": args.projects, "generate_s": round(time.perf_counter() - started, 1)}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster.csv"
        result["lines"] = _write_file(path, args.projects, args.workers, tag, uscc)
        result["file_mb"] = round(path.stat().st_size / 2**20, 1)
        for label in ("stream_first", "stream_again"):
            with path.open("rb") as fh:
                _measure(label, result, lambda: roster_stream_import(actor=None, stream=fh))  # noqa: B023
        if args.payroll:
            from projects.importing.stream import payments_stream_import

            bank = Path(tmp) / "bank.csv"
            _payroll_file(path, bank)
            for label in ("payroll_first", "payroll_again"):
                with bank.open("rb") as fh:
                    _measure(  # noqa: B023
                        label, result, lambda: payments_stream_import(actor=None, stream=fh, month=date(2026, 3, 1))
                    )
        if args.orm_lines:
            # fresh projects and people for the loop: the same shape of work as the first stream import
            orm_tag = f"{(int(tag) + 1) % 1000000:06d}"
            orm_projects = max(1, -(-args.orm_lines // args.workers))
            orm_uscc = _projects(orm_projects, orm_tag)
            orm_path = Path(tmp) / "orm.csv"
            lines = _write_file(orm_path, orm_projects, args.workers, orm_tag, orm_uscc)
            lines = min(lines, args.orm_lines)
            seconds = _orm_loop(orm_path, lines)
            result["orm_loop"] = {
                "lines": lines,
                "seconds": round(seconds, 2),
                "extrapolated_s": round(seconds / lines * result["lines"], 1),
            }
    result["database"] = connection.vendor
    result["load_average"] = [round(x, 1) for x in os.getloadavg()]
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
