"""The deadline engine: rules, due-time conventions, pause/resume, extension, close, the sweep.

All expected times are Asia/Shanghai, worked out by hand from the 2026 schedule (09-20 Sun and
10-10 Sat are make-up working days; 09-25 and 10-01..07 are holidays; 2027 is not covered by
chinese_calendar 1.11.0, so weekends only).
"""

import threading
from collections import defaultdict
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cases import deadlines, timeline
from cases.deadlines import (
    RULES,
    Rule,
    SweepResult,
    days_left,
    deadline_cancel,
    deadline_close,
    deadline_extend,
    deadline_pause,
    deadline_resume,
    deadline_start,
    deadlines_for,
    deadlines_sweep,
    due_times,
    on_overdue,
    on_overdue_many,
    on_warning,
)
from cases.models import Deadline, DeadlineExtension, DeadlinePause, TimelineEvent, WorkdayOverride
from tests import world

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
State = Deadline.State


def t(y, m, d, hh=0, mm=0, ss=0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=SH)


def end(y, m, d) -> datetime:
    return t(y, m, d, 23, 59, 59)


@pytest.fixture(autouse=True)
def _isolated():
    """No deadline of the shared world and no handler of an outer layer takes part in these tests."""
    Deadline.objects.filter(state__in=[State.RUNNING, State.PAUSED, State.OVERDUE]).update(state=State.CANCELLED)
    saved = [
        (reg, {k: list(v) for k, v in reg.items()})
        for reg in (deadlines._warning_handlers, deadlines._overdue_handlers, deadlines._overdue_batch_handlers)
    ]
    for reg, _ in saved:
        reg.clear()
    yield
    for reg, content in saved:
        reg.clear()
        reg.update(content)


@pytest.fixture
def case():
    return world.make_case("360302")


@pytest.fixture
def complaint(case):
    return case.complaints.get()


@pytest.fixture
def leader():
    return world.user("leader", "360302")


def start(kind, subject, at, **kw):
    """deadline_start in a transaction of its own, as the calling service's would be."""
    field = "case" if subject.__class__.__name__ == "Case" else "complaint"
    with transaction.atomic():
        return deadline_start(kind=kind, region=subject.region, start_at=at, **{field: subject}, **kw)


def events(subject, kind):
    field = "case" if subject.__class__.__name__ == "Case" else "complaint"
    return list(TimelineEvent.objects.filter(**{field: subject}, kind=kind).order_by("seq"))


# --- rules -------------------------------------------------------------------------------------

D25 = "《关于实施〈劳动保障监察条例〉若干规定》"
LSIR = "《劳动保障监察条例》"
R310 = "《行政执法机关移送涉嫌犯罪案件的规定》"

# kind: (title, length, unit, legal_basis, start_event, warn_before, max_extensions)
EXPECTED_RULES = {
    "intake.acceptance": ("投诉受理期限", 5, "working_days", f"{D25}第十八条", "complaint.received", 1, None),
    "investigation.complete": ("调查期限", 60, "working_days", f"{LSIR}第十七条", "case.filed", 10, 1),
    "investigation.extension": (
        "延长调查期限",
        30,
        "working_days",
        f"{LSIR}第十七条",
        "investigation.extended",
        5,
        None,
    ),
    "investigation.decide": ("作出处理决定期限", 15, "working_days", D25, "investigation.completed", 3, None),
    "referral.approve": ("移送审批期限", 3, "days", f"{R310}第五条", "referral.reported", 1, None),
    "referral.transfer": ("向公安机关移送期限", 24, "hours", f"{R310}第五条", "referral.approved", 6, None),
    "police.decide": ("公安机关立案审查期限", 3, "days", f"{R310}第八条", "referral.transferred", 1, None),
    "listing.defence": (
        "陈述申辩期限",
        5,
        "working_days",
        "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》（省级配置，默认值）",
        "listing.noticed",
        1,
        None,
    ),
    "supervision.complete": (
        "挂牌督办办结期限",
        15,
        "days",
        "挂牌督办通知书（省级配置，默认值）",
        "supervision.issued",
        3,
        None,
    ),
    "supervision.report": (
        "督办进展报告期限",
        5,
        "working_days",
        "挂牌督办通知书（省级配置，默认值）",
        "supervision.acknowledged",
        1,
        None,
    ),
}


def test_the_rule_table():
    # The core kinds, exactly; feature modules (supervision, referral, listing) add and test their own.
    assert set(EXPECTED_RULES) <= set(RULES)
    for kind, (title, length, unit, basis, start_event, warn_before, max_ext) in EXPECTED_RULES.items():
        rule = RULES[kind]
        assert (str(rule.title), rule.length, rule.unit, rule.legal_basis, rule.start_event) == (
            title,
            length,
            unit,
            basis,
            start_event,
        ), kind
        assert (rule.warn_before, rule.max_extensions) == (warn_before, max_ext), kind


