"""The state-transition kernel: how every status change of a domain row is written.

A status change is always the same five moves, in the caller's transaction and without a savepoint:

1. lock the row (SELECT ... FOR UPDATE) and read it afresh into the caller's instance: another request
   may have moved it since it was read;
2. check its status is one of those the step starts from — otherwise StateConflict, naming the field the
   person acted on, with the status the row is really in;
3. set the new status and the step's other fields;
4. save exactly those fields (`update_fields`);
5. write the one timeline event of the change (cases.timeline, the only writer).

    with transition(referral, expect=[S.REVIEW], event="referral.legal_reviewed", actor=actor,
                    role=Role.LEGAL, subject=referral.case) as step:
        ...                                  # the step's own work: clocks, documents (row locked, checked)
        step.to(S.APPROVAL, outcome="")      # the new status and the fields that change with it
        step.data["approve_due"] = clock.due_at

On leaving the block without an exception the row is saved and the event recorded; an exception leaves
both undone (the caller's transaction rolls back). A step that changes fields but not the status calls
`step.set(...)`; a step that changes nothing on the row records its event alone.

`lock(obj)` and `expect_status(obj, ...)` are the first two moves alone, for services that check a row's state
before doing something that is not a change of that row.

Transaction policy (the one policy of the project's services; cases.tx): a service runs in its own
transaction when called alone and in its caller's, without a savepoint, when called from another
service or a flow step (`@one_transaction`); a part of other services that must never run alone is
`@in_callers_transaction`. The kernel itself opens nothing: it refuses to run outside a transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from . import timeline
from .actors import Actor

M = TypeVar("M", bound=models.Model)


class StateConflict(ValidationError):
    """The row is not in a state the step starts from (someone else moved it, or the step is not open).
    A ValidationError on the field the person acted on: forms show it there, the API answers 400."""


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a transition must run inside the service's transaction")


def lock(obj: M) -> M:
    """Lock `obj`'s row and read it afresh into `obj` (the caller's instance follows the database)."""
    _require_transaction()
    obj.refresh_from_db(from_queryset=type(obj)._default_manager.select_for_update())
    return obj


def expect_status(
    obj: models.Model,
    allowed: Iterable[str],
    *,
    status_field: str = "status",
    error_field: str = "status",
    message: str | None = None,
) -> None:
    """StateConflict on `error_field` unless `obj`'s status is one of `allowed`.

    `message` may use %(status)s (the status's display name) and %(object)s (the model's verbose name)."""
    if getattr(obj, status_field) in set(allowed):
        return
    display = getattr(obj, f"get_{status_field}_display", lambda: getattr(obj, status_field))()
    text = message or _("%(object)s当前状态为“%(status)s”，不能办理此操作。")
    raise StateConflict({error_field: text % {"status": display, "object": obj._meta.verbose_name}})


@dataclass
class Step:
    """What a transition will write: the new field values and the event's data."""

    obj: models.Model
    status_field: str
    data: dict = field(default_factory=dict)
    changes: dict[str, Any] = field(default_factory=dict)

    def to(self, status: str, **fields: Any) -> None:
        """The new status, and other fields that change with it."""
        self.changes[self.status_field] = status
        self.changes.update(fields)

    def set(self, **fields: Any) -> None:
        """Fields that change without a change of status."""
        self.changes.update(fields)


@contextmanager
def transition(
    obj: models.Model,
    *,
    expect: Iterable[str] | None,
    event: str,
    actor: Actor,
    role: str = "",
    subject: models.Model | None = None,
    data: dict | None = None,
    at: Any = None,
    status_field: str = "status",
    error_field: str = "status",
    message: str | None = None,
    locked: bool = False,
) -> Iterator[Step]:
    """Lock and check `obj` (unless `locked`: the caller did it in this transaction), let the block do the
    step's work, then save the changed fields and record `event` on `subject`'s timeline (default: the
    row's case, else the row itself). `expect=None` checks no status (a step open in every state)."""
    if locked:
        _require_transaction()
    else:
        lock(obj)
    if expect is not None:
        expect_status(obj, expect, status_field=status_field, error_field=error_field, message=message)
    step = Step(obj=obj, status_field=status_field, data=dict(data or {}))
    yield step
    for name, value in step.changes.items():
        setattr(obj, name, value)
    if step.changes:
        obj.save(update_fields=list(step.changes))
    target = subject if subject is not None else getattr(obj, "case", None) or obj
    timeline.record(target, event, actor=actor, role=role, data=step.data, at=at)
