"""Issue 13 gaps, item 1: the penalty decision carries only the fine and its payment period (domain-rules row 15,
APL art 67: 15 days from service, calendar days, a last day on a rest day or holiday ends on the next working
day); the wage order's deadline (case.order_due) belongs to the handling decision and never moves with it."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import enforcement, investigation
from cases.models import Case, Deadline, Document
from cases.penalty.rules import FINE_PAYMENT, FINE_PAYMENT_DAYS
from cases.workdays import period_end
from tests import factories, world
from tests.clock import at

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def leader():
    return world.user("leader", "360302")


def test_the_penalty_decision_never_moves_the_wage_orders_deadline():
    case = factories.case("enforcing", region="360302", workers=2, amount="12000.00")
    due = Case.objects.get(pk=case.pk).order_due
    assert due is not None
    factories.penalty_ready(case, "5000")
    document = investigation.case_penalty_decide(case=case, actor=leader(), amount=Decimal("5000"))
    case = Case.objects.get(pk=case.pk)
    assert case.order_due == due and case.penalty_amount == Decimal("5000")
    assert "due_date" not in document.data
    event = case.events.filter(kind="case.penalty_decided").get()
    assert "order_due" not in (event.data.get("changes") or {})


def test_the_fine_is_paid_within_15_days_of_the_decisions_service_ending_on_a_working_day(client):
    assert FINE_PAYMENT_DAYS == 15
    case = factories.case("deciding", region="360302")
    factories.penalty_ready(case, "5000")
    investigation.case_penalty_decide(case=case, actor=leader(), amount=Decimal("5000"))
    assert not case.deadlines.filter(kind=FINE_PAYMENT).exists()  # it runs from service, not from the decision
    # served the day after: the 15th day from it falls on a Sunday — the period ends on the next working day
    served = datetime.combine(timezone.localdate() + timedelta(days=1), time(10), tzinfo=SH)
    fifteenth = served.date() + timedelta(days=15)
    with at(served):
        enforcement.case_decisions_serve(case=case, actor=leader(), method="direct", served_at=served, recipient="王某")
    clock = case.deadlines.get(kind=FINE_PAYMENT)
    assert (clock.length, clock.unit) == (15, Deadline.Unit.DAYS) and "第六十七条" in clock.legal_basis
    last = clock.due_at.astimezone(SH).date()
    assert last == period_end(fifteenth)
    if fifteenth.weekday() == 6:  # the real date of the run decides whether the roll is seen
        assert last > fifteenth
    assert enforcement.fine_due(Case.objects.get(pk=case.pk)) == last
    assert Case.objects.get(pk=case.pk).order_due is None  # no wage order on a fine-only case
    assert case.documents.filter(kind=Document.Kind.PENALTY_DECISION).get().services.count() == 1
    with at(datetime.combine(served.date(), time(12), tzinfo=SH)):
        client.force_login(world.user("inspector", "360302"))
        page = client.get(reverse("cases:detail", args=[case.case_no])).content.decode()
    assert "罚款缴纳期限" in page and "《中华人民共和国行政处罚法》第六十七条" in page
