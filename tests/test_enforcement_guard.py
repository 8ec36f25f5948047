"""Issue 13 item 1: nothing that presumes an order went unheeded — verification, "逾期未支付", the compensation
order, criminal referral, credit listing — may happen before the order's deadline has passed: from the day after
`case.order_due` in Asia/Shanghai, whatever state seed data or a timer left (one guard: cases.enforcement)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from accountability.listing.criteria import listing_assess
from cases import investigation
from cases.enforcement import enforcement_guard, enforcement_refusal
from cases.models import Case, Document
from cases.referral import referral_eligibility, referral_propose
from tests import factories, world
from tests.clock import at, days_later
from tests.flowkit import api, queue_task

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def enforcing(unpaid_ledger: bool = True) -> Case:
    """A case whose handling decision is served, due in 10 days (tests.factories), with a ledger still owed."""
    case = factories.case("enforcing", region="360302", workers=2, amount="12000.00")
    if unpaid_ledger:
        factories.ledger(case)
    case.refresh_from_db()
    return case


def inspector():
    return world.user("inspector", "360302")


def shanghai(day, hour=0, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=SH)


def test_the_deadline_ends_with_the_order_due_day_in_shanghai():
    case = enforcing(unpaid_ledger=False)
    due = case.order_due
    with at(shanghai(due, 23, 59)):
        assert "尚未届满" in enforcement_refusal(case)
    with at(shanghai(due + timedelta(days=1), 0, 0)):  # 16:00 UTC the day before: Shanghai's date counts
        assert enforcement_refusal(case) is None
        enforcement_guard(case=case)


def test_verification_is_refused_before_the_orders_deadline():
    case = enforcing()
    with pytest.raises(ValidationError) as refused:
        investigation.case_verify(case=case, actor=inspector(), note="核查。")
    assert "case" in refused.value.message_dict and "尚未届满" in refused.value.message_dict["case"][0]
    assert not case.events.filter(kind="case.verified").exists()
    with days_later(11):
        assert investigation.case_verify(case=case, actor=inspector(), note="核查。") is False


def test_unpaid_and_the_compensation_order_are_refused_before_the_orders_deadline():
    case = enforcing()
    with pytest.raises(ValidationError) as refused:
        investigation.case_unpaid_after_order(case=case, actor=inspector(), compensation_rate=50, penalty_amount=None)
    assert "尚未届满" in refused.value.message_dict["case"][0]
    case.refresh_from_db()
    assert not case.unpaid_after_order
    assert not case.documents.filter(kind=Document.Kind.COMPENSATION_ORDER).exists()
    with days_later(11):
        investigation.case_unpaid_after_order(case=case, actor=inspector(), compensation_rate=50, penalty_amount=None)
    assert case.documents.filter(kind=Document.Kind.COMPENSATION_ORDER).count() == 1


def test_seed_data_marked_unpaid_before_the_deadline_still_gives_no_referral_and_no_listing():
    case = enforcing()
    Case.objects.filter(pk=case.pk).update(unpaid_after_order=True)  # as seed data might leave it
    case.refresh_from_db()
    eligibility = referral_eligibility(case)
    assert not eligibility.eligible and any("尚未届满" in f for f in eligibility.failures)
    with pytest.raises(ValidationError):
        referral_propose(case=case, actor=inspector())
    assessment = listing_assess(case)
    assert not assessment.eligible and any("尚未届满" in f for f in assessment.failures)
    with days_later(11):
        assert not any("尚未届满" in f for f in referral_eligibility(case).failures)
        assert not any("尚未届满" in f for f in listing_assess(case).failures)


def test_a_timer_fired_early_does_not_open_verification_before_the_deadline():
    """The flow's timer was fired for the day after the deadline (a sweep run with a wrong clock): the
    verification task is open, but completing it today is refused (400 naming the case), nothing changed."""
    case = enforcing()
    call_command("sweep_deadlines", "--at", f"{case.order_due + timedelta(days=1)}T00:00:01")
    receipt = case.complaints.get().receipt_no
    task = queue_task("inspector_360302", receipt, routed=True)  # routed to the case's inspector (workflows.routing)
    assert task["step"] == "verify"
    client = api("inspector_360302")
    if task["owner"] != "inspector_360302":
        assert client.post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 200
    response = client.post(f"/api/v1/tasks/{task['id']}/complete/", {"note": "逾期未支付。"}, format="json")
    assert response.status_code == 400 and "case" in response.json()["errors"], response.json()
    assert not case.events.filter(kind="case.verified").exists()
    with days_later(11):
        ok = client.post(f"/api/v1/tasks/{task['id']}/complete/", {"note": "逾期未支付。"}, format="json")
    assert ok.status_code == 200, ok.json()
    assert queue_task("inspector_360302", receipt, routed=True)["step"] == "unpaid"


def test_an_order_due_today_is_not_yet_unheeded():
    case = enforcing()
    today = timezone.localdate()
    Case.objects.filter(pk=case.pk).update(order_due=today)
    case.refresh_from_db()
    assert "尚未届满" in enforcement_refusal(case)
    Case.objects.filter(pk=case.pk).update(order_due=today - timedelta(days=1))
    case.refresh_from_db()
    assert enforcement_refusal(case) is None
