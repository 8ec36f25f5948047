"""Issue 13 item 4: a case that stays unpaid can be closed. After "unpaid": the demand notice (催告书) served; the
court applied to only 10 days after its service (row 21, AEL art 54), once the party's remedies ran out unused
(行政复议 60 days, row 18; 行政诉讼 6 months, row 20) or the decision was upheld, and within 3 months of their end
(row 22, AEL art 53); the court's outcome; the penalty executed; the transfer to the police accepted; every path
ends in 结案 with a closure code resting on its facts. Each clock is on the case page with its legal basis."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import enforcement, investigation, penalty
from cases.enforcement import add_months, remedies_end
from cases.models import Case, Deadline, Document, Enforcement, Referral
from cases.workdays import period_end
from tests import factories, world
from tests.clock import at, days_later

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def noon(day) -> datetime:
    return datetime.combine(day, time(12), tzinfo=SH)


def inspector():
    return world.user("inspector", "360302")


def unpaid_case() -> Case:
    """A case whose handling decision was served today (tests.factories), due in 10 days, still owed; 11 days on
    it is declared unpaid."""
    case = factories.case("enforcing", region="360302", workers=2, amount="12000.00")
    factories.ledger(case)
    with days_later(11):
        investigation.case_unpaid_after_order(case=case, actor=inspector(), compensation_rate=50, penalty_amount=None)
    case.refresh_from_db()
    return case


def demanded(case: Case, days: float = 12) -> datetime:
    """The demand issued and served `days` days from now; its service time."""
    with days_later(days):
        enforcement.case_demand_issue(case=case, actor=inspector())
        served = timezone.now()
        enforcement.case_demand_serve(case=case, actor=inspector(), method="direct", served_at=served, recipient="王某")
    return served


def apply(case: Case, remedies: str = "upheld", note: str = "复议决定维持原处理决定。"):
    return enforcement.case_court_apply(case=case, actor=inspector(), remedies=remedies, note=note)


def test_the_demand_and_the_court_come_only_after_unpaid():
    case = factories.case("enforcing", region="360302", workers=2, amount="12000.00")
    with days_later(11), pytest.raises(ValidationError) as refused:
        enforcement.case_demand_issue(case=case, actor=inspector())
    assert "逾期未履行" in refused.value.message_dict["case"][0]
    assert not case.documents.filter(kind=Document.Kind.DEMAND_NOTICE).exists()


def test_the_court_may_be_applied_to_only_after_10_days_from_the_demands_service():
    case = unpaid_case()
    served = demanded(case)
    clock = case.deadlines.get(kind="enforcement.demand")
    assert (clock.length, clock.unit) == (10, "days") and "行政强制法》第五十四条" in clock.legal_basis
    served_on = served.astimezone(SH).date()
    with at(noon(served_on + timedelta(days=10))), pytest.raises(ValidationError) as refused:
        apply(case)
    assert "十日" in refused.value.message_dict["case"][0]
    assert not case.documents.filter(kind=Document.Kind.ENFORCEMENT_APPLICATION).exists()
    with at(noon(served_on + timedelta(days=11))):
        application = apply(case)
    assert application.kind == Document.Kind.ENFORCEMENT_APPLICATION and "人社监执" in application.number
    assert Enforcement.objects.get(case=case).remedies == "upheld"


def test_unused_remedies_must_have_run_out_60_days_and_6_months_from_the_decisions_service():
    case = unpaid_case()
    demanded(case)
    served_on = timezone.localdate()  # the handling decision was served today (tests.factories)
    end = remedies_end(case)
    assert end == period_end(add_months(served_on, 6))  # moved past a rest day or holiday
    reconsideration = case.deadlines.get(kind="enforcement.reconsideration")
    litigation = case.deadlines.get(kind="enforcement.litigation")
    assert reconsideration.length == 60 and "行政复议法》第二十条" in reconsideration.legal_basis
    assert litigation.due_at.astimezone(SH).date() == period_end(add_months(served_on, 6))
    assert "行政诉讼法》第四十六条" in litigation.legal_basis
    with at(noon(end)), pytest.raises(ValidationError) as refused:
        apply(case, remedies="expired", note="")
    assert "remedies" in refused.value.message_dict
    with at(noon(end + timedelta(days=1))):
        apply(case, remedies="expired", note="")
    case.refresh_from_db()
    assert Enforcement.objects.get(case=case).remedies == "expired"
    assert reconsideration.__class__.objects.get(pk=reconsideration.pk).state == Deadline.State.MET


def test_the_court_must_be_applied_to_within_3_months_of_the_end_of_the_remedies():
    case = unpaid_case()
    demanded(case)
    end = remedies_end(case)
    window = case.deadlines.get(kind="enforcement.court_apply")
    assert window.due_at.astimezone(SH).date() == period_end(add_months(end, 3)) and "第五十三条" in window.legal_basis
    with at(noon(period_end(add_months(end, 3)) + timedelta(days=1))), pytest.raises(ValidationError) as refused:
        apply(case, remedies="expired", note="")
    assert "已过" in refused.value.message_dict["remedies"][0]
    with at(noon(period_end(add_months(end, 3)))):
        apply(case, remedies="expired", note="")


def test_the_courts_outcome_then_closure_with_court_enforcement_only_when_accepted():
    case = unpaid_case()
    served = demanded(case)
    leader = world.user("leader", "360302")
    with at(noon(served.astimezone(SH).date() + timedelta(days=11))):
        with pytest.raises(ValidationError):
            investigation.case_close(
                case=case, actor=leader, closure_code="court_enforcement", satisfaction="satisfied"
            )
        apply(case)
        enforcement.case_court_outcome(case=case, actor=inspector(), outcome="refused", note="不准予执行。")
        with pytest.raises(ValidationError):
            investigation.case_close(
                case=case, actor=leader, closure_code="court_enforcement", satisfaction="satisfied"
            )
        enforcement.case_court_outcome(case=case, actor=inspector(), outcome="enforced", note="已执行到位。")
        investigation.case_close(case=case, actor=leader, closure_code="court_enforcement", satisfaction="satisfied")
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.closure_code == "court_enforcement"


def test_the_penalty_executed_closes_the_case_with_penalty_executed():
    case = unpaid_case()
    leader = world.user("leader", "360302")
    with pytest.raises(ValidationError) as refused:  # no penalty decision on this case
        enforcement.case_penalty_executed(case=case, actor=inspector(), note="罚款已缴纳。")
    assert "outcome" in refused.value.message_dict
    with days_later(12):
        factories.penalty_ready(case, "20000")  # the penalty procedure: notice served, rights waived, reviewed
        investigation.case_penalty_decide(case=case, actor=leader, amount=20000)
        with pytest.raises(ValidationError):
            investigation.case_close(case=case, actor=leader, closure_code="penalty_executed", satisfaction="satisfied")
        enforcement.case_penalty_executed(case=case, actor=inspector(), note="罚款已缴纳。")
        investigation.case_close(case=case, actor=leader, closure_code="penalty_executed", satisfaction="satisfied")
    assert Case.objects.get(pk=case.pk).closure_code == "penalty_executed"


def test_a_transfer_accepted_by_the_police_closes_the_administrative_side():
    case = unpaid_case()
    leader = world.user("leader", "360302")
    with days_later(12):
        with pytest.raises(ValidationError) as refused:
            enforcement.case_transfer_close(case=case, actor=inspector(), note="已移送。")
        assert "outcome" in refused.value.message_dict
        referral = Referral.objects.create(
            case=case, status=Referral.Status.TRANSFERRED, proposed_by=inspector(), proposed_at=timezone.now()
        )
        with pytest.raises(ValidationError):  # transferred, not yet filed by the police
            enforcement.case_transfer_close(case=case, actor=inspector(), note="已移送。")
        Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.FILED)
        enforcement.case_transfer_close(case=case, actor=inspector(), note="公安机关已立案。")
        investigation.case_close(case=case, actor=leader, closure_code="transferred", satisfaction="unreachable")
    assert Case.objects.get(pk=case.pk).closure_code == "transferred"


def test_no_compensation_order_on_nothing_owed():
    """Item 5: "unpaid" with an empty ledger (or an order to correct) never orders 50-100 % of 0 yuan."""
    case = factories.case("enforcing", region="360302", workers=2, amount="12000.00")  # no ledger
    with days_later(11), pytest.raises(ValidationError) as refused:
        investigation.case_unpaid_after_order(case=case, actor=inspector(), compensation_rate=50, penalty_amount=None)
    assert "compensation_rate" in refused.value.message_dict
    assert not case.documents.filter(kind=Document.Kind.COMPENSATION_ORDER).exists()


def test_the_enforcement_clocks_are_on_the_case_page_with_their_legal_basis(client):
    case = unpaid_case()
    demanded(case)
    client.force_login(inspector())
    page = client.get(reverse("cases:detail", args=[case.case_no])).content.decode()
    for title, basis in [
        ("申请行政复议期限", "《中华人民共和国行政复议法》第二十条"),
        ("提起行政诉讼期限", "《中华人民共和国行政诉讼法》第四十六条"),
        ("催告履行期限", "《中华人民共和国行政强制法》第五十四条"),
        ("申请人民法院强制执行期限", "《中华人民共和国行政强制法》第五十三条"),
    ]:
        assert title in page and basis in page, title


def test_a_fine_with_no_wages_owed_goes_from_verification_to_its_execution_never_to_compensation():
    from workflows.sweep import timers_fire

    case = factories.case("deciding", region="360302", workers=2, amount="12000.00")  # no ledger: nothing owed
    ins, legal, leader = (world.user(r, "360302") for r in ("inspector", "legal", "leader"))
    due = timezone.localdate() + timedelta(days=15)
    factories.step(case, ins, decision="penalty", facts="阻挠监察。", proposed_penalty="5000", penalty_basis="lsir_30")
    factories.step(case, ins, method="direct", served_at=timezone.now().isoformat(), recipient="王某")  # the notice
    penalty.penalty_rights_waive(case=case, actor=ins, waived_on=timezone.localdate(), note="当事人书面放弃。")
    factories.step(case, ins, outcome="not_adopted", reasons="当事人放弃陈述申辩。")
    factories.step(case, legal, approved="yes", opinion="同意。")
    factories.step(case, leader, approved="yes", opinion="同意。", amount="5000", order_due=due.isoformat())
    assert not case.documents.filter(kind=Document.Kind.HANDLING_DECISION).exists()  # no wages: no handling decision
    factories.step(case, ins, method="direct", served_at=timezone.now().isoformat(), recipient="王某")
    # the fine's own period: 15 days from the decision's service (APL art 67), ending on a working day
    due = enforcement.fine_due(Case.objects.get(pk=case.pk))
    timers_fire(now=noon(due + timedelta(days=1)))
    with days_later((due - timezone.localdate()).days + 1):
        assert [t.flow_task.name for t in factories.step(case, ins, note="罚款未缴纳。")] == ["enforce"]
        factories.step(case, ins, outcome="penalty_executed", note="罚款已强制缴纳。")
        factories.step(case, leader, closure_code="penalty_executed", satisfaction="satisfied", note="")
    case.refresh_from_db()
    assert (
        case.status == Case.Status.CLOSED and not case.documents.filter(kind=Document.Kind.COMPENSATION_ORDER).exists()
    )
