"""Issue 19: the commission's and the legal-aid centre's users — what they see (their region's referrals,
200), what they may not (another region's referral 404, the bureau's case and complaint pages 404, its lists
403), their menu and start page; the bureau's staff read but never act; forms answer field errors (400) and a
second completion 409; the list's filters and XLSX; the worker's public status page; the pages in English."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from arbitration import steps
from arbitration.models import Office, Referral
from arbitration.services import referral_create
from cases.models import Role
from tests import factories
from tests.arbkit import office_user

pytestmark = pytest.mark.django_db


def _referral(code="360302", office=Office.ARBITRATION):
    case = factories.case("filed", region=code, flow=False)
    leader = factories.staff(Role.LEADER, code)
    return referral_create(actor=leader, role=Role.LEADER, office=office, region=case.region, facts="拖欠工资争议",
                           case=case)  # fmt: skip


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_commission_user_sees_its_queue_and_nothing_else():
    mine, other = _referral("360302"), _referral("360313")
    aid = _referral("360302", Office.LEGAL_AID)
    client = _client(office_user())
    assert client.get("/")["Location"] == reverse("arbitration:index")  # lands on its queue
    page = client.get(reverse("arbitration:index")).content.decode()
    assert mine.number in page and other.number not in page and aid.number not in page
    assert 'data-menu="referrals"' in page and 'data-menu="cases"' not in page
    assert client.get(reverse("arbitration:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("arbitration:detail", args=[other.pk])).status_code == 404  # another region's
    assert client.get(reverse("arbitration:detail", args=[aid.pk])).status_code == 404  # the centre's
    assert client.post(reverse("arbitration:action", args=[other.pk, "accept"])).status_code == 404
    assert client.get(reverse("cases:detail", args=[mine.case.case_no])).status_code == 404  # no case data
    assert client.get(reverse("cases:index")).status_code == 403
    assert client.get(reverse("complaints:index")).status_code == 403
    assert client.get(reverse("arbitration:new") + f"?case={mine.case.case_no}").status_code == 404
    page = client.get(reverse("arbitration:detail", args=[mine.pk])).content.decode()
    assert reverse("cases:detail", args=[mine.case.case_no]) not in page  # no link into the bureau's pages


def test_the_legal_aid_user_sees_the_centres_referrals():
    aid, arb = _referral("360302", Office.LEGAL_AID), _referral("360302")
    client = _client(office_user(Office.LEGAL_AID))
    page = client.get(reverse("arbitration:index")).content.decode()
    assert aid.number in page and arb.number not in page
    assert client.get(reverse("arbitration:detail", args=[arb.pk])).status_code == 404
    page = client.get(reverse("arbitration:detail", args=[aid.pk])).content.decode()
    assert "免予经济困难审查" in page
    response = client.post(reverse("arbitration:action", args=[aid.pk, "accept"]))
    assert response.status_code == 302
    response = client.post(reverse("arbitration:action", args=[aid.pk, "assign"]),
                           {"lawyer_name": "王律师", "lawyer_firm": "某所", "lawyer_licence": "12"})  # fmt: skip
    assert response.status_code == 400 and "律师执业证号应为17位数字" in response.content.decode()
    aid.refresh_from_db()
    assert aid.status == Referral.Status.ACCEPTED and not aid.lawyer_name


def test_the_commission_walks_a_referral_through_its_pages():
    referral = _referral()
    client = _client(office_user())
    url = lambda action: reverse("arbitration:action", args=[referral.pk, action])  # noqa: E731
    assert client.post(url("award")).status_code == 400  # not heard yet: the step is not open
    assert client.post(url("accept")).status_code == 302
    second = client.post(url("accept"))
    assert second.status_code == 409 and "已受理" in second.content.decode()
    response = client.post(url("tribunal"), {"tribunal": " "})
    assert response.status_code == 400 and "仲裁庭组成" in response.content.decode()
    assert client.post(url("tribunal"), {"tribunal": "张仲裁员"}).status_code == 302
    referral.refresh_from_db()
    amounts = {f"amount_{c.pk}": "1000" for c in referral.claimants.all()}
    assert client.post(url("award"), amounts).status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.AWARDED
    page = client.get(reverse("arbitration:detail", args=[referral.pk])).content.decode()
    text = re.sub(r"<[^>]+>", " ", page)
    assert "终局裁决" in text and "arbitration." not in text and "referred" not in text  # no key on the page


def test_the_bureau_reads_but_never_acts():
    referral = _referral()
    leader = _client(factories.staff(Role.LEADER, "360302"))
    assert leader.get(reverse("arbitration:detail", args=[referral.pk])).status_code == 200
    assert leader.post(reverse("arbitration:action", args=[referral.pk, "accept"])).status_code == 403
    page = leader.get(reverse("cases:detail", args=[referral.case.case_no])).content.decode()
    assert referral.number in page  # the case page lists its referral
    assert reverse("arbitration:new") in page  # and offers to refer it (the office's leader)
    inspector = _client(factories.staff(Role.INSPECTOR, "360302"))
    page = inspector.get(reverse("cases:detail", args=[referral.case.case_no])).content.decode()
    assert reverse("arbitration:new") not in page  # an inspector not assigned to the case
    assert inspector.get(reverse("arbitration:new") + f"?case={referral.case.case_no}").status_code == 403


def test_a_refused_complaint_is_referred_from_its_page():
    complaint = factories.complaint("refused")
    clerk = _client(factories.staff(Role.CLERK, complaint.region.code))
    page = clerk.get(reverse("complaints:detail", args=[complaint.receipt_no])).content.decode()
    new = reverse("arbitration:new") + f"?complaint={complaint.receipt_no}&amp;office=arbitration"
    assert new in page
    url = reverse("arbitration:new") + f"?complaint={complaint.receipt_no}"
    assert clerk.get(url).status_code == 200
    worker = complaint.complainant_id
    response = clerk.post(url, {"office": "arbitration", "region": complaint.region.code, "facts": "",
                                "worker": [worker], f"amount_{worker}": "abc"})  # fmt: skip
    assert response.status_code == 400 and not Referral.objects.exists()
    body = response.content.decode()
    assert "不是有效金额" in body and 'data-field="facts"' in body
    response = clerk.post(url, {"office": "arbitration", "region": "安源区", "facts": "劳动争议",
                                "green_channel": "on", "worker": [worker], f"amount_{worker}": "3000"})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    referral = Referral.objects.get()
    assert referral.green_channel and referral.region.code == "360302"
    assert referral.claimants.get().amount_claimed == 3000
    pdf = clerk.get(reverse("arbitration:letter", args=[referral.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # the worker's public status page
    public = Client().get(
        reverse("public:status"), {"receipt_no": complaint.receipt_no, "phone_last4": complaint.complainant.phone[-4:]}
    )
    assert "已转介劳动人事争议仲裁委员会" in public.content.decode()


def test_the_list_filters_and_exports():
    a, b = _referral(), _referral(office=Office.LEGAL_AID)
    steps.arbitration_accept(referral=a, actor=office_user())
    client = _client(factories.staff(Role.LEADER, "360302"))
    page = client.get(reverse("arbitration:index"), {"office": "legal_aid"}).content.decode()
    assert b.number in page and a.number not in page
    page = client.get(reverse("arbitration:index"), {"status": "accepted"}).content.decode()
    assert a.number in page and b.number not in page
    xlsx = client.get(reverse("arbitration:index"), {"office": "arbitration", "format": "xlsx"})
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]


def test_the_pages_in_english():
    referral = _referral()
    client = _client(office_user())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("arbitration:detail", args=[referral.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for text in ("Accept", "Green channel", "Referred, awaiting acceptance", "Arbitration: decision on acceptance",
                 "Referral letter (PDF)", "Applicants", "Refer to the labour dispute arbitration commission"):
        assert text in page, text
    for chinese in ("已转介，待受理", "仲裁委受理审查期限", "转介函", "申请人"):
        assert chinese not in page, chinese
    listing = client.get(reverse("arbitration:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Referrals" in listing and "Receiving office" in listing
