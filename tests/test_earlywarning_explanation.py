"""The unit's window to explain a warning signal runs on the deadline engine: the province's working days
(default 5), a party window (ended, never overdue), closed when the explanation comes, cancelled when the
signal is handled otherwise; "no explanation came" only once it has run out.

2026-10-01..07 are holidays and 10-10 (Sat) a make-up working day (Asia/Shanghai)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.deadlines import deadlines_sweep, subject_ref_of
from cases.models import Deadline, Region, TimelineEvent
from earlywarning.explanation import EXPLAIN, explanation_clock
from earlywarning.models import WarningConfig
from earlywarning.services import (
    signal_dismiss,
    signal_explain_request,
    signal_explanation_record,
    signal_raise,
)
from tests import world
from tests.projectkit import make_project

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def _signal(n: int):
    project = make_project(n)
    unit = project.units.get(role="labour")
    signal, _ = signal_raise(
        actor=None, source="check", rule="unpaid_workers", level="orange", project=project, unit=unit,
        month=date(2026, 8, 1), evidence={"workers": ["甲"]}, amount=1000, workers=1,
    )  # fmt: skip
    return signal


def _at(monkeypatch, when: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: when)


def test_the_window_is_the_provinces_working_days_across_the_holiday(monkeypatch):
    signal = _signal(31)
    _at(monkeypatch, datetime(2026, 9, 29, 10, tzinfo=SH))
    asked = signal_explain_request(signal=signal, actor=None)
    clock = explanation_clock(asked)
    assert clock is not None and clock.kind == EXPLAIN and clock.subject_ref == subject_ref_of(signal)
    # 5 working days from 09-29: 09-30, 10-08, 10-09, 10-10 (make-up Saturday), 10-12
    assert clock.length == 5 and asked.explain_due_on == date(2026, 10, 12)
    assert clock.is_party_window


def test_the_province_setting_is_read(monkeypatch):
    WarningConfig.objects.update_or_create(province=Region.objects.get(code="360000"), defaults={"explain_workdays": 3})
    signal = _signal(32)
    _at(monkeypatch, datetime(2026, 9, 29, 10, tzinfo=SH))
    asked = signal_explain_request(signal=signal, actor=None)
    assert explanation_clock(asked).length == 3 and asked.explain_due_on == date(2026, 10, 9)


def test_explained_in_time_closes_the_window_as_met(monkeypatch):
    signal = _signal(33)
    _at(monkeypatch, datetime(2026, 9, 29, 10, tzinfo=SH))
    signal_explain_request(signal=signal, actor=None)
    with pytest.raises(ValidationError) as err:  # "none came" before the window ran out
        signal_explanation_record(signal=signal, actor=None, received=False)
    assert "received" in err.value.message_dict
    _at(monkeypatch, datetime(2026, 10, 9, 15, tzinfo=SH))
    explained = signal_explanation_record(signal=signal, actor=None, explanation="工资已于10月8日发放")
    assert explained.status == "open"
    assert explanation_clock(signal).state == Deadline.State.MET


def test_a_window_run_out_ends_without_overdue_and_then_none_came_is_recorded(monkeypatch):
    signal = _signal(34)
    _at(monkeypatch, datetime(2026, 9, 29, 10, tzinfo=SH))
    signal_explain_request(signal=signal, actor=None)
    assert deadlines_sweep(now=datetime(2026, 10, 13, 9, tzinfo=SH)).overdue == 0  # the unit's window, not ours
    clock = explanation_clock(signal)
    assert clock.state == Deadline.State.MET and clock.get_state_display() == "已届满"
    _at(monkeypatch, datetime(2026, 10, 13, 10, tzinfo=SH))
    missed = signal_explanation_record(signal=signal, actor=None, received=False, explanation="电话催告未果")
    assert missed.status == "open"
    kinds = TimelineEvent.objects.filter(region=signal.region, data__signal=signal.pk).values_list("kind", flat=True)
    assert "signal.explanation_missed" in set(kinds)


def test_handled_otherwise_cancels_the_window(monkeypatch):
    signal = _signal(35)
    _at(monkeypatch, datetime(2026, 9, 29, 10, tzinfo=SH))
    signal_explain_request(signal=signal, actor=None)
    signal_dismiss(signal=signal, actor=None, reason="经核实系统数据录入错误")
    assert explanation_clock(signal).state == Deadline.State.CANCELLED


def test_the_signal_page_shows_the_window_in_words(client, monkeypatch):
    signal = _signal(36)
    _at(monkeypatch, datetime(2026, 9, 29, 10, tzinfo=SH))
    signal_explain_request(signal=signal, actor=None)
    monkeypatch.undo()
    client.force_login(world.user("inspector", signal.region.code))
    page = client.get(reverse("earlywarning:detail", args=[signal.pk])).content.decode()
    assert "2026-10-12" in page and "5个工作日" in page and "计时中" in page
    assert EXPLAIN not in page and "earlywarning.signal" not in page
