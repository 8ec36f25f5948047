"""The arbitration commission's day in Chromium (issue 19): a clerk refers a complaint refused as a labour dispute
from its page; the commission's user logs in, lands on its queue, opens the referral, accepts it (the tribunal's
5 days and the award's 45 days start, the green channel's 30-day target beside them), notifies the tribunal, and
makes the award — final for a claim not above 12 months of the minimum wage; the worker reads the award on the
public status page. Screenshots feed docs/guide/arbitration.md."""

from __future__ import annotations

import pytest

from arbitration.models import Referral
from cases.models import Role
from tests import factories
from tests.arbkit import office_user
from tests.journeys import PASSWORD, account, chromium, desk, login, screenshot, world_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_commission_accepts_hears_and_decides_a_referred_wage_claim(live_server, monkeypatch):
    world_regions()
    account("j_clerk", Role.CLERK, "360302", full_name="钱受理")
    refused = factories.complaint("refused", amount_owed="18000.00")
    arbitrator = office_user(name="j_arbitrator")
    arbitrator.set_password(PASSWORD)
    arbitrator.save(update_fields=["password"])
    base = live_server.url
    with chromium(monkeypatch) as browser:
        page = desk(browser)
        # the clerk refers the refused complaint from its page
        login(page, base, "j_clerk", landing="/tasks/queue/")
        page.goto(f"{base}/complaints/{refused.receipt_no}/")
        page.locator("a:has-text('转介劳动人事争议仲裁委员会')").first.click()
        page.wait_for_load_state("networkidle")
        # the commission of the complaint's own region is proposed; the clerk may type another region's name
        page.fill("[name=facts]", "投诉人与用人单位对工资数额有争议，属劳动争议，转介仲裁。")
        screenshot(page, "arbitration", "1-refer")
        page.locator("form.zq-form button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        assert Referral.objects.filter(complaint=refused).exists(), page.locator("main, body").first.inner_text()[:3000]
        referral = Referral.objects.get(complaint=refused)
        assert page.url.endswith(f"/arbitration/{referral.pk}/")
        page.context.clear_cookies()

        # the commission's user lands on its queue
        login(page, base, "j_arbitrator", landing="/arbitration/")
        assert referral.number in page.locator("[data-list=referrals]").inner_text()
        screenshot(page, "arbitration", "2-queue")
        page.locator(f"a:has-text('{referral.number}')").first.click()
        page.wait_for_load_state("networkidle")
        page.locator("button:has-text('受理')").first.click()
        page.wait_for_load_state("networkidle")
        assert "已受理" in page.locator("h2").first.inner_text()
        assert page.locator("[data-figure=green-target]").count() == 1
        screenshot(page, "arbitration", "3-accepted")

        page.fill("[name=tribunal]", "独任仲裁员 刘某")
        page.locator("button:has-text('通知仲裁庭组成')").click()
        page.wait_for_load_state("networkidle")
        claimant = referral.claimants.get()
        page.fill(f"[name=amount_{claimant.pk}]", "18000")
        page.locator("button:has-text('作出裁决')").click()
        page.wait_for_load_state("networkidle")
        assert "终局裁决" in page.locator("[data-list=claimants]").inner_text()
        screenshot(page, "arbitration", "4-award")
        referral.refresh_from_db()
        assert referral.status == Referral.Status.AWARDED

        # the worker's status page
        page.context.clear_cookies()
        page.goto(f"{base}/public/status/?receipt_no={refused.receipt_no}&phone_last4={refused.complainant.phone[-4:]}")
        text = page.locator("body").inner_text()
        assert "已作出仲裁裁决" in text and "18,000.00" in text
        screenshot(page, "arbitration", "5-worker-status")
