"""The public status page (issue 13 item 10): each stage a complainant may know — received, accepted (with the
case's filing), an order issued with its due date, the amount recovered so far for this complaint's workers,
closed with the outcome —, never "调查中" once an order exists, no other party's personal data, and the
complaint's notices downloadable with the receipt number and the phone's last four digits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from cases.ledger import payment_record
from cases.models import Role
from tests import factories, world
from tests.flowkit import claim_and_complete, submit

pytestmark = pytest.mark.django_db
PHONE4 = "0001"  # tests.factories' complainant: 13807990001


def _page(receipt_no: str, phone_last4: str = PHONE4):
    return Client().get("/public/status/", {"receipt_no": receipt_no, "phone_last4": phone_last4})


def _text(receipt_no: str) -> str:
    response = _page(receipt_no)
    assert response.status_code == 200
    return response.content.decode()


def test_accepted_complaint_shows_the_case_and_its_filing():
    complaint = factories.complaint("accepted")
    page = _text(complaint.receipt_no)
    assert "已受理并立案" in page and complaint.case.case_no in page
    assert "complaint.received" not in page and "complaint.accepted" not in page  # labels, not event keys


def test_order_issued_shows_its_due_date_and_never_investigating():
    case = factories.case("enforcing")
    page = _text(case.complaints.get().receipt_no)
    assert "已责令限期履行" in page and case.order_due.isoformat() in page
    assert "调查中" not in page


def test_amount_recovered_so_far_for_this_complaints_workers():
    case = factories.case("enforcing")
    entries = factories.ledger(case, workers=2, amount="10000.00")
    payment_record(
        entry=entries[0],
        amount=Decimal("1200.00"),
        paid_on=timezone.localdate(),
        actor=world.user(Role.INSPECTOR, "360302"),
    )
    page = _text(case.complaints.get().receipt_no)
    assert "已追回金额" in page and "1200.00" in page


def test_recovered_amount_of_a_grouped_complaint_is_its_own_workers():
    from cases.public_status import recovered_for

    receipt = submit()["receipt_no"]
    claim_and_complete("clerk_360302", receipt, decision="accept")
    other = {"complainant": {"name": "李四", "id_number": factories.person_id(7), "phone": factories.mobile(7)}}
    second = submit(workers_count=1, amount_owed="3000.00", **other)["receipt_no"]
    complaint = factories.Complaint.objects.get(receipt_no=second)
    case = complaint.case
    from cases.ledger import ledger_entry_add

    inspector = world.user(Role.INSPECTOR, "360302")
    li = ledger_entry_add(case=case, worker=other["complainant"], period_start="2026-05-01",
                          period_end="2026-10-31", amount_owed="3000.00", actor=inspector)  # fmt: skip
    factories.ledger(case, workers=2, amount="20000.00")
    payment_record(entry=li, amount=Decimal("500.00"), paid_on=timezone.localdate(), actor=inspector)
    assert recovered_for(complaint, case) == Decimal("500.00")
    first = factories.Complaint.objects.get(receipt_no=receipt)
    assert recovered_for(first, case) is None  # none of 张三's own entries: not told another's payments


def test_closed_shows_the_outcome():
    case = factories.case("closed")
    page = _text(case.complaints.get().receipt_no)
    assert "已办结" in page and "已全额支付" in page


def test_no_other_partys_personal_data():
    receipt = submit()["receipt_no"]
    claim_and_complete("clerk_360302", receipt, decision="accept")
    other = {"complainant": {"name": "李四喜", "id_number": factories.person_id(7), "phone": factories.mobile(7)}}
    submit(**other)
    page = _text(receipt)
    assert "李四喜" not in page and factories.person_id(7) not in page and factories.mobile(7) not in page


def test_complainant_downloads_their_notice_with_the_receipt_credentials():
    complaint = factories.complaint("refused")
    doc = complaint.documents.get()
    page = _text(complaint.receipt_no)
    assert doc.number in page
    url = f"/public/status/documents/{doc.pk}/"
    ok = Client().get(url, {"receipt_no": complaint.receipt_no, "phone_last4": PHONE4})
    assert ok.status_code == 200 and ok["Content-Type"] == "application/pdf"
    assert Client().get(url, {"receipt_no": complaint.receipt_no, "phone_last4": "9999"}).status_code == 404
    assert Client().get(url).status_code == 404
    other = factories.complaint("refused")
    wrong = Client().get(url, {"receipt_no": other.receipt_no, "phone_last4": PHONE4})
    assert wrong.status_code == 404  # another complaint's credentials do not open this notice


def test_the_status_api_gives_the_same_stages():
    case = factories.case("enforcing")
    receipt = case.complaints.get().receipt_no
    data = Client().get(f"/api/v1/complaints/{receipt}/", {"phone_last4": PHONE4}).json()
    assert [s["stage"] for s in data["stages"]] == ["received", "accepted", "order_issued"]
    assert data["order_due"] == case.order_due.isoformat() and data["status_display"] == "已责令限期履行"
    assert data["documents"][0]["number"].startswith("安源人社监受")


def test_a_complaint_grouped_at_receipt_shows_no_case_until_it_is_accepted():
    receipt = submit()["receipt_no"]
    claim_and_complete("clerk_360302", receipt, decision="accept")
    other = {"complainant": {"name": "李四", "id_number": factories.person_id(7), "phone": factories.mobile(7)}}
    second = submit(**other)["receipt_no"]
    complaint = factories.Complaint.objects.get(receipt_no=second)
    assert complaint.case_id  # grouped onto the open case at receipt
    factories.step(complaint, world.user(Role.CLERK, "360302"), decision="supplement", reason="请补充劳动关系证明")
    response = Client().get("/public/status/", {"receipt_no": second, "phone_last4": factories.mobile(7)[-4:]})
    assert response.status_code == 200
    assert complaint.case.case_no not in response.content.decode()
