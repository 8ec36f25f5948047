"""The leaders' escalation screen (SPEC §7): approvals waiting, overdue deadlines below them,
supervised cases — each oldest first, each keyset-paged, each one indexed query."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.dateparse import parse_datetime
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases import scope
from cases.models import Deadline, Role, Supervision

from .selectors import _rows

PAGE = 25
APPROVAL_PERMS = [f"zhiqian.{scope.Right.APPROVE.value}", f"zhiqian.{scope.Right.SUPERVISE.value}"]
OPEN_SUPERVISION = [Supervision.Status.ACTIVE, Supervision.Status.CLOSING, Supervision.Status.OVERDUE]


def require_leader(user) -> None:
    if not scope.has_role(user, Role.LEADER):
        raise PermissionDenied


def approvals(user, *, after: int | None = None) -> tuple[list, int | None]:
    """Approval and supervision steps the leader may take or has taken, oldest first."""
    q = Q(pk__in=[])
    for right in (scope.Right.APPROVE, scope.Right.SUPERVISE):
        offices = [str(pk) for pk in scope.region_ids(user, right)]
        q |= Q(owner_permission=f"zhiqian.{right.value}", owner_permission_obj_pk__in=offices)
    qs = Task.objects.filter(q, status__in=[STATUS.NEW, STATUS.ASSIGNED]).filter(Q(owner__isnull=True) | Q(owner=user))
    if after:
        qs = qs.filter(pk__gt=after)
    rows = list(_rows(qs).order_by("id")[: PAGE + 1])
    return rows[:PAGE], (rows[PAGE - 1].pk if len(rows) > PAGE else None)


def _cursor(value: str | None) -> tuple[datetime, int] | None:
    if not value or "|" not in value:
        return None
    moment, _, pk = value.partition("|")
    parsed = parse_datetime(moment)
    return (parsed, int(pk)) if parsed and pk.isdigit() else None


def overdue(user, *, after: str | None = None) -> tuple[list, str | None]:
    """Every overdue deadline in the leader's region and below, the longest overdue first."""
    ids = scope.region_ids(user, scope.Right.READ_CASE)
    qs = Deadline.objects.filter(state=Deadline.State.OVERDUE, region_id__in=ids).select_related(
        "region", "case", "complaint"
    )
    cursor = _cursor(after)
    if cursor:
        qs = qs.filter(Q(due_at__gt=cursor[0]) | Q(due_at=cursor[0], pk__gt=cursor[1]))
    rows = list(qs.order_by("due_at", "id")[: PAGE + 1])
    last = rows[PAGE - 1] if len(rows) > PAGE else None
    return rows[:PAGE], (f"{last.due_at.isoformat()}|{last.pk}" if last else None)


def supervised(user, *, after: int | None = None) -> tuple[list, int | None]:
    """Open supervisions the leader's office runs, or of cases in its region and below, oldest first."""
    ids = scope.region_ids(user, scope.Right.READ_CASE)
    qs = Supervision.objects.filter(
        Q(case__region_id__in=ids) | Q(supervising_region_id__in=ids), status__in=OPEN_SUPERVISION
    ).select_related("case__region", "case__employer", "supervising_region")
    if after:
        qs = qs.filter(pk__gt=after)
    rows = list(qs.order_by("id")[: PAGE + 1])
    return rows[:PAGE], (rows[PAGE - 1].pk if len(rows) > PAGE else None)
