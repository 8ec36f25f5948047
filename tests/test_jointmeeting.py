"""The joint meeting's 督办 and 约谈 (jointmeeting): who sees and does what (each department role: in scope 200,
out of scope 404, wrong role 403), the matter walked to closure with a progress report, its clock warned and
run out (15 days by default, the province's setting moves it), 约谈 records and their follow-up clock, the
second concurrent closure (409), the lists' filters and XLSX export, and the pages in English."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases import deadlines
from cases.models import Deadline, Region, TimelineEvent
from cases.transitions import StateConflict
from jointmeeting import scope, services
from jointmeeting.clocks import FOLLOWUP, MATTER, RULES, clocks_of
from jointmeeting.models import JointMeetingConfig, Matter
from tests import world
from tests.clock import days_later
from tests.jointkit import client_of, department_user, matter

pytestmark = pytest.mark.django_db
S = Matter.Status


def sweep(at) -> None:
    call_command("sweep_deadlines", "--at", at.isoformat())


def clock_days_past(clock: Deadline) -> float:
    """Days from now to one day after `clock`'s end."""
    return (clock.due_at - timezone.now()).total_seconds() / 86400 + 1


def region_events(code: str, kind: str):
    return TimelineEvent.objects.filter(region__code=code, kind=kind)


# --- the rules with numbers -----------------------------------------------------------------------------------


def test_a_matter_runs_15_days_by_default_and_the_provinces_setting_moves_it():
    assert (RULES[MATTER].length, RULES[MATTER].unit, RULES[MATTER].warn_before) == (15, Deadline.Unit.DAYS, 3)
    assert (RULES[FOLLOWUP].length, RULES[FOLLOWUP].unit) == (15, Deadline.Unit.DAYS)
    assert JointMeetingConfig().matter_days == 15 and JointMeetingConfig().followup_days == 15
    first = matter()
    clock = clocks_of(first, MATTER).get()
    assert (clock.length, clock.unit, clock.region.code) == (15, Deadline.Unit.DAYS, "360302")
    assert clock.subject_ref == f"jointmeeting.matter:{first.pk}" and clock.due_at == first.due_at
    assert "省级配置" in clock.legal_basis
    JointMeetingConfig.objects.create(province=world.region("360000"), matter_days=10, followup_days=7)
    second = matter()
    assert clocks_of(second, MATTER).get().length == 10


# --- issuing: who may, to whom ----------------------------------------------------------------------------------


def test_only_the_office_issues_and_only_to_its_region_or_below():
    office = department_user("office", "360300")
    made = matter(office="360300", to="360302", department="finance", actor=office)
    assert made.office_region.code == "360300" and made.status == S.ISSUED
    assert region_events("360300", "jointmeeting.matter_issued").filter(data__matter=made.pk).count() == 1
    # the government of a region below, never the office's own
    matter(office="360300", to="360302", department="government")
    with pytest.raises(ValidationError) as err:
        matter(office="360300", to="360300", department="government")
    assert "addressee_department" in err.value.message_dict
    with pytest.raises(ValidationError):  # a sibling county is not below the county's office
        matter(office="360302", to="360313", department="housing")
    with pytest.raises(ValidationError):  # the office itself is no addressee
        matter(office="360300", to="360302", department="office")
    for who in (world.user("inspector", "360302"), department_user("housing"), department_user("police"),
                world.user("leader", "360313")):  # fmt: skip
        with pytest.raises(PermissionDenied):
            matter(office="360302", actor=who)


def test_bad_input_names_the_field_and_changes_nothing():
    before = Matter.objects.count()
    with pytest.raises(ValidationError) as err:
        matter(subject="  ")
    assert "subject" in err.value.message_dict and Matter.objects.count() == before
    response = client_of(world.user("leader", "360302")).post(reverse("jointmeeting:matter-new"), {
        "office_region": "360302", "kind": "supervision", "subject": "事项", "addressee_department": "housing",
        "addressee_region": "没有这个地方",
    })  # fmt: skip
    assert response.status_code == 400 and "承办单位所在区划" in response.content.decode()
    assert Matter.objects.count() == before


# --- scope of each role ------------------------------------------------------------------------------------------


