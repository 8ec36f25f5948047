"""Warning signals: raised once per (project, unit, rule, month), updated, reopened, resolved; events on the
region's timeline with their labels."""

from datetime import date

import pytest

from cases.models import TimelineEvent
from cases.timeline.labels import EVENT_LABELS
from earlywarning.models import Signal
from earlywarning.services import signal_raise, signal_resolve
from tests.projectkit import make_project

pytestmark = pytest.mark.django_db

MAY = date(2026, 5, 1)


def _raise(project, level="orange", **kw):
    unit = project.units.get(role="labour")
    return signal_raise(actor=None, source="check", rule="unpaid_workers", level=level, project=project, unit=unit,
                        month=MAY, evidence={"workers": ["甲"]}, amount=1000, workers=1, **kw)  # fmt: skip


def test_raise_is_idempotent_and_tracks_level():
    project = make_project(1)
    signal, outcome = _raise(project)
    assert outcome == "raised" and signal.status == "open" and signal.due_on is None
    again, outcome = _raise(project)
    assert (again.pk, outcome) == (signal.pk, "unchanged")
    red, outcome = _raise(project, level="red")
    assert outcome == "updated" and red.due_on is not None
    assert Signal.objects.count() == 1
    kinds = list(
        TimelineEvent.objects.filter(region=project.region, kind__startswith="signal.").values_list("kind", flat=True)
    )
    assert kinds == ["signal.raised", "signal.level_changed"]
    signal_resolve(signal=red, actor=None)
    reopened, outcome = _raise(project)
    assert outcome == "reopened" and reopened.status == "open"


def test_every_signal_event_has_a_label():
    from earlywarning import services

    source = open(services.__file__, encoding="utf-8").read()
    import re

    kinds = set(re.findall(r'"(signal\.[a-z_]+)"', source))
    assert kinds and kinds <= set(EVENT_LABELS)


def test_explanation_and_red_handling_due_in_the_provinces_working_days():
    from django.utils import timezone

    from cases.models import Region
    from cases.workdays import add_working_days
    from earlywarning.models import WarningConfig
    from earlywarning.services import signal_explain_request

    project = make_project(2)
    today = timezone.localdate()
    red, _ = _raise(project, level="red")
    assert red.due_on == add_working_days(today, 5)
    WarningConfig.objects.create(province=Region.objects.get(code="360000"), explain_workdays=3)
    asked = signal_explain_request(signal=red, actor=None)
    assert asked.explain_due_on == add_working_days(today, 3)
