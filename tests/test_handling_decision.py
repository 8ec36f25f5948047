"""Issue 13 item 3: the order to pay is the handling decision. The 行政处理决定书 (责令限期支付工资) is issued as its
own document for an order-to-pay decision and alongside a penalty decision on a case with arrears; its PDF orders
the wage payment with the per-worker ledger; referral and listing rely on it served — never on a penalty decision."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from accountability.listing.criteria import listing_assess
from cases import penalty
from cases.documents import document_issue, document_pdf_bytes, document_serve
from cases.enforcement import case_handling_decide, wage_order_served
from cases.models import Case, Document
from cases.referral import referral_eligibility
from tests import factories, world
from tests.clock import days_later

pytestmark = pytest.mark.django_db
K = Document.Kind


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _text(document: Document) -> str:
    reader = PdfReader(io.BytesIO(document_pdf_bytes(document)))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def deciding_with_ledger() -> Case:
    case = factories.case("deciding", region="360302", workers=2, amount="12000.00")
    factories.ledger(case)
    case.refresh_from_db()
    return case


def test_the_order_to_pay_decision_is_a_handling_decision_ordering_the_wages_with_the_ledger():
    case = deciding_with_ledger()
    due = timezone.localdate() + timedelta(days=10)
    factories.step(case, world.user("inspector", "360302"), decision="order_to_pay", facts="拖欠工资。",
                   order_due=due.isoformat())  # fmt: skip
    kinds = list(case.documents.exclude(kind=K.ACCEPTANCE_NOTICE).values_list("kind", flat=True))
    assert kinds == [K.HANDLING_DECISION], kinds
    decision = case.documents.get(kind=K.HANDLING_DECISION)
    text = _text(decision)
    assert "行政处理决定书" in text and "支付拖欠的工资共计12,000.00元" in text, text
    assert f"工人{case.pk}-1" in text and f"工人{case.pk}-2" in text  # the per-worker ledger
    assert "行政复议" in text and "行政诉讼" in text
    assert decision.data["due_date"] == due.isoformat()


def test_a_penalty_decision_on_a_case_with_arrears_comes_with_the_handling_decision_served_with_it():
    case = deciding_with_ledger()
    ins, leader, legal = (world.user(r, "360302") for r in ("inspector", "leader", "legal"))
    due = timezone.localdate() + timedelta(days=15)
    factories.step(case, ins, decision="penalty", facts="拖欠工资。", proposed_penalty="20000", penalty_basis="lsir_30")
    factories.step(case, ins, method="direct", served_at=timezone.now().isoformat(), recipient="王某")  # the notice
    penalty.penalty_rights_waive(case=case, actor=ins, waived_on=timezone.localdate(), note="当事人书面放弃。")
    factories.step(case, ins, outcome="not_adopted", reasons="当事人放弃陈述申辩。")
    factories.step(case, legal, approved="yes", opinion="同意。")
    factories.step(case, leader, approved="yes", opinion="同意。", amount="20000", order_due=due.isoformat())
    handling = case.documents.get(kind=K.HANDLING_DECISION)
    assert case.documents.filter(kind=K.PENALTY_DECISION).count() == 1
    assert handling.data["due_date"] == due.isoformat()
    assert case.events.filter(kind="case.handling_decided").count() == 1
    # one service step serves both decisions
    factories.step(case, ins, method="direct", served_at=timezone.now().isoformat(), recipient="法定代表人王某")
    assert all(
        d.services.count() == 1 for d in case.documents.filter(kind__in=[K.HANDLING_DECISION, K.PENALTY_DECISION])
    )
    assert wage_order_served(case) == handling


def test_referral_and_listing_never_rely_on_a_penalty_decision():
    case = deciding_with_ledger()
    ins = world.user("inspector", "360302")
    yesterday = timezone.localdate() - timedelta(days=1)
    Case.objects.filter(pk=case.pk).update(order_due=yesterday, unpaid_after_order=True, group_incident=True)
    case.refresh_from_db()
    issued = timezone.now() - timedelta(days=10)
    penalty = document_issue(case=case, kind=K.PENALTY_DECISION, actor=ins, role="inspector",
                             data={"penalty_amount": "20000", "due_date": yesterday}, at=issued)  # fmt: skip
    document_serve(document=penalty, method="direct", served_at=issued, recipient="王某", actor=ins, role="inspector")
    assert wage_order_served(case) is None
    assert any("行政处理决定" in f for f in referral_eligibility(case).failures)
    assessment = listing_assess(case)
    assert not assessment.eligible and any("行政处理决定书" in f for f in assessment.failures)
    # the handling decision, issued but not served, does not count either; served, it does
    handling = document_issue(case=case, kind=K.HANDLING_DECISION, actor=ins, role="inspector",
                              data={"due_date": yesterday}, at=issued)  # fmt: skip
    assert wage_order_served(case) is None and not listing_assess(case).eligible
    document_serve(document=handling, method="direct", served_at=issued, recipient="王某", actor=ins, role="inspector")
    assert wage_order_served(case) == handling
    assert listing_assess(case).eligible
    assert not any("行政处理决定" in f for f in referral_eligibility(case).failures)


def test_case_handling_decide_is_one_service_with_its_event_and_the_cases_deadline():
    case = deciding_with_ledger()
    leader = world.user("leader", "360302")
    with pytest.raises(ValidationError) as refused:
        case_handling_decide(case=case, actor=leader, order_due=timezone.localdate())
    assert "order_due" in refused.value.message_dict
    assert not case.documents.exclude(kind=K.ACCEPTANCE_NOTICE).exists()  # the complaint's 受理通知书 only
    due = timezone.localdate() + timedelta(days=20)
    document = case_handling_decide(case=case, actor=leader, order_due=due, facts="拖欠工资。")
    case.refresh_from_db()
    assert document.kind == K.HANDLING_DECISION and case.order_due == due
    event = case.events.get(kind="case.handling_decided")
    assert event.data["document"] == document.number
    with days_later(21):
        assert "尚未届满" not in " ".join(referral_eligibility(case).failures)
