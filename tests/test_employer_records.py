"""Employer records (issue 13, item 12): the legal representative captured at intake and printed by the
documents and publications; corrections of the USCC, name, legal representative and address, each an event
old → new on every case of the employer; replacing the employer of a case only before a decision; the
employer page and its API, scoped like cases."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accountability.models import PublicationEntry
from accountability.publication import entry_for
from cases import intake
from cases.documents import document_issue, document_pdf_bytes
from cases.employers import case_employer_replace, employer_correct
from cases.models import Case, Document, Employer, EmployerChange, TimelineEvent
from cases.services import case_file
from tests import factories, world
from tests.flowkit import api

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _submit(**over):
    from cases.intake import complaint_submit

    clean = intake.complaint_validate(factories.complaint_body(**over), staff=True)
    complaint, _ = complaint_submit(actor=None, clean=clean, channel="web")
    return complaint


def _two_cases(name: str = "某更正测试建筑公司") -> tuple[Case, Case]:
    a = world.make_case("360302", employer=name)
    b = world.make_case("360302", employer=name)
    assert a.employer_id == b.employer_id
    return a, b


def _issue_order(case: Case) -> Document:
    return document_issue(
        case=case, kind=Document.Kind.ORDER_TO_PAY, actor=world.user("leader", case.region.code), role="leader",
        data={"due_date": (timezone.localdate() + timedelta(days=15)).isoformat()},
    )  # fmt: skip


# --- capture at intake -------------------------------------------------------------------------------------


def test_intake_captures_the_legal_representative():
    complaint = _submit(employer__legal_representative=" 王 某 ", employer__uscc=factories.uscc(901))
    assert Employer.objects.get(pk=complaint.employer_id).legal_representative == "王 某"


def test_intake_fills_in_a_missing_legal_representative_and_never_overwrites_one():
    first = _submit(employer__uscc=factories.uscc(902))
    assert first.employer.legal_representative == ""
    _submit(employer__uscc=factories.uscc(902), employer__legal_representative="李某")
    _submit(employer__uscc=factories.uscc(902), employer__legal_representative="赵某")
    assert Employer.objects.get(pk=first.employer_id).legal_representative == "李某"


def test_intake_refuses_a_legal_representative_over_64_characters_naming_the_field():
    with pytest.raises(ValidationError) as err:
        intake.complaint_validate(factories.complaint_body(employer__legal_representative="王" * 65), staff=True)
    assert "employer.legal_representative" in err.value.message_dict


def test_the_api_intake_takes_the_legal_representative():
    body = factories.complaint_body(employer__legal_representative="周某", employer__uscc=factories.uscc(903))
    response = api().post("/api/v1/complaints/", body, format="json")
    assert response.status_code == 201, response.content
    assert Employer.objects.get(uscc=factories.uscc(903)).legal_representative == "周某"


def test_documents_and_publications_print_the_legal_representative_captured():
    complaint = _submit(employer__legal_representative="吴某", employer__uscc=factories.uscc(904),
                        project__name="法代打印测试项目")  # fmt: skip
    case = case_file(actor=None, role="", region=complaint.region, complaints=[complaint])
    document = _issue_order(case)
    reader = PdfReader(io.BytesIO(document_pdf_bytes(document)))
    assert "法定代表人：吴某" in re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    assert entry_for(case, PublicationEntry.Category.WAGE_ARREARS).legal_representative == "吴某"


# --- employer_correct -------------------------------------------------------------------------------------


def test_a_uscc_correction_is_an_event_old_to_new_on_each_case_of_the_employer():
    a, b = _two_cases()
    clerk = world.user("clerk", "360302")
    new = factories.uscc(911)
    employer_correct(employer=a.employer, actor=clerk, role="clerk", uscc=new, legal_representative="陈某",
                     reason="营业执照核对")  # fmt: skip
    employer = Employer.objects.get(pk=a.employer_id)
    assert (employer.uscc, employer.legal_representative) == (new, "陈某")
    for case in (a, b):
        event = TimelineEvent.objects.filter(case=case, kind="employer.corrected").get()
        assert event.data["changes"] == {
            "uscc": {"old": "", "new": new},
            "legal_representative": {"old": "", "new": "陈*"},  # a person's name: the surname only
        }
        assert event.data["reason"] == "营业执照核对" and event.actor == clerk
    rows = EmployerChange.objects.filter(employer=employer).order_by("field")
    assert [(r.field, r.old_value, r.new_value) for r in rows] == [
        ("legal_representative", "", "陈某"),
        ("uscc", "", new),
    ]


def test_a_correction_refuses_a_bad_uscc_naming_the_field_and_changes_nothing():
    a, _b = _two_cases("某坏代码测试公司")
    bad = factories.uscc(912)[:-1] + ("0" if factories.uscc(912)[-1] != "0" else "1")
    with pytest.raises(ValidationError) as err:
        employer_correct(employer=a.employer, actor=None, uscc=bad, address="新地址", reason="核对")
    assert "uscc" in err.value.message_dict
    assert Employer.objects.get(pk=a.employer_id).address != "新地址"
    assert not TimelineEvent.objects.filter(kind="employer.corrected").exists()


def test_a_correction_refuses_a_uscc_another_employer_holds():
    holder = _submit(employer__uscc=factories.uscc(913))
    a, _b = _two_cases("某重码测试公司")
    with pytest.raises(ValidationError) as err:
        employer_correct(employer=a.employer, actor=None, uscc=factories.uscc(913), reason="核对")
    assert holder.employer.name in err.value.message_dict["uscc"][0]


def test_a_correction_needs_a_reason_and_a_change():
    a, _b = _two_cases("某理由测试公司")
    with pytest.raises(ValidationError) as err:
        employer_correct(employer=a.employer, actor=None, address="新地址", reason=" ")
    assert "reason" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        employer_correct(employer=a.employer, actor=None, name=a.employer.name, reason="核对")
    assert "name" in err.value.message_dict


def test_a_name_correction_updates_the_name_key_used_to_find_the_employer():
    a, _b = _two_cases("某改名前公司")
    employer_correct(employer=a.employer, actor=None, name="某改名后公司", reason="更名")
    again = world.make_case("360302", employer="某改名后公司")
    assert again.employer_id == a.employer_id


# --- case_employer_replace ----------------------------------------------------------------------------------


def test_the_employer_of_a_case_is_replaced_before_a_decision_with_an_event_old_to_new():
    case = world.make_case("360302", employer="某原用人单位")
    old = case.employer
    other = _submit(employer__uscc=factories.uscc(921), employer__name="某实际用工单位").employer
    clerk = world.user("clerk", "360302")
    case_employer_replace(case=case, employer=other, actor=clerk, role="clerk", reason="实际用工单位为另一公司")
    case.refresh_from_db()
    assert case.employer_id == other.pk
    assert set(case.complaints.values_list("employer_id", flat=True)) == {other.pk}
    event = TimelineEvent.objects.get(case=case, kind="case.employer_replaced")
    assert (event.data["old"]["employer"], event.data["new"]["employer"]) == (old.pk, other.pk)
    change = EmployerChange.objects.get(kind=EmployerChange.Kind.REPLACED, case=case)
    assert (change.previous_employer_id, change.employer_id) == (old.pk, other.pk)


def test_the_employer_of_a_case_cannot_be_replaced_once_a_decision_is_issued():
    case = world.make_case("360302", employer="某已决定单位")
    _issue_order(case)
    other = _submit(employer__uscc=factories.uscc(922), employer__name="某他单位").employer
    with pytest.raises(ValidationError) as err:
        case_employer_replace(case=case, employer=other, actor=None, reason="核对")
    assert "employer" in err.value.message_dict
    case.refresh_from_db()
    assert case.employer.name == "某已决定单位"
    assert not TimelineEvent.objects.filter(case=case, kind="case.employer_replaced").exists()


def test_the_employer_of_a_case_with_a_decision_recorded_cannot_be_replaced():
    case = world.make_case("360302", employer="某已记录决定单位")
    Case.objects.filter(pk=case.pk).update(decision="order_to_pay")
    with pytest.raises(ValidationError):
        case_employer_replace(case=case, employer=_submit().employer, actor=None, reason="核对")


# --- pages and API -----------------------------------------------------------------------------------------


def test_the_employer_page_shows_its_cases_in_scope_only_and_the_corrections(client):
    a, b = _two_cases("某页面测试公司")
    elsewhere = world.make_case("360313", employer="某页面测试公司")
    assert elsewhere.employer_id == a.employer_id
    employer_correct(employer=a.employer, actor=None, address="萍乡市安源区新路9号", reason="地址变更")
    client.force_login(world.user("clerk", "360302"))
    page = client.get(reverse("accountability-staff:employer", args=[a.employer_id])).content.decode()
    assert a.case_no in page and b.case_no in page and elsewhere.case_no not in page
    assert "萍乡市安源区新路9号" in page and "地址变更" in page and "employer.corrected" not in page


def test_a_clerk_corrects_the_employer_on_its_page_and_an_inspector_may_not(client):
    a, _b = _two_cases("某页面更正公司")
    url = reverse("accountability-staff:employer", args=[a.employer_id])
    client.force_login(world.user("inspector", "360302"))
    assert client.post(url, {"legal_representative": "孙某", "reason": "核对"}).status_code == 403
    client.force_login(world.user("clerk", "360302"))
    bad = client.post(url, {"name": a.employer.name, "uscc": "123", "reason": "核对"})
    assert bad.status_code == 200 and "统一社会信用代码" in bad.content.decode()
    response = client.post(url, {"name": a.employer.name, "legal_representative": "孙某", "reason": "核对"})
    assert response.status_code == 302
    assert Employer.objects.get(pk=a.employer_id).legal_representative == "孙某"


def test_the_employer_api_reads_and_corrects_in_scope():
    a, _b = _two_cases("某接口更正公司")
    url = f"/api/v1/employers/{a.employer_id}/"
    assert api("clerk_360313").get(url).status_code == 404
    assert api("admin_360302").get(url).status_code == 404
    data = api("auditor_360000").get(url).json()
    assert {c["case_no"] for c in data["cases"]} >= {a.case_no}
    assert (
        api("legal_360302").post(url + "corrections/", {"address": "x", "reason": "r"}, format="json").status_code
        == 403
    )
    bad = api("clerk_360302").post(url + "corrections/", {"uscc": "1", "reason": "核对"}, format="json")
    assert bad.status_code == 400 and "uscc" in bad.json()["errors"]
    ok = api("leader_360300").post(url + "corrections/", {"legal_representative": "钱某", "reason": "核对"},
                                   format="json")  # fmt: skip
    assert ok.status_code == 200 and ok.json()["legal_representative"] == "钱某"
    assert ok.json()["history"][0]["field"] == "legal_representative"


def test_the_case_employer_api_replaces_before_a_decision_and_refuses_after():
    case = world.make_case("360302", employer="某接口原单位")
    url = f"/api/v1/cases/{case.case_no}/employer/"
    body = {"name": "某接口新单位", "uscc": factories.uscc(931), "legal_representative": "郑某", "reason": "核对"}
    assert api("clerk_360313").post(url, body, format="json").status_code == 404
    assert api("auditor_360302").post(url, body, format="json").status_code == 403
    missing = api("clerk_360302").post(url, {"reason": "核对"}, format="json")
    assert missing.status_code == 400 and "employer.name" in missing.json()["errors"]
    assert api("clerk_360302").post(url, body, format="json").status_code == 200
    case.refresh_from_db()
    assert (case.employer.name, case.employer.legal_representative) == ("某接口新单位", "郑某")
    _issue_order(case)
    again = api("clerk_360302").post(url, {**body, "name": "某第三单位", "uscc": ""}, format="json")
    assert again.status_code == 400 and "employer" in again.json()["errors"]


def test_the_employer_page_replaces_the_employer_of_a_case_not_yet_decided(client):
    open_case = world.make_case("360302", employer="某页面更换原单位")
    decided = world.make_case("360302", employer="某页面更换原单位")
    _issue_order(decided)
    url = reverse("accountability-staff:employer", args=[open_case.employer_id])
    client.force_login(world.user("auditor", "360302"))
    assert client.post(url, {"action": "replace", "case_no": open_case.case_no}).status_code == 403
    client.force_login(world.user("clerk", "360302"))
    page = client.get(url).content.decode()
    assert f'value="{open_case.case_no}"' in page and f'value="{decided.case_no}"' not in page
    form = {"action": "replace", "case_no": open_case.case_no, "new_name": "某页面更换新单位", "new_uscc": "12",
            "replace_reason": "实际用工单位"}  # fmt: skip
    bad = client.post(url, form)
    assert bad.status_code == 200 and 'data-field="new_uscc"' in bad.content.decode()
    assert client.post(url, {**form, "new_uscc": factories.uscc(941)}).status_code == 302
    open_case.refresh_from_db()
    assert open_case.employer.name == "某页面更换新单位"
    # only the decided case is left on this employer: nothing it may replace
    assert client.post(url, {**form, "case_no": decided.case_no}).status_code == 403
    decided.refresh_from_db()
    assert decided.employer.name == "某页面更换原单位"


def test_a_listing_names_the_legal_representative_corrected_on_the_employer():
    from accountability import listing as lst
    from accountability.listing import listing_public
    from cases.ledger import ledger_entry_add

    case = factories.order_served_and_due(world.make_case("360302", employer="某法代名单测试公司"))
    inspector = world.user("inspector", "360302")
    for i in range(10):
        ledger_entry_add(
            case=case, worker={"name": f"工人{i}", "id_number": factories.person_id(500 + i), "phone": ""},
            period_start="2026-05-01", period_end="2026-07-31", amount_owed="6000.00", actor=inspector,
        )  # fmt: skip
    employer_correct(employer=case.employer, actor=None, legal_representative="冯某", reason="核对营业执照")
    case.refresh_from_db()
    listing = lst.listing_propose(case=case, actor=inspector, legal_representative_id=factories.person_id(1))
    assert listing_public(listing)["legal_representative"] == "冯某"


def test_the_case_page_links_the_employer_and_the_parties_and_names_the_legal_representative(client):
    case = world.make_case("360302", employer="某案件页链接测试公司")
    employer_correct(employer=case.employer, actor=None, legal_representative="褚某", reason="核对")
    client.force_login(world.user("clerk", "360302"))
    page = client.get(reverse("cases:detail", args=[case.case_no])).content.decode()
    assert reverse("accountability-staff:employer", args=[case.employer_id]) in page and "褚某" in page
    assert reverse("cases:worker", args=[case.complaints.get().complainant_id]) in page


def test_bad_correction_and_replacement_bodies_are_400_naming_the_field_and_change_nothing():
    a, _b = _two_cases("某坏请求测试公司")
    clerk = api("clerk_360302")
    url = f"/api/v1/employers/{a.employer_id}/corrections/"
    assert "non_field_errors" in clerk.post(url, {"reason": "核对"}, format="json").json()["errors"]
    assert "reason" in clerk.post(url, {"address": "新址", "reason": ["x"]}, format="json").json()["errors"]
    assert "address" in clerk.post(url, {"address": 5, "reason": "核对"}, format="json").json()["errors"]
    assert "body" in clerk.post(url, [1, 2], format="json").json()["errors"]
    replace = clerk.post(f"/api/v1/cases/{a.case_no}/employer/", {"name": "某新单位", "reason": {}}, format="json")
    assert replace.status_code == 400 and "reason" in replace.json()["errors"]
    assert Employer.objects.get(pk=a.employer_id).address == a.employer.address
    assert not TimelineEvent.objects.filter(kind__in=["employer.corrected", "case.employer_replaced"]).exists()
