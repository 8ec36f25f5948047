"""Issue 14, the inspector's journey in real Chromium (Debian's, driven by Playwright): log in, open an assigned
case, fill its ledger of 12 workers by pasting a spreadsheet (plus one line edited, one deleted with its reason),
conclude the investigation, issue the order to pay (责令限期支付) and serve it, then record a payment. The
screenshots are the inspector's guide's (docs/guide/img/inspector-*.png). In English the case page keeps its
sans-serif font and does not overflow at 1280 px; printed, it shows every section and no menu or buttons."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from cases.models import ArrearsEntry, Case, Role, TimelineEvent
from tests import factories
from tests.test_browser import SHOTS, _browser_or_skip

IMG = Path(__file__).resolve().parent.parent / "docs" / "guide" / "img"
PASSWORD = "journey-inspector-pass-1"
NAMES = ["张伟", "王芳", "李娜", "刘强", "陈静", "杨洋", "赵磊", "黄勇", "周杰", "吴敏", "徐涛", "孙丽"]


def roster() -> str:
    """13 lines as copied from a spreadsheet (tab-separated, with its header): 12 workers and one line typed
    twice by mistake (the same worker for another month), deleted in the journey."""
    lines = ["姓名\t身份证号\t手机号\t期间起\t期间止\t应付金额"]
    for i, name in enumerate(NAMES):
        lines.append(f"{name}\t{factories.person_id(100 + i)}\t{factories.mobile(7990100 + i)}\t2026-05\t2026-10\t"
                     f"{7200 + 100 * i}.00")  # fmt: skip
    lines.append(f"{NAMES[0]}\t{factories.person_id(100)}\t\t2026-11\t2026-11\t1200.00")
    return "\n".join(lines)


def shot(page, name: str) -> None:
    IMG.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMG / f"inspector-{name}.png"), full_page=False)


def submit(page, locator) -> None:
    """Click a submit button and wait for the page the POST answers with; no field error on it."""
    with page.expect_navigation(wait_until="domcontentloaded", timeout=20000):
        locator.click()
    errors = page.locator(".zq-error").all_inner_texts()
    assert not errors, errors


def open_task(page, base: str, case: Case) -> None:
    """From the case page's action bar, the task routed to the inspector (claimed if still in the queue)."""
    page.goto(f"{base}/cases/{case.case_no}/")
    href = page.locator(".zq-ws-tasks a[href^='/tasks/']").first.get_attribute("href")
    page.goto(f"{base}{href}")
    try:
        page.wait_for_selector("form[action$='/complete/'], form[action$='/assign/']", timeout=30000)
    except Exception:  # say which page came instead (the test fails either way)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "inspector-open-task-failed.png"), full_page=True)
        raise AssertionError(f"{href}: no step form on the task page:\n{page.locator('main').inner_text()[:1500]}")
    claim = page.locator("form[action$='/assign/'] button")
    if claim.count():
        submit(page, claim.first)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_inspector_fills_a_ledger_of_12_issues_the_order_and_records_a_payment(live_server, monkeypatch, settings,
                                                                                 tmp_path):  # fmt: skip
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.MEDIA_ROOT = tmp_path
    from cases.regions import regions_load

    regions_load(province="360000")
    case = factories.case("investigating", region="360302", workers=12, amount="96000.00",
                          employer="萍乡市某建筑劳务有限公司")  # fmt: skip
    # the inspector the investigation's step was routed to (of the two assigned, the earliest account or the
    # one who did the case's last step: workflows.routing), else the first (the step waits in the queue)
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    routed = Task.objects.filter(process__caseprocess__case_id=case.pk, status=STATUS.ASSIGNED).first()
    inspector = routed.owner if routed is not None else factories.staff(Role.INSPECTOR)
    inspector.first_name = "李监察"
    inspector.set_password(PASSWORD)
    inspector.save()
    base = live_server.url
    with sync_api.sync_playwright() as p:
        browser = _browser_or_skip(p)
        try:
            desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page = desk.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("input[name=username]", inspector.username)
            page.fill("input[name=password]", PASSWORD)
            shot(page, "login")
            page.locator("form button[type=submit], form input[type=submit]").first.click()
            page.wait_for_url(f"{base}/tasks/inbox/", timeout=15000)
            shot(page, "tasks")

            # the case workspace: header, actions, tabs
            page.goto(f"{base}/cases/{case.case_no}/")
            assert page.locator(".zq-ws-header").is_visible()
            shot(page, "case")

            # the ledger: 13 pasted lines, one edited, the duplicate deleted with its reason
            page.click(".zq-tabs a[data-tab=ledger]")
            assert page.locator("#ledger").is_visible() and not page.locator("#overview").is_visible()
            page.fill("#ledger_import_paste", roster())
            shot(page, "ledger-paste")
            submit(page, page.locator("#ledger-import button[type=submit]"))
            assert page.locator("tr[data-entry]").count() == 13
            first = page.locator("tr[data-entry]").filter(has_text=NAMES[1]).first
            first.locator("details.zq-edit summary").click()
            first.locator("input[name=amount_owed]").fill("7350.00")
            submit(page, first.locator("details.zq-edit button[type=submit]"))
            duplicate = page.locator("tr[data-entry]").filter(has_text="2026-11-01").first
            duplicate.locator("details.zq-delete summary").click()
            duplicate.locator("input[name=reason]").fill("同一劳动者重复登记")
            shot(page, "ledger-delete")
            submit(page, duplicate.locator("details.zq-delete button[type=submit]"))
            assert page.locator("tr[data-entry]").count() == 12
            shot(page, "ledger")

            # conclude the investigation, then the order to pay, then its service
            open_task(page, base, case)
            page.check("form.zq-form [name=violation]")
            page.fill("form.zq-form [name=findings]", "经调查，该公司拖欠12名农民工2026年5月至10月工资，事实清楚。")
            submit(page, page.locator("form[action$='/complete/'] button[type=submit]"))
            open_task(page, base, case)
            page.select_option("form.zq-form [name=decision]", "order_to_pay")
            page.fill("form.zq-form [name=facts]", "该公司拖欠12名农民工工资，责令于履行期限内足额支付。")
            page.fill("form.zq-form [name=order_due]", (timezone.localdate() + timedelta(days=15)).isoformat())
            shot(page, "order")
            submit(page, page.locator("form[action$='/complete/'] button[type=submit]"))
            open_task(page, base, case)
            page.select_option("form.zq-form [name=method]", "direct")
            # served after the order was issued, to the second (the picker's minutes would say before it)
            page.eval_on_selector("form.zq-form [name=served_at]", "e => { e.step = 1; }")
            page.fill("form.zq-form [name=served_at]", timezone.localtime().strftime("%Y-%m-%dT%H:%M:%S"))
            page.fill("form.zq-form [name=recipient]", "法定代表人王某")
            shot(page, "serve")
            submit(page, page.locator("form[action$='/complete/'] button[type=submit]"))

            # after service the case page says what comes next; a payment is recorded on the ledger
            page.goto(f"{base}/cases/{case.case_no}/")
            assert page.locator("[data-next=after-service]").is_visible()
            shot(page, "after-service")
            page.click(".zq-tabs a[data-tab=ledger]")
            row = page.locator("tr[data-entry]").filter(has_text=NAMES[0]).first
            row.locator("details.zq-pay summary").click()
            row.locator("input[name=amount]").fill("7200.00")
            row.locator("input[name=paid_on]").fill(timezone.localdate().isoformat())
            shot(page, "payment")
            submit(page, row.locator("details.zq-pay button[type=submit]"))
            page.goto(f"{base}/cases/{case.case_no}/?tab=ledger")
            shot(page, "ledger-paid")

            # printed: every section, no menu, tabs nor buttons
            page.emulate_media(media="print")
            assert page.locator("#timeline").is_visible() and page.locator("#parties").is_visible()
            assert not page.locator(".zq-tabs").is_visible() and not page.locator(".zq-print-button").is_visible()
            page.evaluate("window.scrollTo(0, 0)")
            shot(page, "print")
            page.emulate_media(media="screen")

            # in English: the sans-serif font, no horizontal overflow at 1280 px
            desk.add_cookies([{"name": "django_language", "value": "en", "url": base}])
            page.goto(f"{base}/cases/{case.case_no}/?tab=ledger")
            font = page.evaluate("getComputedStyle(document.querySelector('.zq-workspace')).fontFamily")
            assert "sans-serif" in font and "serif" not in font.replace("sans-serif", ""), font
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            wide = page.evaluate(
                "() => [...document.querySelectorAll('body *')]"
                ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
                ".slice(0, 12).map(e => e.tagName + '.' + e.className)"
            )
            shot(page, "case-english")
            assert overflow <= 0, (overflow, wide)
            shot(page, "case-english")
        finally:
            browser.close()
    case.refresh_from_db()
    assert case.status == Case.Status.ENFORCING
    assert ArrearsEntry.objects.filter(case=case).count() == 12 and case.workers_count == 12
    assert case.amount_paid == Decimal("7200.00")
    assert ArrearsEntry.with_deleted.filter(case=case, deleted_at__isnull=False).count() == 1
    kinds = set(TimelineEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {"ledger.entries_imported", "ledger.entry_updated", "ledger.entry_deleted",
            "ledger.payment_recorded"} <= kinds  # fmt: skip
