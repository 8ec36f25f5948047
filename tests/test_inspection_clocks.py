"""双随机一公开, issue 18 items 2–5: the walk plan → draw → inspection → rectification order → verified through the
pages; the rectification and publication clocks on the deadline engine (20 working days across the National Day
holiday; the overdue publication's reminder to the plan's leader and the region's leaders); the province's
rectification period read from its settings and the inspector's override within bounds; a not-corrected
rectification proposed as a case through the filing flow, the case page and the inspection page linking each
other; every new page 200 / 404 / 403."""

import itertools
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from viewflow.workflow.models import Task

from cases.deadlines import deadlines_for, deadlines_sweep, subject_ref_of
from cases.models import Case, Deadline, Employer, FilingProposal, ProvinceConfig, Region, Role, TimelineEvent
from cases.services import staff_create
from inspections import clocks
from inspections.models import Inspection, Plan
from inspections.pools import inspector_enrol, target_enrol
from inspections.services import CHECKLIST, inspection_record, plan_complete, plan_create, plan_draw, plan_publish
from tests.clock import at
from tests.factories import staff, uscc
from workflows import services as flow_services

pytestmark = pytest.mark.django_db
CODE, OTHER = "360302", "360313"
SH = ZoneInfo("Asia/Shanghai")
ALL_OK = dict.fromkeys(CHECKLIST, "ok")
_serial = itertools.count(8100)


@pytest.fixture(autouse=True)
def _quiet_engine():
    # the world's own open clocks are not this file's business: the sweep here sees only ours
    Deadline.objects.filter(state__in=["running", "paused", "overdue"]).update(state="cancelled")


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=SH)


def _pools(*, targets=2, inspectors=3):
    region = Region.objects.get(code=CODE)
    leader = staff(Role.LEADER, CODE)
    for _n in range(inspectors):
        k = next(_serial)
        user = staff_create(username=f"clk_insp_{k}", region=region, role=Role.INSPECTOR)
        inspector_enrol(region=region, user=user, name=f"检查员{k}", certificate_no=f"JX{k}", actor=leader)
    for _n in range(targets):
        k = next(_serial)
        employer = Employer.objects.create(name=f"时限单位{k}", name_key=f"时限单位{k}", uscc=uscc(k), region=region,
                                           industry="C")  # fmt: skip
        target_enrol(region=region, actor=leader, industry="C", employer=employer)
    return region, leader


def _drawn(count=1, **pools):
    region, leader = _pools(**pools)
    plan = plan_create(region=region, name="2026年双随机抽查（时限）", period_start=date(2026, 3, 1),
                       period_end=date(2026, 12, 31), count=count, actor=leader)  # fmt: skip
    return plan_draw(plan=plan, actor=leader, seed="clocks"), leader


def _rectify(inspection, on: date, **kw):
    actor = inspection.inspectors.first().user
    with at(_noon(on)):
        return inspection_record(inspection=inspection, checklist={**ALL_OK, "contracts": "problem"},
                                 findings="未签订书面劳动合同", outcome="rectify", inspected_on=on, actor=actor,
                                 **kw)  # fmt: skip


# --- item 4: the rectification period ---------------------------------------------------------------------


def test_the_rectification_period_is_the_provinces_setting_and_the_order_may_set_another_within_bounds():
    plan, _leader = _drawn(count=3, targets=3)
    first, second, third = plan.inspections.all()
    inspection = _rectify(first, date(2026, 4, 1))  # the default: 10 working days
    assert inspection.rectify_wd == 10 and inspection.rectify_due == date(2026, 4, 16)  # 04-06 Qingming holiday
    clock = clocks.clock_of(inspection, clocks.RECTIFY)
    assert clock.due_at.astimezone(SH).date() == inspection.rectify_due and clock.length == 10
    assert clock.legal_basis.startswith("《关于实施〈劳动保障监察条例〉若干规定》")
    ProvinceConfig.objects.create(province=Region.objects.get(code="360000"), inspection_rectify_wd=7)
    for bad in (0, 61):
        with pytest.raises(ValidationError) as err:
            _rectify(second, date(2026, 4, 1), rectify_wd=bad)
        assert "rectify_wd" in err.value.message_dict
    assert Inspection.objects.get(pk=second.pk).outcome == ""
    with_setting = _rectify(second, date(2026, 4, 1))
    assert with_setting.rectify_wd == 7 and with_setting.rectify_due == date(2026, 4, 13)
    overridden = _rectify(third, date(2026, 4, 1), rectify_wd=3)
    assert overridden.rectify_wd == 3 and overridden.rectify_due == date(2026, 4, 7)
    assert clocks.clock_of(overridden, clocks.RECTIFY).length == 3
    event = TimelineEvent.objects.filter(kind="inspection.rectification_ordered").latest("pk")
    assert event.data["rectify_wd"] == 3


