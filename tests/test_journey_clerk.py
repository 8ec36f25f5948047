"""The clerk's day in Chromium (issue 14): log in, land on the intake queue, accept one complaint (the
acceptance step files a case) and transfer another to the competent county. Screenshots feed docs/guide/clerk.md."""

from __future__ import annotations

import pytest
from viewflow.workflow.models import Task

from cases.models import Complaint, Role
from tests import factories
from tests.journeys import account, chromium, desk, fill_region, login, screenshot, submit, world_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_from_queue(page, base: str, receipt_no: str) -> None:
    page.goto(f"{base}/tasks/queue/")
    page.click(f"a:has-text('{receipt_no}')")
    page.wait_for_load_state("networkidle")


def _claim(page) -> None:
    claim = page.locator("button:has-text('领取')")
    if claim.count():  # not routed to the clerk yet: claim it from the office's queue
        claim.first.click()
        page.wait_for_load_state("networkidle")
    page.wait_for_selector("[name=decision]")


def test_a_clerk_accepts_one_complaint_and_transfers_another(live_server, monkeypatch):
    world_regions()
    account("j_clerk", Role.CLERK, "360302", full_name="李受理")
    first = factories.complaint(
        "received",
        "360302",
        employer__name="萍乡市某建筑工程有限公司",
        complainant__name="王建国",
        complainant__id_number=factories.person_id(701),
    )
    second = factories.complaint(
        "received",
        "360302",
        employer__name="湘东区某劳务有限公司",
        complainant__name="刘志强",
        complainant__id_number=factories.person_id(702),
    )
    base = live_server.url
    with chromium(monkeypatch) as browser:
        page = desk(browser)
        login(page, base, "j_clerk", landing="/tasks/queue/", shot=("clerk", "1-login"))
        assert first.receipt_no in page.content() and second.receipt_no in page.content()
        screenshot(page, "clerk", "2-queue")

        # the first: claimed, reviewed, accepted (立案)
        _open_from_queue(page, base, first.receipt_no)
        screenshot(page, "clerk", "3-task")
        _claim(page)
        page.select_option("[name=decision]", "accept")
        screenshot(page, "clerk", "4-accept")
        submit(page)
        page.wait_for_url(f"{base}/tasks/inbox/")
        page.wait_for_load_state("networkidle")
        screenshot(page, "clerk", "5-after-accept")

        # the second: the employment is in 湘东区 — transferred there, with the reason
        _open_from_queue(page, base, second.receipt_no)
        _claim(page)
        page.select_option("[name=decision]", "transfer")
        page.fill("[name=reason]", "用工地在湘东区，依法移送湘东区人社局处理。")
        fill_region(page, "target_region_code", "360313", "湘东区")
        screenshot(page, "clerk", "6-transfer")
        submit(page)
        page.wait_for_url(f"{base}/tasks/inbox/")

        # the complaints list shows both outcomes
        page.goto(f"{base}/complaints/")
        page.wait_for_load_state("networkidle")
        screenshot(page, "clerk", "7-complaints")

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Complaint.Status.ACCEPTED and first.case is not None
    assert first.case.region.code == "360302"
    assert second.status == Complaint.Status.TRANSFERRED
    assert second.region.code == "360313" and second.transferred_from.code == "360302"
    # the competent office now has the acceptance step in its own queue
    waiting = Task.objects.filter(process__caseprocess__complaint=second, status="NEW", flow_task_type="HUMAN")
    assert [t.process.caseprocess.region.code for t in waiting] == ["360313"]
    assert second.events.filter(kind="complaint.transferred").exists()