def test_a_housing_user_sees_its_matters_not_finances_and_reports_only_on_its_own():
    housing, finance = department_user("housing"), department_user("finance")
    to_housing = matter(department="housing")
    to_finance = matter(department="finance")
    assert set(scope.matters_visible(housing)) == {to_housing}
    assert set(scope.matters_visible(finance)) == {to_finance}
    c = client_of(housing)
    assert c.get(reverse("jointmeeting:matter", args=[to_housing.pk])).status_code == 200
    assert c.get(reverse("jointmeeting:matter", args=[to_finance.pk])).status_code == 404
    report_finance = reverse("jointmeeting:matter-action", args=[to_finance.pk, "report"])
    assert c.post(report_finance, {"text": "x"}).status_code == 404
    # in scope, the wrong act: the addressee does not close
    assert c.post(reverse("jointmeeting:matter-action", args=[to_housing.pk, "close"]),
                  {"result": "x"}).status_code == 403  # fmt: skip
    assert c.get(reverse("jointmeeting:matter-new")).status_code == 403
    # the city's housing department reads the county's matter, read only
    city = department_user("housing", "360300")
    cc = client_of(city)
    assert cc.get(reverse("jointmeeting:matter", args=[to_housing.pk])).status_code == 200
    assert cc.post(reverse("jointmeeting:matter-action", args=[to_housing.pk, "report"]),
                   {"text": "x"}).status_code == 403  # fmt: skip
    # another county's housing department: out of scope
    other = client_of(department_user("housing", "360313"))
    assert other.get(reverse("jointmeeting:matter", args=[to_housing.pk])).status_code == 404


def test_offices_read_their_own_and_the_lower_offices_matters():
    county = matter(office="360302")
    city = matter(office="360300", to="360302")
    assert set(scope.matters_visible(world.user("leader", "360300"))) >= {county, city}
    assert county in scope.matters_visible(world.user("leader", "360302"))
    assert city not in scope.matters_visible(world.user("leader", "360302"))
    out = client_of(world.user("leader", "360313"))
    assert out.get(reverse("jointmeeting:matter", args=[county.pk])).status_code == 404
    # the city's leader reads the county office's matter but does not close it (not its office)
    assert client_of(world.user("leader", "360300")).post(
        reverse("jointmeeting:matter-action", args=[county.pk, "close"]), {"result": "x"}
    ).status_code == 403


def test_roles_without_joint_meeting_seats_are_refused():
    for role in ("clerk", "inspector", "legal", "auditor", "admin"):
        c = client_of(world.user(role, "360302"))
        assert c.get(reverse("jointmeeting:matters")).status_code == 403, role
        assert c.get(reverse("jointmeeting:home")).status_code == 403, role
        assert c.get(reverse("jointmeeting:referrals")).status_code == 403, role
        assert c.get(reverse("jointmeeting:funding")).status_code == 403, role


def test_department_users_see_no_complaint_or_case():
    case = world.case_in("360302")
    for department in ("housing", "finance", "development", "police", "government", "office"):
        c = client_of(department_user(department))
        assert c.get(reverse("complaints:index")).status_code == 403, department
        assert c.get(reverse("cases:index")).status_code == 403, department
        assert c.get(reverse("cases:detail", args=[case.case_no])).status_code in (403, 404), department


def test_each_department_lands_on_its_workbench_with_the_menu_it_may_open():
    from workflows.menu import entries_for

    expected = {
        "housing": {"projects", "warnings", "campaigns", "deposits", "joint", "joint-matters"},
        "finance": {"joint", "joint-matters", "joint-funding"},
        "development": {"joint", "joint-matters", "joint-funding"},
        "police": {"joint", "joint-matters", "joint-referrals"},
        "government": {"joint", "joint-matters"},
        "office": {"joint", "joint-matters"},
    }
    for department, keys in expected.items():
        user = department_user(department)
        assert {e.key for e in entries_for(user)} == keys, department
        c = client_of(user)
        response = c.get("/")
        assert (response.status_code, response["Location"]) == (302, reverse("jointmeeting:home")), department
        assert c.get(response["Location"]).status_code == 200
        for entry in entries_for(user):
            assert c.get(entry.url()).status_code == 200, (department, entry.key)


# --- the walk: issue → report → warned → overdue → 约谈 → closed late --------------------------------------------