def test_rules_are_frozen_and_the_engine_constants_are_pinned():
    with pytest.raises(AttributeError):
        RULES["intake.acceptance"].length = 7
    assert Rule(title="x", length=1, unit="days", legal_basis="", start_event="", warn_before=0).max_extensions is None
    assert deadlines.TZ == SH
    assert deadlines.END_OF_DAY == time(23, 59, 59)
    assert deadlines.BATCH_SIZE == 500


# Started Mon 2026-09-28 10:00: (due_at, warn_at) by hand.
DUE_FROM_0928 = {
    # 09-29, 09-30, 10-08, 10-09, 10-10 (make-up Sat)
    "intake.acceptance": (end(2026, 10, 10), t(2026, 10, 10)),
    "listing.defence": (end(2026, 10, 10), t(2026, 10, 10)),
    "supervision.report": (end(2026, 10, 10), t(2026, 10, 10)),
    # 5 to 10-10, then 10 weeks of 5 (10-12 .. 12-18), then 12-21..25; warn: 10 WD ending 12-25 start 12-14
    "investigation.complete": (end(2026, 12, 25), t(2026, 12, 14)),
    # 30th working day 11-13; 5 WD ending 11-13 start 11-09
    "investigation.extension": (end(2026, 11, 13), t(2026, 11, 9)),
    # 15th working day 10-23; 3 WD ending 10-23 start 10-21
    "investigation.decide": (end(2026, 10, 23), t(2026, 10, 21)),
    # calendar days: 09-28 + 3 = 10-01, a National Day holiday (10-01..10-07) → the next working day, 10-08
    "referral.approve": (end(2026, 10, 8), end(2026, 10, 7)),
    "police.decide": (end(2026, 10, 8), end(2026, 10, 7)),
    # 09-28 + 15 = 10-13, warned 3 days before
    "supervision.complete": (end(2026, 10, 13), end(2026, 10, 10)),
    # exactly 24 hours, warned 6 hours before
    "referral.transfer": (t(2026, 9, 29, 10), t(2026, 9, 29, 4)),
}


@pytest.mark.parametrize("kind", sorted(DUE_FROM_0928))
def test_due_and_warning_times_of_every_rule(kind):
    assert due_times(kind, t(2026, 9, 28, 10)) == DUE_FROM_0928[kind]


def test_start_stores_the_rule_and_writes_no_event(complaint):
    before = TimelineEvent.objects.filter(complaint=complaint).count()
    d = start("intake.acceptance", complaint, t(2026, 9, 28, 10), task_id=42)
    d.refresh_from_db()
    assert d.complaint == complaint and d.case is None and d.region == complaint.region
    assert (d.kind, d.title, d.start_event, d.length, d.unit, d.task_id) == (
        "intake.acceptance",
        "投诉受理期限",
        "complaint.received",
        5,
        "working_days",
        42,
    )
    assert d.legal_basis == "《关于实施〈劳动保障监察条例〉若干规定》第十八条"
    assert d.start_at == t(2026, 9, 28, 10)
    assert d.due_at == end(2026, 10, 10)
    assert d.warn_at == t(2026, 10, 10)
    assert d.state == State.RUNNING and d.extended_by == 0
    assert d.warned_at is None and d.overdue_at is None and d.closed_at is None
    assert TimelineEvent.objects.filter(complaint=complaint).count() == before


def test_received_on_new_years_eve_counts_weekends_only_in_2027(complaint):
    assert start("intake.acceptance", complaint, t(2026, 12, 31, 10)).due_at == end(2027, 1, 7)
    WorkdayOverride.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦")
    d = start("intake.acceptance", complaint, t(2026, 12, 31, 10))
    assert d.due_at == end(2027, 1, 8)
    assert d.warn_at == t(2027, 1, 8)


def test_a_length_can_override_the_rule(case):
    d = start("supervision.complete", case, t(2026, 9, 28, 10), length=30)
    assert d.length == 30
    assert d.due_at == end(2026, 10, 28)  # 09-28 + 30 days
    assert d.warn_at == end(2026, 10, 25)
    same_day = start("intake.acceptance", case, t(2026, 9, 28, 10), length=0)
    assert same_day.due_at == end(2026, 9, 28)


def test_start_refuses_bad_input(case):
    with pytest.raises(ValidationError) as err:
        deadline_start(kind="no.such", region=case.region, start_at=t(2026, 9, 28), case=case)
    assert "kind" in err.value.message_dict
    with pytest.raises(ValidationError):
        deadline_start(kind="intake.acceptance", region=case.region, start_at=t(2026, 9, 28))
    with pytest.raises(ValidationError) as err:
        start("supervision.complete", case, t(2026, 9, 28), length=-1)
    assert "length" in err.value.message_dict
    with pytest.raises(ValueError):
        start("intake.acceptance", case, datetime(2026, 9, 28, 10))


