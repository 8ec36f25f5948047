"""The auditor's day in Chromium (issue 14): log in, land on the audit search, filter by an event type chosen
from the list and a date range, find the event, open the case's timeline and download it as PDF (the hash
chain and its verification). Screenshots feed docs/guide/auditor.md."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases.models import Role
from tests import factories
from tests.journeys import account, chromium, desk, login, screenshot, world_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KIND = "case.inspectors_assigned"  # 指派监察员


def test_an_auditor_finds_an_event_opens_the_timeline_and_downloads_its_pdf(live_server, monkeypatch):
    world_regions()
    account("j_auditor", Role.AUDITOR, "360300", full_name="钱审计")  # 萍乡市: its counties in scope
    mine = factories.case("investigating", "360302", employer="萍乡市某路桥工程有限公司")
    theirs = factories.case("investigating", "360102", employer="南昌市某建设有限公司")  # another city
    assigned = mine.events.get(kind=KIND)
    today = timezone.localdate(assigned.at).isoformat()
    base = live_server.url
    with chromium(monkeypatch) as browser:
        page = desk(browser)
        login(page, base, "j_auditor", landing="/cases/audit/")
        screenshot(page, "auditor", "1-search")

        page.select_option("[name=kind]", KIND)
        page.fill("[name=date_from]", today)
        page.fill("[name=date_to]", today)
        page.locator("#audit-search button[type=submit]").click()
        page.wait_for_url(f"{base}/cases/audit/?*")
        page.wait_for_load_state("networkidle")
        results = page.locator("table.zq-timeline tbody").inner_text()
        assert mine.case_no in results and theirs.case_no not in results
        assert "指派监察员" in results and KIND not in page.locator("body").inner_text()
        page.locator("details.zq-data summary").first.click()  # the recorded data, for auditors
        screenshot(page, "auditor", "2-results")

        # the event's case, then its timeline
        page.locator("table.zq-timeline tbody a", has_text=mine.case_no).first.click()
        page.wait_for_url(f"{base}/cases/{mine.case_no}/")
        timeline = page.locator(f"a[href='/cases/{mine.case_no}/timeline/']")
        if timeline.count():
            timeline.first.click()
        else:  # the case page shows the timeline in place; its full page is one address further
            page.goto(f"{base}/cases/{mine.case_no}/timeline/")
        page.wait_for_url(f"{base}/cases/{mine.case_no}/timeline/")
        page.wait_for_load_state("networkidle")
        assert "指派监察员" in page.content() and KIND not in page.locator("body").inner_text()
        screenshot(page, "auditor", "3-timeline")

        link = page.locator(f"a[href^='/cases/{mine.case_no}/timeline/pdf/']").first
        assert "PDF" in link.inner_text()
        response = page.request.get(base + link.get_attribute("href"))  # the page's own session
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        assert response.body()[:5] == b"%PDF-"

        # out of scope: another city's case is not found
        assert page.request.get(f"{base}/cases/{theirs.case_no}/timeline/pdf/").status == 404

    # the search itself is on the record: the auditor read personal data of no one, changed nothing
    assert mine.events.filter(kind=KIND).count() == 1
