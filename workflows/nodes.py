"""A human step: one form class, one service, one right checked by cases.scope.

viewflow's own permission checks are replaced: who may take and complete a task is
decided by the scope module from the process's region (and per-case exceptions).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from viewflow.workflow import flow

from cases import scope
from cases.models import Case, Region


class HumanStep(flow.View):
    """flow.View with `right`, `form_class` and `service(activation=, actor=, data=)`."""

    def __init__(self, view, *, right: scope.Right, form_class, service: Callable, **kwargs):
        super().__init__(view, **kwargs)
        self.right = right
        self.form_class = form_class
        self.service = service
        # Stored on each task: viewflow's own queue then matches no one (nobody holds a
        # Django permission of that name), and our queue query knows the right needed.
        self._owner_permission = f"zhiqian.{right.value}"
        self._owner_permission_obj = None

    def calc_owner_permission_obj(self, activation):
        """Where the queue finds the new task: the office that acts on it (owner_permission_obj → the
        process's region) and, once there is one, its case (the task's artifact, for per-case grants).
        Both are copies of the process's, kept in step by place_open_tasks(); the partial indexes of
        workflows.0003 serve the queue from them without a join (bench P3). Who may act is still decided
        from the process itself (allowed())."""
        process = activation.process.coerced
        if process.case_id:
            activation.task.artifact_content_type = ContentType.objects.get_for_model(Case)
            activation.task.artifact_object_id = process.case_id
        return Region(pk=process.region_id)

    def allowed(self, user, task) -> bool:
        process = task.process.coerced
        case_id = process.case_id
        return scope.can(user, self.right, region=process.region, case_id=case_id)

    def can_assign(self, user, task) -> bool:
        if task.owner_id or user is None or not user.is_authenticated:
            return False
        return self.allowed(user, task)

    def can_execute(self, user, task) -> bool:
        return task.owner_id == getattr(user, "pk", None) and self.allowed(user, task)

    def mark_assigned(self, task) -> None:
        task.assigned = timezone.now()  # viewflow 2.4 never fills Task.assigned
