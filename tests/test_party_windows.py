"""Issue 13 gaps, item 5: the party's own windows (statement and hearing request after the 行政处罚告知书, the
fine's payment period, the remedies, the demand's 10 days) that run out have ended (已届满): the sweep never makes
them overdue, so they never show as overdue on the case page, never count in the overdue statistics and never
open an accountability watch. The bureau's own clocks still go overdue."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import investigation, penalty
from cases.deadlines import deadlines_sweep
from cases.models import Deadline
from cases.penalty.rules import FINE_PAYMENT, HEARING_REQUEST, NOTICE_SERVE, STATEMENT
from tests import factories, world
from tests.clock import days_later

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_window_the_party_let_pass_has_ended_and_is_never_overdue(client):
    assert {STATEMENT, HEARING_REQUEST, FINE_PAYMENT, "enforcement.reconsideration", "enforcement.litigation",
            "enforcement.demand"} <= Deadline.PARTY_KINDS  # fmt: skip
    assert NOTICE_SERVE not in Deadline.PARTY_KINDS  # the bureau's duty to serve
    case = factories.case("deciding", region="360302")
    inspector = world.user("inspector", "360302")
    investigation.case_pre_decision(
        case=case, actor=inspector, proposed_penalty=Decimal("20000"), facts="阻挠监察。", basis="lsir_30"
    )
    penalty.penalty_notice_serve(
        case=case, actor=inspector, method="direct", served_at=timezone.now(), recipient="法定代表人王某"
    )
    windows = list(case.deadlines.filter(kind__in=[STATEMENT, HEARING_REQUEST]))
    assert len(windows) == 2
    later = max(w.due_at for w in windows) + timedelta(days=1)
    result = deadlines_sweep(now=later)
    assert result.overdue == 0
    for window in Deadline.objects.filter(pk__in=[w.pk for w in windows]):
        assert window.state == Deadline.State.MET and window.overdue_at is None and window.closed_at == window.due_at
        assert window.get_state_display() == "已届满"
    assert not case.events.filter(kind="deadline.overdue").exists()
    assert not Deadline.objects.filter(case=case, state=Deadline.State.OVERDUE).exists()
    with days_later((later - timezone.now()).days + 1):
        client.force_login(inspector)
        page = client.get(reverse("cases:detail", args=[case.case_no])).content.decode()
    assert "已届满" in page
    assert "当事人陈述申辩期" in page


def test_the_bureaus_own_clock_still_goes_overdue():
    case = factories.case("deciding", region="360302")
    investigation.case_pre_decision(
        case=case, actor=world.user("inspector", "360302"), proposed_penalty=Decimal("5000"), facts="阻挠监察。",
        basis="lsir_30",
    )  # fmt: skip
    serve = case.deadlines.get(kind=NOTICE_SERVE)  # 7 working days to serve the notice
    deadlines_sweep(now=serve.due_at + timedelta(minutes=1))
    serve.refresh_from_db()
    assert serve.state == Deadline.State.OVERDUE and serve.get_state_display() == "已超期"
