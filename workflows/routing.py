"""Who a new task goes to (issue 14 item 2): the people on the case, the office queue only when nobody is.

- An inspector's step (Right.INVESTIGATE) of a case goes to the inspectors assigned to it (CaseInspector,
  active): the one of them who did the case's last inspector step, else the earliest account among them
  (the leader names them together; the order of a multiple choice is not kept).
- A clerk's step (Right.INTAKE) goes to the handling clerk: the one who did the last intake step of the
  same complaint or case.
- Anything else (approvals, legal review), or when none of those people may act on the task (moved to
  another office, role withdrawn): the task stays unclaimed in its office's queue.

Each candidate is checked with the step's own rule (HumanStep.allowed, cases.scope): routing never gives
a task to someone who could not have claimed it. `owner_for` is called from one place, HumanStep.calc_owner
(workflows.nodes), when viewflow creates the task.

Bulk assignment (SPEC §7): `tasks_assign_to` gives unclaimed tasks to a named person, each task checked on
its own: the assigner must be a leader of the task's office (Right.APPROVE there) and the assignee must be
allowed to act on it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases import scope, timeline
from cases.models import CaseInspector, Role

ROUTED_RIGHTS = (scope.Right.INVESTIGATE, scope.Right.INTAKE)


def _assigned_inspectors(case_id: int) -> list:
    rows = CaseInspector.objects.filter(case_id=case_id, active=True).select_related("inspector")
    return [row.inspector for row in rows.order_by("inspector_id")]


def _last_doer(process, right: scope.Right) -> list:
    """The owner of the latest finished step needing `right` on the same complaint or case."""
    subject = Q(pk__in=[])
    if process.complaint_id:
        subject |= Q(process__caseprocess__complaint_id=process.complaint_id)
    if process.case_id:
        subject |= Q(process__caseprocess__case_id=process.case_id)
    done = (
        Task.objects.filter(subject, flow_task_type="HUMAN", status=STATUS.DONE, owner__isnull=False)
        .select_related("owner")
        .order_by("-finished", "-id")
    )
    for task in done[:20]:
        if getattr(task.flow_task, "right", None) == right:
            return [task.owner]
    return []


def candidates(node, process) -> list:
    """The people the step would go to, in order (not yet checked)."""
    right = getattr(node, "right", None)
    people: list = []
    if right not in ROUTED_RIGHTS:
        return people
    last = _last_doer(process, right)
    if right == scope.Right.INVESTIGATE and process.case_id:
        assigned = _assigned_inspectors(process.case_id)
        people = [u for u in last if u in assigned] + [u for u in assigned if u not in last]
    return people or last


def owner_for(node, activation):
    """The person the new task of `node` goes to, or None: the office queue."""
    task = activation.task
    process = activation.process.coerced
    for user in candidates(node, process):
        if user.is_active and node.allowed(user, task):
            task.assigned = timezone.now()  # viewflow never fills it (HumanStep.mark_assigned)
            from .tasking import task_subject as _subject

            # the one event of this change (the task has no id yet: it is being created)
            timeline.record(
                _subject(task),
                "task.routed",
                actor=None,
                role="",
                data={"step": node.name, "title": str(node.task_title or node.name), "owner": user.get_username()},
            )
            return user
    return None


# --- bulk assignment to a named person --------------------------------------------------------------------


def may_assign(actor, task: Task) -> bool:
    """A leader of the task's office gives its unclaimed tasks out (SPEC §7: per item)."""
    process = task.process.coerced
    return scope.can(actor, scope.Right.APPROVE, region=process.region)


def assignees_for(actor) -> list:
    """The staff of the offices where `actor` approves: whom its bulk assignment may name."""
    offices = scope.regions_with(actor, scope.Right.APPROVE)
    if not offices:
        return []
    roles = [Role.CLERK, Role.INSPECTOR, Role.LEGAL]
    users = get_user_model().objects.filter(
        is_active=True, staff_roles__region_id__in=offices, staff_roles__role__in=roles
    )
    return list(users.distinct().order_by("username"))


def task_assign_to(*, task: Task, assignee, actor) -> Task:
    """Give one unclaimed task to `assignee`. PermissionDenied when `actor` may not give it out or
    `assignee` may not act on it; TaskConflict (from workflows.services) when it was taken meanwhile."""
    from .tasking import TaskConflict
    from .tasking import step_role as _role_for

    node = task.flow_task
    if not may_assign(actor, task) or not node.allowed(assignee, task):
        raise PermissionDenied
    with transaction.atomic():
        now = timezone.now()
        given = Task.objects.filter(pk=task.pk, status=STATUS.NEW, owner__isnull=True).update(
            owner=assignee, status=STATUS.ASSIGNED, assigned=now
        )
        if not given:
            raise TaskConflict("taken")
        task.owner, task.status, task.assigned = assignee, STATUS.ASSIGNED, now
        process = task.process.coerced
        from .tasking import task_subject as _subject

        timeline.record(
            _subject(task),
            "task.assigned",
            actor=actor,
            role=Role.LEADER,
            data={
                "task": task.pk,
                "step": node.name,
                "title": str(node.task_title or node.name),
                "assignee": assignee.get_username(),
                "assignee_role": _role_for(node),
                "region": process.region.code,
            },
        )
    return task
