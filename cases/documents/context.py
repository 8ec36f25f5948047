"""The facts a document is written from (Context), and the small helpers its texts share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ArrearsEntry, Case, Employer, Region
from ..values import local_date, yuan_text
from .kinds import WPR


def cn_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def as_lines(value) -> list[str]:
    if not value:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def as_date(value, field_name: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return local_date(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValidationError({field_name: _("日期格式应为 YYYY-MM-DD。")})


@dataclass
class Worker:
    name: str
    owed: Decimal
    paid: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.owed - self.paid


@dataclass
class Context:
    case: Case
    office: Region
    kind: str
    number: str
    title: str
    data: dict
    issued_on: date
    due: date | None
    workers: list[Worker] = field(default_factory=list)

    @cached_property
    def employer(self) -> Employer:
        """Whom the document is addressed to: the liable unit chosen (data["liable_unit"]), else the unit a
        listing names (data["listed_employer"]: a liable unit listed, accountability.listing), else the employer."""
        unit = self.data.get("liable_unit")
        if isinstance(unit, dict) and unit.get("employer_id"):
            return Employer.objects.get(pk=unit["employer_id"])
        listed = str(self.data.get("listed_employer") or "")
        if listed.isdigit() and len(listed) < 18:
            found = Employer.objects.filter(pk=int(listed)).first()
            if found is not None:
                return found
        return self.case.employer

    @property
    def owed(self) -> Decimal:
        if self.workers:
            return sum((w.owed for w in self.workers), Decimal("0"))
        return self.case.amount_owed

    @property
    def outstanding(self) -> Decimal:
        if self.workers:
            return sum((w.outstanding for w in self.workers), Decimal("0"))
        return self.case.amount_owed - self.case.amount_paid

    @property
    def workers_count(self) -> int:
        return len(self.workers) or self.case.workers_count

    @property
    def arrears(self) -> str:
        """拖欠<project>N名劳动者工资共计X元."""
        project = f"在“{self.case.project.name}”项目中" if self.case.project else ""
        return f"{project}拖欠{self.workers_count}名劳动者工资共计{yuan_text(self.outstanding)}"

    @property
    def penalty(self) -> str:
        amount = self.case.penalty_amount if self.case.penalty_amount is not None else self.data.get("penalty_amount")
        return yuan_text(Decimal(str(amount))) if amount not in (None, "") else ""

    @property
    def compensation_rate(self) -> int:
        return int(self.case.compensation_rate or self.data.get("compensation_rate") or self.data.get("rate") or 0)

    @property
    def facts(self) -> list[str]:
        # addressed to a liable unit other than the employer: the employer is who owes the wages
        who = "你单位" if self.employer.pk == self.case.employer_id else self.case.employer.name
        return as_lines(self.data.get("facts")) or [
            f"经查，{who}{self.arrears}，违反了{WPR}第三条及《中华人民共和国劳动法》第五十条的规定。"
        ]


def ledger_rows(case: Case) -> list[Worker]:
    rows = (
        ArrearsEntry.objects.filter(case=case)
        .values("worker_id", "worker__name")
        .annotate(owed=Sum("amount_owed"), paid=Sum("amount_paid"))
        .order_by("worker__name", "worker_id")
    )
    return [Worker(r["worker__name"], r["owed"], r["paid"]) for r in rows]


def amount_or(value, default: Decimal) -> Decimal:
    """An amount given in `data` (as computed by the calling service), else the default."""
    try:
        return Decimal(str(value)) if value not in (None, "") else default
    except ArithmeticError:
        return default


def due_text(c: Context) -> str:
    return cn_date(c.due) if c.due else ""
