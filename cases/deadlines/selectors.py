"""Reading deadlines: a subject's deadlines, and the days left on one."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from ..models import Case, Complaint, Deadline
from ..values import local_date
from ..workdays import Calendar
from .rules import State, Unit
from .times import aware


def deadlines_for(
    *, case: Case | None = None, complaint: Complaint | None = None, subject_ref: str = ""
) -> QuerySet[Deadline]:
    """Every deadline of the subject, by due time; a case's include those of its complaints. `subject_ref`: the
    clocks of something of an app above cases (subjects.subject_ref_of)."""
    if subject_ref:
        qs = Deadline.objects.filter(subject_ref=subject_ref)
    elif case is not None:
        # the complaints' ids as a list: an OR across the join made PostgreSQL scan every deadline
        complaint_ids = list(Complaint.objects.filter(case=case).values_list("pk", flat=True))
        qs = Deadline.objects.filter(Q(case=case) | Q(complaint_id__in=complaint_ids))
    elif complaint is not None:
        qs = Deadline.objects.filter(complaint=complaint)
    else:
        raise ValueError("deadlines_for() needs a case, a complaint or a subject_ref")
    return qs.select_related("region").order_by("due_at", "id")


def days_left(deadline: Deadline, now: datetime | None = None, *, calendar: Calendar | None = None) -> int | None:
    """Working days (working-day deadlines) or calendar days left; 0 = due today; negative = overdue.

    A paused deadline counts from the moment it was paused; a closed one has none (None).
    Pass one `calendar` when listing many deadlines.
    """
    reference: datetime | None
    if deadline.state == State.PAUSED:
        reference = deadline.paused_at
    elif deadline.state in (State.RUNNING, State.OVERDUE):
        reference = aware(now, "now")
    else:
        return None
    assert reference is not None, f"paused deadline {deadline.pk} without paused_at"
    today, due_day = local_date(reference), local_date(deadline.due_at)
    if deadline.unit == Unit.WORKING_DAYS:
        return (calendar or Calendar()).working_days_between(today, due_day)
    return (due_day - today).days