# --- pause / resume ------------------------------------------------------------------------------


def test_pause_and_resume_across_the_holiday_keep_the_remaining_working_days(complaint):
    clerk = world.user("clerk", "360302")
    d = start("intake.acceptance", complaint, t(2026, 9, 28, 10))  # due 10-10
    before = TimelineEvent.objects.filter(complaint=complaint).count()
    deadline_pause(deadline=d, reason="待补正材料", actor=clerk, at=t(2026, 9, 30, 15))
    assert d.state == State.PAUSED and d.paused_at == t(2026, 9, 30, 15)
    pause = DeadlinePause.objects.get(deadline=d)
    assert (pause.started_at, pause.ended_at, pause.reason, pause.actor) == (
        t(2026, 9, 30, 15),
        None,
        "待补正材料",
        clerk,
    )
    # Left at the pause: 10-08, 10-09, 10-10 = 3 WD. Resumed 10-08: 10-09, 10-10, 10-12.
    deadline_resume(deadline=d, actor=clerk, at=t(2026, 10, 8, 9))
    d.refresh_from_db()
    assert d.state == State.RUNNING and d.paused_at is None
    assert d.due_at == end(2026, 10, 12)
    assert d.warn_at == t(2026, 10, 12)
    assert DeadlinePause.objects.get(deadline=d).ended_at == t(2026, 10, 8, 9)
    assert TimelineEvent.objects.filter(complaint=complaint).count() == before


def test_pause_and_resume_on_the_same_day_change_nothing(complaint):
    d = start("intake.acceptance", complaint, t(2026, 9, 28, 10))
    deadline_pause(deadline=d, reason="核实", actor=None, at=t(2026, 9, 29, 9))
    deadline_resume(deadline=d, actor=None, at=t(2026, 9, 29, 17))
    assert d.due_at == end(2026, 10, 10)


def test_pause_and_resume_in_calendar_days_and_hours(case):
    days = start("referral.approve", case, t(2026, 11, 2, 10))  # due Thu 11-05
    deadline_pause(deadline=days, reason="补充材料", actor=None, at=t(2026, 11, 3, 12))
    deadline_resume(deadline=days, actor=None, at=t(2026, 11, 9, 9))  # 2 days were left
    assert days.due_at == end(2026, 11, 11)
    assert days.warn_at == end(2026, 11, 10)

    hours = start("referral.transfer", case, t(2026, 9, 28, 10))  # due 09-29 10:00
    deadline_pause(deadline=hours, reason="补充材料", actor=None, at=t(2026, 9, 28, 16))  # 18 h left
    deadline_resume(deadline=hours, actor=None, at=t(2026, 9, 30, 8, 30))
    assert hours.due_at == t(2026, 10, 1, 2, 30)
    assert hours.warn_at == t(2026, 9, 30, 20, 30)


def test_pause_and_resume_refuse_the_wrong_state(case):
    d = start("intake.acceptance", case, t(2026, 9, 28, 10))
    with pytest.raises(ValidationError) as err:
        deadline_pause(deadline=d, reason=" ", actor=None, at=t(2026, 9, 29))
    assert "reason" in err.value.message_dict
    with pytest.raises(ValidationError):
        deadline_resume(deadline=d, actor=None, at=t(2026, 9, 29))
    deadline_pause(deadline=d, reason="待补正", actor=None, at=t(2026, 9, 29))
    with pytest.raises(ValidationError):
        deadline_pause(deadline=d, reason="again", actor=None, at=t(2026, 9, 30))
    with pytest.raises(ValidationError):
        deadline_resume(deadline=d, actor=None, at=t(2026, 9, 28))  # before the pause
    deadline_close(deadline=d, at=t(2026, 10, 20))
    with pytest.raises(ValidationError):
        deadline_pause(deadline=d, reason="closed", actor=None, at=t(2026, 10, 21))


def test_an_overdue_deadline_paused_and_resumed_stays_overdue(case):
    d = start("intake.acceptance", case, t(2026, 9, 28, 10))
    assert deadlines_sweep(now=t(2026, 10, 12, 9)).overdue == 1
    deadline_pause(deadline=d, reason="中止调查", actor=None, at=t(2026, 10, 13))
    deadline_resume(deadline=d, actor=None, at=t(2026, 10, 20))
    d.refresh_from_db()
    assert d.state == State.OVERDUE and d.due_at == end(2026, 10, 10)
    assert deadlines_sweep(now=t(2026, 10, 21)) == SweepResult(0, 0)
    assert len(events(case, "deadline.overdue")) == 1


# --- extension -----------------------------------------------------------------------------------


