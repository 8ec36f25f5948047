"""Lean activations for viewflow's automatic nodes (start from code, gateways, functions, ends): the same
task rows, process row and signals as viewflow's own, written with fewer statements (bench P2).

What viewflow 2.4 writes for each automatic node a completion passes through, and what these do instead:

- a SAVEPOINT/RELEASE around each gateway, function and end (`transaction.atomic(savepoint=True)` inside
  its exception guard): kept only where a failure is recorded on an ERROR task and the flow carries on
  (`context.propagate_exception` False: a timer or a job firing). Everywhere else the exception propagates
  and the caller's whole transaction rolls back, so the savepoint protects nothing;
- the task row INSERTed as NEW, then UPDATEd to DONE: a gateway's, function's or end's task is INSERTed
  once, DONE, when it completes (with its link to the task before it);
- an end's COUNT of the process's other open tasks: not run in a flow with a single token (no split,
  join or boundary event: `single_token`), where the end is the only open task; and the whole process
  saved (both tables of the multi-table CaseProcess): only `status` and `finished` are written — a step
  saves the process fields it changes itself;
- a start from code: its own savepoint and the flow lock on the process row it has just INSERTed (no other
  transaction can see that row yet): neither.

workflows.nodes.ZhiqianFlow puts these in place of viewflow's activation classes on every node of its
flows (LEAN below), so the flows keep declaring viewflow's own nodes.
"""

from __future__ import annotations

import contextlib

from django.db import transaction
from django.utils.timezone import now
from viewflow.workflow.activation import Activation
from viewflow.workflow.context import context
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes import EndActivation, FunctionActivation, IfActivation, SwitchActivation
from viewflow.workflow.nodes.start import StartHandleActivation
from viewflow.workflow.signals import flow_finished, flow_started, task_finished, task_started
from viewflow.workflow.status import PROCESS

# The task types of a flow whose process holds one token at a time: no split, join, boundary or event node.
SINGLE_TOKEN_TYPES = frozenset(
    {"START", "HUMAN_START", "HUMAN", "SWITCH", "EXCLUSIVE_GATEWAY", "FUNCTION", "END", "TIMER"}
)


def single_token(flow_class) -> bool:
    """Whether the flow's process can have only one open task at a time (computed once per flow class)."""
    found = flow_class.__dict__.get("_single_token")
    if found is None:
        found = all(node.task_type in SINGLE_TOKEN_TYPES for node in flow_class.instance.nodes())
        flow_class._single_token = found
    return found


def _kept_failure():
    """viewflow's savepoint, where a failure is kept as an ERROR task and the flow goes on; else none."""
    if context.propagate_exception:
        return contextlib.nullcontext()
    return transaction.atomic(savepoint=True)


class _InsertedDone:
    """The task row is INSERTed once, DONE, when the node completes (viewflow: INSERT as NEW, then UPDATE).
    Where a failure is kept (a timer or job firing), viewflow's own way: the row exists before the node runs."""

    _previous = None

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        if not context.propagate_exception:
            return super().create(flow_task, prev_activation, token, data=data, seed=seed)
        task = flow_task.flow_class.task_class(process=prev_activation.process, flow_task=flow_task, token=token)
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        activation._previous = prev_activation.task
        return activation

    def _insert(self) -> None:
        """Activation.complete's save, plus the link viewflow's create() adds."""
        self.task.save()
        if self._previous is not None:
            self.task.previous.add(self._previous)
            self._previous = None

    # viewflow keeps activations in sets; an unsaved task (no pk) cannot be hashed
    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self is other


class LeanSwitchActivation(_InsertedDone, SwitchActivation):
    @Activation.status.super()
    def activate(self):
        with self.exception_guard(), _kept_failure():
            for node, cond in self.flow_task._branches:
                if cond is None or cond(self):
                    self.next_task = node
                    break
            if not self.next_task:
                raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")

    @Activation.status.super()
    def complete(self):
        self.task.finished = now()
        self._insert()
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class LeanIfActivation(_InsertedDone, IfActivation):
    @Activation.status.super()
    def activate(self):
        with self.exception_guard(), _kept_failure():
            self._condition_result = self.flow_task._condition(self)

    @Activation.status.super()
    def complete(self):
        self.task.finished = now()
        self._insert()
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class LeanFunctionActivation(_InsertedDone, FunctionActivation):
    @Activation.status.super()
    def activate(self):
        with self.exception_guard(), _kept_failure():
            self.task.started = now()
            task_started.send(sender=self.flow_class, process=self.process, task=self.task)
            self.flow_task._func(self)

    @Activation.status.super()
    def complete(self):
        self.task.finished = now()
        self._insert()
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class LeanEndActivation(_InsertedDone, EndActivation):
    @Activation.status.super()
    def activate(self):
        with self.exception_guard(), _kept_failure():
            self.task.started = now()
            task_started.send(sender=self.flow_class, process=self.process, task=self.task)
            if single_token(self.flow_class):
                others = 0  # this end is the process's only token
            else:
                tasks = self.flow_class.task_class._default_manager.filter(process=self.process, finished__isnull=True)
                others = tasks.exclude(pk=self.task.pk).count() if self.task.pk else tasks.count()
            if others == 0:
                self.process.status = PROCESS.DONE
                self.process.finished = now()
                self.process.save(update_fields=["status", "finished"])
            task_finished.send(sender=self.flow_class, process=self.process, task=self.task)
            if others == 0:
                flow_finished.send(sender=self.flow_class, process=self.process, task=self.task)

    @Activation.status.super()
    def complete(self):
        self.task.finished = now()
        self._insert()
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class LeanStartHandleActivation(StartHandleActivation):
    """A start from code: the process and its start task INSERTed, the next task created — in the caller's
    transaction (its own when there is none), without a savepoint, and without locking the new row."""

    @Activation.status.super()
    def execute(self):
        task_started.send(sender=self.flow_class, process=self.process, task=self.task)
        with transaction.atomic(savepoint=False):
            self.process.save()
            self.complete()
            flow_started.send(sender=self.flow_class, process=self.process, task=self.task)
            self.activate_next()


# viewflow's activation class → ours, for the nodes that use viewflow's own (a node with an activation of its
# own keeps it).
LEAN = {
    SwitchActivation: LeanSwitchActivation,
    IfActivation: LeanIfActivation,
    FunctionActivation: LeanFunctionActivation,
    EndActivation: LeanEndActivation,
    StartHandleActivation: LeanStartHandleActivation,
}
