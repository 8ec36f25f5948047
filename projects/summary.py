"""The monthly payroll summary of each project (`ProjectMonth`): what the project page shows per month.

Every writer of attendance, wage sheets, payment lines or labour costs calls `refresh_months` inside its
own transaction with the projects (and months) it touched: four grouped queries over those projects'
rows, then the summary rows of those projects and months are replaced. The page then reads at most
24 rows (one indexed query) whatever the roster size."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum

from .models import Attendance, LabourCostTransfer, PaymentLine, ProjectMonth, WageSheetLine

_ZERO = Decimal("0")


def _blank(project_id: int, month: date) -> ProjectMonth:
    return ProjectMonth(project_id=project_id, month=month)


def refresh_months(*, project_ids: Iterable[int] | None, months: Iterable[date] | None = None) -> int:
    """Recompute the summary rows of `project_ids` (None: every project) for `months` (None: every month).
    Returns the number of summary rows written. Call it inside the writer's transaction."""
    ids = None if project_ids is None else sorted(set(project_ids))
    month_list = None if months is None else sorted(set(months))
    if ids == [] or month_list == []:
        return 0

    def scoped(qs, project_path: str):
        if ids is not None:
            qs = qs.filter(**{f"{project_path}__in": ids})
        if month_list is not None:
            qs = qs.filter(month__in=month_list)
        return qs.values_list(project_path, "month").order_by()

    rows: dict[tuple[int, date], ProjectMonth] = {}

    def row(project_id: int, month: date) -> ProjectMonth:
        key = (project_id, month)
        if key not in rows:
            rows[key] = _blank(project_id, month)
        return rows[key]

    for pid, month, n in scoped(Attendance.objects, "worker__project_id").annotate(n=Count("id")):
        row(pid, month).attendance_workers = n
    sheet = scoped(WageSheetLine.objects, "worker__project_id")
    for pid, month, n, due, net in sheet.annotate(n=Count("id"), due=Sum("amount_due"), net=Sum("amount_net")):
        summary = row(pid, month)
        summary.sheet_workers, summary.amount_due, summary.amount_net = n, due or _ZERO, net or _ZERO
    paid = scoped(PaymentLine.objects, "worker__project_id").annotate(
        n=Count("id"),
        total=Sum("amount"),
        via=Count("id", filter=Q(via_account=True)),
        behalf=Count("id", filter=Q(on_behalf=True)),
    )
    for pid, month, n, total, via, behalf in paid:
        summary = row(pid, month)
        summary.paid_lines, summary.paid = n, total or _ZERO
        summary.paid_via_account, summary.paid_on_behalf = via, behalf
    for pid, month, total in scoped(LabourCostTransfer.objects, "account__project_id").annotate(t=Sum("amount")):
        row(pid, month).labour_cost = total or _ZERO

    stale = ProjectMonth.objects.all()
    if ids is not None:
        stale = stale.filter(project_id__in=ids)
    if month_list is not None:
        stale = stale.filter(month__in=month_list)
    stale.delete()
    ProjectMonth.objects.bulk_create(rows.values(), batch_size=2000)
    return len(rows)


def months_of(project_id: int, limit: int = 24) -> list[ProjectMonth]:
    """The project's summary rows, newest month first."""
    return list(ProjectMonth.objects.filter(project_id=project_id).order_by("-month")[:limit])