def test_the_investigation_is_extended_by_30_working_days_once(case, leader):
    # Filed Mon 2026-06-01: 60 WD (06-19 Dragon Boat) end Tue 08-25; warned from 08-12.
    d = start("investigation.complete", case, t(2026, 6, 1, 10))
    assert (d.due_at, d.warn_at) == (end(2026, 8, 25), t(2026, 8, 12))
    assert deadlines_sweep(now=t(2026, 8, 13, 9)) == SweepResult(warned=1, overdue=0)
    d.refresh_from_db()
    assert d.warned_at == t(2026, 8, 13, 9)

    length = RULES["investigation.extension"].length
    deadline_extend(
        deadline=d, length=length, reason="案情复杂", approved_by=leader, at=t(2026, 8, 20, 10), role="leader"
    )
    d.refresh_from_db()
    # +30 WD after 08-25, with make-up Sun 09-20 and Sat 10-10: 10-12; its 10 WD warning from 09-22.
    assert d.due_at == end(2026, 10, 12)
    assert d.warn_at == t(2026, 9, 22)
    assert d.warned_at is None  # the new warning is ahead: it will be sent again
    assert d.extended_by == 30 and d.length == 60 and d.state == State.RUNNING
    ext = DeadlineExtension.objects.get(deadline=d)
    assert (ext.length, ext.reason, ext.approved_by, ext.approved_at) == (30, "案情复杂", leader, t(2026, 8, 20, 10))

    [event] = events(case, "deadline.extended")
    assert event.actor == leader and event.actor_role == "leader"
    assert event.data["kind"] == "investigation.complete"
    assert event.data["title"] == "调查期限"
    assert event.data["legal_basis"] == "《劳动保障监察条例》第十七条"
    assert event.data["length"] == 30
    assert event.data["due_at"] == "2026-10-12T15:59:59+00:00"
    assert event.data["previous_due_at"] == "2026-08-25T15:59:59+00:00"

    with pytest.raises(ValidationError) as err:
        deadline_extend(deadline=d, length=30, reason="再次延长", approved_by=leader, at=t(2026, 9, 1))
    assert "length" in err.value.message_dict
    assert "最多延长1次" in err.value.message_dict["length"][0]
    assert DeadlineExtension.objects.filter(deadline=d).count() == 1

    assert deadlines_sweep(now=t(2026, 9, 22, 9)) == SweepResult(warned=1, overdue=0)
    assert len(events(case, "deadline.warned")) == 2
    assert timeline.chain_ok(case)


def test_extensions_in_days_and_hours_are_unlimited_unless_the_rule_says_so(case, leader):
    d = start("supervision.complete", case, t(2026, 9, 28, 10))  # due 10-13
    deadline_extend(deadline=d, length=15, reason="情况复杂", approved_by=leader, at=t(2026, 10, 1))
    deadline_extend(deadline=d, length=5, reason="再延", approved_by=leader, at=t(2026, 10, 2))
    assert d.due_at == end(2026, 11, 2)  # 10-13 + 15 + 5
    assert d.warn_at == end(2026, 10, 30)
    assert d.extended_by == 20
    h = start("referral.transfer", case, t(2026, 9, 28, 10))  # due 09-29 10:00
    deadline_extend(deadline=h, length=12, reason="路途", approved_by=leader, at=t(2026, 9, 28, 12))
    assert h.due_at == t(2026, 9, 29, 22)
    assert len(events(case, "deadline.extended")) == 3


def test_extend_refuses_bad_input(case, leader):
    d = start("investigation.complete", case, t(2026, 6, 1, 10))
    for length in (0, -5):
        with pytest.raises(ValidationError) as err:
            deadline_extend(deadline=d, length=length, reason="x", approved_by=leader, at=t(2026, 7, 1))
        assert "length" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        deadline_extend(deadline=d, length=30, reason="", approved_by=leader, at=t(2026, 7, 1))
    assert "reason" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        deadline_extend(deadline=d, length=30, reason="x", approved_by=None, at=t(2026, 7, 1))
    assert "approved_by" in err.value.message_dict
    with pytest.raises(ValidationError):  # approved after the due time
        deadline_extend(deadline=d, length=30, reason="x", approved_by=leader, at=t(2026, 8, 26))
    deadline_cancel(deadline=d, at=t(2026, 7, 1))
    with pytest.raises(ValidationError):
        deadline_extend(deadline=d, length=30, reason="x", approved_by=leader, at=t(2026, 7, 2))
    assert events(case, "deadline.extended") == []


def test_an_extension_approved_in_time_but_recorded_late_reopens_an_overdue_deadline(case, leader):
    d = start("investigation.complete", case, t(2026, 6, 1, 10))
    deadlines_sweep(now=t(2026, 8, 26, 9))
    d.refresh_from_db()
    assert d.state == State.OVERDUE
    deadline_extend(deadline=d, length=30, reason="案情复杂", approved_by=leader, at=t(2026, 8, 25, 16))
    d.refresh_from_db()
    assert d.state == State.RUNNING and d.overdue_at is None and d.due_at == end(2026, 10, 12)


