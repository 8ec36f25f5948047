"""挂牌督办: what the case page shows (templates/cases/_supervision.html)."""

from __future__ import annotations

from ..models import Case, Supervision
from .clocks import clock, supervision_complete_deadline
from .rules import REPORT, RUNNING


def supervisions_for(case: Case) -> list[Supervision]:
    """The case's supervisions, newest first, each with `.complete_deadline`, `.report_deadline` (the open
    report interval, if any) and its reports."""
    rows = list(
        case.supervisions.select_related("supervising_region", "notice")
        .prefetch_related("reports__submitted_by")
        .order_by("-id")
    )
    for supervision in rows:
        supervision.complete_deadline = supervision_complete_deadline(supervision)
        supervision.report_deadline = clock(supervision, REPORT) if supervision.status in RUNNING else None
    return rows