# --- item 3: the publication clock and its reminder ---------------------------------------------------------


def _completed(on: date):
    plan, leader = _drawn()
    inspection = plan.inspections.get()
    with at(_noon(on)):
        inspection_record(inspection=inspection, checklist=ALL_OK, findings="", outcome="no_problem",
                          inspected_on=on, actor=leader)  # fmt: skip
        return plan_complete(plan=plan, actor=leader, on=on), leader


def test_publication_clock_is_20_working_days_across_the_national_day_holiday():
    plan, _leader = _completed(date(2026, 9, 30))
    clock = clocks.clock_of(plan, clocks.PUBLISH)
    # 10-01..07 holidays, 10-10 (Sat) a make-up working day: the 20th working day after 09-30 is 11-03
    assert clock.due_at.astimezone(SH).date() == date(2026, 11, 3) == plan.publish_due
    assert clock.length == 20 and clock.title == "抽查结果公示期限"
    assert [d.pk for d in deadlines_for(subject_ref=subject_ref_of(plan))] == [clock.pk]


def test_an_overdue_publication_reminds_the_plans_leader_and_the_regions_leaders(client):
    plan, leader = _completed(date(2026, 9, 30))
    other_leader = staff_create(username="clk_leader_2", region=plan.region, role=Role.LEADER)
    clock = clocks.clock_of(plan, clocks.PUBLISH)
    deadlines_sweep(now=_noon(date(2026, 11, 3)))  # the due day itself: not yet overdue
    assert not TimelineEvent.objects.filter(kind="inspection.publication_reminded").exists()
    deadlines_sweep(now=_noon(date(2026, 11, 4)))
    clock.refresh_from_db()
    assert clock.state == Deadline.State.OVERDUE
    reminded = TimelineEvent.objects.get(kind="inspection.publication_reminded", region=plan.region)
    assert reminded.data["plan"] == plan.pk and reminded.data["publish_due"] == "2026-11-03"
    assert {leader.username, other_leader.username} <= set(reminded.data["leaders"])
    assert TimelineEvent.objects.filter(kind="deadline.overdue", region=plan.region).exists()
    deadlines_sweep(now=_noon(date(2026, 11, 5)))  # once
    assert TimelineEvent.objects.filter(kind="inspection.publication_reminded").count() == 1
    # the leaders see it: on the plan list, the plan page, and the leader's overdue list (linked)
    client.force_login(other_leader)
    html = client.get(reverse("inspections:index")).content.decode()
    assert "公示逾期提醒" in html and plan.name in html
    assert "已超过公示期限" in client.get(reverse("inspections:detail", args=[plan.pk])).content.decode()
    html = client.get(reverse("tasks:leader")).content.decode()
    assert reverse("inspections:detail", args=[plan.pk]) in html
    client.force_login(staff(Role.CLERK, CODE))
    assert "公示逾期提醒" not in client.get(reverse("inspections:index")).content.decode()
    # published late: the clock closed late, the reminder gone
    with at(_noon(date(2026, 11, 6))):
        plan_publish(plan=plan, actor=leader)
    clock.refresh_from_db()
    assert clock.state == Deadline.State.CLOSED_LATE
    client.force_login(other_leader)
    assert "公示逾期提醒" not in client.get(reverse("inspections:index")).content.decode()


def test_published_in_time_the_clock_is_met_and_nobody_is_reminded():
    plan, leader = _completed(date(2026, 9, 30))
    with at(_noon(date(2026, 10, 20))):
        plan_publish(plan=plan, actor=leader)
    deadlines_sweep(now=_noon(date(2026, 11, 20)))
    assert Deadline.objects.get(subject_ref=subject_ref_of(plan)).state == Deadline.State.MET
    assert not TimelineEvent.objects.filter(kind="inspection.publication_reminded").exists()


# --- items 2 and 5: verification on the pages, a not-corrected rectification becomes a case ----------------