# --- close / cancel ------------------------------------------------------------------------------


def test_close_on_time_is_met_and_late_is_closed_late(case):
    met = start("intake.acceptance", case, t(2026, 9, 28, 10))
    deadline_close(deadline=met, at=end(2026, 10, 10))  # the last second still counts
    assert met.state == State.MET and met.closed_at == end(2026, 10, 10)
    late = start("intake.acceptance", case, t(2026, 9, 28, 10))
    deadline_close(deadline=late, at=t(2026, 10, 11))
    assert late.state == State.CLOSED_LATE
    overdue = start("intake.acceptance", case, t(2026, 9, 28, 10))
    deadlines_sweep(now=t(2026, 10, 12))
    deadline_close(deadline=overdue, at=t(2026, 10, 13))
    assert overdue.state == State.CLOSED_LATE
    with pytest.raises(ValidationError):
        deadline_close(deadline=overdue, at=t(2026, 10, 14))


def test_a_paused_deadline_is_judged_at_its_pause(case):
    d = start("intake.acceptance", case, t(2026, 9, 28, 10))
    deadline_pause(deadline=d, reason="待补正", actor=None, at=t(2026, 10, 9, 9))
    deadline_close(deadline=d, at=t(2026, 10, 30))
    assert d.state == State.MET and d.paused_at is None
    assert DeadlinePause.objects.get(deadline=d).ended_at == t(2026, 10, 30)


def test_cancel(case):
    d = start("intake.acceptance", case, t(2026, 9, 28, 10))
    before = TimelineEvent.objects.filter(case=case).count()
    deadline_cancel(deadline=d, at=t(2026, 9, 29))
    d.refresh_from_db()
    assert d.state == State.CANCELLED and d.closed_at == t(2026, 9, 29) and not d.is_open
    with pytest.raises(ValidationError):
        deadline_cancel(deadline=d, at=t(2026, 9, 30))
    assert TimelineEvent.objects.filter(case=case).count() == before
    assert deadlines_sweep(now=t(2026, 12, 31)) == SweepResult(0, 0)


# --- the sweep -----------------------------------------------------------------------------------


def test_the_sweep_warns_once_then_marks_overdue_once(complaint):
    calls = defaultdict(list)
    on_warning("intake.acceptance", lambda d, now: calls["warned"].append((d.pk, d.warned_at, now)))
    on_overdue("*", lambda d, now: calls["overdue"].append((d.pk, d.state, now)))
    on_overdue("investigation.complete", lambda d, now: calls["other"].append(d.pk))
    d = start("intake.acceptance", complaint, t(2026, 9, 28, 10))

    assert deadlines_sweep(now=t(2026, 10, 9, 23, 59, 59)) == SweepResult(warned=0, overdue=0)
    assert deadlines_sweep(now=t(2026, 10, 10)) == SweepResult(warned=1, overdue=0)
    assert deadlines_sweep(now=t(2026, 10, 10)) == SweepResult(warned=0, overdue=0)
    d.refresh_from_db()
    assert d.warned_at == t(2026, 10, 10) and d.state == State.RUNNING
    assert calls["warned"] == [(d.pk, t(2026, 10, 10), t(2026, 10, 10))]

    assert deadlines_sweep(now=t(2026, 10, 10, 23, 59, 58)) == SweepResult(0, 0)
    assert deadlines_sweep(now=end(2026, 10, 10)) == SweepResult(warned=0, overdue=1)
    assert deadlines_sweep(now=t(2026, 10, 11)) == SweepResult(warned=0, overdue=0)
    d.refresh_from_db()
    assert d.state == State.OVERDUE and d.overdue_at == end(2026, 10, 10)
    assert calls["overdue"] == [(d.pk, State.OVERDUE, end(2026, 10, 10))]
    assert calls["other"] == []

    [warned] = events(complaint, "deadline.warned")
    [overdue] = events(complaint, "deadline.overdue")
    for event in (warned, overdue):
        assert event.actor is None and event.actor_name == "system"
        assert event.data["deadline"] == d.pk
        assert event.data["kind"] == "intake.acceptance"
        assert event.data["title"] == "投诉受理期限"
        assert event.data["legal_basis"] == "《关于实施〈劳动保障监察条例〉若干规定》第十八条"
        assert event.data["due_at"] == "2026-10-10T15:59:59+00:00"
    assert warned.at == t(2026, 10, 10) and overdue.at == end(2026, 10, 10)
    assert timeline.chain_ok(complaint)


def test_a_deadline_found_already_due_is_made_overdue_without_a_warning(case):
    start("intake.acceptance", case, t(2026, 9, 28, 10))
    assert deadlines_sweep(now=t(2026, 10, 20)) == SweepResult(warned=0, overdue=1)
    assert events(case, "deadline.warned") == []
    assert timeline.chain_ok(case)


