"""Builders for the early-warning tests: a project's month of attendance, wage sheets, payments and labour
costs written straight to the tables (the import paths have their own tests)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from cases.models import Party
from projects.models import Attendance, LabourCostTransfer, PaymentLine, WageAccount, WageSheetLine, Worker
from tests.factories import person_id
from tests.projectkit import make_project

MAY = date(2026, 5, 1)
_seq = [0]


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def project_with_month(
    n: int = 1,
    *,
    workers: int = 3,
    days: int = 20,
    due: str = "3000.00",
    paid: str | None = "3000.00",
    via_account: bool = True,
    on_behalf: bool = True,
    account: bool = True,
    labour_cost_on: date | None = date(2026, 5, 10),
    month: date = MAY,
    region: str = "360302",
    contract: bool = True,
):
    """A project (construction unit, general contractor, labour subcontractor) whose labour unit has `workers`
        workers who worked `days` days in `month`, a wage sheet of `due` each and payments of `paid` each (None:
        no payment), the account opened on the contract day plus 10 and the labour costs received on
        `labour_cost_on` (None: none), each with a labour contract signed on the start of works (`contract=False`:
    none). Compliant by default."""
    project = make_project(n, region=region)
    project.notice_board_posted_on = project.start_on
    project.save(update_fields=["notice_board_posted_on"])
    unit = project.units.get(role="labour")
    wage_account = None
    if account:
        wage_account = WageAccount.objects.create(
            project=project, bank="工商银行", account_no="6222000011112222", opened_on=project.contract_signed_on
        )
        if labour_cost_on is not None:
            LabourCostTransfer.objects.create(
                account=wage_account, month=month, amount=Decimal(due) * workers, received_on=labour_cost_on
            )
    made = []
    for _i in range(workers):
        _seq[0] += 1
        person = Party.objects.create(name=f"工人{_seq[0]}", id_number=person_id(500 + _seq[0]))
        worker = Worker.objects.create(project=project, person=person, unit=unit,
                                       contract_signed_on=project.start_on if contract else None)  # fmt: skip
        Attendance.objects.create(worker=worker, month=month, days=days)
        WageSheetLine.objects.create(
            worker=worker, unit=unit, month=month, days=days, amount_due=Decimal(due), amount_net=Decimal(due),
            signed=True,
        )  # fmt: skip
        if paid is not None:
            PaymentLine.objects.create(
                worker=worker, month=month, amount=Decimal(paid), paid_on=date(2026, 6, 15),
                via_account=via_account, on_behalf=on_behalf,
            )  # fmt: skip
        made.append(worker)
    return project, unit, made
