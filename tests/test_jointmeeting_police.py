"""Public security on the criminal referrals transferred to it (R310 arts 8-9; domain-rules rows 24-30): the police
user of 360302 sees the referral transferred by the 360302 office and not one of 360313 (404), no complaint list
(403); acknowledges receipt within the 3-day clock or after it (overdue, said on the receipt and the event);
records the filing decision itself through the same service the inspector uses (the referral flow moves on to
the inspector's next step); the inspector's path for police outside the system stays. Finance and development:
the government-invested projects' funding figures of their region, no others."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from cases import referral as referrals
from cases.models import Deadline, Referral
from cases.transitions import StateConflict
from jointmeeting import police, scope
from jointmeeting.models import PoliceReceipt
from tests import world
from tests.clock import days_later
from tests.jointkit import client_of, department_user, transferred

pytestmark = pytest.mark.django_db
S = Referral.Status


def test_the_police_see_the_referrals_transferred_to_their_office_only():
    mine, other = transferred("360302"), transferred("360313")
    cop = department_user("police", "360302")
    assert list(scope.referrals_for_police(cop)) == [mine]
    c = client_of(cop)
    assert c.get(reverse("jointmeeting:referral", args=[mine.pk])).status_code == 200
    assert c.get(reverse("jointmeeting:referral", args=[other.pk])).status_code == 404
    assert c.post(reverse("jointmeeting:referral-action", args=[other.pk, "acknowledge"])).status_code == 404
    assert c.get(reverse("complaints:index")).status_code == 403
    listed = c.get(reverse("jointmeeting:referrals")).content.decode()
    assert mine.case.case_no in listed and other.case.case_no not in listed
    # a referral still in the bureau's hands (before the transfer) is not the police's
    Referral.objects.filter(pk=mine.pk).update(status=S.APPROVAL)
    assert c.get(reverse("jointmeeting:referral", args=[mine.pk])).status_code == 404
    # the wrong role: the office's inspector is in scope and no police (403); a finance user is neither (404)
    inspector = client_of(world.user("inspector", "360313"))
    assert inspector.get(reverse("jointmeeting:referral", args=[other.pk])).status_code == 403
    assert inspector.get(reverse("jointmeeting:referrals")).status_code == 403
    finance = client_of(department_user("finance"))
    assert finance.get(reverse("jointmeeting:referral", args=[other.pk])).status_code == 404


def test_the_acknowledgement_within_the_clock():
    referral = transferred()
    cop = department_user("police")
    clock = referral.case.deadlines.get(kind="police.decide")
    assert (clock.length, clock.unit) == (3, Deadline.Unit.DAYS) and "第八条" in clock.legal_basis
    c = client_of(cop)
    assert c.post(reverse("jointmeeting:referral-action", args=[referral.pk, "acknowledge"]),
                  {"note": "已收到移送书及材料"}).status_code == 302  # fmt: skip
    receipt = PoliceReceipt.objects.get(referral=referral)
    assert receipt.within_clock and receipt.acknowledged_by == cop
    event = referral.case.events.get(kind="referral.police_acknowledged")
    assert event.data["within_clock"] is True and event.actor_role == "police"
    # a second acknowledgement: 409, nothing written
    again = c.post(reverse("jointmeeting:referral-action", args=[referral.pk, "acknowledge"]), {})
    assert again.status_code == 409
    assert referral.case.events.filter(kind="referral.police_acknowledged").count() == 1


def test_the_acknowledgement_after_the_clock_is_late_and_the_decision_closes_it_late():
    referral = transferred()
    cop = department_user("police")
    clock = referral.case.deadlines.get(kind="police.decide")
    call_command("sweep_deadlines", "--at", (clock.due_at + timedelta(seconds=1)).isoformat())
    clock.refresh_from_db()
    assert clock.state == Deadline.State.OVERDUE
    with days_later(4):
        receipt = police.referral_police_acknowledge(referral=referral, actor=cop)
        assert not receipt.within_clock
        police.referral_police_answer(referral=referral, actor=cop, filed=True, note="已立案侦查")
    clock.refresh_from_db()
    referral.refresh_from_db()
    assert clock.state == Deadline.State.CLOSED_LATE and referral.status == S.FILED
    decided = referral.case.events.get(kind="referral.police_decided")
    assert decided.actor_id == cop.pk and decided.actor_role == "police"
    # the next 3-day clock is the office's: hand over the materials (R310 art 12)
    assert referral.case.deadlines.get(kind="referral.handover").state == Deadline.State.RUNNING
    page = client_of(cop).get(reverse("jointmeeting:referral", args=[referral.pk])).content.decode()
    assert "超过立案审查期限签收" in page


def test_the_decision_in_time_and_the_reconsideration_answer():
    referral = transferred()
    cop = department_user("police")
    c = client_of(cop)
    response = c.post(reverse("jointmeeting:referral-action", args=[referral.pk, "answer"]),
                      {"decision": "not_filed", "note": "证据不足"})  # fmt: skip
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.NOT_FILED
    assert referral.case.deadlines.get(kind="police.decide").state == Deadline.State.MET
    # the office asks for reconsideration (inspector); the police answer it themselves (3 days, art 9)
    referrals.referral_reconsideration_request(referral=referral, actor=world.user("inspector", "360302"),
                                               requested=True, reason="有新证据")  # fmt: skip
    referral.refresh_from_db()
    police.referral_police_answer(referral=referral, actor=cop, filed=False, note="维持")
    referral.refresh_from_db()
    assert (referral.status, referral.police_decision) == (S.NOT_FILED, "upheld")
    assert referral.case.deadlines.get(kind="police.reconsider").state == Deadline.State.MET
    # an answer in no answering state: 409
    assert c.post(reverse("jointmeeting:referral-action", args=[referral.pk, "answer"]),
                  {"decision": "filed"}).status_code == 409  # fmt: skip


def test_another_countys_police_may_not_answer_and_the_inspectors_path_stays():
    referral = transferred()
    with pytest.raises(PermissionDenied):
        police.referral_police_answer(referral=referral, actor=department_user("police", "360313"), filed=True)
    referrals.referral_police_decision(referral=referral, actor=world.user("inspector", "360302"), filed=True)
    referral.refresh_from_db()
    assert referral.status == S.FILED
    assert referral.case.events.get(kind="referral.police_decided").actor_role == "inspector"
    with pytest.raises(StateConflict):  # the police recording it too: the referral has moved on
        police.referral_police_answer(referral=referral, actor=department_user("police"), filed=True)


def test_the_police_decision_moves_the_referral_flow_on():
    """The flow waits on the inspector's "登记公安机关立案决定": the police's own answer completes it, and the
    next step (hand over the materials) goes to the case's inspectors."""
    from tests.test_referral import eligible_case_through_the_api, step, to_police

    case = eligible_case_through_the_api()
    referral = to_police(case)  # the 3-day clock missed: overdue
    cop = department_user("police")
    with days_later(4):  # after the 3 days: the answer closes the clock late
        police.referral_police_acknowledge(referral=referral, actor=cop)
        police.referral_police_answer(referral=referral, actor=cop, filed=True, note="已立案")
    from viewflow.workflow.models import Task

    done = Task.objects.get(process__artifact_object_id=referral.pk, flow_task_type="HUMAN", status="DONE",
                            owner=cop)  # fmt: skip
    assert done.flow_task.name == "police_decision"
    assert step("inspector_360302", case, "handover", materials="移送书、调查报告、证据清单") == ["outcome"]
    referral.refresh_from_db()
    assert referral.status == S.HANDED_OVER
    assert case.deadlines.get(kind="police.decide").state == Deadline.State.CLOSED_LATE


def test_finance_sees_the_government_invested_projects_of_its_region():
    from tests.projectkit import make_project

    invested = make_project(901, region="360302")
    invested.government_invested = True
    invested.funding_source = "财政资金"
    invested.save()
    private = make_project(902, region="360302")
    private.government_invested = False
    private.save()
    elsewhere = make_project(903, region="360313")
    elsewhere.government_invested = True
    elsewhere.save()
    for department in ("finance", "development"):
        user = department_user(department)
        assert set(scope.funding_projects(user)) == {invested}
        page = client_of(user).get(reverse("jointmeeting:funding")).content.decode()
        assert invested.name in page and private.name not in page and elsewhere.name not in page
        assert "财政资金" in page
    export = client_of(department_user("finance")).get(reverse("jointmeeting:funding"), {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "项目编号" and [r[0] for r in rows[1:]] == [invested.project_no]
    # no roster, no case: the project page itself is not theirs, nor is the police's
    assert client_of(department_user("finance")).get(reverse("projects:index")).status_code == 403
    assert client_of(department_user("police")).get(reverse("jointmeeting:funding")).status_code == 403
    # the city's finance reads the county's government-invested projects
    assert invested in scope.funding_projects(department_user("finance", "360300"))