def test_walk_plan_draw_inspection_rectification_verified_through_the_pages(client):
    region, leader = _pools(targets=2, inspectors=3)
    client.force_login(leader)
    body = {"region_code": CODE, "name": "页面走查计划", "period_start": "2026-03-01", "period_end": "2026-12-31",
            "count": "1"}  # fmt: skip
    with at(_noon(date(2026, 4, 1))):
        assert client.post(reverse("inspections:new"), body).status_code == 302
        plan = Plan.objects.get(name="页面走查计划")
        assert client.post(reverse("inspections:draw", args=[plan.pk])).status_code == 302
        inspection = Plan.objects.get(pk=plan.pk).inspections.get()
        inspector = inspection.inspectors.order_by("pk").first().user
        client.force_login(inspector)
        record = {f"check_{k}": "ok" for k in CHECKLIST} | {
            "outcome": "rectify", "inspected_on": "2026-04-01", "check_notice_board": "problem",
            "findings": "未设置维权信息告示牌", "rectify_wd": "5",
        }  # fmt: skip
        assert client.post(reverse("inspections:record", args=[inspection.pk]), record).status_code == 302
    inspection.refresh_from_db()
    assert inspection.rectify_wd == 5 and inspection.rectify_due == date(2026, 4, 9)
    page = reverse("inspections:inspection", args=[inspection.pk])
    with at(_noon(date(2026, 4, 8))):
        client.force_login(inspector)  # a staff session lasts a working day
        listing = client.get(reverse("inspections:rectifications")).content.decode()
        assert page in listing and "整改中" in listing
        html = client.get(page).content.decode()
        assert "2026-04-09" in html and "责令整改期限" in html and "核查整改情况" in html
        response = client.post(reverse("inspections:rectification-verify", args=[inspection.pk]),
                               {"result": "corrected", "verified_on": "2026-04-08", "note": ""})  # fmt: skip
        assert response.status_code == 200 and "note" in response.context["form"].errors
        response = client.post(reverse("inspections:rectification-verify", args=[inspection.pk]),
                               {"result": "corrected", "verified_on": "2026-04-08",
                                "note": "已设置告示牌，现场拍照留存"})  # fmt: skip
        assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.rectify_result == "corrected" and inspection.rectified_on == date(2026, 4, 8)
    assert clocks.clocks_of(inspection)[0].state == Deadline.State.MET
    event = TimelineEvent.objects.get(kind="inspection.rectification_verified", region=region)
    assert event.data["note"] == "已设置告示牌，现场拍照留存" and event.data["late"] is False
    with at(_noon(date(2026, 4, 9))):
        client.force_login(leader)
        assert client.post(reverse("inspections:complete", args=[plan.pk])).status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == "completed"
    assert clocks.clock_of(plan, clocks.PUBLISH) is not None


def test_not_corrected_is_proposed_as_a_case_and_the_case_and_the_inspection_link_each_other(client):
    plan, leader = _drawn()
    inspection = _rectify(plan.inspections.get(), date(2026, 4, 1))
    inspector = inspection.inspectors.order_by("pk").first().user
    client.force_login(inspector)
    url = reverse("inspections:rectification-verify", args=[inspection.pk])
    body = {"result": "not_corrected", "verified_on": "2026-04-20", "note": "逾期仍未签订劳动合同",
            "workers_count": "", "amount_owed": ""}  # fmt: skip
    with at(_noon(date(2026, 4, 20))):
        response = client.post(url, body)  # the proposal needs the number of workers: the field named
        assert response.status_code == 200 and "workers_count" in response.context["form"].errors
        assert Inspection.objects.get(pk=inspection.pk).rectified_on is None
        assert client.post(url, {**body, "workers_count": "6", "amount_owed": "42000"}).status_code == 302
    inspection.refresh_from_db()
    filing = inspection.filing
    assert inspection.rectify_result == "not_corrected" and filing is not None
    assert filing.proposal["origin"] == Case.Origin.DOUBLE_RANDOM and filing.proposal["workers_count"] == 6
    assert inspection.target.employer.name == filing.proposal["employer"]["name"]
    assert clocks.clocks_of(inspection)[0].state == Deadline.State.CLOSED_LATE  # due 04-16, verified 04-20
    assert TimelineEvent.objects.get(kind="inspection.rectification_failed").data["filing"] == filing.pk
    client.force_login(inspector)
    assert "待负责人审批" in client.get(reverse("inspections:inspection", args=[inspection.pk])).content.decode()
    # the leader's 立案审批 task (FilingFlow), approved: the case filed, its timeline naming the inspection
    task = Task.objects.get(process__caseprocess__artifact_object_id=filing.pk, flow_task__endswith="filing_approval",
                            status__in=["NEW", "ASSIGNED"])  # fmt: skip
    if task.owner_id is None:
        flow_services.task_assign(task=task, actor=leader)
    flow_services.task_complete(task=task, actor=leader, data={"approved": "yes", "opinion": "同意立案"})
    case = FilingProposal.objects.get(pk=filing.pk).case
    assert case is not None and case.origin == Case.Origin.DOUBLE_RANDOM
    linked = TimelineEvent.objects.get(case=case, kind="inspection.case_linked")
    assert linked.data["inspection"] == inspection.pk and linked.data["plan_name"] == plan.name
    client.force_login(leader)
    inspection_url = reverse("inspections:inspection", args=[inspection.pk])
    case_html = client.get(reverse("cases:detail", args=[case.case_no])).content.decode()
    assert inspection_url in case_html and "本案由双随机抽查" in case_html
    assert reverse("cases:detail", args=[case.case_no]) in client.get(inspection_url).content.decode()


