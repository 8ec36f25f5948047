"""The minute sweep: deadlines (warnings, overdue → escalation) and viewflow's timers.

The free viewflow ships no timer task (viewflow-guide §6); this is ours. `now` lets
`sweep_deadlines --at` evaluate as of any moment (drills and tests).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils import timezone
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.deadlines import deadlines_sweep

logger = logging.getLogger(__name__)

# Deadline-independent checks, each called as check(now=now) on every sweep (listed in workflows.wiring,
# which fills this list once at start-up).
PERIODIC_CHECKS: list = []


def timers_fire(*, now: datetime) -> int:
    """Fire viewflow Timer tasks due by `now` (viewflow's own dispatcher only knows the wall clock)."""
    fired = 0
    due = Task.objects.filter(flow_task_type="TIMER", status=STATUS.SCHEDULED, scheduled__lte=now).order_by("scheduled")
    for task in due:
        try:
            with task.activation() as activation:
                start = getattr(activation, "start", None)
                if start is not None and start.can_proceed():
                    activation.start()
                    activation.execute()
                    fired += 1
        except FlowLockFailed:
            logger.info("timer task %s is locked by another sweep; next time", task.pk)
    return fired


def sweep(*, now: datetime | None = None, jobs: int = 1) -> dict:
    """The deadlines (over `jobs` processes, see deadlines_sweep), the feature modules' checks, the timers."""
    now = now or timezone.now()
    result = deadlines_sweep(now=now, jobs=jobs)
    for check in PERIODIC_CHECKS:
        check(now=now)
    return {"warned": result.warned, "overdue": result.overdue, "timers": timers_fire(now=now)}
