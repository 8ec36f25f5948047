"""What the task services and the routing of new tasks both need, below both (no flow imported here):
the 409 error of a task taken meanwhile, the subject whose timeline a task's events go to, and the role a
step's right belongs to."""

from __future__ import annotations


class TaskConflict(Exception):
    """The task was taken or completed by someone else meanwhile (HTTP 409)."""


def task_subject(task):
    """The task's case (an id-only instance: the timeline needs its model and pk), or its complaint, or — for a
    flow that runs before there is either (a proactive filing proposal) — its office's chain."""
    from cases.models import Case, Region

    process = task.process.coerced
    if process.case_id:
        return Case(pk=process.case_id)
    if process.complaint_id:
        return process.complaint
    return Region(pk=process.region_id)


def step_role(node) -> str:
    """The role whose right the step asks (cases.scope.RIGHT_ROLE)."""
    from cases.scope import RIGHT_ROLE

    return RIGHT_ROLE.get(node.right, "")
