"""Builders for the coverage-indicator tests: projects under construction with exactly the month's facts the
figures count (attendance, a wage account, payments by the general contractor, a wage sheet), written
directly and summarised the way every import does (projects.summary.refresh_months)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cases.models import Party
from projects import summary
from projects.models import Attendance, PaymentLine, ProjectUnit, WageAccount, WageSheetLine, Worker
from tests.factories import person_id
from tests.projectkit import make_project

MONTH = date(2026, 5, 1)
_seq = [0]


def covered_project(
    n: int,
    *,
    region: str = "360302",
    department: str = "housing",
    month: date = MONTH,
    attendance: bool = True,
    account: bool = True,
    on_behalf: bool = True,
    due: str = "1000.00",
    paid: str | None = "1000.00",
    status: str = "building",
):
    """A project under construction in `month` (started in January 2026) with one worker of its labour
    subcontractor; each flag adds the fact its figure counts."""
    project = make_project(n, region=region, department=department)
    project.status = status
    project.save(update_fields=["status"])
    labour = project.units.get(role=ProjectUnit.Role.LABOUR)
    _seq[0] += 1
    person = Party.objects.create(name=f"工人{n}", id_number=person_id(_seq[0] % 1000, prefix="36030219800101"))
    worker = Worker.objects.create(project=project, person=person, unit=labour, team="木工班")
    if attendance:
        Attendance.objects.create(worker=worker, month=month, days=22)
    if account:
        WageAccount.objects.create(project=project, bank="建设银行", account_no="6217002000012345678",
                                   opened_on=date(2026, 1, 20))  # fmt: skip
    WageSheetLine.objects.create(worker=worker, unit=labour, month=month, days=22, amount_due=Decimal(due),
                                 amount_net=Decimal(due), signed=True)  # fmt: skip
    if paid is not None:
        PaymentLine.objects.create(worker=worker, month=month, amount=Decimal(paid), paid_on=date(2026, 6, 10),
                                   via_account=account, on_behalf=on_behalf)  # fmt: skip
    summary.refresh_months(project_ids=[project.pk])
    return project