def test_the_sweep_leaves_paused_and_closed_deadlines_alone(case):
    paused = start("intake.acceptance", case, t(2026, 9, 28, 10))
    deadline_pause(deadline=paused, reason="待补正", actor=None, at=t(2026, 9, 29))
    closed = start("intake.acceptance", case, t(2026, 9, 28, 10))
    deadline_close(deadline=closed, at=t(2026, 9, 30))
    assert deadlines_sweep(now=t(2026, 12, 31)) == SweepResult(0, 0)


def test_the_sweep_works_in_batches_without_n_plus_1(case):
    other = world.make_case("360313")
    subjects = [case, other, case.complaints.get(), other.complaints.get()]
    n = 20
    for i in range(n):
        start("referral.transfer", subjects[i % 4], t(2026, 9, 28, 10))
    with CaptureQueriesContext(connection) as ctx:
        result = deadlines_sweep(now=t(2026, 9, 30), batch_size=6)
    assert result == SweepResult(warned=0, overdue=n)
    # no statement per deadline: 4 batches of at most 6, then an empty claim; each batch claims, updates,
    # locks and reads the last links of its cases and complaints, inserts its events (timeline.record_many)
    assert len(ctx.captured_queries) <= 4 * 11 + 1
    assert Deadline.objects.filter(state=State.OVERDUE, kind="referral.transfer").count() == n
    assert all(timeline.chain_ok(s) for s in (case, other))


def test_a_failing_handler_does_not_stop_the_others(case):
    ds = [start("referral.transfer", case, t(2026, 9, 28, 10)) for _ in range(3)]
    bad = ds[1].pk

    def handler(deadline, now):
        if deadline.pk == bad:
            raise RuntimeError("escalation failed")

    on_overdue("referral.transfer", handler)
    assert deadlines_sweep(now=t(2026, 9, 30)) == SweepResult(warned=0, overdue=2)
    states = dict(Deadline.objects.filter(pk__in=[d.pk for d in ds]).values_list("pk", "state"))
    assert states == {ds[0].pk: State.OVERDUE, bad: State.RUNNING, ds[2].pk: State.OVERDUE}
    assert len(events(case, "deadline.overdue")) == 2
    assert timeline.chain_ok(case)


def test_batch_handlers_get_each_batch_once_and_a_failing_batch_is_redone_one_by_one(case):
    other = world.make_case("360313")
    transfers = [start("referral.transfer", s, t(2026, 9, 28, 10)) for s in (other, case, other)]
    approval = start("referral.approve", case, t(2026, 9, 20, 10))
    calls = defaultdict(list)
    on_overdue_many("referral.transfer", lambda ds, now: calls["transfer"].append([d.pk for d in ds]))
    on_overdue_many("*", lambda ds, now: calls["any"].append([(d.pk, d.state, d.overdue_at) for d in ds]))
    assert deadlines_sweep(now=t(2026, 9, 30), batch_size=10) == SweepResult(warned=0, overdue=4)
    # in subject order (case ids ascending, then by due time), the kind's own handler before "*"
    by_subject = sorted([*transfers, approval], key=lambda d: (d.case_id, d.due_at, d.pk))
    assert calls["transfer"] == [[d.pk for d in by_subject if d.kind == "referral.transfer"]]
    assert calls["any"] == [[(d.pk, State.OVERDUE, t(2026, 9, 30)) for d in by_subject]]

    bad = start("referral.transfer", case, t(2026, 9, 28, 10)).pk
    good = start("referral.transfer", other, t(2026, 9, 28, 10)).pk

    def failing(ds, now):
        if any(d.pk == bad for d in ds):
            raise RuntimeError("handler failed")
        calls["after"].append([d.pk for d in ds])

    on_overdue_many("referral.transfer", failing)
    assert deadlines_sweep(now=t(2026, 10, 1)) == SweepResult(warned=0, overdue=1)
    assert calls["after"] == [[good]]  # the batch [good, bad] failed, then each was redone alone
    states = dict(Deadline.objects.filter(pk__in=[bad, good]).values_list("pk", "state"))
    assert states == {bad: State.RUNNING, good: State.OVERDUE}
    assert [e.data["deadline"] for e in events(case, "deadline.overdue")].count(bad) == 0


def test_handlers_are_registered_once_and_only_for_known_kinds():
    def fn(d, now):
        return None

    on_warning("intake.acceptance", fn)
    on_warning("intake.acceptance", fn)
    assert deadlines._warning_handlers["intake.acceptance"] == [fn]
    with pytest.raises(ValueError):
        on_overdue("intake.acceptence", fn)