def test_a_matter_walked_to_closure_with_a_report_a_warning_and_an_overdue():
    housing = department_user("housing")
    leader = world.user("leader", "360302")
    m = matter(department="housing")
    clock = clocks_of(m, MATTER).get()
    services.matter_report(matter=m, actor=housing, text="已约见建设单位，拟于本周支付。")
    m.refresh_from_db()
    assert m.status == S.IN_PROGRESS and m.last_report_at is not None
    # warned 3 days before the end; overdue after it: the leader hears (named on the event, its overdue list)
    sweep(clock.warn_at + timedelta(seconds=1))
    clock.refresh_from_db()
    assert clock.warned_at is not None
    assert region_events("360302", "deadline.warned").filter(data__kind=MATTER).exists()
    sweep(clock.due_at - timedelta(seconds=1))
    m.refresh_from_db()
    assert m.status == S.IN_PROGRESS
    sweep(clock.due_at + timedelta(seconds=1))
    m.refresh_from_db()
    clock.refresh_from_db()
    assert m.status == S.OVERDUE and clock.state == Deadline.State.OVERDUE
    overdue = region_events("360302", "jointmeeting.matter_overdue").get(data__matter=m.pk)
    assert leader.username in overdue.data["leaders"]
    page = client_of(leader).get(reverse("tasks:leader")).content.decode()
    assert m.subject in page and reverse("jointmeeting:matter", args=[m.pk]) in page
    # a 约谈 with the department; its commitments' clock; the report of completion closes it; the office closes
    with days_later(clock_days_past(clock)):
        interview = services.interview_record(
            matter=m, actor=leader, held_on=timezone.localdate(), attendees="县住建局局长、建设单位负责人",
            commitments="10日内足额支付",
        )
        follow = clocks_of(m, FOLLOWUP).get()
        assert follow.due_at == interview.followup_due_at and follow.length == 15
        services.matter_report(matter=m, actor=housing, text="已足额支付。", completed=True)
        follow.refresh_from_db()
        assert follow.state == Deadline.State.MET
        services.matter_close(matter=m, actor=leader, result="欠薪已清偿，销号。")
    m.refresh_from_db()
    clock.refresh_from_db()
    assert m.status == S.CLOSED and m.closed_by == leader and clock.state == Deadline.State.CLOSED_LATE
    closed = region_events("360302", "jointmeeting.matter_closed").get(data__matter=m.pk)
    assert closed.data["late"] is True
    kinds = list(region_events("360302", "jointmeeting.matter_reported").filter(data__matter=m.pk)
                 .values_list("data__completed", flat=True))  # fmt: skip
    assert kinds == [False, True]
    with pytest.raises(StateConflict):  # closed: nothing more
        services.matter_report(matter=m, actor=housing, text="补充")


def test_a_matter_closed_in_time_is_met_and_needs_a_report_first():
    leader = world.user("leader", "360302")
    m = matter(department="finance")
    with pytest.raises(ValidationError) as err:
        services.matter_close(matter=m, actor=leader, result="办结")
    assert "result" in err.value.message_dict
    services.matter_report(matter=m, actor=department_user("finance"), text="资金已拨付。", completed=True)
    services.matter_close(matter=m, actor=leader, result="办结")
    assert clocks_of(m, MATTER).get().state == Deadline.State.MET


def test_a_followup_run_out_makes_the_matter_overdue():
    leader = world.user("leader", "360302")
    m = matter(kind="interview", department="government", office="360300", to="360302",
               actor=world.user("leader", "360300"))  # fmt: skip
    services.interview_record(matter=m, actor=world.user("leader", "360300"), held_on=timezone.localdate(),
                              attendees="安源区副区长", commitments="一个月内清欠")  # fmt: skip
    follow = clocks_of(m, FOLLOWUP).get()
    sweep(follow.due_at + timedelta(seconds=1))
    m.refresh_from_db()
    assert m.status == S.OVERDUE
    assert region_events("360300", "jointmeeting.followup_overdue").filter(data__matter=m.pk).exists()
    with pytest.raises(PermissionDenied):  # the county's leader is not the city's office
        services.interview_record(matter=m, actor=leader, held_on=timezone.localdate(), attendees="a",
                                  commitments="b")  # fmt: skip


