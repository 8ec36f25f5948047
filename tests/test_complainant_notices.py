"""Complainants are told (issue 13 item 10): the suspension or extension of the investigation within the
province's period (3 days by default: domain-rules §2 row 7) — a clock, and the notice recorded —; an order
issued with its due date; the closure with its outcome; a refused complaint gets a written 不予受理告知书 and an
accepted one a 受理通知书, numbered by the office, downloadable by staff in scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.complainant_notices import NOTICE, case_complainants_notice_record
from cases.extension import case_extend_investigation
from cases.investigation import case_resume, case_suspend
from cases.models import Deadline, Document, Notification, ProvinceConfig, Role
from tests import factories, world
from tests.flowkit import api

pytestmark = pytest.mark.django_db


def _inspector():
    return world.user(Role.INSPECTOR, "360302")


def _notices(case, event: str) -> list[Notification]:
    return list(Notification.objects.filter(complaint__case=case, event=event))


def test_suspension_notice_to_complainants_within_3_days():
    case = factories.case("investigating")
    case_suspend(case=case, actor=_inspector(), reason="用人单位负责人下落不明")
    (sms,) = _notices(case, "suspended")
    assert "中止调查" in sms.body and "用人单位负责人下落不明" in sms.body
    clock = case.deadlines.get(kind=NOTICE)
    assert (clock.length, clock.unit) == (3, Deadline.Unit.DAYS)
    assert clock.due_at - clock.start_at >= timedelta(days=3)
    assert clock.state == Deadline.State.MET  # every complainant reached by SMS: the notice is on record
    event = case.events.get(kind="case.complainants_notified")
    assert event.data["event"] == "suspended" and event.data["sms"] == [sms.complaint.receipt_no]


def test_the_province_sets_the_notice_period():
    ProvinceConfig.objects.create(province=world.region("360000"), complainant_notice_days=5)
    case = factories.case("investigating")
    case_suspend(case=case, actor=_inspector(), reason="证据灭失")
    assert case.deadlines.get(kind=NOTICE).length == 5


def test_a_complainant_without_a_phone_keeps_the_notice_clock_running_until_the_notice_is_recorded():
    case = factories.case("investigating")
    party = case.complaints.get().complainant
    party.phone = ""  # a complaint by letter, no phone given
    party.save()
    case_suspend(case=case, actor=_inspector(), reason="用人单位负责人下落不明")
    clock = case.deadlines.get(kind=NOTICE)
    assert clock.state == Deadline.State.RUNNING
    assert case.events.get(kind="case.complainants_notified").data["not_reachable"]
    with pytest.raises(Exception) as err:
        case_complainants_notice_record(case=case, actor=_inspector(), method="fax", note="")
    assert {"method", "note"} <= set(err.value.message_dict)
    case_complainants_notice_record(case=case, actor=_inspector(), method="letter", note="已邮寄中止调查告知书")
    clock.refresh_from_db()
    assert clock.state == Deadline.State.MET
    assert case.events.filter(kind="case.complainants_notice_recorded").count() == 1


def test_a_notice_not_given_in_3_days_is_overdue():
    from django.core.management import call_command

    case = factories.case("investigating")
    party = case.complaints.get().complainant
    party.phone = ""
    party.save()
    case_suspend(case=case, actor=_inspector(), reason="用人单位负责人下落不明")
    clock = case.deadlines.get(kind=NOTICE)
    call_command("sweep_deadlines", "--at", (clock.due_at + timedelta(seconds=1)).isoformat())
    clock.refresh_from_db()
    assert clock.state == Deadline.State.OVERDUE


def test_resumption_is_told():
    case = factories.case("suspended")
    case_resume(case=case, actor=_inspector(), reason="已找到用人单位负责人")
    assert len(_notices(case, "resumed")) == 1


def test_extension_notice_to_complainants_with_the_new_due_date():
    case = factories.case("investigating")
    extended = case_extend_investigation(
        case=case, actor=world.user(Role.LEADER, "360302"), reason="涉及人数众多，情况复杂"
    )
    (sms,) = _notices(case, "extended")
    assert timezone.localtime(extended.due_at).date().isoformat() in sms.body
    assert case.deadlines.get(kind=NOTICE).length == 3


def test_order_issued_is_told_with_its_due_date():
    case = factories.case("enforcing")
    (sms,) = _notices(case, "order_issued")
    assert case.order_due.isoformat() in sms.body


def test_closure_is_told_with_its_outcome():
    case = factories.case("closed")
    (sms,) = _notices(case, "closed")
    assert "已全额支付" in sms.body


def test_refused_complaint_gets_a_written_non_acceptance_notice():
    complaint = factories.complaint("refused")
    (doc,) = complaint.documents.all()
    assert doc.kind == Document.Kind.NON_ACCEPTANCE_NOTICE and doc.case_id is None
    assert doc.data["reason"] == complaint.decision_reason and doc.data["receipt_no"] == complaint.receipt_no
    assert "人社监不受〔" in doc.number
    assert complaint.events.filter(kind="document.issued").count() == 1


def test_accepted_complaint_gets_an_acceptance_notice_numbered_by_the_office():
    first = factories.complaint("accepted")
    second = factories.complaint("accepted")
    docs = [c.documents.get() for c in (first, second)]
    assert [d.kind for d in docs] == [Document.Kind.ACCEPTANCE_NOTICE] * 2
    assert docs[1].serial == docs[0].serial + 1 and docs[0].year == docs[1].year
    assert docs[0].case_id == first.case_id  # also among the case's documents
    assert docs[0].data["case_no"] == first.case.case_no


def test_staff_download_a_complaints_notice_in_scope_only():
    complaint = factories.complaint("refused")
    doc = complaint.documents.get()
    url = f"/api/v1/complaints/{complaint.receipt_no}/documents/{doc.pk}/pdf/"
    ok = api("clerk_360302").get(url)
    assert ok.status_code == 200 and ok["Content-Type"] == "application/pdf" and ok.content.startswith(b"%PDF")
    assert api("clerk_360313").get(url).status_code == 404  # out of scope
    assert api("inspector_360302").get(url).status_code == 403  # in scope, does not read complaints
    listed = api("leader_360300").get(f"/api/v1/complaints/{complaint.receipt_no}/documents/").json()
    assert [d["number"] for d in listed["documents"]] == [doc.number]
    other = factories.complaint("refused").documents.get()
    assert (
        api("clerk_360302").get(f"/api/v1/complaints/{complaint.receipt_no}/documents/{other.pk}/pdf/").status_code
        == 404
    )


def test_the_notice_given_another_way_is_recorded_through_the_api():
    case = factories.case("investigating")
    party = case.complaints.get().complainant
    party.phone = ""
    party.save()
    case_suspend(case=case, actor=_inspector(), reason="用人单位负责人下落不明")
    url = f"/api/v1/cases/{case.case_no}/complainant-notices/"
    bad = api("inspector_360302").post(url, {"method": "phone", "note": ""}, format="json")
    assert bad.status_code == 400 and "note" in bad.json()["errors"]
    assert api("clerk_360302").post(url, {"method": "phone", "note": "x"}, format="json").status_code == 403
    assert api("inspector_360313").post(url, {"method": "phone", "note": "x"}, format="json").status_code == 404
    ok = api("inspector_360302").post(url, {"method": "phone", "note": "已电话告知张三"}, format="json")
    assert ok.status_code == 200
    assert case.deadlines.get(kind=NOTICE).state == Deadline.State.MET
    again = api("inspector_360302").post(url, {"method": "phone", "note": "再次告知"}, format="json")
    assert again.status_code == 400 and "case" in again.json()["errors"]  # nothing awaited any more
