"""Task lists: inbox (mine) and queue (unclaimed, mine to take) as our own indexed queries.

viewflow's built-in queue matches per-object grants row by row (10 s at 100k cases in the
baseline) and is not region-scoped; these are one query each, keyset-paged by task id (a page
reads the ids first, then the rows: keyset_page).
"""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases import scope
from cases.models import Deadline

PAGE_SIZE = 25
OPEN_DEADLINE = [Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.OVERDUE]


def _rows(qs: QuerySet) -> QuerySet:
    due = Deadline.objects.filter(state__in=OPEN_DEADLINE).order_by("due_at")
    return qs.select_related(
        "process__caseprocess__region",
        "process__caseprocess__complaint__employer",
        "process__caseprocess__case__employer",
        "owner",
    ).annotate(
        complaint_due=Subquery(
            due.filter(complaint_id=OuterRef("process__caseprocess__complaint_id")).values("due_at")[:1]
        ),
        case_due=Subquery(due.filter(case_id=OuterRef("process__caseprocess__case_id")).values("due_at")[:1]),
    )


def tasks_inbox(user) -> QuerySet[Task]:
    """Tasks the user has claimed and not finished, oldest first: the filter only (keyset_page reads a
    page's ids through it, then the rows with all they show)."""
    return Task.objects.filter(owner=user, status=STATUS.ASSIGNED).order_by("id")


def step_rights() -> list[scope.Right]:
    """The rights human steps need: the only `zhiqian.<right>` a task's owner_permission can carry.

    The queue asks only for these. Asking for every right (as it did) cost a region look-up per
    right a subtree role holds below its office (read_case, read_complaint, read_timeline,
    supervise: four statements more for a leader) and OR-ed conditions no task can match.
    """
    from viewflow.workflow.flow import Flow

    from .nodes import HumanStep

    rights, todo = set(), list(Flow.__subclasses__())
    while todo:
        flow_class = todo.pop()
        todo.extend(flow_class.__subclasses__())
        rights.update(node.right for node in vars(flow_class).values() if isinstance(node, HumanStep))
    return sorted(rights, key=list(scope.Right).index)


def queue_filter(user) -> Q:
    """Unclaimed tasks whose step needs a right the user holds where the task's office is, or on its case.

    On the office and case HumanStep stores on each task (owner_permission_obj, artifact): no join, and
    the partial indexes (permission, office, id) and (permission, case) of workflows.0003 answer it."""
    q = Q(pk__in=[])
    for right in step_rights():
        perm = f"zhiqian.{right.value}"
        offices = scope.region_ids(user, right)
        if offices:
            q |= Q(owner_permission=perm, owner_permission_obj_pk__in=[str(pk) for pk in offices])
        excepted = scope.exception_q(user, right, "artifact_object_id", rare=True)
        if excepted is not None:
            q |= Q(owner_permission=perm) & excepted
    return q


def tasks_queue(user) -> QuerySet[Task]:
    """Unclaimed tasks the user may take, oldest first: the filter only, as tasks_inbox()."""
    return Task.objects.filter(queue_filter(user), status=STATUS.NEW).order_by("id")


def keyset_page(qs: QuerySet, *, after: int | None, size: int = PAGE_SIZE) -> tuple[list, int | None]:
    """One page of tasks_inbox() / tasks_queue(), after the task id `after`; (rows, next cursor).

    Two statements: the page's ids through the list's filter alone, then the rows with everything
    the page shows (tasks_for_ids). In one statement PostgreSQL planned the queue's filter (ORs of
    rights, regions and excepted cases) together with ten joined tables and two subqueries: 11-18 ms
    of planning for under 1 ms of execution at 5M tasks (docs/performance.md, issue 7).
    """
    if after:
        qs = qs.filter(pk__gt=after)
    ids = list(qs.values_list("pk", flat=True)[: size + 1])
    rows = tasks_for_ids(ids[:size]) if ids else []
    return rows, (ids[size - 1] if len(ids) > size else None)


def task_for_user(user, task_id: int) -> Task:
    """The task if its process lies in the user's scope (else 404). Acting on it is the node's check."""
    task = (
        Task.objects.select_related("process__caseprocess__region", "process__caseprocess__complaint", "owner")
        .filter(pk=task_id, process__caseprocess__isnull=False)
        .first()
    )
    if task is None or task.flow_task_type != "HUMAN":  # start, switch, end …: nothing a user can act on
        raise Http404
    process = task.process.caseprocess
    if not scope.in_scope(user, region=process.region, case_id=process.case_id):
        # the previous office of a transferred complaint, or one whose right is a per-case exception
        raise Http404
    return task


def tasks_for_ids(ids: list[int]) -> list[Task]:
    return list(_rows(Task.objects.filter(pk__in=ids)).order_by("id"))


def tasks_opened_by(task: Task, process) -> list[Task]:
    """The human tasks a completed step opened, in its flow or in a flow it started (e.g. the
    investigation), with everything a task row shows: one statement."""
    subject = Q(process__caseprocess__complaint_id=process.complaint_id) if process.complaint_id else Q(pk__in=[])
    if process.case_id:
        subject |= Q(process__caseprocess__case_id=process.case_id)
    opened = Task.objects.filter(
        subject, pk__gt=task.pk, flow_task_type="HUMAN", status__in=[STATUS.NEW, STATUS.ASSIGNED]
    )
    return list(_rows(opened).order_by("id"))


def tasks_for_process(process) -> list[Task]:
    """The open human tasks of a process just started."""
    qs = Task.objects.filter(process_id=process.pk, flow_task_type="HUMAN", status__in=[STATUS.NEW, STATUS.ASSIGNED])
    return list(_rows(qs).order_by("id"))
