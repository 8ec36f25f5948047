"""The case ledger pre-filled from the project's real-name roster (issue 15 item 5): for the rostered workers
of a unit and the months chosen, one ledger line (cases.ledger.ledger_entry_add) per worker and month whose
wage-sheet shortfall is known — what the wage sheet says was due (应发) less what the bank paid that month.
A worker whose month has no wage-sheet line is left for the inspector (listed, nothing written for them).

    result = case_ledger_prefill(case=case, unit=labour_unit, months=[date(2026, 5, 1)], actor=inspector)
    result.added, result.left          # ledger entries added; (worker name, month) the inspector fills in
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from cases.actors import Actor
from cases.ledger import ledger_entry_add
from cases.models import ArrearsEntry, Case
from cases.tx import one_transaction

from .models import PaymentLine, ProjectUnit, WageSheetLine, Worker

MAX_MONTHS = 24  # a ledger pre-fill covers at most two years of months


@dataclass
class Prefill:
    added: list[ArrearsEntry] = field(default_factory=list)
    left: list[tuple[str, date]] = field(default_factory=list)  # (worker's name, month): no wage sheet
    paid: list[tuple[str, date]] = field(default_factory=list)  # paid in full: nothing owed

    def as_dict(self) -> dict:
        return {
            "added": len(self.added),
            "left": [{"worker": n, "month": f"{m:%Y-%m}"} for n, m in self.left],
            "paid_in_full": len(self.paid),
        }


def _months(months) -> list[date]:
    if not isinstance(months, list | tuple) or not months or len(months) > MAX_MONTHS:
        raise ValidationError({"months": [_("请选择1至24个月份。")]})
    out = []
    for m in months:
        if isinstance(m, date):
            out.append(m.replace(day=1))
            continue
        try:
            year, month = str(m).strip()[:7].split("-")
            out.append(date(int(year), int(month), 1))
        except ValueError:
            raise ValidationError({"months": [_("月份格式应为 YYYY-MM。")]})
    return sorted(set(out))


def _unit_of(case: Case, unit: ProjectUnit | None) -> ProjectUnit:
    if unit is None:
        unit = ProjectUnit.objects.filter(employer_id=case.employer_id).order_by("-project_id", "id").first()
    if (
        unit is None
        or unit.employer_id != case.employer_id
        and not case.liable_units.filter(employer_id=unit.employer_id).exists()
    ):
        raise ValidationError({"unit": [_("该单位不是本案的用人单位或责任单位。")]})
    return unit


@one_transaction
def case_ledger_prefill(*, case: Case, actor: Actor, months, unit: ProjectUnit | None = None) -> Prefill:
    """Ledger lines for the rostered workers of `unit` (default: the unit the case's employer is) in `months`
    (first days, or "YYYY-MM"): owed = wage sheet's amount due − the month's payments, when positive. A month
    already in the ledger for a worker is refused by the ledger (ValidationError naming period_start)."""
    months = _months(months)
    unit = _unit_of(case, unit)
    workers = list(Worker.objects.filter(unit=unit).select_related("person").order_by("id"))
    due = {
        (w, m): a
        for w, m, a in WageSheetLine.objects.filter(worker__in=workers, month__in=months).values_list(
            "worker_id", "month", "amount_due"
        )
    }
    paid: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
    for w, m, a in (
        PaymentLine.objects.filter(worker__in=workers, month__in=months)
        .values("worker_id", "month")
        .annotate(total=Sum("amount"))
        .values_list("worker_id", "month", "total")
    ):
        paid[(w, m)] = a
    result = Prefill()
    for worker in workers:
        person = worker.person
        for month in months:
            if (worker.pk, month) not in due:
                result.left.append((person.name, month))
                continue
            owed = due[(worker.pk, month)] - paid[(worker.pk, month)]
            if owed <= 0:
                result.paid.append((person.name, month))
                continue
            last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
            result.added.append(
                ledger_entry_add(
                    case=case,
                    worker={"name": person.name, "id_number": person.id_number, "phone": person.phone},
                    period_start=month,
                    period_end=last,
                    amount_owed=owed,
                    actor=actor,
                )
            )
    return result
