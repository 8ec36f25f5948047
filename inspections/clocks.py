"""The two clocks of 双随机一公开 on the deadline engine (subject_ref clocks, cases.deadlines):

- "inspection.rectify" on an inspection: the rectification order's period, from the inspection day, in the
  order's working days (the province's default `inspection_rectify_wd` unless the inspector set another within
  RECTIFY_WD_MIN…RECTIFY_WD_MAX); closed when the rectification is verified (met, or closed late);
- "inspection.publish" on a plan: its results public within the province's `inspection_publish_wd` working
  days (default 20) of its completion; closed when published. Overdue: a reminder to the plan's leader and
  the region's leaders (inspections.reminders).

They warn, go overdue and show on the dashboards like every other clock; the sweep writes their
"deadline.warned" / "deadline.overdue" events on the region's chain."""

from __future__ import annotations

from datetime import date, datetime, time

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.deadlines import (
    D25,
    PROVINCE_CONFIG,
    Rule,
    Unit,
    deadline_cancel,
    deadline_close,
    deadline_start,
    deadlines_for,
    on_overdue,
    rules_register,
    subject_ref_of,
    subject_register,
)
from cases.models import Deadline
from cases.values import LOCAL_TZ

from .models import Inspection, Plan

RECTIFY = "inspection.rectify"
PUBLISH = "inspection.publish"
# the order's own period: the law leaves it to the order (D25 arts 31-32); our bounds on the inspector's choice
RECTIFY_WD_MIN = 1
RECTIFY_WD_MAX = 60  # never longer than a whole investigation period (LSIR art 17: 60 working days)

RULES = {
    RECTIFY: Rule(
        gettext_lazy("责令整改期限"), 10, Unit.WORKING_DAYS, f"{D25}第三十一条、第三十二条（期限由整改指令书载明）"
        f"{PROVINCE_CONFIG}", "inspection.rectification_ordered", 2,
    ),
    PUBLISH: Rule(
        gettext_lazy("抽查结果公示期限"), 20, Unit.WORKING_DAYS, f"双随机一公开抽查结果公示{PROVINCE_CONFIG}",
        "inspection.plan_completed", 3,
    ),
}  # fmt: skip


def _inspection_link(pk: int) -> tuple[str, str] | None:
    inspection = Inspection.objects.filter(pk=pk).select_related("plan", "target__employer", "target__project").first()
    if inspection is None:
        return None
    words = _("抽查检查：%(target)s（%(plan)s）") % {"target": inspection.target.name, "plan": inspection.plan.name}
    return words, reverse("inspections:inspection", args=[pk])


def _plan_link(pk: int) -> tuple[str, str] | None:
    plan = Plan.objects.filter(pk=pk).first()
    if plan is None:
        return None
    return _("抽查计划：%(name)s") % {"name": plan.name}, reverse("inspections:detail", args=[pk])


def register() -> None:
    """From InspectionsConfig.ready(): the kinds, the overdue publication's reminder, the subjects' links."""
    from .reminders import publication_overdue

    rules_register(RULES)
    on_overdue(PUBLISH, publication_overdue)
    subject_register(Inspection._meta.label_lower, _inspection_link)
    subject_register(Plan._meta.label_lower, _plan_link)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LOCAL_TZ)


def rectify_start(inspection: Inspection, *, days: int) -> Deadline:
    assert inspection.inspected_on is not None  # recorded with the order
    return deadline_start(kind=RECTIFY, region=inspection.plan.region, start_at=_start_of(inspection.inspected_on),
                          subject_ref=subject_ref_of(inspection), length=days)  # fmt: skip


def publish_start(plan: Plan, *, days: int) -> Deadline:
    assert plan.completed_on is not None  # set on completion
    return deadline_start(kind=PUBLISH, region=plan.region, start_at=_start_of(plan.completed_on),
                          subject_ref=subject_ref_of(plan), length=days)  # fmt: skip


def clock_of(obj: Inspection | Plan, kind: str) -> Deadline | None:
    """The open clock of `kind` on the inspection or plan (None when there is none)."""
    return next((d for d in deadlines_for(subject_ref=subject_ref_of(obj)) if d.kind == kind and d.is_open), None)


def clocks_of(obj: Inspection | Plan) -> list[Deadline]:
    """Every clock on it, open or finished (for its page)."""
    return list(Deadline.objects.filter(subject_ref=subject_ref_of(obj)).order_by("start_at", "pk"))


def close(obj: Inspection | Plan, kind: str, *, at: datetime | None = None) -> Deadline | None:
    deadline = clock_of(obj, kind)
    return deadline_close(deadline=deadline, at=at) if deadline is not None else None


def cancel(obj: Inspection | Plan, kind: str) -> Deadline | None:
    deadline = clock_of(obj, kind)
    return deadline_cancel(deadline=deadline) if deadline is not None else None
