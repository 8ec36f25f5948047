"""The clocks of enforcement (domain-rules §2 rows 18, 20, 21, 22), on the deadline engine: the party's
remedies against the decision (行政复议 60 days, ARL art 20; 行政诉讼 6 months, ALL art 46) from its service;
the 10 days after the demand notice's service (AEL art 54); the 3 months to apply to the court from the end
of the remedies (AEL art 53). Calendar days; months are counted as calendar months (the length of each clock
is computed from its start)."""

from __future__ import annotations

import calendar
from datetime import date

from django.utils.translation import gettext_lazy

from ..deadlines import Rule, rules_register
from ..models import Deadline, Document

AEL = "《中华人民共和国行政强制法》"
ARL = "《中华人民共和国行政复议法》"
ALL = "《中华人民共和国行政诉讼法》"

RECONSIDERATION_DAYS = 60  # row 18: ARL art 20
LITIGATION_MONTHS = 6  # row 20: ALL art 46
DEMAND_DAYS = 10  # row 21: AEL art 54
COURT_APPLY_MONTHS = 3  # row 22: AEL art 53

RECONSIDERATION = "enforcement.reconsideration"
LITIGATION = "enforcement.litigation"
DEMAND = "enforcement.demand"
COURT_APPLY = "enforcement.court_apply"

Unit = Deadline.Unit
rules_register(
    {
        RECONSIDERATION: Rule(
            gettext_lazy("申请行政复议期限"),
            RECONSIDERATION_DAYS,
            Unit.DAYS,
            f"{ARL}第二十条",
            "document.served",
            0,
            party=True,
        ),
        # nominal length: each start computes its 6 calendar months
        LITIGATION: Rule(
            gettext_lazy("提起行政诉讼期限"), 183, Unit.DAYS, f"{ALL}第四十六条", "document.served", 0, party=True
        ),
        DEMAND: Rule(
            gettext_lazy("催告履行期限"),
            DEMAND_DAYS,
            Unit.DAYS,
            f"{AEL}第五十四条",
            "enforcement.demand_served",
            0,
            party=True,
        ),
        # nominal length: each start computes its 3 calendar months from the end of the remedies
        COURT_APPLY: Rule(
            gettext_lazy("申请人民法院强制执行期限"), 92, Unit.DAYS, f"{AEL}第五十三条", "enforcement.demand_served", 10
        ),
    }
)

# The decisions whose service opens the party's remedies, and that a court may be asked to enforce.
DECISION_KINDS = (
    Document.Kind.HANDLING_DECISION,
    Document.Kind.ORDER_TO_PAY,
    Document.Kind.ORDER_TO_CORRECT,
    Document.Kind.PENALTY_DECISION,
)


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (the month's last day when it has no such day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_in_days(start: date, months: int) -> int:
    return (add_months(start, months) - start).days
