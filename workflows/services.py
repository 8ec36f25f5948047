"""Workflow services: submitting a complaint into the intake flow, claiming and completing tasks.

Used by the staff pages, the REST API and the bulk import alike (one code path each).
"""

from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases import acceptance, intake, timeline

from . import selectors
from .activations import single_token
from .flows import IntakeFlow
from .models import CaseProcess
from .nodes import collecting_opened
from .tasking import TaskConflict  # noqa: F401  (importers: the API's 409)
from .tasking import step_role as _role_for
from .tasking import task_subject as _subject


def intake_submit(*, actor, clean, channel: str, idempotency_key: str | None = None, request_hash: str = ""):
    """Record a complaint, start its 5-working-day acceptance clock and the intake flow.

    Returns (complaint, created). The receipt number may be shown once this returns:
    the transaction has committed (or, nested, commits with the caller's). A concurrent request with
    the same Idempotency-Key that committed first is answered with its complaint (created False).
    """
    try:
        return _intake_submit(
            actor=actor, clean=clean, channel=channel, idempotency_key=idempotency_key, request_hash=request_hash
        )
    except IntegrityError:
        # our transaction (or savepoint, when nested) is rolled back: the other request's complaint
        found = (
            intake.complaint_replay(idempotency_key, request_hash or clean.fingerprint()) if idempotency_key else None
        )
        if found is None:
            raise
        return found, False


@transaction.atomic
def _intake_submit(*, actor, clean, channel: str, idempotency_key: str | None, request_hash: str):
    complaint, created = intake.complaint_submit(
        actor=actor, clean=clean, channel=channel, idempotency_key=idempotency_key, request_hash=request_hash
    )
    if created:
        acceptance.acceptance_start(complaint=complaint)
        IntakeFlow.start.run(complaint=complaint)
    return complaint, created


# What a step reads of its process, in the statement after the lock: the complaint with its office, employer and
# project (an acceptance files the case from them), the process's office, the task's owner.
_LOCKED_READ = (
    "process__caseprocess__complaint__region",
    "process__caseprocess__complaint__employer",
    "process__caseprocess__complaint__project",
    "process__caseprocess__region",
    "owner",
)


@contextmanager
def _locked(task: Task):
    """Lock the task's process row, the row viewflow's own flow lock takes (ROW_LOCK, on the process
    class's table); then read the task afresh with its process, complaint and office in one statement,
    and yield that. Two statements where the flow lock, the task's refresh and the reloads of its process
    took six. The read is a statement of its own AFTER the lock: under READ COMMITTED a joined row read by
    the locking statement itself comes from the snapshot taken before it waited. A second completer waits
    here, then finds the task done: TaskConflict (409)."""
    try:
        with transaction.atomic():
            CaseProcess.objects.select_for_update().filter(pk=task.process_id).values_list("pk").get()
            yield Task.objects.select_related(*_LOCKED_READ).get(pk=task.pk)
    except FlowLockFailed as exc:  # a flow lock taken inside (a flow started by the step)
        raise TaskConflict(str(exc))


@transaction.atomic
def task_assign(*, task: Task, actor) -> Task:
    """Claim a task of the user's scope. 403 without the right, TaskConflict if taken.

    One conditional UPDATE instead of viewflow's lock, re-read and save (what its assign() transition
    does: owner and status, nothing else): of two claims at once, the second finds the row no longer
    NEW once the first commits, and updates nothing (409). Then the one timeline event."""
    node = task.flow_task
    if not node.allowed(actor, task):
        raise PermissionDenied
    now = timezone.now()
    claimed = Task.objects.filter(pk=task.pk, status=STATUS.NEW, owner__isnull=True).update(
        owner=actor, status=STATUS.ASSIGNED, assigned=now
    )
    if not claimed:
        raise TaskConflict(_("该任务已被他人领取或已办结。"))
    task.owner, task.status, task.assigned = actor, STATUS.ASSIGNED, now
    timeline.record(
        _subject(task),
        "task.claimed",
        actor=actor,
        role=_role_for(node),
        data={"task": task.pk, "step": node.name, "title": str(node.task_title or node.name)},
    )
    return task


def task_unassign(*, task: Task, actor) -> Task:
    node = task.flow_task
    if task.owner_id != actor.pk:
        raise PermissionDenied
    with _locked(task) as task:
        if task.status != STATUS.ASSIGNED or task.owner_id != actor.pk:
            raise TaskConflict(_("该任务已办结或已转交他人。"))
        node.activation_class(task).unassign()
        timeline.record(_subject(task), "task.released", actor=actor, role=_role_for(node), data={"task": task.pk})
    return task


def task_complete(*, task: Task, actor, data) -> list[Task]:
    """Complete the step with its form's data. 403 / ValidationError (400) / TaskConflict (409)."""
    node = task.flow_task
    if not node.allowed(actor, task):
        raise PermissionDenied
    form = node.form_class(data=data, task=task)
    if not form.is_valid():
        raise ValidationError(
            {field: [e["message"] for e in errors] for field, errors in form.errors.get_json_data().items()}
        )
    with _locked(task) as task, collecting_opened() as opened:
        if task.status != STATUS.ASSIGNED or task.owner_id != actor.pk:
            raise TaskConflict(_("该任务已办结，或未由您领取。"))
        activation = node.activation_class(task)
        activation.start(SimpleNamespace(user=actor))
        process = activation.process
        placed = (process.region_id, process.case_id)
        node.service(activation=activation, actor=actor, data=form.cleaned_data)
        if (process.region_id, process.case_id) != placed and not single_token(node.flow_class):
            # transferred, designated, a case filed … (in a single-token flow the task being completed is the
            # process's only open one: nothing to move)
            place_open_tasks(process)
        activation.execute()
        process = activation.process
    # read with everything a task row shows; a step that opened none (the flow ended) reads nothing
    return selectors.tasks_opened_by(task, process) if opened else []


def place_open_tasks(process) -> int:
    """Copy the process's office and case onto its open human tasks (what HumanStep stores on a new
    one), after the process moved: an open task must show in the queue of the office that now acts."""
    from django.contrib.contenttypes.models import ContentType

    from cases.models import Case, Region

    return Task.objects.filter(
        process_id=process.pk, flow_task_type="HUMAN", status__in=[STATUS.NEW, STATUS.ASSIGNED]
    ).update(
        owner_permission_content_type=ContentType.objects.get_for_model(Region),
        owner_permission_obj_pk=str(process.region_id),
        artifact_content_type=ContentType.objects.get_for_model(Case) if process.case_id else None,
        artifact_object_id=process.case_id,
    )