def test_the_package_hands_out_the_registries_the_sweep_reads():
    """Tests and bench P5 clear and restore the registries through `cases.deadlines`: they must be the very
    dicts the sweep reads, and RULES the dict rules_register() extends."""
    from cases.deadlines import handlers, rules, sweep

    assert deadlines._warning_handlers is handlers._warning_handlers is sweep._WARNING.handlers
    assert deadlines._overdue_handlers is handlers._overdue_handlers is sweep._OVERDUE.handlers
    assert deadlines._overdue_batch_handlers is handlers._overdue_batch_handlers is sweep._OVERDUE.batch_handlers
    assert deadlines.RULES is rules.RULES


# --- selectors -----------------------------------------------------------------------------------


def test_deadlines_for_lists_every_deadline_of_the_subject(case, complaint):
    intake = start("intake.acceptance", complaint, t(2026, 9, 28, 10))  # 10-10
    investigation = start("investigation.complete", case, t(2026, 9, 28, 10))  # 12-25
    transfer = start("referral.transfer", case, t(2026, 9, 28, 10))  # 09-29
    deadline_close(deadline=transfer, at=t(2026, 9, 28, 18))
    other = world.make_case("360302")
    start("intake.acceptance", other, t(2026, 9, 28, 10))
    assert list(deadlines_for(case=case)) == [transfer, intake, investigation]
    assert list(deadlines_for(complaint=complaint)) == [intake]


def test_days_left(case):
    wd = start("intake.acceptance", case, t(2026, 9, 28, 10))  # due Sat 10-10
    assert days_left(wd, t(2026, 9, 28, 12)) == 5
    assert days_left(wd, t(2026, 10, 1, 12)) == 3  # holiday: 10-08, 10-09, 10-10 left
    assert days_left(wd, t(2026, 10, 10, 8)) == 0  # due today
    assert days_left(wd, t(2026, 10, 12, 8)) == -1  # 10-11 is a Sunday
    assert days_left(wd, t(2026, 10, 13, 8)) == -2
    cd = start("referral.approve", case, t(2026, 9, 28, 10))  # 10-01 is a holiday: due 10-08
    assert days_left(cd, t(2026, 9, 28, 12)) == 10
    assert days_left(cd, t(2026, 10, 10, 12)) == -2
    deadline_pause(deadline=wd, reason="待补正", actor=None, at=t(2026, 9, 30, 9))
    assert days_left(wd, t(2026, 11, 30)) == 3  # frozen at the pause
    deadline_close(deadline=cd, at=t(2026, 9, 29))
    assert days_left(cd, t(2026, 9, 29)) is None


# --- concurrency (PostgreSQL) --------------------------------------------------------------------


def _bootstrap_region():
    from cases.models import Region
    from cases.regions import regions_load

    if not Region.objects.filter(code="360302").exists():
        regions_load(province="360000")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sweep_skips_rows_another_sweep_holds(on_postgres):
    _bootstrap_region()
    case = world.make_case("360302")
    ds = [start("referral.transfer", case, t(2026, 9, 28, 10)) for _ in range(6)]
    held = [d.pk for d in ds[:2]]
    locked, release = threading.Event(), threading.Event()

    def holder():
        try:
            with transaction.atomic():
                list(Deadline.objects.select_for_update().filter(pk__in=held))
                locked.set()
                release.wait(20)
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    assert locked.wait(20)
    try:
        assert deadlines_sweep(now=t(2026, 9, 30)) == SweepResult(warned=0, overdue=4)
    finally:
        release.set()
        thread.join()
    assert deadlines_sweep(now=t(2026, 9, 30)) == SweepResult(warned=0, overdue=2)
    assert deadlines_sweep(now=t(2026, 9, 30)) == SweepResult(0, 0)
    assert len(events(case, "deadline.overdue")) == 6
    assert timeline.chain_ok(case)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_share_the_work_and_never_double_process(on_postgres):
    _bootstrap_region()
    cases = [world.make_case("360302") for _ in range(3)]
    n = 120
    for i in range(n):
        start("referral.transfer", cases[i % 3], t(2026, 9, 28, 10))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sweep():
        try:
            barrier.wait(20)
            results.append(deadlines_sweep(now=t(2026, 9, 30), batch_size=7))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert sum(r.overdue for r in results) == n
    overdue = TimelineEvent.objects.filter(kind="deadline.overdue", case__in=cases)
    assert overdue.count() == n
    assert len(set(overdue.values_list("data__deadline", flat=True))) == n
    assert all(timeline.chain_ok(c) for c in cases)


def test_the_deadline_admin_is_read_only(client, case):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    d = start("intake.acceptance", case, t(2026, 9, 28, 10))
    client.force_login(get_user_model().objects.create_superuser("deadline_admin", "a@example.cn", None))
    listing = client.get(reverse("admin:cases_deadline_changelist"), {"q": "intake"})
    assert listing.status_code == 200 and "投诉受理期限" in listing.content.decode()
    assert client.get(reverse("admin:cases_deadline_add")).status_code == 403
    detail = client.post(reverse("admin:cases_deadline_change", args=[d.pk]), {"state": "met"})
    assert detail.status_code == 403
    d.refresh_from_db()
    assert d.state == State.RUNNING


