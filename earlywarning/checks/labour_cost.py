"""人工费用 into the wage account (WPR art. 24: at least monthly): the labour costs of month M received by the
province's day (default the 10th) of month M+1, before the wages of M are paid from them; orange when late
or missing, red when later than the province's extra days (default 10) or still missing by then."""

from __future__ import annotations

from datetime import date, timedelta

from ..rules import LABOUR_COST_LATE
from .base import LEVEL, ZERO, Finding, MonthData, money


def _due(month: date, day: int) -> date:
    # the province's day of the next month, capped at that month's last day
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    last = (following.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return following.replace(day=min(day, last.day))


def check(data: MonthData) -> list[Finding]:
    if data.account is None or not any(d > 0 for d in data.days.values()):
        return []  # no account: the account rule speaks; no work that month: nothing was due
    due = _due(data.month, data.config.labour_cost_day)
    red_after = due + timedelta(days=data.config.labour_cost_red_days)
    on_time = [t for t in data.transfers if t.received_on <= due]
    if on_time:
        return []
    if data.today <= due:
        return []  # not due yet
    first = data.transfers[0].received_on if data.transfers else None
    late_by = ((first or data.today) - due).days
    level = LEVEL.RED if (first or data.today) > red_after else LEVEL.ORANGE
    owed = sum((line.amount_due for line in data.sheet.values()), ZERO)
    return [
        Finding(
            LABOUR_COST_LATE.code, level, amount=owed, workers=sum(1 for d in data.days.values() if d > 0),
            evidence={
                "due_on": due.isoformat(),
                "received_on": first.isoformat() if first else "",
                "late_days": late_by,
                "received": money(sum((t.amount for t in data.transfers), ZERO)),
                "wages_due": money(owed),
            },
        )
    ]  # fmt: skip
