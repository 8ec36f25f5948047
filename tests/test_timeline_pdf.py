"""The auditors' timeline PDF (SPEC §6; issue 13 item 15): every event with its time, actor, human label and
details in words — no event key, no dict —, each event's hash and the previous one, the verification result,
page numbers; Chinese renders. A link on the timeline page and the case page; page and REST endpoint; in
scope 200, out of scope 404, without the right 403."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from cases import rights
from cases.documents import document_issue
from cases.models import Document, Role, TimelineEvent
from cases.rights import Right
from tests import world
from tests.flowkit import api
from tests.test_timeline import _tamper as tamper

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf_text(content: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages)), len(reader.pages)


@pytest.fixture
def case():
    case = world.make_case("360302")
    for _ in range(12):  # enough events for more than one page
        document_issue(
            case=case,
            kind=Document.Kind.ORDER_TO_PAY,
            actor=world.user("leader", "360302"),
            role=Role.LEADER,
            data={"facts": "拖欠工资。", "due_date": "2026-12-31"},
        )
    return case


def test_the_timeline_pdf_shows_every_event_in_words_with_the_chain(client, case):
    client.force_login(world.user("auditor", "360302"))
    response = client.get(reverse("cases:timeline-pdf", args=[case.case_no]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text, pages = pdf_text(response.content)
    events = list(TimelineEvent.objects.filter(case=case).order_by("seq"))
    assert pages > 1
    assert "案件时间线（审计）" in text and case.case_no in text  # Chinese renders
    assert "哈希链校验结果：通过" in text
    for page in range(1, pages + 1):
        assert f"第{page}页共{pages}页" in text
    for event in events:
        assert event.hash in text and event.prev_hash in text
        assert event.kind not in text  # the human label, never the key
    assert "制发文书" in text and "立案" in text
    document = Document.objects.filter(case=case).order_by("id").first()
    assert f"文号：{document.number}" in text and "种类：限期支付令" in text
    assert "操作人：" in text and "负责人" in text
    assert "{" not in text and "document_id" not in text and "order_to_pay" not in text  # no dict, no code


def test_a_broken_chain_is_reported_in_the_pdf(case):
    event = TimelineEvent.objects.filter(case=case).order_by("seq")[2]
    _tamper(event)
    response = api("auditor_360302").get(
        reverse("api-case-timeline-pdf", args=[case.case_no]), HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200
    text, _pages = pdf_text(response.content)
    assert "哈希链校验结果：不通过" in text and f"案件时间线第{event.seq}号事件" in text


def _tamper(event: TimelineEvent) -> None:
    tamper(event.pk, disable_trigger=connection.vendor == "postgresql")


def test_links_on_the_timeline_page_and_the_case_page(client, case):
    client.force_login(world.user("auditor", "360302"))
    url = reverse("cases:timeline-pdf", args=[case.case_no])
    assert url in client.get(reverse("cases:timeline", args=[case.case_no])).content.decode()
    assert url in client.get(reverse("cases:detail", args=[case.case_no])).content.decode()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.LEADER, Role.CLERK, Role.LEGAL])
def test_in_scope_staff_download_it(role, case):
    response = api(world.username(role, "360302")).get(
        reverse("api-case-timeline-pdf", args=[case.case_no]), HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_out_of_scope_is_404(client, case):
    response = api(world.username(Role.AUDITOR, "360313")).get(reverse("api-case-timeline-pdf", args=[case.case_no]))
    assert response.status_code == 404
    client.force_login(world.user("auditor", "360313"))
    assert client.get(reverse("cases:timeline-pdf", args=[case.case_no])).status_code == 404


def test_the_administrator_sees_no_case_data_404(case):
    response = api(world.username(Role.ADMIN, "360302")).get(reverse("api-case-timeline-pdf", args=[case.case_no]))
    assert response.status_code == 404


def test_a_role_without_the_timeline_right_is_403(client, case, monkeypatch):
    """In scope, able to read the case but not its timeline: 403 (page and API)."""
    monkeypatch.setitem(rights.RIGHTS, Role.AUDITOR, frozenset({Right.READ_CASE, Right.READ_COMPLAINT}))
    response = api(world.username(Role.AUDITOR, "360302")).get(reverse("api-case-timeline-pdf", args=[case.case_no]))
    assert response.status_code == 403
    client.force_login(world.user("auditor", "360302"))
    assert client.get(reverse("cases:timeline-pdf", args=[case.case_no])).status_code == 403


def test_details_read_in_words_never_as_codes():
    from cases.audit import data_in_words

    rows = dict(
        data_in_words(
            {
                "status": "listed",
                "step": "acceptance",
                "title": "受理审查",
                "kind": "referral.approve",
                "role": "leader",
                "region": "360302",
                "document_id": 7,
                "served_at": "2025-10-08T16:00:00+00:00",
                "approved": True,
                "unknown_field": "x",
            }
        )
    )
    assert rows == {
        "状态": "已列入并公布",
        "标题": "受理审查",
        "种类": "移送审批期限",
        "角色": "负责人",
        "地区": "安源区",
        "送达时间": "2025-10-09 00:00:00",
        "是否同意": "是",
        "其他信息": "x",
    }


def test_the_pdf_reads_in_english_too(case):
    from django.utils import translation

    from cases.audit import timeline_pdf

    with translation.override("en"):
        text, pages = pdf_text(timeline_pdf(case=case, viewer=world.user("auditor", "360302")))
    assert "Casetimeline(audit)" in text and "Hashchainverification:passed" in text
    assert f"Page1of{pages}" in text and "Kind：" in text
