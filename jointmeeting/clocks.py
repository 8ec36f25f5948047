"""The clocks of 督办 and 约谈 on the deadline engine (a clock on any subject: `subject_ref` names the matter),
and what the sweep does when one runs out.

- "jointmeeting.matter": the matter is to be done within the province's `matter_days` (default 15 days;
  no national rule — domain-rules §4.5 row 60 gives 15 days as the provincial practice, stored as
  configuration), warned 3 days before;
- "jointmeeting.followup": the commitments of a 约谈 are to be carried out within the province's
  `followup_days` (default 15 days), warned 3 days before.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy

from cases import deadlines
from cases.deadlines import PROVINCE_CONFIG, Rule
from cases.models import Deadline

MATTER = "jointmeeting.matter"
FOLLOWUP = "jointmeeting.followup"
OPEN = [Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.OVERDUE]
BASIS = "根治拖欠农民工工资工作联席会议督办通知"

RULES = {
    MATTER: Rule(gettext_lazy("联席会议督办办结期限"), 15, Deadline.Unit.DAYS, f"{BASIS}{PROVINCE_CONFIG}",
                 "jointmeeting.matter_issued", 3),  # fmt: skip
    FOLLOWUP: Rule(gettext_lazy("约谈整改落实期限"), 15, Deadline.Unit.DAYS, f"约谈记录{PROVINCE_CONFIG}",
                   "jointmeeting.interview_recorded", 3),  # fmt: skip
}


def matter_overdue(deadline: Deadline, now: datetime) -> None:
    """on_overdue(MATTER / FOLLOWUP): the matter becomes overdue (jointmeeting.services.matter_clock_overdue)."""
    from .services import matter_clock_overdue

    matter_clock_overdue(deadline=deadline, now=now)


def matter_link(pk: int) -> tuple[str, str] | None:
    """How a matter's clock is shown on the leader's overdue list: its words and its page."""
    from django.urls import reverse

    from .models import Matter

    matter = Matter.objects.filter(pk=pk).first()
    if matter is None:
        return None
    return f"{matter.get_kind_display()}：{matter.subject}", reverse("jointmeeting:matter", args=[matter.pk])


def register() -> None:
    """The kinds and how a matter is shown (from the app's ready()); the overdue handler is wired with the
    others in workflows.wiring (OVERDUE)."""
    deadlines.rules_register(RULES)
    deadlines.subject_register("jointmeeting.matter", matter_link)


def clocks_of(matter, kind: str | None = None):
    """The matter's clocks (optionally of one kind), oldest first."""
    qs = deadlines.deadlines_for(subject_ref=deadlines.subject_ref_of(matter))
    return (qs.filter(kind=kind) if kind else qs).order_by("id")


def open_clock(matter, kind: str) -> Deadline | None:
    return clocks_of(matter, kind).filter(state__in=OPEN).order_by("-id").first()
