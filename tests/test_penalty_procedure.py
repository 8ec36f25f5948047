"""Issue 13 item 2: the statement and hearing window before a penalty (APL arts 44–45, 61–64, 85; domain-rules §2
rows 10–12, §3 hearing row). The notice is served; the party has the province's statement window (default 3 working
days) and, at or above the hearing threshold, 5 working days to ask for a hearing, whose notice is served at least
7 working days before it; the decision waits for the windows (or a written waiver), a requested hearing, the review."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import investigation, penalty
from cases.deadlines import RULES
from cases.models import Case, Deadline, Document, PenaltyProcedure, ProvinceConfig, Region
from cases.penalty.rules import HEARING_NOTICE, HEARING_REQUEST, NOTICE_SERVE, STATEMENT
from cases.workdays import add_working_days
from tests import factories, world

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def inspector():
    return world.user("inspector", "360302")


def leader():
    return world.user("leader", "360302")


def propose(case: Case, amount="20000.00", *, basis="lsir_30", unit=None, workers=1) -> PenaltyProcedure:
    investigation.case_pre_decision(
        case=case,
        actor=inspector(),
        proposed_penalty=Decimal(amount),
        facts="经查，你单位拒不履行处理决定。",
        basis=basis,
        workers_concerned=workers,
        party_is_unit=unit,
    )
    return PenaltyProcedure.objects.filter(case=case).latest("id")


def serve(case: Case, served_at: datetime | None = None) -> PenaltyProcedure:
    procedure = PenaltyProcedure.objects.filter(case=case).latest("id")
    if served_at is not None:  # a notice issued earlier: its issue moves back before the service
        Document.objects.filter(pk=procedure.notice_id).update(issued_at=served_at - timedelta(hours=1))
    penalty.penalty_notice_serve(
        case=case,
        actor=inspector(),
        method="direct",
        served_at=served_at or timezone.now(),
        recipient="法定代表人王某",
    )
    return PenaltyProcedure.objects.get(pk=procedure.pk)


def decide(case: Case, amount="20000.00"):
    return investigation.case_penalty_decide(case=case, actor=leader(), amount=Decimal(amount))


def review(case: Case):
    return penalty.penalty_review(case=case, actor=inspector(), outcome="not_adopted", reasons="陈述理由不能成立。")


def deciding() -> Case:
    return factories.case("deciding")


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=SH)


# --- the decision waits ------------------------------------------------------------------------------


def test_penalty_decision_refused_before_the_notice_is_served():
    case = deciding()
    propose(case)
    with pytest.raises(ValidationError) as err:
        decide(case)
    assert "送达" in str(err.value.message_dict["amount"])


def test_penalty_decision_refused_before_the_statement_window_has_passed():
    case = deciding()
    propose(case, "5000.00")  # below the hearing threshold: the statement window only
    serve(case)
    with pytest.raises(ValidationError) as err:
        review(case)
    assert "届满" in str(err.value.message_dict["case"])
    with pytest.raises(ValidationError) as err:
        decide(case, "5000.00")
    assert "届满" in str(err.value.message_dict["amount"])
    assert Case.objects.get(pk=case.pk).status == Case.Status.DECIDING


def test_penalty_decision_allowed_after_the_window_has_passed_and_the_review():
    case = deciding()
    propose(case, "5000.00")
    serve(case, timezone.now() - timedelta(days=20))
    with pytest.raises(ValidationError) as err:  # the review of what the party said comes first
        decide(case, "5000.00")
    assert "复核" in str(err.value.message_dict["amount"])
    review(case)
    document = decide(case, "5000.00")
    assert document.kind == Document.Kind.PENALTY_DECISION
    assert Case.objects.get(pk=case.pk).status == Case.Status.ENFORCING


def test_penalty_decision_allowed_after_a_written_waiver():
    case = deciding()
    propose(case)
    serve(case)
    penalty.penalty_rights_waive(
        case=case, actor=inspector(), waived_on=timezone.localdate(), note="当事人书面声明放弃陈述、申辩和听证。"
    )
    review(case)
    decide(case)
    assert Case.objects.get(pk=case.pk).status == Case.Status.ENFORCING


def test_penalty_decision_refused_while_a_requested_hearing_is_pending():
    case = deciding()
    propose(case, "20000.00")  # a unit, at the threshold: hearing right
    procedure = serve(case, timezone.now() - timedelta(days=1))
    penalty.penalty_hearing_request(case=case, actor=inspector(), requested_on=timezone.localdate())
    # the windows pass; the hearing has not been held
    PenaltyProcedure.objects.filter(pk=procedure.pk).update(
        statement_due=timezone.now() - timedelta(hours=1), hearing_request_due=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(ValidationError) as err:
        review(case)
    assert "听证" in str(err.value.message_dict["case"])
    with pytest.raises(ValidationError) as err:
        decide(case)
    assert "听证" in str(err.value.message_dict["amount"])


def test_the_decided_fine_may_not_exceed_the_proposal():
    case = deciding()
    propose(case, "5000.00")
    serve(case, timezone.now() - timedelta(days=20))
    review(case)
    with pytest.raises(ValidationError) as err:
        decide(case, "6000.00")
    assert "拟罚款金额" in str(err.value.message_dict["amount"])


# --- the windows in working days ---------------------------------------------------------------------

SERVED = datetime(2025, 9, 30, 10, 0, tzinfo=SH)  # the day before National Day 2025 (1–8 October off)


def test_statement_window_is_three_working_days_from_service_across_national_day():
    assert RULES[STATEMENT].length == 3 and ProvinceConfig().penalty_statement_wd == 3
    case = deciding()
    propose(case, "5000.00")
    procedure = serve(case, SERVED)
    third = add_working_days(date(2025, 9, 30), 3)
    assert third > date(2025, 10, 8)  # the holiday is not counted
    assert procedure.statement_due == end_of(third)
    clock = case.deadlines.get(kind=STATEMENT)
    assert clock.length == 3 and clock.unit == Deadline.Unit.WORKING_DAYS and clock.due_at == end_of(third)


def test_statement_window_is_a_per_province_setting():
    province = Region.objects.get(code="360000")
    ProvinceConfig.objects.update_or_create(province=province, defaults={"penalty_statement_wd": 5})
    case = deciding()
    propose(case, "5000.00")
    procedure = serve(case, SERVED)
    assert procedure.statement_due == end_of(add_working_days(date(2025, 9, 30), 5))


def test_hearing_request_window_is_five_working_days_from_service_across_national_day():
    case = deciding()
    propose(case, "20000.00")
    procedure = serve(case, SERVED)
    fifth = add_working_days(date(2025, 9, 30), 5)
    assert procedure.hearing_right and procedure.hearing_request_due == end_of(fifth)
    assert case.deadlines.get(kind=HEARING_REQUEST).length == 5
    with pytest.raises(ValidationError) as err:  # asked the working day after the fifth
        penalty.penalty_hearing_request(case=case, actor=inspector(), requested_on=add_working_days(fifth, 1))
    assert "requested_on" in err.value.message_dict
    penalty.penalty_hearing_request(case=case, actor=inspector(), requested_on=fifth)


def test_notice_service_clock_is_seven_working_days_and_closes_on_service():
    case = deciding()
    propose(case)
    clock = case.deadlines.get(kind=NOTICE_SERVE)
    notice = Document.objects.get(case=case, kind=Document.Kind.PRE_DECISION_NOTICE)
    issued = timezone.localtime(notice.issued_at, SH).date()
    assert clock.length == 7 and clock.due_at == end_of(add_working_days(issued, 7))
    serve(case)
    clock.refresh_from_db()
    assert clock.state == Deadline.State.MET


# --- the hearing ---------------------------------------------------------------------------------------


def _hearing_requested(case: Case) -> PenaltyProcedure:
    propose(case, "20000.00")
    serve(case)
    return penalty.penalty_hearing_request(case=case, actor=inspector(), requested_on=timezone.localdate())


def test_hearing_notice_at_least_seven_working_days_before_the_hearing(monkeypatch):
    case = deciding()
    _hearing_requested(case)
    today = timezone.localdate()
    too_soon = add_working_days(today, 6)
    with pytest.raises(ValidationError) as err:
        penalty.penalty_hearing_schedule(
            case=case,
            actor=inspector(),
            scheduled_at=datetime.combine(too_soon, time(9), tzinfo=SH),
            place="本局听证室",
        )
    assert "七个工作日" in str(err.value.message_dict["scheduled_at"])
    day = add_working_days(today, 7)
    hearing = penalty.penalty_hearing_schedule(
        case=case, actor=inspector(), scheduled_at=datetime.combine(day, time(9), tzinfo=SH), place="本局听证室"
    )
    assert hearing.notice.kind == Document.Kind.HEARING_NOTICE
    clock = case.deadlines.get(kind=HEARING_NOTICE)  # the last day to serve it: 7 working days before the hearing
    serve_by = timezone.localtime(clock.due_at, SH).date()
    assert add_working_days(serve_by, 7) <= day and "第六十四条" in clock.legal_basis
    assert serve_by >= add_working_days(day, -7)
    # served on the next working day it would reach the party only 6 working days before
    later = datetime.combine(add_working_days(today, 1), time(10), tzinfo=SH)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with pytest.raises(ValidationError) as err:
        penalty.penalty_hearing_notice_serve(
            case=case, actor=inspector(), method="direct", served_at=later, recipient="王某"
        )
    assert "七个工作日" in err.value.message_dict["served_at"][0]
    monkeypatch.undo()
    penalty.penalty_hearing_notice_serve(
        case=case, actor=inspector(), method="direct", served_at=timezone.now(), recipient="王某"
    )
    clock.refresh_from_db()
    assert clock.state == Deadline.State.MET
    with pytest.raises(ValidationError) as err:  # not held before its day
        penalty.penalty_hearing_hold(case=case, actor=inspector(), held_at=timezone.now(), record="听证笔录")
    assert "held_at" in err.value.message_dict


# --- the hearing threshold per province ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "unit", "right"),
    [
        ("19999.99", True, False),
        ("20000.00", True, True),  # organisation ≥ 20,000
        ("999.99", False, False),
        ("1000.00", False, True),  # individual ≥ 1,000
    ],
)
def test_hearing_threshold_default_by_the_party_being_a_unit(amount, unit, right):
    case = deciding()
    basis = "lsir_30" if Decimal(amount) >= 2000 else "lsir_25"  # lsir_25: 100–500 per worker
    workers = 1 if basis == "lsir_30" else 4
    procedure = propose(case, amount, basis=basis, unit=unit, workers=workers)
    assert procedure.hearing_right is right
    notice = Document.objects.get(pk=procedure.notice_id)
    assert notice.data["hearing_right"] is right


def test_hearing_threshold_is_a_per_province_setting():
    province = Region.objects.get(code="360000")
    ProvinceConfig.objects.update_or_create(province=province, defaults={"hearing_threshold_unit": Decimal("30000")})
    case = deciding()
    assert propose(case, "20000.00").hearing_right is False
    assert propose(case, "20000.00").hearing_threshold == Decimal("30000")
    with pytest.raises(ValidationError):
        serve(case)
        penalty.penalty_hearing_request(case=case, actor=inspector(), requested_on=timezone.localdate())


# --- shown with their legal basis ------------------------------------------------------------------------


def test_the_penalty_clocks_are_on_the_case_page_with_their_legal_basis(client):
    case = deciding()
    propose(case, "20000.00")
    serve(case)
    client.force_login(inspector())
    page = client.get(f"/cases/{case.case_no}/").content.decode()
    for title, basis in [
        ("当事人陈述申辩期", "第四十四条"),
        ("当事人要求听证期限", "第六十四条"),
        ("行政处罚告知书送达期限", "第六十一条"),
    ]:
        assert title in page and basis in page


# --- the page and the timeline -------------------------------------------------------------------------


def test_statements_recorded_from_the_case_page_and_every_event_has_a_human_label(client):
    case = deciding()
    propose(case, "20000.00")
    serve(case)
    client.force_login(inspector())
    today = timezone.localdate().isoformat()
    response = client.post(
        f"/cases/{case.case_no}/penalty/statement/", {"text": "我单位对事实无异议，请求从轻。", "made_on": today}
    )
    assert response.status_code == 302
    client.post(f"/cases/{case.case_no}/penalty/waiver/", {"waived_on": today, "note": "书面放弃听证。"})
    page = client.get(f"/cases/{case.case_no}/").content.decode()
    assert "我单位对事实无异议，请求从轻。" in page and "书面放弃听证。" in page
    late = client.post(f"/cases/{case.case_no}/penalty/statement/", {"text": "补充", "made_on": today}, follow=True)
    assert late.status_code == 200 and "当事人已书面放弃陈述申辩的权利" in late.content.decode()
    review(case)
    written = set(case.events.values_list("kind", flat=True))
    mine = {k for k in written if k.startswith("penalty.")} | {"case.pre_decision_notified"}
    assert {"penalty.statement_recorded", "penalty.rights_waived", "penalty.statements_reviewed"} <= mine
    for kind in mine:
        assert penalty.event_label(kind) != kind, kind
