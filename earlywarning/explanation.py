"""The unit's window to explain a warning signal (要求单位限期说明情况), on the deadline engine.

The inspector asks the unit to explain within the province's working days (WarningConfig.explain_workdays,
our default 5: no statute fixes it). The window is the unit's own (a party window, Rule.party): when it runs
out it has ended (已届满), never "overdue" for the bureau; the inspector then records that no explanation came
and decides. The clock is a subject_ref clock of the signal (cases.deadlines.subjects): its events go to the
signal's region's chain, like the signal's own."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.deadlines import (
    PROVINCE_CONFIG,
    Rule,
    Unit,
    deadline_cancel,
    deadline_close,
    deadline_start,
    deadlines_for,
    rules_register,
    subject_ref_of,
    subject_register,
)
from cases.models import Deadline

from .config import config_for
from .models import Signal

EXPLAIN = "signal.explain"
RULE = Rule(
    gettext_lazy("单位说明情况期限"), 5, Unit.WORKING_DAYS, f"欠薪预警处置规则{PROVINCE_CONFIG}",
    "signal.explanation_requested", 1, party=True,
)  # fmt: skip


def register() -> None:
    """From EarlyWarningConfig.ready(): the rule, and how the leader's lists name the signal."""
    rules_register({EXPLAIN: RULE})
    subject_register("earlywarning.signal", _signal_link)


def _signal_link(pk: int) -> tuple[str, str] | None:
    signal = Signal.objects.filter(pk=pk).select_related("project").first()
    if signal is None:
        return None
    where = signal.project.name if signal.project else signal.region.name
    return _("欠薪预警：%(where)s") % {"where": where}, reverse("earlywarning:detail", args=[pk])


def explanation_clock(signal: Signal) -> Deadline | None:
    """The signal's latest explanation window, open or not."""
    return deadlines_for(subject_ref=subject_ref_of(signal)).filter(kind=EXPLAIN).order_by("-id").first()


def explanation_clock_start(signal: Signal, now: datetime) -> Deadline:
    """In the caller's transaction (signal_explain_request)."""
    return deadline_start(
        kind=EXPLAIN, region=signal.region, start_at=now, subject_ref=subject_ref_of(signal),
        length=config_for(signal.region).explain_workdays,
    )  # fmt: skip


def explanation_clock_end(signal: Signal, at: datetime, *, explained: bool) -> None:
    """The explanation came (the window closes, met) or the signal was handled otherwise (cancelled)."""
    clock = explanation_clock(signal)
    if clock is None or not clock.is_open:
        return
    if explained:
        deadline_close(deadline=clock, at=at)
    else:
        deadline_cancel(deadline=clock, at=at)


def explanation_window_ended(signal: Signal, at: datetime) -> bool:
    """The unit's window has run out (its due time passed), whether or not the sweep has ended it yet."""
    clock = explanation_clock(signal)
    return clock is not None and clock.due_at <= at
