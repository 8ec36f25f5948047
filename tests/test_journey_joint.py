"""The joint meeting's departments in Chromium (issue 19 item 3): the police user of 安源区 logs in, lands on its
workbench, opens the referral transferred to it, acknowledges it and records the filing decision; the housing
department's user logs in, finds the 督办 addressed to it and reports progress. Screenshots feed
docs/guide/joint-meeting.md."""

from __future__ import annotations

import pytest

from cases.models import Deadline, Referral, Role
from jointmeeting.models import Matter
from tests.jointkit import department_user, matter, transferred
from tests.journeys import PASSWORD, account, chromium, desk, login, screenshot, submit, world_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_police_acknowledge_a_referral_and_record_their_decision(live_server, monkeypatch):
    world_regions()
    department_user("police", "360302", password=PASSWORD, full_name="赵警官")
    referral = transferred("360302")
    other = transferred("360313")
    base = live_server.url
    with chromium(monkeypatch) as browser:
        page = desk(browser)
        login(page, base, "police_360302", landing="/joint/")
        text = page.locator("#referrals").inner_text()
        assert referral.case.case_no in text and other.case.case_no not in text and "未签收" in text
        screenshot(page, "police", "1-home")

        page.locator("#referrals a", has_text=referral.case.case_no).click()
        page.wait_for_url(f"{base}/joint/referrals/{referral.pk}/")
        assert "公安机关立案审查期限" in page.content()
        screenshot(page, "police", "2-referral")
        page.fill("[name=note]", "已收到移送书及案件材料")
        submit(page, "签收")
        page.locator("#acknowledge").wait_for(state="detached")  # the form is gone: signed for
        assert "未签收" not in page.locator("table.zq-table").first.inner_text()

        page.check("input[name=decision][value=filed]")
        page.fill("[name=note]", "已立案侦查")
        screenshot(page, "police", "3-decision")
        submit(page, "提交决定")
        page.locator("#answer").wait_for(state="detached")
        assert "公安已立案" in page.locator("table.zq-table").first.inner_text()
        screenshot(page, "police", "4-decided")
        # another county's referral is not found
        assert page.request.get(f"{base}/joint/referrals/{other.pk}/").status == 404
    referral.refresh_from_db()
    assert referral.status == Referral.Status.FILED
    assert referral.case.deadlines.get(kind="police.decide").state == Deadline.State.MET


def test_a_department_reports_progress_on_its_supervision(live_server, monkeypatch):
    world_regions()
    leader = account("j_leader", Role.LEADER, "360302", full_name="孙局长")
    department_user("housing", "360302", password=PASSWORD, full_name="周科长")
    m = matter(actor=leader, department="housing", subject="督促某安置房项目建设单位支付拖欠工资",
               description="请于期限内督促建设单位足额支付，并报告进展。")  # fmt: skip
    base = live_server.url
    with chromium(monkeypatch) as browser:
        page = desk(browser)
        login(page, base, "housing_360302", landing="/joint/")
        assert m.subject in page.locator("#queue").inner_text()
        screenshot(page, "department", "1-home")

        page.locator("#queue a", has_text=m.subject).click()
        page.wait_for_url(f"{base}/joint/matters/{m.pk}/")
        page.fill("[name=text]", "已约见建设单位负责人，承诺本月底前足额支付。")
        screenshot(page, "department", "2-matter")
        submit(page, "提交报告")
        page.get_by_text("已约见建设单位负责人", exact=False).first.wait_for()
        assert "办理中" in page.locator("table.zq-table").first.inner_text()
        screenshot(page, "department", "3-reported")

        # the leader, as the joint-meeting office, sees the report
        page = desk(browser)
        login(page, base, "j_leader", landing="/tasks/leader/")
        page.goto(f"{base}/joint/")
        assert m.subject in page.locator("#issued").inner_text()
        screenshot(page, "office", "1-issued")
    m.refresh_from_db()
    assert m.status == Matter.Status.IN_PROGRESS