def test_the_second_closure_answers_409():
    leader = world.user("leader", "360302")
    m = matter(department="housing")
    services.matter_report(matter=m, actor=department_user("housing"), text="进展", completed=True)
    c = client_of(leader)
    url = reverse("jointmeeting:matter-action", args=[m.pk, "close"])
    assert c.post(url, {"result": "办结"}).status_code == 302
    second = c.post(url, {"result": "再次办结"})
    assert second.status_code == 409 and "已办结" in second.content.decode()
    assert region_events("360302", "jointmeeting.matter_closed").filter(data__matter=m.pk).count() == 1


# --- pages: the walk through the pages, list filters and export, English ----------------------------------------


def test_the_pages_walk_and_the_list_filters_and_exports():
    leader = client_of(world.user("leader", "360302"))
    response = leader.post(reverse("jointmeeting:matter-new"), {
        "office_region": "360302", "kind": "supervision", "subject": "督促交通项目支付工资",
        "addressee_department": "transport", "addressee_region": "安源区",
    })  # fmt: skip
    assert response.status_code == 302
    m = Matter.objects.get(subject="督促交通项目支付工资")
    transport = client_of(department_user("transport"))
    home = transport.get(reverse("jointmeeting:home")).content.decode()
    assert "督促交通项目支付工资" in home and "transport" not in home
    assert transport.post(reverse("jointmeeting:matter-action", args=[m.pk, "report"]),
                          {"text": "已督促施工单位", "completed": "on"}).status_code == 302  # fmt: skip
    page = leader.get(reverse("jointmeeting:matter", args=[m.pk])).content.decode()
    assert "已督促施工单位" in page and "安源区交通运输" in page
    assert leader.post(reverse("jointmeeting:matter-action", args=[m.pk, "close"]),
                       {"result": "已支付"}).status_code == 302  # fmt: skip
    matter(department="finance", subject="财政资金拨付")
    listed = leader.get(reverse("jointmeeting:matters"), {"department": "transport"}).content.decode()
    assert "督促交通项目支付工资" in listed and "财政资金拨付" not in listed
    listed = leader.get(reverse("jointmeeting:matters"), {"status": "open"}).content.decode()
    assert "督促交通项目支付工资" not in listed and "财政资金拨付" in listed
    export = leader.get(reverse("jointmeeting:matters"), {"department": "transport", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("类别", "事项", "交办层级", "承办单位")
    assert [r[1] for r in rows[1:]] == ["督促交通项目支付工资"] and rows[1][4] == "已办结"
    english = leader.get(reverse("jointmeeting:matter", args=[m.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text = english.content.decode()
    assert english.status_code == 200 and "Progress reports" in text and "Closed" in text


def test_the_office_seat_acts_like_the_leader_of_its_region():
    office = department_user("office", "360302")
    assert scope.acts_for_office(office, world.region("360302"))
    assert not scope.acts_for_office(office, world.region("360300"))
    m = matter(actor=office)
    assert client_of(office).get(reverse("jointmeeting:matter", args=[m.pk])).status_code == 200
    assert Region.objects.get(code="360302") == m.office_region
    assert deadlines.subject_ref_of(m) == f"jointmeeting.matter:{m.pk}"


def test_every_event_and_role_of_the_joint_meeting_has_its_words():
    import re
    from pathlib import Path

    from cases.timeline.labels import EVENT_LABELS, ROLE_LABELS
    from jointmeeting.models import Department

    source = "".join(p.read_text() for p in Path(services.__file__).parent.rglob("*.py"))
    clocks = {"jointmeeting.matter", "jointmeeting.followup"}  # deadline kinds, not events
    kinds = set(re.findall(r'"((?:jointmeeting|referral|config)\.[a-z_]+)"', source)) - clocks
    assert {"jointmeeting.matter_issued", "jointmeeting.matter_closed", "referral.police_acknowledged"} <= kinds
    assert kinds <= set(EVENT_LABELS), kinds - set(EVENT_LABELS)
    assert {d.value for d in Department} <= set(ROLE_LABELS)


def test_a_linked_project_or_case_must_be_of_the_offices_region():
    from tests.projectkit import make_project

    mine, theirs = make_project(951, region="360302"), make_project(952, region="360313")
    linked = matter(project=mine, case=world.case_in("360302"))
    assert linked.project == mine
    for extra, field in (({"project": theirs}, "project"), ({"case": world.case_in("360313")}, "case")):
        with pytest.raises(ValidationError) as err:
            matter(**extra)
        assert field in err.value.message_dict