def test_the_region_and_staff_role_admin(client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from cases import scope
    from cases.models import Region, StaffRole

    client.force_login(get_user_model().objects.create_superuser("staff_admin", "a@example.cn", None))
    regions = client.get(reverse("admin:cases_region_changelist"), {"q": "萍乡", "level__exact": "city"})
    assert regions.status_code == 200 and "360300" in regions.content.decode()
    assert client.get(reverse("admin:cases_region_add")).status_code == 403
    assert client.get(reverse("admin:cases_staffrole_changelist")).status_code == 200
    user, region = world.user("inspector", "360313"), Region.objects.get(code="360302")
    added = client.post(
        reverse("admin:cases_staffrole_add"), {"user": user.pk, "region": region.pk, "role": "inspector"}
    )
    assert added.status_code == 302
    assert StaffRole.objects.filter(user=user, region=region, role="inspector").exists()
    assert scope.office_group(region).user_set.filter(pk=user.pk).exists()  # through staff_create


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sweep_over_two_processes_marks_each_deadline_once(on_postgres):
    _bootstrap_region()
    cases = [world.make_case("360302") for _ in range(4)]
    n = 90
    for i in range(n):
        start("referral.transfer", cases[i % 4], t(2026, 9, 28, 10))
    result = deadlines_sweep(now=t(2026, 9, 30), batch_size=5, jobs=2)  # forked: 2 processes, 2 connections
    assert result == SweepResult(warned=0, overdue=n)
    overdue = TimelineEvent.objects.filter(kind="deadline.overdue", case__in=cases)
    assert overdue.count() == n and len(set(overdue.values_list("data__deadline", flat=True))) == n
    assert Deadline.objects.filter(case__in=cases, state=State.OVERDUE).count() == n
    assert all(timeline.chain_ok(c) for c in cases)
    assert deadlines_sweep(now=t(2026, 9, 30), jobs=2) == SweepResult(0, 0)


def test_the_celery_sweep_sends_its_helpers_first_and_each_deadline_is_swept_once(case, settings, monkeypatch):
    from cases import tasks as case_tasks
    from workflows.tasks import sweep_deadlines

    settings.ZHIQIAN_SWEEP_HELPERS = 2  # eager here: the first helper works all of it off
    sent, delay = [], case_tasks.deadlines_sweep_help.delay
    monkeypatch.setattr(case_tasks.deadlines_sweep_help, "delay", lambda now: sent.append(now) or delay(now))
    due = [start("referral.transfer", case, t(2026, 9, 28, 10)) for _ in range(3)]
    result = sweep_deadlines.apply().get()  # as of now: long after the 24 hours
    assert len(sent) == 2 and len(set(sent)) == 1  # two helpers, as of one and the same moment
    assert result["overdue"] == 0  # the helpers had taken them all
    assert {d.state for d in Deadline.objects.filter(pk__in=[d.pk for d in due])} == {State.OVERDUE}
    assert len(events(case, "deadline.overdue")) == 3


def test_deadline_start_many_starts_what_deadline_start_starts(case):
    from cases.bulk import COPY_AT_LEAST

    at = t(2026, 9, 28, 10)
    one = deadline_start(kind="investigation.decide", region=case.region, start_at=at, case=case, length=7)
    many = deadlines.deadline_start_many(
        starts=[dict(kind="investigation.decide", region=case.region, start_at=at, case=case, length=7)]
        * (COPY_AT_LEAST + 10)  # past the threshold: COPY on PostgreSQL
    )
    assert len({d.pk for d in many}) == COPY_AT_LEAST + 10 and all(d.pk for d in many)
    fields = ("kind", "title", "legal_basis", "start_event", "start_at", "length", "unit", "due_at", "warn_at", "state")
    expected = Deadline.objects.filter(pk=one.pk).values_list(*fields).get()
    assert set(Deadline.objects.filter(pk__in=[d.pk for d in many]).values_list(*fields)) == {expected}
    with pytest.raises(ValidationError):
        deadlines.deadline_start_many(starts=[dict(kind="no.such", region=case.region, start_at=at, case=case)])


@pytest.mark.django_db(transaction=True)
def test_deadline_services_refuse_to_run_outside_the_calling_services_transaction():
    _bootstrap_region()
    case = world.make_case("360302")
    with pytest.raises(RuntimeError, match="inside the calling service's transaction"):
        deadline_start(kind="referral.transfer", region=case.region, start_at=t(2026, 9, 28, 10), case=case)
    assert not Deadline.objects.filter(case=case, kind="referral.transfer").exists()
    clock = start("referral.transfer", case, t(2026, 9, 28, 10))
    with pytest.raises(RuntimeError):
        deadline_close(deadline=clock, at=t(2026, 9, 28, 12))
    clock.refresh_from_db()
    assert clock.state == State.RUNNING
