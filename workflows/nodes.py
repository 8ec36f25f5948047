"""What every flow is built from: the base flow (ZhiqianFlow, its row lock, the `decided` gateway condition)
and the human step (HumanStep: one form class, one service, one right checked by cases.scope).

viewflow's own permission checks are replaced: who may take and complete a task is
decided by the scope module from the process's region (and per-case exceptions).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction
from django.utils import timezone
from viewflow.workflow import flow
from viewflow.workflow.exceptions import FlowLockFailed

from cases import scope
from cases.models import Case, Region

from . import routing
from .activations import LEAN
from .models import CaseProcess

_OPENED: ContextVar[list | None] = ContextVar("zhiqian_opened_tasks", default=None)


@contextmanager
def collecting_opened():
    """Collect the human tasks created inside the block (in any flow: a step may start another one)."""
    opened: list = []
    token = _OPENED.set(opened)
    try:
        yield opened
    finally:
        _OPENED.reset(token)


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

    def calc_owner(self, activation):  # the people on the case, else the office queue (workflows.routing)
        return routing.owner_for(self, activation)

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

    def _create(self, prev_activation, token, data=None, seed=None):
        activation = super()._create(prev_activation, token, data=data, seed=seed)
        opened = _OPENED.get()
        if opened is not None:
            opened.append(activation.task)
        return activation

    def mark_assigned(self, task) -> None:
        task.assigned = timezone.now()  # viewflow 2.4 never fills Task.assigned


class _RowLock:
    """viewflow's SelectForUpdateLock(nowait=False, attempts=1) without its savepoint: a blocking lock has
    no second attempt to roll back for (two statements less per flow start and step). A lock that ends
    in an error (a deadlock PostgreSQL broke) is FlowLockFailed, as with viewflow's: a 409."""

    @contextmanager
    def __call__(self, flow_class, process_pk):
        with transaction.atomic(savepoint=False):
            try:
                flow_class.process_class._default_manager.filter(pk=process_pk).select_for_update().exists()
            except DatabaseError as exc:
                raise FlowLockFailed(f"Lock failed for {flow_class}") from exc
            yield


ROW_LOCK = _RowLock()


ROUTING_FIELDS = ["complaint", "case", "region", "decision"]


def routing_save(process) -> None:
    """Save what a step changes on its process: the CaseProcess's own columns (its office, case, decision) —
    one UPDATE, where process.save() writes viewflow's process row as well."""
    process.save(update_fields=ROUTING_FIELDS)


def decided(value):
    """A gateway condition: the step before routed to `value` (CaseProcess.decision)."""
    return lambda activation: activation.process.decision == value


class ZhiqianFlow(flow.Flow):
    """The base of every flow: a CaseProcess, locked with a blocking SELECT … FOR UPDATE on the process row
    (viewflow's default is no lock at all: a second completion waits for the first, then finds the task
    done → 409)."""

    process_class = CaseProcess
    lock_impl = ROW_LOCK

    def __init_subclass__(cls, **kwargs):
        """viewflow copies the nodes onto each flow class; ours run with the lean activations (.activations)."""
        super().__init_subclass__(**kwargs)
        for node in cls._nodes_by_name.values():
            lean = LEAN.get(node.activation_class)
            if lean is not None:
                node.activation_class = lean

    def start_process(self, activation, *, complaint=None, case=None, region=None, artifact=None):
        process = activation.process
        process.complaint = complaint
        process.case = case
        process.region = region or (case.region if case is not None else complaint.region)
        if artifact is not None:
            process.artifact = artifact
        return process
