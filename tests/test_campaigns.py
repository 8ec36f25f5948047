"""Special campaigns and hazard sweeps (issue 18 item 6): a campaign's lifecycle; a hazard's resolution deadline
on the deadline engine (the province's working days across a holiday, warned, overdue); the resolution paths
(resolved on time or late; a proactive case filed by the leader); an industry department's scope.

Times are Asia/Shanghai; 2026-10-01..07 are holidays and 2026-10-10 (Saturday) a make-up working day."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from viewflow.workflow.models import Task

from campaigns.config import campaign_config_save, config_for
from campaigns.models import Campaign, CheckRecord, Hazard
from campaigns.services import (
    KIND,
    campaign_close,
    campaign_create,
    check_record,
    hazard_record,
    hazard_resolve,
)
from cases.deadlines import deadlines_for, deadlines_sweep, subject_ref_of
from cases.models import Deadline, Employer, Region, Role, TimelineEvent
from cases.timeline.labels import EVENT_LABELS
from projects.models import IndustryRole
from tests import world
from tests.factories import staff, uscc
from tests.projectkit import make_project
from workflows import services as flow_services

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
CITY, COUNTY, SIBLING = "360300", "360302", "360313"


def _campaign(**overrides) -> Campaign:
    values = dict(
        region=world.region(CITY), title="萍乡市根治欠薪冬季攻坚行动", period_start=date(2026, 9, 1),
        period_end=date(2027, 2, 10), target_kinds=["construction", "government", "employers"], industries=["E"],
        report_weekday=4, actor=staff(Role.LEADER, CITY),
    )  # fmt: skip
    values.update(overrides)
    return campaign_create(**values)


def _employer(n: int, code: str = COUNTY, industry: str = "E") -> Employer:
    name = f"萍乡冬季排查建筑公司{n}"
    return Employer.objects.create(name=name, name_key=name, uscc=uscc(6100 + n), region=world.region(code),
                                   industry=industry)  # fmt: skip


def _hazard(campaign, *, code=COUNTY, n=1, found_on=date(2026, 9, 28), **kw) -> Hazard:
    values = dict(campaign=campaign, region=world.region(code), kind="wages_owed", found_on=found_on, workers=4,
                  amount="12000.00", employer=_employer(n, code), actor=staff(Role.INSPECTOR, code))  # fmt: skip
    values.update(kw)
    return hazard_record(**values)


# --- the campaign ----------------------------------------------------------------------------------------


def test_a_campaign_is_launched_by_a_province_or_city_checked_and_closed():
    with pytest.raises(ValidationError) as err:
        _campaign(region=world.region(COUNTY))
    assert "region" in err.value.message_dict
    for bad, field in [({"title": " "}, "title"), ({"period_end": date(2026, 8, 1)}, "period_end"),
                       ({"target_kinds": []}, "target_kinds"), ({"industries": []}, "industries"),
                       ({"report_weekday": 7}, "report_weekday")]:  # fmt: skip
        with pytest.raises(ValidationError) as err:
            _campaign(**bad)
        assert field in err.value.message_dict, bad
    assert not Campaign.objects.filter(title="萍乡市根治欠薪冬季攻坚行动").exists()
    campaign = _campaign()
    launched = TimelineEvent.objects.get(region=world.region(CITY), kind="campaign.launched")
    assert launched.data["campaign"] == campaign.pk
    inspector = staff(Role.INSPECTOR, COUNTY)
    check = check_record(campaign=campaign, region=world.region(COUNTY), checked_on=date(2026, 9, 20),
                         employer=_employer(1), actor=inspector, note="工资按月足额发放")  # fmt: skip
    assert TimelineEvent.objects.get(region=world.region(COUNTY), kind="campaign.checked").data["check"] == check.pk
    with pytest.raises(ValidationError) as err:  # outside the campaign's subtree
        check_record(campaign=campaign, region=world.region("360102"), checked_on=date(2026, 9, 20),
                     employer=_employer(2, "360102"), actor=inspector)  # fmt: skip
    assert "region" in err.value.message_dict
    with pytest.raises(ValidationError) as err:  # not an industry of the campaign
        check_record(campaign=campaign, region=world.region(COUNTY), checked_on=date(2026, 9, 20),
                     employer=_employer(3, industry="H"), actor=inspector)  # fmt: skip
    assert "employer" in err.value.message_dict
    with pytest.raises(ValidationError):
        campaign_close(campaign=campaign, note="", actor=staff(Role.LEADER, CITY))
    campaign_close(campaign=campaign, note="排查 1 户，未发现隐患", actor=staff(Role.LEADER, CITY))
    assert TimelineEvent.objects.filter(region=world.region(CITY), kind="campaign.closed").count() == 1
    with pytest.raises(ValidationError) as err:  # a closed campaign takes no more records
        _hazard(campaign)
    assert "campaign" in err.value.message_dict
    for kind in ("campaign.launched", "campaign.checked", "campaign.closed", "hazard.recorded", "hazard.resolved",
                 "hazard.case_proposed", "hazard.case_linked", "config.campaign_changed"):  # fmt: skip
        assert kind in EVENT_LABELS


def test_a_government_invested_campaign_takes_only_those_projects():
    campaign = _campaign(target_kinds=["government"], industries=[])
    project = make_project(61)
    project.government_invested = False
    project.save(update_fields=["government_invested"])
    with pytest.raises(ValidationError) as err:
        check_record(campaign=campaign, region=project.region, checked_on=date(2026, 9, 20), project=project,
                     actor=staff(Role.INSPECTOR, COUNTY))  # fmt: skip
    assert "project" in err.value.message_dict
    project.government_invested = True
    project.save(update_fields=["government_invested"])
    check_record(campaign=campaign, region=project.region, checked_on=date(2026, 9, 20), project=project,
                 actor=staff(Role.INSPECTOR, COUNTY))  # fmt: skip


def test_the_launch_page_refuses_a_county_leader_and_launches_for_a_city():
    client = world_client(Role.LEADER, COUNTY)
    response = client.post(reverse("campaigns:new"), {"region": COUNTY, "title": "县级行动"})
    assert response.status_code == 200 and "专项行动由省级或设区市部署" in response.content.decode()
    client = world_client(Role.LEADER, CITY)
    body = {"region": "萍乡市", "title": "元旦春节专项行动", "period_start": "2026-12-01", "period_end": "2027-02-10",
            "target_kinds": ["construction"], "report_weekday": "4"}  # fmt: skip
    bad = client.post(reverse("campaigns:new"), {**body, "period_end": "2026-11-01"})
    assert bad.status_code == 200 and "结束日期不得早于开始日期" in bad.content.decode()
    response = client.post(reverse("campaigns:new"), body)
    campaign = Campaign.objects.get(title="元旦春节专项行动")
    assert response.status_code == 302 and campaign.region.code == CITY


def world_client(role: str, code: str):
    from django.test import Client

    client = Client()
    client.force_login(world.user(role, code))
    return client


# --- the hazard's deadline -------------------------------------------------------------------------------


def test_a_hazard_is_due_in_the_provinces_working_days_across_a_holiday_then_warned_and_overdue():
    Deadline.objects.filter(state__in=["running", "paused", "overdue"]).update(state="cancelled")
    campaign = _campaign()
    assert config_for(world.region(COUNTY)).hazard_resolve_wd == 10  # the declared default
    hazard = _hazard(campaign)
    # 10 working days from 09-28: 09-29, 09-30, 10-08, 10-09, 10-10 (make-up), 10-12 .. 10-16
    assert hazard.due_on == date(2026, 10, 16)
    (clock,) = deadlines_for(subject_ref=subject_ref_of(hazard))
    assert clock.kind == KIND and clock.region.code == COUNTY and "省级配置" in clock.legal_basis
    # the province sets 5: 09-29, 09-30, 10-08, 10-09, 10-10
    campaign_config_save(actor=None, province=Region.objects.get(code="360000"), values={"hazard_resolve_wd": 5})
    assert _hazard(campaign, n=2).due_on == date(2026, 10, 10)
    # warned 3 working days before its due day (from the start of 10-14), overdue after 10-16
    deadlines_sweep(now=datetime(2026, 10, 13, 12, tzinfo=SH))
    clock.refresh_from_db()
    assert clock.state == "running" and clock.warned_at is None
    deadlines_sweep(now=datetime(2026, 10, 14, 9, tzinfo=SH))
    clock.refresh_from_db()
    assert clock.warned_at is not None
    deadlines_sweep(now=datetime(2026, 10, 17, 9, tzinfo=SH))
    clock.refresh_from_db()
    hazard.refresh_from_db()
    assert clock.state == "overdue" and hazard.overdue_at is not None and hazard.status == "open"
    region_events = TimelineEvent.objects.filter(region=world.region(COUNTY), data__deadline=clock.pk)
    assert {e.kind for e in region_events} == {"deadline.warned", "deadline.overdue"}
    # the leader's overdue list names the hazard in words and links its page
    page = world_client(Role.LEADER, CITY).get(reverse("tasks:leader")).content.decode()
    assert reverse("campaigns:hazard", args=[hazard.pk]) in page and "campaigns.hazard" not in page


def test_the_province_setting_is_a_positive_number_kept_with_an_event():
    province = Region.objects.get(code="360000")
    with pytest.raises(ValidationError):
        campaign_config_save(actor=None, province=province, values={"hazard_resolve_wd": 0})
    with pytest.raises(ValidationError):
        campaign_config_save(actor=None, province=world.region(CITY), values={"hazard_resolve_wd": 5})
    campaign_config_save(actor=None, province=province, values={"hazard_resolve_wd": 15})
    assert config_for(world.region(COUNTY)).hazard_resolve_wd == 15
    event = TimelineEvent.objects.get(region=province, kind="config.campaign_changed")
    assert event.data["changes"] == {"hazard_resolve_wd": ["10", "15"]}


# --- resolution ------------------------------------------------------------------------------------------


def test_a_hazard_resolved_in_time_meets_its_clock_and_late_closes_it_late():
    campaign = _campaign()
    inspector = staff(Role.INSPECTOR, COUNTY)
    on_time, late = _hazard(campaign, n=1), _hazard(campaign, n=2)
    with pytest.raises(ValidationError) as err:  # wages owed: what was paid is required
        hazard_resolve(hazard=on_time, resolved_on=date(2026, 10, 15), evidence_note="已发放", actor=inspector)
    assert "amount_paid" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        hazard_resolve(hazard=on_time, resolved_on=date(2026, 9, 1), evidence_note="已发放", amount_paid="12000",
                       actor=inspector)  # fmt: skip
    assert "resolved_on" in err.value.message_dict
    hazard_resolve(hazard=on_time, resolved_on=date(2026, 10, 15), evidence_note="工资发放银行回单",
                   amount_paid="12000", actor=inspector)  # fmt: skip
    hazard_resolve(hazard=late, resolved_on=date(2026, 10, 19), evidence_note="工资发放银行回单",
                   amount_paid="11000", actor=inspector)  # fmt: skip
    states = {h.pk: deadlines_for(subject_ref=subject_ref_of(h)).get().state for h in (on_time, late)}
    assert states == {on_time.pk: "met", late.pk: "closed_late"}
    on_time.refresh_from_db()
    assert on_time.status == "resolved" and on_time.amount_paid == Decimal("12000.00")
    events = TimelineEvent.objects.filter(region=world.region(COUNTY), kind="hazard.resolved").order_by("seq")
    assert [e.data["late"] for e in events] == [False, True]
    with pytest.raises(ValidationError):  # once
        hazard_resolve(hazard=on_time, resolved_on=date(2026, 10, 15), evidence_note="再次", amount_paid="1",
                       actor=inspector)  # fmt: skip


def test_a_hazard_turned_into_a_case_goes_through_the_filing_flow_and_the_case_names_it():
    campaign = _campaign()
    project = make_project(62, region=COUNTY)
    hazard = _hazard(campaign, employer=None, project=project, found_on=date(2026, 11, 20))
    client = world_client(Role.INSPECTOR, COUNTY)
    response = client.post(reverse("campaigns:hazard_case", args=[hazard.pk]), {"facts": "现场核实拖欠属实"})
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == "case" and hazard.filing is not None and hazard.case_proposed_on is not None
    assert deadlines_for(subject_ref=subject_ref_of(hazard)).get().state in ("met", "closed_late")
    assert "现场核实拖欠属实" in hazard.filing.proposal["facts"]
    leader = world.user(Role.LEADER, COUNTY)
    task = Task.objects.get(process__caseprocess__region=hazard.region, flow_task__endswith="filing_approval",
                            status__in=["NEW", "ASSIGNED"], process__artifact_object_id=hazard.filing_id)  # fmt: skip
    if task.owner_id is None:
        flow_services.task_assign(task=task, actor=leader)
    flow_services.task_complete(task=task, actor=leader, data={"approved": "yes", "opinion": "同意立案"})
    hazard.refresh_from_db()
    case = hazard.filing.case
    assert case is not None and hazard.case_filed_on is not None
    general = project.units.get(role="general").employer
    assert case.employer_id == general.pk and case.workers_count == 4 and case.amount_owed == Decimal("12000.00")
    linked = TimelineEvent.objects.get(case=case, kind="hazard.case_linked")
    assert linked.data["hazard"] == hazard.pk and linked.data["campaign"] == campaign.title
    # a second proposal is refused, with a message
    again = client.post(reverse("campaigns:hazard_case", args=[hazard.pk]), {"facts": ""}, follow=True)
    assert "该隐患已处理" in again.content.decode()


# --- pages and scope -------------------------------------------------------------------------------------


def test_the_hazard_form_names_bad_fields_and_writes_nothing():
    campaign = _campaign()
    client = world_client(Role.INSPECTOR, COUNTY)
    url = reverse("campaigns:hazard_new", args=[campaign.pk])
    before = Hazard.objects.count()
    page = client.post(url, {"employer": "不存在的单位", "kind": "wages_owed", "workers": "2", "amount": "100",
                             "found_on": "2026-10-01"}).content.decode()  # fmt: skip
    assert "该单位未在系统中登记" in page
    employer = _employer(9)
    page = client.post(url, {"employer": employer.uscc, "kind": "wages_owed", "workers": "0", "amount": "0",
                             "found_on": "2026-10-01"}).content.decode()  # fmt: skip
    assert "拖欠工资的隐患须填写涉及人数和金额" in page
    page = client.post(url, {"employer": employer.name, "kind": "other", "workers": "0", "amount": "0",
                             "found_on": "2030-01-01"}).content.decode()  # fmt: skip
    assert "日期不得晚于今天" in page or "隐患类型为" in page
    assert Hazard.objects.count() == before
    response = client.post(url, {"employer": employer.name, "kind": "no_account", "workers": "0", "amount": "0",
                                 "found_on": "2026-10-01"})  # fmt: skip
    hazard = Hazard.objects.get(employer=employer)
    assert response.status_code == 302 and hazard.region.code == COUNTY and hazard.found_by.username.startswith("insp")
    assert CheckRecord.objects.filter(campaign=campaign, employer=employer, checked_on=date(2026, 10, 1)).exists()


def test_an_industry_department_sees_and_handles_only_its_projects_hazards():
    campaign = _campaign()
    housing_project = make_project(63, region=COUNTY, department="housing")
    water_project = make_project(64, region=COUNTY, department="water")
    mine = _hazard(campaign, employer=None, project=housing_project, kind="no_real_name", workers=0, amount="0")
    other = _hazard(campaign, employer=None, project=water_project, kind="no_real_name", workers=0, amount="0")
    employer_hazard = _hazard(campaign, n=5)
    from cases.services import staff_create

    user = staff_create(username="housing_360300", region=world.region(CITY), role=Role.CLERK)
    user.staff_roles.all().delete()
    IndustryRole.objects.create(user=user, region=world.region(CITY), department="housing")
    from django.test import Client

    client = Client()
    client.force_login(user)
    assert client.get(reverse("campaigns:index")).status_code == 200
    detail = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert housing_project.name in detail and water_project.name not in detail
    assert client.get(reverse("campaigns:hazard", args=[mine.pk])).status_code == 200
    assert client.get(reverse("campaigns:hazard", args=[other.pk])).status_code == 404
    assert client.get(reverse("campaigns:hazard", args=[employer_hazard.pk])).status_code == 404
    assert client.get(reverse("campaigns:hazard_resolve", args=[mine.pk])).status_code == 200
    assert client.get(reverse("campaigns:hazard_new", args=[campaign.pk])).status_code == 200
    assert client.post(reverse("campaigns:hazard_case", args=[mine.pk])).status_code == 403  # inspectors only
    assert client.get(reverse("campaigns:figures", args=[campaign.pk])).status_code == 403
    # it records a hazard of its own project, never of another department's
    url = reverse("campaigns:hazard_new", args=[campaign.pk])
    body = {"kind": "no_account", "workers": "0", "amount": "0", "found_on": "2026-10-02"}
    page = client.post(url, {**body, "project_no": water_project.project_no}).content.decode()
    assert "您不能为该责任机构或项目登记" in page
    assert client.post(url, {**body, "project_no": housing_project.project_no}).status_code == 302
    # another city's campaign is out of its scope
    elsewhere = _campaign(region=world.region("360100"), actor=staff(Role.LEADER, "360100"))
    assert client.get(reverse("campaigns:detail", args=[elsewhere.pk])).status_code == 404


def test_the_campaign_pages_read_in_english():
    import re

    from django.conf import settings

    campaign = _campaign()
    hazard = _hazard(campaign)
    client = world_client(Role.LEADER, CITY)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    pages = {
        reverse("campaigns:detail", args=[campaign.pk]): ["Hazard register", "Weekly progress", "Wages owed"],
        reverse("campaigns:figures", args=[campaign.pk]): ["Hazards found", "Open past deadline", "Total"],
        reverse("campaigns:hazard", args=[hazard.pk]): ["Rectification due", "Responsible office", "Workers"],
        reverse("campaigns:index"): ["Launch a campaign", "Weekly reporting day"],
    }
    for url, words in pages.items():
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        for word in words:
            assert word in html, (url, word)
        # no Chinese outside the data (names of regions, employers and the campaign's title)
        text = re.sub(r"<[^>]+>", " ", html.split("<main", 1)[-1])
        for data in (campaign.title, hazard.target_name, "萍乡市", "安源区", "湘东区", "莲花县", "上栗县", "芦溪县"):
            text = text.replace(data, "")
        assert not re.search(r"[\u4e00-\u9fff]", text), (url, re.findall(r"[\u4e00-\u9fff]+", text)[:5])


def test_the_province_administrator_sets_the_period_in_the_admin_through_the_service():
    province = Region.objects.get(code="360000")
    client = world_client(Role.ADMIN, "360000")
    assert client.get("/admin/campaigns/campaignconfig/add/").status_code == 200
    response = client.post("/admin/campaigns/campaignconfig/add/", {"province": province.pk, "hazard_resolve_wd": 12})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert config_for(world.region(COUNTY)).hazard_resolve_wd == 12
    assert TimelineEvent.objects.get(region=province, kind="config.campaign_changed").data["changes"] == {
        "hazard_resolve_wd": ["10", "12"]}  # fmt: skip
    county_admin = world_client(Role.ADMIN, COUNTY)
    assert county_admin.get("/admin/campaigns/campaignconfig/").status_code in (302, 403)
    with pytest.raises(ValidationError):
        campaign_config_save(actor=world.user(Role.INSPECTOR, COUNTY), province=province,
                             values={"hazard_resolve_wd": 5})  # fmt: skip