def test_inspection_and_rectification_pages_permissions(client):
    plan, leader = _drawn()
    inspection = _rectify(plan.inspections.get(), date(2026, 4, 1))
    page = reverse("inspections:inspection", args=[inspection.pk])
    verify = reverse("inspections:rectification-verify", args=[inspection.pk])
    body = {"result": "corrected", "verified_on": "2026-04-02", "note": "已整改"}
    mine = inspection.inspectors.order_by("pk").first().user
    not_mine = staff_create(username="clk_insp_other", region=plan.region, role=Role.INSPECTOR)
    client.force_login(leader)  # in scope, reads it; not its inspector
    assert client.get(page).status_code == 200 and client.post(verify, body).status_code == 403
    assert client.get(reverse("inspections:rectifications")).status_code == 403  # not an inspector
    client.force_login(not_mine)
    assert client.post(verify, body).status_code == 403
    assert page not in client.get(reverse("inspections:rectifications")).content.decode()
    client.force_login(staff(Role.LEADER, OTHER))  # out of scope
    assert client.get(page).status_code == 404 and client.post(verify, body).status_code == 404
    client.force_login(staff(Role.ADMIN, CODE))  # no reading role
    assert client.get(page).status_code == 403 and client.get(reverse("inspections:rectifications")).status_code == 403
    assert Inspection.objects.get(pk=inspection.pk).rectified_on is None
    client.force_login(mine)
    assert client.get(reverse("inspections:rectifications")).status_code == 200
    with at(_noon(date(2026, 4, 2))):
        assert client.post(verify, body).status_code == 302


def test_the_demo_seeds_a_drawn_plan_a_rectification_due_and_a_filed_case_fast():
    import time as clock_time

    from tests.factories import inspectors
    from workflows.demo import _inspections_demo

    inspectors(CODE)
    staff(Role.LEADER, CODE)
    started = clock_time.monotonic()
    _inspections_demo(lambda _line: None)
    assert clock_time.monotonic() - started < 3
    plan = Plan.objects.get(name="2026年第四季度双随机抽查（演示）")
    assert plan.status == "drawn" and plan.seed == "demo-2026-q4"
    due, late = plan.inspections.order_by("pk")
    assert due.outcome == "rectify" and due.rectified_on is None and clocks.clock_of(due, clocks.RECTIFY)
    assert late.rectify_result == "not_corrected" and late.filing.case is not None
    assert TimelineEvent.objects.filter(case=late.filing.case, kind="inspection.case_linked").exists()
    _inspections_demo(lambda _line: None)  # idempotent
    assert Plan.objects.filter(name="2026年第四季度双随机抽查（演示）").count() == 1


def test_a_finding_proposed_as_a_case_on_the_record_page(client):
    plan, leader = _drawn()
    inspection = plan.inspections.get()
    inspector = inspection.inspectors.order_by("pk").first().user
    url = reverse("inspections:record", args=[inspection.pk])
    body = {f"check_{k}": "ok" for k in CHECKLIST} | {
        "outcome": "case", "inspected_on": "2026-04-01", "check_wage_records": "problem",
        "findings": "拖欠8名劳动者三个月工资", "workers_count": "", "amount_owed": "64000",
    }  # fmt: skip
    with at(_noon(date(2026, 4, 1))):
        client.force_login(inspector)
        response = client.post(url, body)  # the number of workers is needed: the field named, nothing made
        assert response.status_code == 200 and "workers_count" in response.context["form"].errors
        assert not FilingProposal.objects.exists() and Inspection.objects.get(pk=inspection.pk).outcome == ""
        assert client.post(url, {**body, "workers_count": "8"}).status_code == 302
    inspection.refresh_from_db()
    assert inspection.outcome == "case" and inspection.filing.proposal["workers_count"] == 8
    assert "拖欠8名劳动者三个月工资" in inspection.filing.proposal["facts"]
    tasks = Task.objects.filter(process__caseprocess__artifact_object_id=inspection.filing_id,
                                flow_task__endswith="filing_approval", status__in=["NEW", "ASSIGNED"])  # fmt: skip
    assert tasks.exists()
    assert TimelineEvent.objects.get(kind="inspection.case_proposed").data["filing"] == inspection.filing_id
