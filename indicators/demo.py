"""The coverage demo: the two demo counties on either side of the plan's targets, so the coverage page shows
both (called by one line of workflows.demo.seed_demo).

- 安源区 (360302) above: every project under construction has a wage account from the start (opened through
  the service where the seeded project had none) and its wages paid by the general contractor (总包代发);
- 湘东区 (360313) below: a third of its projects sent no attendance for the last three months (the contractor
  stopped uploading the real-name data), so real-name management falls short.

Projects come from projects.demo (seed_projects); a county without enough of them gets its own few here.
Idempotent; recounts the snapshot at the end."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from cases.models import Region
from projects import demo as project_demo
from projects import summary
from projects.accounts import wage_account_open
from projects.models import Attendance, PaymentLine, Project, ProjectUnit, WageAccount, Worker

from .compute import coverage_refresh

ABOVE, BELOW = "360302", "360313"
PER_COUNTY = 6
SEQ_BASE = 9000  # project numbers DEMO-<county>-9xxx: apart from seed_projects' 0000…


def _ensure_projects(code: str, months: list[date], today: date, progress: Callable[[str], object]) -> list[Project]:
    region = Region.objects.get(code=code)
    have = list(Project.objects.filter(region=region, project_no__startswith="DEMO-").order_by("project_no"))
    rng = random.Random(f"coverage-{code}")
    seq = Worker.objects.count() + 500_000
    for i in range(len(have), PER_COUNTY):
        departments = project_demo.DEPARTMENTS
        project_demo._project(SEQ_BASE + i, region, departments[i % len(departments)], rng, months, seq + i * 60, today)
    if len(have) < PER_COUNTY:
        progress(f"  coverage demo: {PER_COUNTY - len(have)} projects added in {region.name}")
    return list(Project.objects.filter(region=region, project_no__startswith="DEMO-").order_by("project_no"))


def _above(projects: list[Project]) -> None:
    ids = [p.pk for p in projects]
    with_account = set(WageAccount.objects.filter(project_id__in=ids).values_list("project_id", flat=True))
    for project in projects:
        if project.pk not in with_account:
            opened = (project.contract_signed_on or project.start_on or timezone.localdate()) + timedelta(days=10)
            wage_account_open(actor=None, project=project, bank="建设银行", account_no="6217002000000000000"[:-4]
                              + f"{project.pk % 10000:04d}", opened_on=opened, tripartite_signed_on=opened)  # fmt: skip
    lines = PaymentLine.objects.filter(worker__project_id__in=ids, on_behalf=False).exclude(
        worker__unit__role=ProjectUnit.Role.GENERAL
    )
    lines.update(on_behalf=True, via_account=True)
    summary.refresh_months(project_ids=ids)


def _below(projects: list[Project], months: list[date]) -> None:
    short = [p.pk for n, p in enumerate(projects) if n % 3 == 0]
    Attendance.objects.filter(worker__project_id__in=short, month__gte=months[-3]).delete()
    summary.refresh_months(project_ids=short)


@transaction.atomic
def coverage_demo(*, progress: Callable[[str], object] = print, today: date | None = None) -> int:
    """Returns the number of snapshot rows written."""
    if not Region.objects.filter(code=ABOVE).exists():
        return 0
    today = today or timezone.localdate()
    months = project_demo._months(today)
    _above(_ensure_projects(ABOVE, months, today, progress))
    _below(_ensure_projects(BELOW, months, today, progress), months)
    rows = coverage_refresh(months=months)
    progress(f"  coverage demo: 安源区 above the targets, 湘东区 below; {rows} snapshot rows")
    return rows
