"""A step of a case through the transition kernel, and the document a step issues: shared by the services of the
investigation (cases.investigation) and of its verification and closure (cases.verification)."""

from __future__ import annotations

from .actors import Actor
from .documents import document_issue
from .models import Case, Document, Role
from .transitions import transition


def case_step(case: Case, expect, event: str, *, actor: Actor, role: str = Role.INSPECTOR, message: str | None = None):
    """A step of the case through the transition kernel (cases.transitions): the case row locked and read
    afresh, its status checked (a conflict on "case") unless `expect` is None, the changed fields saved and
    the one case event recorded."""
    return transition(
        case, expect=expect, event=event, actor=actor, role=role, subject=case, error_field="case", message=message
    )


def document_after(step, **issue) -> Document:
    """Issue the step's document from the case as the step leaves it (documents read the new order_due,
    penalty_amount, compensation_rate); the kernel saves those fields when the step ends."""
    for name, value in step.changes.items():
        setattr(step.obj, name, value)
    return document_issue(**issue)
