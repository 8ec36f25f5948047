"""A human step: one form class, one service, one right checked by cases.scope.

viewflow's own permission checks are replaced: who may take and complete a task is
decided by the scope module from the process's region (and per-case exceptions).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from viewflow.workflow import flow

from cases import scope


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
