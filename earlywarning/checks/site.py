"""The project's own duties, not of a month: the wage account opened within the province's days of the
construction contract (row 50: 30 days; red), the rights notice board on site within the province's days
of the start of works (yellow)."""

from __future__ import annotations

from datetime import timedelta

from projects.models import ProjectUnit

from ..rules import ACCOUNT_NOT_OPENED, NOTICE_BOARD_MISSING
from .base import LEVEL, Finding, MonthData


def _general(data: MonthData) -> ProjectUnit | None:
    return next((u for u in data.units.values() if u.role == ProjectUnit.Role.GENERAL), None)


def account_opened(data: MonthData) -> list[Finding]:
    signed = data.project.contract_signed_on
    if signed is None or data.account is not None:
        return []
    due = signed + timedelta(days=data.config.account_due_days)
    if data.today <= due:
        return []
    return [Finding(ACCOUNT_NOT_OPENED.code, LEVEL.RED, unit=_general(data), monthly=False,
                    evidence={"contract_signed_on": signed.isoformat(), "due_on": due.isoformat(),
                              "late_days": (data.today - due).days})]  # fmt: skip


def notice_board(data: MonthData) -> list[Finding]:
    start = data.project.start_on
    if start is None or data.project.notice_board_posted_on is not None:
        return []
    due = start + timedelta(days=data.config.notice_board_due_days)
    if data.today <= due:
        return []
    return [Finding(NOTICE_BOARD_MISSING.code, LEVEL.YELLOW, unit=_general(data), monthly=False,
                    evidence={"start_on": start.isoformat(), "due_on": due.isoformat()})]  # fmt: skip
