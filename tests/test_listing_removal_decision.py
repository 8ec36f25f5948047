"""An early removal from the credit list issues a 移出决定书 (issue 13 item 14): its own kind, text and 文号
code, a document of the case served like the 列入决定书 (case documents, PDF through the page and the API)."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accountability import listing as lst
from accountability.models import CreditListing
from cases.documents import SPECS, document_pdf_bytes
from cases.models import Document
from tests.flowkit import api
from tests.test_listing import USCC, complete, listed_via_api, unpaid_case_via_api

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _text(document: Document) -> str:
    reader = PdfReader(io.BytesIO(document_pdf_bytes(document)))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def test_the_removal_decision_has_its_own_kind_and_number_code():
    spec = SPECS[Document.Kind.REMOVAL_DECISION]
    codes = [s.code for k, s in SPECS.items() if k != Document.Kind.REMOVAL_DECISION]
    assert spec.code == "移出" and spec.code not in codes
    assert str(Document.Kind.REMOVAL_DECISION.label) == "移出失信联合惩戒名单决定书"


def test_an_early_removal_issues_a_removal_decision(client):
    case = unpaid_case_via_api(name="萍乡市某移出建筑工程有限公司")
    listing = listed_via_api(case)
    corrected = lst.add_months(timezone.localdate(), -7)
    applied = api().post(
        "/api/v1/public/credit-list/removal/",
        {
            "notice_number": listing.notice.number,
            "uscc": USCC,
            "pledge": "本单位承诺今后依法按时足额支付工资。",
            "corrected_on": corrected.isoformat(),
        },
        format="json",
    )
    assert applied.status_code == 201, applied.json()
    complete("legal_360302", case.case_no, "legal_review", approved="yes", opinion="已改正满6个月。")
    complete("leader_360302", case.case_no, "decision", approved="yes", opinion="准予提前移出。")
    listing.refresh_from_db()
    assert listing.status == CreditListing.Status.REMOVED_EARLY
    decision = listing.removal_decision
    assert decision is not None and decision.kind == Document.Kind.REMOVAL_DECISION
    assert "人社监移出〔" in decision.number and decision.title == "移出失信联合惩戒名单决定书"
    text = _text(decision)
    assert "移出失信联合惩戒名单决定书" in text and "移出拖欠农民工工资失信联合惩戒对象名单" in text
    assert listing.decision.number in text and f"{corrected.year}年{corrected.month}月{corrected.day}日" in text
    assert "满6个月" in text
    # one event for the document, and the removal's event names it
    removed = case.events.get(kind="listing.removed_early")
    assert removed.data["removal_decision"] == decision.number
    assert case.events.filter(kind="document.issued", data__number=decision.number).count() == 1
    # served like the listing decision: listed among the case's documents, its PDF by the API and the page
    listed = api("inspector_360302").get(f"/api/v1/cases/{case.case_no}/documents/").json()
    numbers = [d["number"] for d in listed["documents"]]
    assert decision.number in numbers, numbers
    pdf = api("inspector_360302").get(
        f"/api/v1/cases/{case.case_no}/documents/{decision.pk}/pdf/", HTTP_ACCEPT="application/pdf"
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    client.force_login(api_user("inspector_360302"))
    page = client.get(f"/cases/{case.case_no}/documents/{decision.pk}/pdf/")
    assert page.status_code == 200 and page.content == document_pdf_bytes(decision)


def test_a_refused_removal_issues_no_removal_decision():
    case = unpaid_case_via_api(name="萍乡市某不予移出建筑工程有限公司")
    listing = listed_via_api(case)
    applied = api().post(
        "/api/v1/public/credit-list/removal/",
        {
            "notice_number": listing.notice.number,
            "uscc": USCC,
            "pledge": "承诺。",
            "corrected_on": lst.add_months(timezone.localdate(), -7).isoformat(),
        },
        format="json",
    )
    assert applied.status_code == 201, applied.json()
    complete("legal_360302", case.case_no, "legal_review", approved="no", opinion="承诺书不完整。")
    listing.refresh_from_db()
    assert listing.status == CreditListing.Status.LISTED and listing.removal_decision is None
    assert not Document.objects.filter(case=case, kind=Document.Kind.REMOVAL_DECISION).exists()


def api_user(username: str):
    from tests import world

    return world.user_by_name(username)
