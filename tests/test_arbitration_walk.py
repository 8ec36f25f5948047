"""Issue 19 items 1-2: a refused complaint referred to the arbitration commission and walked to its award, a case
referred to the legal-aid centre and walked to its end — each clock's state and due date checked across the
National Day holiday, each number (5, 5, 45, +15, 12×, 7, 3) pinned, the worker's status page at each stage."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from arbitration import legal_aid, rules, steps
from arbitration.config import arbitration_config_save, final_threshold
from arbitration.models import ArbitrationConfig, Office, Referral
from arbitration.services import Claim, candidates, referral_create
from cases.deadlines.times import local_date
from cases.models import Deadline, Notification, Region, Role
from cases.public_status import complaint_public_status
from cases.timeline.labels import EVENT_LABELS
from cases.transitions import StateConflict
from earlywarning.models import WarningConfig
from tests import factories
from tests.arbkit import local, office_user
from tests.clock import at

pytestmark = pytest.mark.django_db
S = Referral.Status
D = Deadline.State


def _refused():
    with at(local(2026, 9, 25)):
        return factories.complaint("refused", period_end="2026-08-31")


def _refer(complaint, office=Office.ARBITRATION, when=None, **kw):
    clerk = factories.staff(Role.CLERK, complaint.region.code)
    with at(when or local(2026, 9, 28)):
        return referral_create(
            actor=clerk,
            role=Role.CLERK,
            office=office,
            region=complaint.region,
            facts="劳动报酬争议，用人单位拒付",
            complaint=complaint,
            **kw,
        )


def _stages(complaint):
    return [s["stage"] for s in complaint_public_status(complaint)["stages"]]


def test_the_numbers_of_the_law():
    assert (rules.ACCEPT_DAYS, rules.TRIBUNAL_DAYS, rules.AWARD_DAYS, rules.AWARD_EXTENSION_DAYS) == (5, 5, 45, 15)
    assert (rules.FINAL_AWARD_MONTHS, rules.GREEN_CHANNEL_DAYS, rules.AID_REVIEW_DAYS, rules.AID_ASSIGN_DAYS) == (
        12, 30, 7, 3)  # fmt: skip
    defaults = ArbitrationConfig()
    assert (defaults.final_award_months, defaults.green_channel_days) == (12, 30)
    assert (defaults.legal_aid_review_days, defaults.legal_aid_assign_days) == (7, 3)


def test_arbitration_walked_to_its_award_across_the_holiday():
    complaint = _refused()
    referral = _refer(complaint)
    assert referral.status == S.REFERRED and referral.green_channel
    assert [c.amount_claimed for c in referral.claimants.all()] == [complaint.amount_owed]
    accept = referral.accept_deadline
    # received Mon 28 Sep + 5 days = Sat 3 Oct, inside the National Day holiday (1-7 Oct) → the next working day
    assert accept.kind == "arbitration.accept" and accept.length == 5 and accept.unit == Deadline.Unit.DAYS
    assert local_date(accept.due_at) == date(2026, 10, 8)
    assert _stages(complaint)[-1] == "arbitration_referred"
    assert Notification.objects.filter(complaint=complaint, event="arb_referred").exists()

    arbitrator = office_user()
    with at(local(2026, 9, 30)):
        steps.arbitration_accept(referral=referral, actor=arbitrator)
    referral.refresh_from_db()
    accept.refresh_from_db()
    assert referral.status == S.ACCEPTED and accept.state == D.MET
    tribunal, award = referral.second_deadline, referral.award_deadline
    assert (tribunal.kind, tribunal.length, award.kind, award.length) == (
        "arbitration.tribunal",
        5,
        "arbitration.award",
        45,
    )
    assert local_date(tribunal.due_at) == date(2026, 10, 8)  # 30 Sep + 5 = 5 Oct, a holiday → 8 Oct
    assert local_date(award.due_at) == date(2026, 11, 16)  # 30 Sep + 45 = Sat 14 Nov → Mon 16 Nov
    assert local_date(referral.green_target_at) == date(2026, 10, 30)  # 30 Sep + 30 days (a Friday)
    assert _stages(complaint)[-1] == "arbitration_accepted"

    with at(local(2026, 10, 8)):
        steps.arbitration_tribunal_notify(referral=referral, actor=arbitrator, tribunal="张仲裁员（独任）")
    referral.refresh_from_db()
    tribunal.refresh_from_db()
    assert referral.status == S.HEARING and tribunal.state == D.MET
    assert _stages(complaint)[-1] == "arbitration_hearing"

    with at(local(2026, 11, 10)):
        steps.arbitration_award_extend(referral=referral, actor=arbitrator, reason="案情复杂，主任批准")
    award.refresh_from_db()
    assert award.extended_by == 15 and local_date(award.due_at) == date(2026, 12, 1)  # 16 Nov + 15 days
    with at(local(2026, 11, 11)), pytest.raises(ValidationError):
        steps.arbitration_award_extend(referral=referral, actor=arbitrator, reason="再次延期")  # only once

    claimant = referral.claimants.get()
    with at(local(2026, 11, 20)):
        steps.arbitration_award(referral=referral, actor=arbitrator, amounts={claimant.pk: "8000"})
    referral.refresh_from_db()
    award.refresh_from_db()
    claimant.refresh_from_db()
    assert referral.status == S.AWARDED and award.state == D.MET
    assert claimant.amount_awarded == Decimal("8000.00") and claimant.final is True
    status = complaint_public_status(complaint)
    last = status["stages"][-1]
    assert last["stage"] == "arbitration_awarded" and "8,000.00" in last["detail"] and "终局裁决" in last["detail"]
    kinds = list(complaint.events.filter(data__referral=referral.number).values_list("kind", flat=True))
    assert kinds == ["arbitration.referred", "arbitration.accepted", "arbitration.tribunal_notified",
                     "arbitration.awarded"]  # fmt: skip
    every = set(complaint.events.values_list("kind", flat=True))
    assert all(k in EVENT_LABELS for k in every)  # each has the words people read


@pytest.mark.parametrize("amount, final", [("24000.00", True), ("24000.01", False)])
def test_final_award_is_twelve_months_of_the_minimum_wage(amount, final):
    region = Region.objects.get(code="360302")
    WarningConfig.objects.create(province=Region.objects.get(code="360000"), minimum_wage_monthly=Decimal("2000"))
    assert final_threshold(region) == Decimal("24000.00")  # 12 × 2,000
    complaint = _refused()
    referral = _refer(complaint)
    arbitrator = office_user()
    steps.arbitration_accept(referral=referral, actor=arbitrator)
    steps.arbitration_tribunal_notify(referral=referral, actor=arbitrator, tribunal="李仲裁员")
    claimant = referral.claimants.get()
    steps.arbitration_award(referral=referral, actor=arbitrator, amounts={claimant.pk: amount})
    claimant.refresh_from_db()
    assert claimant.final is final
    referral.refresh_from_db()
    assert referral.final_threshold == Decimal("24000.00")


def test_the_province_sets_the_multiple():
    province = Region.objects.get(code="360000")
    arbitration_config_save(actor=None, province=province, values={"final_award_months": 10})
    assert final_threshold(Region.objects.get(code="360302")) == Decimal("20000.00")  # 10 × 2,000 (default)
    with pytest.raises(ValidationError) as e:
        arbitration_config_save(actor=None, province=province, values={"final_award_months": 0})
    assert "final_award_months" in e.value.error_dict


def test_rejection_and_a_second_concurrent_acceptance():
    complaint = _refused()
    referral = _refer(complaint)
    arbitrator = office_user()
    with at(local(2026, 10, 8)):
        steps.arbitration_reject(referral=referral, actor=arbitrator, reason="已超过仲裁时效")
    referral.refresh_from_db()
    assert referral.status == S.REJECTED and referral.accept_deadline.state == D.MET
    with pytest.raises(StateConflict):
        steps.arbitration_accept(referral=Referral.objects.get(pk=referral.pk), actor=arbitrator)
    assert _stages(complaint)[-1] == "arbitration_rejected"
    with pytest.raises(ValidationError) as e:
        steps.arbitration_reject(referral=referral, actor=arbitrator, reason="  ")
    assert "reason" in e.value.error_dict or "status" in e.value.error_dict


def test_mediation_and_withdrawal_end_the_clocks():
    arbitrator = office_user()
    complaint = _refused()
    referral = _refer(complaint)
    steps.arbitration_accept(referral=referral, actor=arbitrator)
    claimant = referral.claimants.get()
    with pytest.raises(ValidationError) as e:
        steps.arbitration_mediate(referral=referral, actor=arbitrator, amounts={claimant.pk: "-1"})
    assert "amounts" in e.value.error_dict
    steps.arbitration_mediate(referral=referral, actor=arbitrator, amounts={claimant.pk: "5000"})
    referral.refresh_from_db()
    assert referral.status == S.MEDIATED
    assert {referral.second_deadline.state, referral.award_deadline.state} == {D.MET}
    assert _stages(complaint)[-1] == "arbitration_mediated"
    other = _refer(_refused(), when=local(2026, 9, 29))
    steps.arbitration_withdraw(referral=other, actor=arbitrator, reason="已与单位和解")
    other.refresh_from_db()
    assert other.status == S.WITHDRAWN and other.accept_deadline.state == D.CANCELLED


def test_referral_input_errors_name_the_field_and_change_nothing():
    complaint = _refused()
    clerk = factories.staff(Role.CLERK, complaint.region.code)
    worker = complaint.complainant
    bad = [
        ({"facts": " "}, "facts"),
        ({"claims": []}, "claimants"),
        ({"claims": [Claim(worker, Decimal("0"))]}, "claimants"),
        ({"office": "court"}, "office"),
    ]
    for override, field in bad:
        args = {"facts": "争议", "office": Office.ARBITRATION, **override}
        with pytest.raises(ValidationError) as e, transaction.atomic():
            referral_create(actor=clerk, role=Role.CLERK, region=complaint.region, complaint=complaint, **args)
        assert field in e.value.error_dict, (override, e.value)
    assert not Referral.objects.exists()
    accepted = factories.complaint("accepted")
    with pytest.raises(ValidationError) as e:
        referral_create(actor=clerk, role=Role.CLERK, office=Office.ARBITRATION, region=accepted.region,
                        facts="争议", complaint=accepted)  # fmt: skip
    assert "complaint" in e.value.error_dict
    _refer(complaint)
    with pytest.raises(ValidationError) as e:
        _refer(complaint)  # one open referral to an office at a time
    assert "office" in e.value.error_dict


def test_legal_aid_of_a_case_walked_to_its_end():
    with at(local(2026, 9, 25)):
        case = factories.case("investigating", period_end="2026-08-31")
    factories.ledger(case, workers=2)
    claims = candidates(case=case)
    assert len(claims) == 2
    inspector = factories.staff(Role.INSPECTOR, case.region.code)
    with at(local(2026, 9, 28)):
        referral = referral_create(actor=inspector, role=Role.INSPECTOR, office=Office.LEGAL_AID, region=case.region,
                                   facts="农民工追索劳动报酬", case=case, claims=claims[:1])  # fmt: skip
    review = referral.accept_deadline
    # 28 Sep + 7 days = 5 Oct, in the holiday → 8 Oct
    assert (review.kind, review.length, local_date(review.due_at)) == ("legal_aid.review", 7, date(2026, 10, 8))
    aid = office_user(Office.LEGAL_AID)
    with at(local(2026, 10, 8)):
        legal_aid.legal_aid_accept(referral=referral, actor=aid)
    referral.refresh_from_db()
    assign = referral.second_deadline
    assert referral.status == S.ACCEPTED and referral.accept_deadline.state == D.MET
    assert (assign.kind, assign.length, local_date(assign.due_at)) == (
        "legal_aid.assign",
        3,
        date(2026, 10, 12),
    )  # 8 Oct + 3 = Sun 11 Oct → Mon 12
    with pytest.raises(ValidationError) as e:
        legal_aid.legal_aid_assign(referral=referral, actor=aid, lawyer_name="王律师", lawyer_firm="某律所",
                                   lawyer_licence="123")  # fmt: skip
    assert "lawyer_licence" in e.value.error_dict
    with at(local(2026, 10, 12)):
        legal_aid.legal_aid_assign(referral=referral, actor=aid, lawyer_name="王律师", lawyer_firm="江西某律师事务所",
                                   lawyer_licence="13603201810123456")  # fmt: skip
    referral.refresh_from_db()
    assert referral.status == S.AID_ASSIGNED and referral.second_deadline.state == D.MET
    complaint = case.complaints.get()
    told = complaint.complainant_id in set(referral.claimants.values_list("worker_id", flat=True))
    with at(local(2026, 11, 2)):
        legal_aid.legal_aid_close(referral=referral, actor=aid, outcome="mediated", amount_recovered="6000")
    referral.refresh_from_db()
    assert referral.status == S.AID_CLOSED and referral.amount_recovered == Decimal("6000.00")
    public = complaint_public_status(complaint)
    text = str(public)
    assert "王律师" not in text and "13603201810123456" not in text  # the lawyer is staff-only
    if told:
        assert [s["stage"] for s in public["stages"]][-4:] == [
            "legal_aid_referred", "legal_aid_accepted", "legal_aid_assigned", "legal_aid_closed"]  # fmt: skip


def test_the_province_sets_the_legal_aid_days():
    province = Region.objects.get(code="360000")
    arbitration_config_save(actor=None, province=province, values={"legal_aid_review_days": 5})
    complaint = _refused()
    referral = _refer(complaint, office=Office.LEGAL_AID, when=local(2026, 11, 2))
    assert referral.accept_deadline.length == 5
    assert local_date(referral.accept_deadline.due_at) == date(2026, 11, 9)  # Sat 7 Nov → Mon 9 Nov
