"""The staff site as the product's own (issue 14 items 1 and 2): its login page, one menu per role built from
the scope rules (no viewflow "Applications" block), 403/404 pages in the frame and the user's language,
each role's landing page, tasks routed to the people on the case, bulk assignment checked per task."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from viewflow.workflow.models import Task

from cases.models import Case, TimelineEvent
from tests import factories, world
from tests.flowkit import api, claim_and_complete, submit

pytestmark = pytest.mark.django_db


def login(role: str, code: str = "360302") -> Client:
    client = Client()
    client.force_login(world.user(role, code))
    return client


def menu_keys(page: str) -> list[str]:
    import re

    return re.findall(r'data-menu="([a-z-]+)"', page)


def test_the_login_page_is_the_products_own():
    page = Client().get(reverse("login")).content.decode()
    assert "Viewflow" not in page and "Demo suite" not in page
    assert "治欠" in page and "登录" in page


def test_each_role_sees_a_menu_built_from_its_rights_without_viewflows_applications_block():
    expected = {
        "clerk": ["inbox", "queue", "complaints", "complaint-new", "complaint-import", "cases", "dashboard",
                  "projects", "warnings", "inspections", "campaigns", "reviews", "coverage", "deposits", "wage-fund",
                  "credit-list", "circulars"],
        "inspector": ["inbox", "queue", "my-cases", "cases", "dashboard", "projects", "warnings", "inspections",
                      "my-inspections", "campaigns", "reviews", "coverage", "deposits", "wage-fund", "credit-list",
                      "circulars"],
        "legal": ["inbox", "queue", "cases", "dashboard", "projects", "warnings", "inspections", "campaigns",
                  "reviews", "coverage", "deposits", "wage-fund", "credit-list", "circulars"],
        "leader": ["inbox", "queue", "leader", "complaints", "cases", "dashboard", "audit", "projects", "warnings",
                   "inspections", "campaigns", "reviews", "coverage", "deposits", "wage-fund", "joint",
                   "joint-matters", "register", "publications", "credit-list", "assessment", "circulars"],
        "auditor": ["complaints", "cases", "dashboard", "audit", "projects", "warnings", "inspections", "campaigns",
                    "reviews", "coverage", "deposits", "wage-fund", "register", "publications", "credit-list",
                    "assessment", "circulars"],
        "admin": ["accounts", "roles", "member-roles", "regions", "office-roles"],
    }  # fmt: skip
    for role, keys in expected.items():
        client = login(role)
        page = client.get(client.get("/")["Location"]).content.decode()
        assert menu_keys(page) == keys, role
        assert "Applications" not in page and "应用" not in page
    # the province administrator also reaches 省级参数 and the working-day overrides, from the staff menu
    page = login("admin", "360000").get(reverse("staff-admin:accounts")).content.decode()
    assert menu_keys(page) == ["accounts", "roles", "member-roles", "regions", "province", "warning-config",
                               "workdays", "coverage-targets", "deposit-rates", "arbitration-config", "office-roles",
                               "campaign-config", "joint-config", "assessment-config"]
    assert reverse("admin:cases_provinceconfig_changelist") in page
    assert reverse("admin:cases_workdayoverride_changelist") in page


def test_each_role_lands_on_its_page():
    landing = {
        "clerk": reverse("tasks:queue"),
        "inspector": reverse("tasks:inbox"),
        "legal": reverse("tasks:queue"),
        "leader": reverse("tasks:leader"),
        "auditor": reverse("cases:audit"),  # issue 14 item 3: the audit search
        "admin": reverse("staff-admin:accounts"),
    }
    for role, url in landing.items():
        response = login(role).get("/")
        assert (response.status_code, response["Location"]) == (302, url), role


def test_403_and_404_pages_are_in_the_frame_and_the_users_language():
    client = login("auditor")
    denied = client.get(reverse("complaints:new"))
    assert denied.status_code == 403
    page = denied.content.decode()
    assert "没有权限" in page and 'data-menu="cases"' in page and "Access Forbidden" not in page
    missing = client.get("/cases/360302-1999-99999/")
    assert missing.status_code == 404 and "页面不存在" in missing.content.decode()
    assert 'data-menu="cases"' in missing.content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("complaints:new"), HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 403 and "Permission denied" in english.content.decode()
    no_route = client.get("/no-such-page/")
    assert no_route.status_code == 404 and 'data-menu="cases"' in no_route.content.decode()


def test_the_accountability_pages_and_the_credit_list_are_drawn_in_the_staff_frame():
    client = login("leader", "360300")
    for url in [reverse("accountability-staff:register"), reverse("accountability-staff:publication-list"),
                reverse("accountability-staff:credit-list")]:  # fmt: skip
        page = client.get(url).content.decode()
        assert 'data-menu="cases"' in page, url  # the menu: a way back
    assert 'href="/accountability/credit-list/"' in client.get(reverse("cases:index")).content.decode()


def test_the_admin_manages_accounts_of_its_subtree_only_from_the_staff_site():
    page = login("admin", "360302").get(reverse("staff-admin:accounts")).content.decode()
    assert "clerk_360302" in page and "clerk_360313" not in page and "leader_360300" not in page
    assert login("clerk").get(reverse("staff-admin:accounts")).status_code == 403


# --- routing ---------------------------------------------------------------------------------------------


def assigned_case():
    receipt = submit()["receipt_no"]
    claim_and_complete("clerk_360302", receipt, decision="accept")
    inspector, second = world.user("inspector", "360302"), world.second_inspector("360302")
    claim_and_complete("leader_360302", receipt, inspectors=[inspector.pk, second.pk], conflict_declared=True)
    return receipt, Case.objects.get(complaints__receipt_no=receipt)


def test_the_tasks_of_a_case_go_to_its_assigned_inspectors_not_the_queue():
    receipt, case = assigned_case()
    task = Task.objects.get(process__caseprocess__case=case, flow_task_type="HUMAN", status="ASSIGNED")
    assert task.owner.username in ("inspector_360302", "inspector2_360302") and task.assigned is not None
    owner = task.owner.username
    mine = api(owner).get("/api/v1/tasks/", {"scope": "mine"}).json()["results"]
    assert [r["id"] for r in mine if r["case_no"] == case.case_no] == [task.pk]
    queue = api("leader_360302").get("/api/v1/tasks/", {"scope": "queue"}).json()
    assert task.pk not in [r["id"] for r in queue["results"]]
    assert TimelineEvent.objects.filter(case=case, kind="task.routed", data__owner=owner).exists()
    # the next inspector step goes to the one who did this one
    claim_and_complete(owner, receipt, violation=True, findings="查实拖欠。")
    nxt = Task.objects.get(process__caseprocess__case=case, flow_task_type="HUMAN", status="ASSIGNED")
    assert nxt.owner.username == owner and nxt.flow_task.name == "decide"


def test_a_step_nobody_on_the_case_may_take_stays_in_the_office_queue():
    receipt = submit()["receipt_no"]
    claim_and_complete("clerk_360302", receipt, decision="accept")
    case = Case.objects.get(complaints__receipt_no=receipt)
    task = Task.objects.get(process__caseprocess__case=case, flow_task_type="HUMAN", status="NEW")
    assert task.owner is None  # assigning inspectors is the leader's approval: its office's queue
    queue = api("leader_360302").get("/api/v1/tasks/", {"scope": "queue"}).json()["results"]
    assert task.pk in [r["id"] for r in queue]


def test_a_supplement_goes_back_to_the_clerk_who_asked_for_it():
    receipt = submit()["receipt_no"]
    claim_and_complete("clerk_360302", receipt, decision="supplement", reason="缺少工资条。")
    task = Task.objects.filter(process__caseprocess__complaint__receipt_no=receipt, flow_task_type="HUMAN").latest("id")
    assert task.owner is not None and task.owner.username == "clerk_360302"


# --- bulk assignment ---------------------------------------------------------------------------------------


def test_bulk_assign_gives_each_task_only_to_someone_who_may_take_it():
    a = submit()["receipt_no"]
    b = submit()["receipt_no"]
    tasks = [Task.objects.get(process__caseprocess__complaint__receipt_no=r, flow_task_type="HUMAN") for r in (a, b)]
    outside = factories.complaint("received", region="360313")
    other = Task.objects.get(process__caseprocess__complaint=outside, flow_task_type="HUMAN")
    leader, clerk = login("leader"), world.user("clerk", "360302")
    ids = [str(t.pk) for t in tasks] + [str(other.pk)]
    response = leader.post(reverse("tasks:queue-assign"), {"task": ids, "assignee": clerk.pk})
    assert response.status_code == 302
    owners = dict(Task.objects.filter(pk__in=[t.pk for t in tasks + [other]]).values_list("pk", "owner__username"))
    assert [owners[t.pk] for t in tasks] == ["clerk_360302", "clerk_360302"] and owners[other.pk] is None
    assert TimelineEvent.objects.filter(kind="task.assigned", data__assignee="clerk_360302").count() == 2
    # an inspector cannot take an intake task: refused, nothing given
    c = submit()["receipt_no"]
    task = Task.objects.get(process__caseprocess__complaint__receipt_no=c, flow_task_type="HUMAN")
    leader.post(reverse("tasks:queue-assign"), {"task": [task.pk], "assignee": world.user("inspector", "360302").pk})
    task.refresh_from_db()
    assert task.owner is None
    # who is not a leader may not assign at all
    refused = login("clerk").post(reverse("tasks:queue-assign"), {"task": [task.pk], "assignee": clerk.pk})
    assert refused.status_code == 403


def test_my_cases_lists_the_cases_an_inspector_is_assigned_to():
    """Inspector → my cases and tasks: the menu's 我的案件 lists its assigned cases only."""
    _receipt, case = assigned_case()
    other = world.case_in("360302")
    client = login("inspector")
    page = client.get(reverse("cases:index"), {"mine": "1"}).content.decode()
    assert case.case_no in page and other.case_no not in page
    assert 'href="/cases/?mine=1" data-menu="my-cases"' in page


def test_the_complaint_page_says_why_it_went_to_its_office_in_words_not_the_stored_code():
    complaint = factories.complaint("received")
    client = login("clerk")
    page = client.get(f"/complaints/{complaint.receipt_no}/").content.decode()
    assert "管辖依据" in page and "投诉人选择的用工所在地" in page
    assert "region_code" not in page and "（360302）" not in page
