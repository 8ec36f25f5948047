"""Person records (issue 13, item 12): the same complainant (same resident ID number, through its blind
index) is one record at intake; duplicates stored before are merged by a leader of their region
(person_merge, with a reason and a timeline event) or by the merge_duplicate_persons command; the worker page
and its API show a person's cases in scope with what is owed and paid, personal data masked."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases import intake
from cases.intake import complaint_submit
from cases.ledger import ledger_entry_add, payment_record
from cases.models import ArrearsEntry, Case, CaseParty, Complaint, Party, PersonMerge, TimelineEvent
from cases.persons import person_merge
from cases.services import case_file
from tests import factories, world
from tests.flowkit import api

pytestmark = pytest.mark.django_db
_n = iter(range(300, 900))


def _submit(**over) -> Complaint:
    clean = intake.complaint_validate(factories.complaint_body(**over), staff=True)
    complaint, _ = complaint_submit(actor=None, clean=clean, channel="web")
    return complaint


def _person_case(code: str, id_number: str, *, name: str = "李四", phone: str | None = None) -> Case:
    """A case at `code` filed on one complaint of this person (an employer and project of its own)."""
    n = next(_n)
    complaint = _submit(
        region_code=code, complainant__name=name, complainant__id_number=id_number,
        complainant__phone=phone or factories.mobile(80000 + n), employer__uscc="",
        employer__name=f"某人员记录测试公司{n}", project__name=f"某人员记录测试项目{n}",
    )  # fmt: skip
    return case_file(actor=None, role="", region=complaint.region, complaints=[complaint])


def _legacy_duplicate(case: Case, id_number: str, name: str = "李四") -> Party:
    """A second record of the same ID number, as stored before intake reused records: it became the
    complainant of `case` (rows written directly: today's services can no longer create one)."""
    party = Party.objects.create(name=name, id_number=id_number, phone=factories.mobile(99000 + next(_n)))
    Complaint.objects.filter(case=case).update(complainant=party)
    CaseParty.objects.filter(case=case, kind=CaseParty.Kind.COMPLAINANT).update(party=party)
    return party


# --- one record per person at intake --------------------------------------------------------------------------


def test_the_same_resident_id_is_one_person_record_at_intake_whatever_the_phone():
    pid = factories.person_id(1)
    first = _submit(complainant__id_number=pid, complainant__phone="13907990002")
    second = _submit(complainant__id_number=pid.lower(), complainant__phone="13907990009", complainant__name="李 四")
    assert second.complainant_id == first.complainant_id
    assert Party.objects.matching(id_number=pid).count() == 1
    # the newer phone is the one notices and the status look-up use
    assert Party.objects.get(pk=first.complainant_id).phone == "13907990009"


def test_without_an_id_number_the_same_name_and_phone_is_one_record():
    a = _submit(complainant__id_number="", complainant__name="王五", complainant__phone="13907990011")
    b = _submit(complainant__id_number="", complainant__name="王五", complainant__phone="13907990011")
    c = _submit(complainant__id_number="", complainant__name="赵六", complainant__phone="13907990011")
    assert a.complainant_id == b.complainant_id != c.complainant_id


# --- person_merge --------------------------------------------------------------------------------------------


def test_a_leader_merges_a_duplicate_record_moving_its_complaints_roles_and_ledger_with_an_event():
    pid = factories.person_id(2)
    kept_case = _person_case("360302", pid)
    keep = kept_case.complaints.get().complainant
    other_case = _person_case("360302", factories.person_id(3))
    duplicate = _legacy_duplicate(other_case, pid)
    ArrearsEntry.objects.create(case=other_case, worker=duplicate, period_start="2026-05-01",
                                period_end="2026-05-31", amount_owed="3000.00")  # fmt: skip
    leader = world.user("leader", "360302")
    duplicate_id = duplicate.pk
    merge = person_merge(keep=keep, duplicate=duplicate, actor=leader, reason="同一身份证号")
    assert not Party.objects.filter(pk=duplicate_id).exists()
    assert other_case.complaints.get().complainant_id == keep.pk
    assert CaseParty.objects.get(case=other_case, kind=CaseParty.Kind.COMPLAINANT).party_id == keep.pk
    assert ArrearsEntry.objects.get(case=other_case).worker_id == keep.pk
    assert merge.merged_party_id == duplicate_id and merge.moved["cases.arrearsentry"] == 1
    event = TimelineEvent.objects.get(case=other_case, kind="person.merged")
    assert (event.data["kept"], event.data["merged"], event.data["reason"]) == (keep.pk, duplicate_id, "同一身份证号")
    assert event.actor == leader and "李四" not in str(event.data)  # the name masked on the timeline


def test_a_merge_refuses_records_of_different_id_numbers_and_needs_a_reason():
    a = _person_case("360302", factories.person_id(4)).complaints.get().complainant
    b = _person_case("360302", factories.person_id(5)).complaints.get().complainant
    leader = world.user("leader", "360302")
    with pytest.raises(ValidationError) as err:
        person_merge(keep=a, duplicate=b, actor=leader, reason="重复")
    assert "duplicate" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        person_merge(keep=a, duplicate=b, actor=leader, reason="")
    assert "reason" in err.value.message_dict
    assert Party.objects.filter(pk__in=[a.pk, b.pk]).count() == 2


def test_a_merge_is_for_a_leader_whose_region_covers_every_case_of_both_records():
    pid = factories.person_id(6)
    keep = _person_case("360302", pid).complaints.get().complainant
    duplicate = _legacy_duplicate(_person_case("360313", factories.person_id(7)), pid)
    with pytest.raises(PermissionDenied):
        person_merge(keep=keep, duplicate=duplicate, actor=world.user("leader", "360302"), reason="重复")
    with pytest.raises(PermissionDenied):
        person_merge(keep=keep, duplicate=duplicate, actor=world.user("clerk", "360302"), reason="重复")
    duplicate_id = duplicate.pk
    person_merge(keep=keep, duplicate=duplicate, actor=world.user("leader", "360300"), reason="重复")
    assert not Party.objects.filter(pk=duplicate_id).exists()


def test_a_merge_refuses_two_ledger_entries_of_the_same_period_on_one_case():
    pid = factories.person_id(8)
    case = _person_case("360302", pid)
    keep = case.complaints.get().complainant
    duplicate = Party.objects.create(name="李四", id_number=pid)
    for worker in (keep, duplicate):
        ArrearsEntry.objects.create(case=case, worker=worker, period_start="2026-05-01", period_end="2026-05-31",
                                    amount_owed="1000.00")  # fmt: skip
    with pytest.raises(ValidationError) as err:
        person_merge(keep=keep, duplicate=duplicate, actor=None, reason="重复")
    assert case.case_no in err.value.message_dict["duplicate"][0]


def test_the_merge_command_merges_every_group_into_its_oldest_record_with_progress():
    pid = factories.person_id(9)
    keep = _person_case("360302", pid).complaints.get().complainant
    d1 = _legacy_duplicate(_person_case("360313", factories.person_id(10)), pid)
    d2 = _legacy_duplicate(_person_case("360102", factories.person_id(11)), pid)
    dry = io.StringIO()
    call_command("merge_duplicate_persons", "--dry-run", stdout=dry)
    assert "[1/1]" in dry.getvalue() and Party.objects.filter(pk__in=[d1.pk, d2.pk]).count() == 2
    out = io.StringIO()
    call_command("merge_duplicate_persons", stdout=out)
    assert "[1/1]" in out.getvalue() and "merged 2" in out.getvalue()
    assert list(Party.objects.matching(id_number=pid).values_list("pk", flat=True)) == [keep.pk]
    assert PersonMerge.objects.filter(kept=keep).count() == 2


# --- the worker page and API --------------------------------------------------------------------------------


def _worker_with_payments() -> tuple[Party, Case, Case]:
    pid = factories.person_id(12)
    here = _person_case("360302", pid)
    there = _person_case("360313", pid)
    party = here.complaints.get().complainant
    assert there.complaints.get().complainant_id == party.pk
    inspector = world.user("inspector", "360302")
    entry = ledger_entry_add(case=here, worker={"name": "李四", "id_number": pid}, period_start="2026-05-01",
                             period_end="2026-05-31", amount_owed="4000.00", actor=inspector)  # fmt: skip
    payment_record(entry=entry, amount="1500.00", paid_on=timezone.localdate(), actor=inspector)
    return party, here, there


def test_the_worker_page_shows_the_cases_in_scope_with_owed_and_paid_and_masks_personal_data(client):
    party, here, there = _worker_with_payments()
    client.force_login(world.user("clerk", "360302"))
    page = client.get(reverse("cases:worker", args=[party.pk])).content.decode()
    assert here.case_no in page and there.case_no not in page
    assert "4000.00" in page and "1500.00" in page and "2500.00" in page
    assert party.id_number not in page and party.phone not in page
    assert party.id_number[:4] + "**********" + party.id_number[-4:] in page
    client.force_login(world.user("clerk", "360300"))
    assert client.get(reverse("cases:worker", args=[party.pk])).status_code == 404


def test_the_person_api_reads_in_scope_and_a_leader_merges():
    party, here, _there = _worker_with_payments()
    url = f"/api/v1/persons/{party.pk}/"
    data = api("leader_360300").get(url).json()
    assert {c["case_no"] for c in data["cases"]} == {here.case_no, _there.case_no}
    mine = next(c for c in data["cases"] if c["case_no"] == here.case_no)
    assert (mine["owed"], mine["paid"], mine["outstanding"]) == ("4000.00", "1500.00", "2500.00")
    assert "*" in data["id_number"] and party.id_number not in str(data)
    assert api("clerk_360300").get(url).status_code == 404
    assert api("admin_360302").get(url).status_code == 404
    duplicate = _legacy_duplicate(_person_case("360302", factories.person_id(13)), party.id_number)
    body = {"duplicate": duplicate.pk, "reason": "同一身份证号"}
    assert api("clerk_360302").post(url + "merge/", body, format="json").status_code == 403
    bad = api("leader_360302").post(url + "merge/", {"duplicate": "x", "reason": "r"}, format="json")
    assert bad.status_code == 400 and "duplicate" in bad.json()["errors"]
    refused = api("leader_360302").post(url + "merge/", body, format="json")  # a case at 360313: not its region
    assert refused.status_code == 403
    ok = api("leader_360300").post(url + "merge/", body, format="json")
    assert ok.status_code == 200 and ok.json()["merges"][0]["merged_party"] == duplicate.pk


def test_a_leader_merges_on_the_worker_page(client):
    pid = factories.person_id(14)
    keep = _person_case("360302", pid).complaints.get().complainant
    duplicate = _legacy_duplicate(_person_case("360302", factories.person_id(15)), pid)
    url = reverse("cases:worker", args=[keep.pk])
    client.force_login(world.user("auditor", "360302"))
    assert client.post(url, {"duplicate": duplicate.pk, "reason": "重复"}).status_code == 403
    client.force_login(world.user("leader", "360302"))
    page = client.get(url).content.decode()
    assert f'href="{reverse("cases:worker", args=[duplicate.pk])}"' in page  # the same ID's other record
    assert client.post(url, {"duplicate": duplicate.pk, "reason": "重复"}).status_code == 302
    assert not Party.objects.filter(pk=duplicate.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_new_person_complaining_in_four_offices_at_once_is_one_record(on_postgres):
    from cases.regions import regions_load
    from tests.test_intake_submit import _concurrently

    regions_load(province="360000")
    pid = factories.person_id(16)
    cleans = [
        intake.complaint_validate(
            factories.complaint_body(region_code=code, complainant__id_number=pid, employer__uscc="",
                                     employer__name=f"并发人员测试公司{code}"),
            staff=True,
        )
        for code in ["360302", "360313", "360102", "360300"]
    ]  # fmt: skip
    results = _concurrently(*[lambda c=c: complaint_submit(actor=None, clean=c, channel="web") for c in cleans])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Party.objects.matching(id_number=pid).count() == 1
