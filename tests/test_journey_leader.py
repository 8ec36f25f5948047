"""The leader's day in Chromium (issue 14): log in, land on 审批与超期, approve an inspector's proposal to file
a case (立案审批), assign its two inspectors, give an instruction on a complaint left undecided past its five
working days (超期受理督办), then read the dashboard. Screenshots feed docs/guide/leader.md."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Case, Complaint, Deadline, FilingProposal, Role
from cases.proactive import filing_proposal_validate
from tests import factories
from tests.clock import days_later
from tests.journeys import account, chromium, desk, login, screenshot, submit, world_regions
from workflows.investigation.flow import FilingFlow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMPLOYER = "萍乡市城南建设劳务有限公司"


def _proposal(inspector) -> FilingProposal:
    proposal = filing_proposal_validate({
        "origin": Case.Origin.INSPECTION,
        "employer": {"name": EMPLOYER, "address": "萍乡市安源区建设路8号"},
        "project": {"name": "城南安置房二期项目"},
        "workers_count": 9,
        "amount_owed": "126000",
        "facts": "日常巡查发现该单位拖欠9名农民工2026年8月至10月工资。",
    })  # fmt: skip
    FilingFlow.start.run(region=inspector.staff_roles.get().region, proposal=proposal, proposer=inspector)
    return FilingProposal.objects.get(proposal__employer__name=EMPLOYER)


def _undecided_complaint() -> Complaint:
    """A complaint received 15 days ago and never decided: the sweep finds its acceptance deadline overdue
    and starts the escalation to the office's leader."""
    from cases.deadlines.sweep import deadlines_sweep

    with days_later(-15):
        late = factories.complaint(
            "received", "360302", employer__name="安源区某装饰工程有限公司",
            complainant__name="陈立新", complainant__id_number=factories.person_id(801),
        )  # fmt: skip
    deadlines_sweep(now=timezone.now())
    assert Deadline.objects.filter(complaint=late, state=Deadline.State.OVERDUE).exists()
    return late


def _open_approval(page, base: str, title: str) -> None:
    page.goto(f"{base}/tasks/leader/")
    row = page.locator("#approvals tr", has_text=title).first
    row.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    claim = page.locator("button:has-text('领取')")
    if claim.count():
        claim.first.click()
        page.wait_for_load_state("networkidle")


def test_a_leader_approves_a_filing_assigns_inspectors_and_reviews_an_overdue_acceptance(live_server, monkeypatch):
    world_regions()
    account("j_leader", Role.LEADER, "360302", full_name="赵局长")
    inspector = account("j_inspector", Role.INSPECTOR, "360302", full_name="孙监察")
    account("j_inspector2", Role.INSPECTOR, "360302", full_name="周监察")
    filing = _proposal(inspector)
    late = _undecided_complaint()
    base = live_server.url
    with chromium(monkeypatch) as browser:
        page = desk(browser)
        login(page, base, "j_leader", landing="/tasks/leader/")
        assert "立案审批" in page.locator("#approvals").inner_text()
        assert late.receipt_no in page.locator("#overdue").inner_text()
        screenshot(page, "leader", "1-approvals")

        # 立案审批: the inspector's proposal approved, with the opinion
        _open_approval(page, base, "立案审批")
        page.select_option("[name=approved]", "yes")
        page.fill("[name=opinion]", "同意立案，请尽快指派监察员调查。")
        screenshot(page, "leader", "2-filing-approval")
        submit(page)
        page.wait_for_load_state("networkidle")

        # 指派监察员: the case just filed waits for its two inspectors
        _open_approval(page, base, "指派监察员")
        pick = page.locator("[name=inspectors]")
        if pick.first.evaluate("el => el.tagName") == "SELECT":
            pick.first.select_option(label=["孙监察", "周监察"])
        else:  # drawn as checkboxes
            for name in ("孙监察", "周监察"):
                page.check(f"label:has-text('{name}') input[name=inspectors]")
        page.check("[name=conflict_declared]")
        screenshot(page, "leader", "3-assign")
        submit(page)
        page.wait_for_load_state("networkidle")

        # 超期受理督办: an instruction on the complaint left undecided
        _open_approval(page, base, "超期受理督办")
        page.fill("[name=instruction]", "请受理窗口今日内作出受理决定并回复投诉人。")
        screenshot(page, "leader", "4-escalation")
        submit(page)
        page.wait_for_load_state("networkidle")

        page.goto(f"{base}/cases/dashboard/")
        page.wait_for_selector("#zq-chart-trend svg")
        page.wait_for_timeout(800)  # the charts' entry animation
        screenshot(page, "leader", "5-dashboard")

    filing.refresh_from_db()
    assert filing.decision == "approved" and filing.decided_by.username == "j_leader"
    case = filing.case
    assert case is not None and case.origin == Case.Origin.INSPECTION and case.region.code == "360302"
    assert case.status == Case.Status.INVESTIGATING
    assert {a.inspector.username for a in case.inspectors.filter(active=True)} == {"j_inspector", "j_inspector2"}
    reviewed = late.events.get(kind="complaint.escalation_reviewed")
    assert reviewed.actor.username == "j_leader" and "今日内" in reviewed.data["instruction"]
    assert timezone.now() - reviewed.at < timedelta(minutes=10)


@pytest.mark.django_db
def test_a_filing_approval_is_a_link_on_the_leaders_screen_and_its_page_shows_the_proposal(client):
    """Without a browser: the row of a proactive filing (no case, no complaint yet) links to its step, and the
    step shows what the leader approves — in the user's language."""
    from viewflow.workflow.models import Task

    world_regions()
    leader = factories.staff(Role.LEADER, "360302")
    _proposal(factories.staff(Role.INSPECTOR, "360302"))
    task = Task.objects.get(flow_task_type="HUMAN", status="NEW", process__flow_class=FilingFlow)
    client.force_login(leader)
    screen = client.get("/tasks/leader/").content.decode()
    assert f'<a href="/tasks/{task.pk}/">立案审批</a>' in screen and EMPLOYER in screen
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    for shown in (EMPLOYER, "城南安置房二期项目", "9 / 126000.00", "日常巡查发现该单位拖欠", "提出人", "日常巡查"):
        assert shown in page, shown
    english = client.get(f"/tasks/{task.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Proposed by" in english
