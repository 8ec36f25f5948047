"""How a referral changes: cases.transitions on the referral row, the event on the case's timeline naming the
referral and its new status; the clocks the step closes; when something happened (the person may say)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..actors import Actor
from ..deadlines import deadline_close
from ..models import Case, Deadline, Referral
from ..transitions import Step, transition
from ..values import moment
from .rules import OPEN_CLOCK


def conflict_message() -> str:
    return _("移送当前状态为“%(status)s”，不能办理此环节。")


@contextmanager
def step(
    referral: Referral, *, expect: Iterable[str] | None, event: str, actor: Actor, role: str, locked: bool = False
) -> Iterator[Step]:
    """transition() on the referral (StateConflict on "status" with the referral's own message); the event's
    data starts with the referral and its status after the step."""
    with transition(
        referral,
        expect=expect,
        event=event,
        actor=actor,
        role=role,
        subject=referral.case,
        error_field="status",
        message=conflict_message(),
        locked=locked,
    ) as change:
        change.data.update({"referral": referral.pk, "status": referral.status})
        yield change
        change.data["status"] = change.changes.get("status", referral.status)


def occurred_at(value: datetime | None, field_name: str, *, not_before: datetime | None = None) -> datetime:
    """When something happened (default: now): not in the future, not before the step it follows."""
    now = moment()
    if value is None:
        return now
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now:
        raise ValidationError({field_name: _("时间不能晚于当前时间。")})
    if not_before is not None and value < not_before:
        raise ValidationError({field_name: _("时间不能早于上一环节的时间。")})
    return value


def clock_close(case: Case, kind: str, at: datetime) -> Deadline | None:
    """Close the case's open clock of `kind` (the newest), if any."""
    clock = case.deadlines.filter(kind=kind, state__in=OPEN_CLOCK).order_by("-id").first()
    if clock is not None:
        deadline_close(deadline=clock, at=at)
    return clock
