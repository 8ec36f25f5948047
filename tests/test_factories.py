"""Each state factory reaches its state, through the services, with a timeline that verifies."""

from __future__ import annotations

import pytest
from stdnum.cn import ric
from stdnum.cn import uscc as stdnum_uscc

from cases import timeline
from cases.intake import complaint_validate
from cases.models import Case, Complaint
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", factories.COMPLAINT_STATES)
def test_a_complaint_in_each_state(state):
    complaint = factories.complaint(state)
    assert Complaint.objects.get(pk=complaint.pk).status == state
    assert timeline.chain_ok(complaint)
    if complaint.case_id:
        assert timeline.chain_ok(complaint.case)


@pytest.mark.parametrize("state", factories.CASE_STATES)
def test_a_case_in_each_state(state):
    case = factories.case(state, workers=3, amount="24000.00")
    assert Case.objects.get(pk=case.pk).status == state
    assert (case.workers_count, str(case.amount_owed)) == (3, "24000.00")
    assert timeline.chain_ok(case)
    assert all(timeline.chain_ok(c) for c in case.complaints.all())


def test_a_case_without_a_flow_is_filed_through_the_services():
    case = factories.case("filed", region="360313", flow=False, employer="某单位")
    assert case.status == Case.Status.FILED and case.region.code == "360313" and case.employer.name == "某单位"
    assert timeline.chain_ok(case)
    with pytest.raises(ValueError):
        factories.case("investigating", flow=False)


def test_a_transferred_complaint_goes_to_its_target():
    complaint = factories.complaint("transferred", target="360313")
    assert complaint.region.code == "360313"


def test_the_body_is_valid_and_takes_overrides_by_path():
    assert complaint_validate(factories.complaint_body(), staff=True).complainant.id_number == "34052419800101001X"
    body = factories.complaint_body(
        **{"complainant.phone": "13907990002"}, complainant__name="李四", employer__uscc=factories.DROP
    )
    assert body["complainant"] == {"name": "李四", "id_number": "34052419800101001X", "phone": "13907990002"}
    assert "uscc" not in body["employer"] and factories.complaint_body()["employer"]["uscc"]
    assert complaint_validate(body, staff=True).employer.uscc == ""


def test_person_ids_and_usccs_are_valid():
    assert all(ric.is_valid(factories.person_id(n)) for n in range(20))
    assert all(stdnum_uscc.is_valid(factories.uscc(n)) for n in range(20))
    assert len({factories.person_id(n) for n in range(20)}) == 20
