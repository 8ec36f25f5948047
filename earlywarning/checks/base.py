"""What every rule of the monthly check reads and returns.

A rule is a function `rule(data: MonthData) -> list[Finding]`: pure over the month's data loaded once per
project (load_month), so a rule is tested with a project built in a test and its output compared, and a
new rule (the deposits rule after the deposits app lands) is one module and one registry line."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from projects.models import (
    Attendance,
    LabourCostTransfer,
    PaymentLine,
    Project,
    ProjectUnit,
    WageAccount,
    WageSheetLine,
    Worker,
)

from ..models import Signal, WarningConfig

ZERO = Decimal("0")
NAMES_SHOWN = 50  # evidence lists at most this many workers by name (the count is always complete)
LEVEL = Signal.Level


@dataclass
class Finding:
    rule: str
    level: str
    unit: ProjectUnit | None = None
    monthly: bool = True  # False: a rule of the project, not of a month (the account, the notice board)
    amount: Decimal = ZERO
    workers: int = 0
    evidence: dict = field(default_factory=dict)


@dataclass
class Paid:
    total: Decimal = ZERO
    lines: int = 0
    not_via_account: int = 0
    not_on_behalf: int = 0


@dataclass
class MonthData:
    project: Project
    month: date
    today: date  # the day the check runs as of
    config: WarningConfig
    units: dict[int, ProjectUnit]
    workers: dict[int, Worker]
    days: dict[int, int]  # worker id → days of attendance in the month
    sheet: dict[int, WageSheetLine]  # worker id → the month's wage-sheet line
    paid: dict[int, Paid]  # worker id → the month's payments
    account: WageAccount | None
    transfers: list[LabourCostTransfer]
    # worker id → (project number, amount) of the month's payments to the same person on other projects
    elsewhere: dict[int, list[tuple[str, Decimal]]] = field(default_factory=dict)

    def attended(self, unit_id: int) -> list[Worker]:
        return [w for wid, w in self.workers.items() if w.unit_id == unit_id and self.days.get(wid, 0) > 0]

    def unit_workers(self, unit_id: int) -> list[Worker]:
        return [w for w in self.workers.values() if w.unit_id == unit_id]


def names(workers: list[Worker]) -> list[str]:
    return [w.person.name for w in workers[:NAMES_SHOWN]]


def money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def load_month(project: Project, month: date, *, today: date, config: WarningConfig) -> MonthData:
    """The project's month in eight queries (units, workers, attendance, sheet, payments, account, transfers,
    the same persons' payments on other projects)."""
    units = {u.pk: u for u in ProjectUnit.objects.filter(project=project).select_related("employer")}
    workers = {w.pk: w for w in Worker.objects.filter(project=project).select_related("person").order_by("id")}
    days = dict(Attendance.objects.filter(worker__project=project, month=month).values_list("worker_id", "days"))
    sheet = {line.worker_id: line for line in WageSheetLine.objects.filter(worker__project=project, month=month)}
    paid: dict[int, Paid] = defaultdict(Paid)
    for line in PaymentLine.objects.filter(worker__project=project, month=month):
        p = paid[line.worker_id]
        p.total += line.amount
        p.lines += 1
        p.not_via_account += 0 if line.via_account else 1
        p.not_on_behalf += 0 if line.on_behalf else 1
    account = WageAccount.objects.filter(project=project).first()
    transfers = list(account.transfers.filter(month=month).order_by("received_on")) if account else []
    person_of = {w.person_id: wid for wid, w in workers.items() if wid in paid}
    elsewhere: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    others = (
        PaymentLine.objects.filter(month=month, worker__person_id__in=list(person_of))
        .exclude(worker__project=project)
        .values("worker__person_id", "worker__project_id", "worker__project__project_no")
        .annotate(total=Sum("amount"))
        .order_by("worker__person_id", "worker__project_id")
    )
    for row in others:
        elsewhere[person_of[row["worker__person_id"]]].append((row["worker__project__project_no"], row["total"]))
    return MonthData(project, month, today, config, units, workers, days, sheet, dict(paid), account, transfers,
                     dict(elsewhere))  # fmt: skip
