"""In real Chromium (Debian's package, driven by Playwright): a worker files a complaint on a
phone-sized page and sees the receipt; a clerk logs in and accepts it in the staff UI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from cases.models import Complaint
from cases.regions import regions_load
from cases.services import staff_create

CHROMIUM = os.environ.get("ZHIQIAN_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


def _browser_or_skip(playwright):
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("ZHIQIAN_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium fonts-noto-cjk)")
        pytest.skip(f"{CHROMIUM} is missing")
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_file_a_complaint_on_a_phone_then_a_clerk_accepts_it(live_server, monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    regions_load(province="360000")
    staff_create(username="clerk_b", region=__import__("cases.models").models.Region.objects.get(code="360302"),
                 role="clerk", password="browser-test-pass-1")  # fmt: skip
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = _browser_or_skip(p)
        try:
            phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                        locale="zh-CN")  # fmt: skip
            page = phone.new_page()
            page.goto(f"{live_server.url}/public/complaint/")
            page.fill("#id_complainant_name", "张三")
            page.fill("#id_complainant_id_number", "34052419800101001X")
            page.fill("#id_complainant_phone", "13807990001")
            page.fill("#id_employer_name", "萍乡市某浏览器测试建筑有限公司")
            page.fill("#id_project_name", "安源区某安置房项目")
            page.fill("#id_project_address", "萍乡市安源区某地块")
            page.fill("#id_workers_count", "12")
            page.fill("#id_amount_owed", "86000.00")
            page.fill("#id_period_start", "2026-05-01")
            page.fill("#id_period_end", "2026-10-31")
            page.fill("#id_description", "工程完工后拖欠工资。")
            page.screenshot(path=str(SHOTS / "complaint-form-phone.png"), full_page=True)
            page.click("button[type=submit]")
            receipt = page.locator("#receipt-no").inner_text(timeout=15000).strip()
            page.screenshot(path=str(SHOTS / "complaint-receipt-phone.png"), full_page=True)
            complaint = Complaint.objects.get(receipt_no=receipt)
            assert complaint.region.code == "360302" and complaint.status == "received"

            desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page = desk.new_page()
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("input[name=username]", "clerk_b")
            page.fill("input[name=password]", "browser-test-pass-1")
            page.locator("form button[type=submit], form input[type=submit]").first.click()
            page.wait_for_url(f"{live_server.url}/tasks/queue/", timeout=15000)  # a clerk lands on the intake queue
            page.click(f"text={receipt}")
            page.click("button:has-text('领取')")
            page.select_option("#id_decision", "accept")
            page.screenshot(path=str(SHOTS / "acceptance-task.png"), full_page=True)
            page.click("button:has-text('提交')")
            page.wait_for_url(f"{live_server.url}/tasks/inbox/", timeout=15000)
            page.screenshot(path=str(SHOTS / "inbox-after-accept.png"), full_page=True)
        finally:
            browser.close()
    complaint.refresh_from_db()
    assert complaint.status == "accepted" and complaint.case is not None


LANDINGS = {
    "clerk": "/tasks/queue/",
    "inspector": "/tasks/inbox/",
    "legal": "/tasks/queue/",
    "leader": "/tasks/leader/",
    "auditor": "/cases/audit/",  # issue 14 item 3: the audit search
    "admin": "/manage/accounts/",
}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_each_role_logs_in_and_lands_on_its_page_in_the_products_frame(live_server, monkeypatch):
    """The login page is the product's; each role lands on its page, with its own menu (screenshots)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from cases.models import Region

    regions_load(province="360000")
    region = Region.objects.get(code="360302")
    for role in LANDINGS:
        staff_create(username=f"b_{role}", region=region, role=role, password="browser-test-pass-1")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = _browser_or_skip(p)
        try:
            for role, landing in LANDINGS.items():
                desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
                page = desk.new_page()
                page.goto(f"{live_server.url}/accounts/login/")
                assert "Viewflow" not in page.content()
                if role == "clerk":
                    page.screenshot(path=str(SHOTS / "login.png"), full_page=True)
                page.fill("input[name=username]", f"b_{role}")
                page.fill("input[name=password]", "browser-test-pass-1")
                page.locator("form button[type=submit], form input[type=submit]").first.click()
                page.wait_for_url(f"{live_server.url}{landing}", timeout=15000)
                page.wait_for_load_state("networkidle")
                assert "Applications" not in page.content()
                page.screenshot(path=str(SHOTS / f"landing-{role}.png"), full_page=True)
                if role == "auditor":  # a page it may not open: 403 in the frame, in Chinese
                    page.goto(f"{live_server.url}/complaints/new/")
                    assert "没有权限" in page.content()
                    page.screenshot(path=str(SHOTS / "forbidden-auditor.png"), full_page=True)
                if role == "leader":
                    page.goto(f"{live_server.url}/cases/dashboard/")
                    page.wait_for_selector("#zq-chart-trend svg", timeout=15000)  # ECharts drew
                    page.screenshot(path=str(SHOTS / "dashboard-leader.png"), full_page=True)
                desk.close()
        finally:
            browser.close()
