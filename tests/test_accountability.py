"""Official accountability (问责, SPEC §4.5b): opened automatically from an overdue supervision, from a case
deadline overdue past the province's working days, from a group incident; opened by a leader over an
office below; fact-finding, decision and notice by the superior office (its document, its number); the
register by region and year, scoped to leaders and auditors."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from accountability import accountability as acc
from accountability.models import Accountability
from cases import deadlines, timeline
from cases.models import Case, Deadline, Document, ProvinceConfig, Supervision
from cases.workdays import add_working_days
from tests import world
from tests.flowkit import api

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
T = Accountability.Trigger


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def tasks(username: str, case_no: str) -> list[dict]:
    rows = api(username).get("/api/v1/tasks/", {"scope": "queue"}).json()["results"]
    return [r for r in rows if r["case_no"] == case_no]


def complete(username: str, case_no: str, step: str, **data) -> dict:
    matching = [r for r in tasks(username, case_no) if r["step"] == step]
    assert matching, f"{username} has no {step} task for {case_no}: {tasks(username, case_no)}"
    client = api(username)
    assert client.post(f"/api/v1/tasks/{matching[-1]['id']}/assign/").status_code == 200
    response = client.post(f"/api/v1/tasks/{matching[-1]['id']}/complete/", data, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def sweep(moment: datetime) -> None:
    call_command("sweep_deadlines", "--at", moment.isoformat())


# --- opened automatically ----------------------------------------------------------------------------------


def test_an_overdue_supervision_opens_an_accountability_decided_by_the_supervising_office():
    from cases import supervision as supervision_services

    assert acc.accountability_for_supervision_overdue in supervision_services.OVERDUE_HOOKS  # apps.ready()
    case = world.make_case("360302")
    started = api("leader_360300").post(
        "/api/v1/flows/supervision/start/", {"case_no": case.case_no, "requirements": "十五日内办结。"}, format="json"
    )
    assert started.status_code == 201, started.json()
    supervision = Supervision.objects.get(case=case)
    due = Deadline.objects.filter(case=case, kind="supervision.complete").get().due_at
    sweep(due - timedelta(minutes=1))
    assert not Accountability.objects.filter(case=case).exists()
    sweep(due + timedelta(minutes=1))
    supervision.refresh_from_db()
    assert supervision.status == Supervision.Status.OVERDUE
    opened = Accountability.objects.get(case=case)
    assert (opened.trigger, opened.supervision_id, opened.status) == (T.SUPERVISION_OVERDUE, supervision.pk, "open")
    assert (opened.region.code, opened.deciding_region.code, opened.year) == ("360302", "360300", due.year)
    assert case.events.filter(kind="accountability.opened").count() == 1
    # a second run changes nothing
    acc.accountability_for_supervision_overdue(supervision, due + timedelta(hours=1))
    sweep(due + timedelta(hours=2))
    assert Accountability.objects.filter(case=case).count() == 1
    # the flow: the supervising office's leader finds the facts, decides, records the notice
    assert [t["step"] for t in tasks("leader_360300", case.case_no) if t["flow"] == "AccountabilityFlow"] == [
        "fact_finding"
    ]
    task = [t for t in tasks("leader_360300", case.case_no) if t["step"] == "fact_finding"][0]
    assert api("leader_360302").get(f"/api/v1/tasks/{task['id']}/").status_code == 404  # the office held to account
    assert api("leader_360000").post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 403  # not its decision
    assert api("auditor_360300").post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 403  # read-only
    complete("leader_360300", case.case_no, "fact_finding", facts="安源区局未在督办期限内办结，亦未说明理由。")
    bad = [t for t in tasks("leader_360300", case.case_no) if t["step"] == "decision"][0]
    client = api("leader_360300")
    client.post(f"/api/v1/tasks/{bad['id']}/assign/")
    refused = client.post(f"/api/v1/tasks/{bad['id']}/complete/", {"measure": "fine", "reason": "x"}, format="json")
    assert refused.status_code == 400 and "measure" in refused.json()["errors"]
    assert (
        client.post(
            f"/api/v1/tasks/{bad['id']}/complete/",
            {"measure": "talk", "reason": "对主要负责人进行约谈。"},
            format="json",
        ).status_code
        == 200
    )
    opened.refresh_from_db()
    assert (opened.status, opened.measure) == ("decided", "talk")
    decision = opened.decision
    assert decision.kind == Document.Kind.ACCOUNTABILITY_DECISION and decision.region.code == "360300"
    assert decision.number.startswith("萍乡人社监问") and decision.case_id == case.pk
    complete("leader_360300", case.case_no, "notice", method="direct", served_at=timezone.now().isoformat(),
             recipient="萍乡市安源区人力资源和社会保障局")  # fmt: skip
    assert decision.services.count() == 1
    kinds = list(case.events.order_by("seq").values_list("kind", flat=True))  # the sweep ran ahead of the clock
    assert [k for k in kinds if k.startswith("accountability.")] == [
        "accountability.opened", "accountability.facts_found", "accountability.decided"
    ]  # fmt: skip
    assert kinds[-1] == "document.served" and timeline.chain_ok(case)


def _overdue_investigation(code: str = "360302") -> Deadline:
    """A case whose 60-working-day investigation clock ran out on a known day."""
    case = world.make_case(code)
    start = datetime(2026, 6, 1, 10, 0, tzinfo=SH)
    return deadlines.deadline_start(kind="investigation.complete", region=case.region, start_at=start, case=case)


def test_a_case_overdue_past_the_provinces_working_days_opens_one_by_the_sweep():
    ProvinceConfig.objects.create(province=world.region("360000"), accountability_overdue_wd=3)
    clock = _overdue_investigation()
    case = clock.case
    went_overdue = clock.due_at + timedelta(minutes=1)
    sweep(went_overdue)
    clock.refresh_from_db()
    assert clock.state == Deadline.State.OVERDUE
    limit = datetime.combine(add_working_days(went_overdue.astimezone(SH).date(), 3), datetime.max.time(), SH)
    limit = limit.replace(microsecond=0)
    sweep(limit - timedelta(minutes=1))
    assert not Accountability.objects.filter(case=case).exists()
    sweep(limit + timedelta(minutes=1))
    opened = Accountability.objects.get(case=case)
    assert (opened.trigger, opened.region.code, opened.deciding_region.code) == (T.CASE_OVERDUE, "360302", "360300")
    assert "超期已逾3个工作日" in case.events.get(kind="accountability.opened").data["reason"]
    assert [t["step"] for t in tasks("leader_360300", case.case_no)] == ["fact_finding"]
    # idempotent: the periodic check and further sweeps open no second one
    assert acc.accountability_case_overdue_check(limit + timedelta(days=30)) == 0
    sweep(limit + timedelta(days=40))
    assert Accountability.objects.filter(case=case).count() == 1


def test_the_periodic_check_covers_deadlines_that_went_overdue_without_a_watch():
    clock = _overdue_investigation("360313")
    overdue_at = clock.due_at + timedelta(hours=1)
    Deadline.objects.filter(pk=clock.pk).update(state=Deadline.State.OVERDUE, overdue_at=overdue_at)
    clock.refresh_from_db()
    limit = acc.overdue_limit(clock)
    assert limit.astimezone(SH).date() == add_working_days(overdue_at.astimezone(SH).date(), 20)  # the default
    assert acc.accountability_case_overdue_check(limit - timedelta(seconds=1)) == 0
    assert acc.accountability_case_overdue_check(limit) == 1
    assert Accountability.objects.get(case=clock.case).deciding_region.code == "360300"
    # a deadline that is not the office's duty (the employer's defence window) does not count
    other = world.make_case("360302")
    window = deadlines.deadline_start(kind="listing.defence", region=other.region, start_at=clock.start_at, case=other)
    Deadline.objects.filter(pk=window.pk).update(state=Deadline.State.OVERDUE, overdue_at=overdue_at)
    assert acc.accountability_case_overdue_check(limit + timedelta(days=60)) == 0


def test_one_sweep_batch_watches_each_case_once_and_skips_held_and_province_cases():
    start = datetime(2026, 6, 1, 10, 0, tzinfo=SH)
    two_clocks = world.make_case("360302")  # two duty deadlines overdue together: one watch
    held = world.make_case("360302")  # already has its case-overdue accountability: no watch
    province_case = world.make_case("360000")  # nobody above the province: no watch
    not_duty = world.make_case("360313")  # the employer's defence window is not the office's duty
    for case in (two_clocks, held, province_case):
        deadlines.deadline_start(kind="investigation.complete", region=case.region, start_at=start, case=case)
    deadlines.deadline_start(kind="investigation.decide", region=two_clocks.region, start_at=start, case=two_clocks)
    deadlines.deadline_start(kind="listing.defence", region=not_duty.region, start_at=start, case=not_duty)
    acc._auto_open(case=held, trigger=T.CASE_OVERDUE, reason="已问责", at=start)
    went_overdue = datetime(2026, 9, 30, 12, 0, tzinfo=SH)
    sweep(went_overdue)
    watches = Deadline.objects.filter(kind=acc.WATCH)
    assert list(watches.values_list("case_id", flat=True)) == [two_clocks.pk]
    watch = watches.get()
    assert (watch.state, watch.start_at, watch.length) == (Deadline.State.RUNNING, went_overdue, 20)
    assert watch.due_at == deadlines.due_times(acc.WATCH, went_overdue, length=20)[0]
    assert watch.title == "超期问责观察期" and watch.region_id == two_clocks.region_id
    sweep(went_overdue + timedelta(minutes=1))  # a second run starts no second watch
    assert watches.count() == 1


def test_the_sweep_with_the_watch_handler_costs_the_same_statements_for_5_or_45_overdue_cases():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = datetime(2026, 6, 1, 10, 0, tzinfo=SH)

    def statements(n: int, at: datetime) -> int:
        for _ in range(n):
            case = world.make_case("360302")
            deadlines.deadline_start(kind="investigation.complete", region=case.region, start_at=start, case=case)
        with CaptureQueriesContext(connection) as ctx:
            result = deadlines.deadlines_sweep(now=at)
        assert result.overdue == n
        return len(ctx.captured_queries)

    five = statements(5, datetime(2026, 9, 30, 12, 0, tzinfo=SH))
    # 45, not 50: SQLite binds at most 999 parameters in a statement, so Django splits an INSERT of 50 deadline
    # rows (21 columns) in two there; PostgreSQL never does. 45 rows are one INSERT on both.
    many = statements(45, datetime(2026, 9, 30, 13, 0, tzinfo=SH))
    assert many == five
    assert Deadline.objects.filter(kind=acc.WATCH).count() == 50


def test_a_group_incident_opens_one_and_a_province_case_is_skipped():
    case = world.make_case("360302")
    province_case = world.make_case("360000")
    Case.objects.filter(pk__in=[case.pk, province_case.pk]).update(group_incident=True)
    assert acc.accountability_group_incident_check() == 1
    opened = Accountability.objects.get(case=case)
    assert (opened.trigger, opened.deciding_region.code) == (T.GROUP_INCIDENT, "360300")
    assert not Accountability.objects.filter(case=province_case).exists()
    assert acc.accountability_checks_run() == {"case_overdue": 0, "group_incident": 0}


# --- opened by a leader --------------------------------------------------------------------------------


def test_a_city_leader_opens_one_over_an_office_below_and_nobody_else():
    county_case, city_case = world.case_in("360302"), world.case_in("360300")
    body = {"case_no": county_case.case_no, "reason": "多起投诉反映安源区局推诿。"}
    assert api("leader_360302").post("/api/v1/flows/accountability/start/", body, format="json").status_code == 403
    assert api("auditor_360300").post("/api/v1/flows/accountability/start/", body, format="json").status_code == 403
    names = [f["name"] for f in api("leader_360300").get("/api/v1/flows/").json()]
    assert "accountability" in names and "accountability" not in [
        f["name"] for f in api("leader_360302").get("/api/v1/flows/").json()
    ]
    own = api("leader_360300").post(
        "/api/v1/flows/accountability/start/", {"case_no": city_case.case_no, "reason": "x"}, format="json"
    )
    assert own.status_code == 403  # its own office: not below it
    other_city = world.case_in("360102")
    assert (
        api("leader_360300")
        .post("/api/v1/flows/accountability/start/", {"case_no": other_city.case_no, "reason": "x"}, format="json")
        .status_code
        == 404
    )
    empty = api("leader_360300").post(
        "/api/v1/flows/accountability/start/", {"case_no": county_case.case_no}, format="json"
    )
    assert empty.status_code == 400 and "reason" in empty.json()["errors"]
    started = api("leader_360300").post("/api/v1/flows/accountability/start/", body, format="json")
    assert started.status_code == 201, started.json()
    assert [t["step"] for t in started.json()["next_tasks"]] == ["fact_finding"]
    opened = Accountability.objects.get(case=county_case, trigger=T.LEADER)
    assert opened.deciding_region.code == "360300"
    # the province's leader deciding over the same county: its own office decides
    api("leader_360000").post("/api/v1/flows/accountability/start/", body, format="json")
    assert Accountability.objects.filter(case=county_case, trigger=T.LEADER).order_by("-id")[
        0
    ].deciding_region.code == ("360000")


# --- the register ------------------------------------------------------------------------------------------


def _accountability(code: str, year: int) -> Accountability:
    case = world.make_case(code)
    region = world.region(code)
    at = datetime(year, 3, 1, 10, 0, tzinfo=SH)
    return Accountability.objects.create(
        region=region, deciding_region=region.parent, case=case, trigger=T.LEADER, opened_at=at, year=year
    )


def test_the_register_by_region_and_year_is_scoped():
    county = _accountability("360302", 2026)
    sibling = _accountability("360313", 2026)
    older = _accountability("360302", 2025)
    other_city = _accountability("360102", 2026)
    other_province = _accountability("430102", 2026)

    def ids(username: str, **params) -> set[int]:
        response = api(username).get("/api/v1/accountability/", params)
        assert response.status_code == 200, response.json()
        return {r["id"] for r in response.json()["results"]}

    assert ids("leader_360302") == {county.pk, older.pk}
    assert ids("leader_360300") == {county.pk, older.pk, sibling.pk}
    assert ids("auditor_360300") == {county.pk, older.pk, sibling.pk}
    assert ids("leader_360000") == {county.pk, older.pk, sibling.pk, other_city.pk}
    assert other_province.pk not in ids("auditor_360000")
    assert ids("leader_360300", year=2025) == {older.pk}
    assert ids("leader_360300", region="360313") == {sibling.pk}
    assert ids("leader_360300", region="360102") == set()  # not its region: nothing, nothing revealed
    for role in ("clerk", "inspector", "legal", "admin"):
        assert api(f"{role}_360300").get("/api/v1/accountability/").status_code == 403
    row = api("leader_360300").get("/api/v1/accountability/", {"region": "360313"}).json()["results"][0]
    assert (row["region_code"], row["deciding_region_code"], row["year"]) == ("360313", "360300", 2026)
    # the staff page
    from django.test import Client

    page = Client()
    page.force_login(world.user("leader", "360300"))
    body = page.get("/accountability/register/", {"year": 2025}).content.decode()
    assert older.case.case_no in body and county.case.case_no not in body
    page.force_login(world.user("clerk", "360300"))
    assert page.get("/accountability/register/").status_code == 403


def test_the_accountability_rule_and_setting():
    from cases.deadlines import RULES

    watch = RULES[acc.WATCH]
    assert (watch.length, watch.unit, watch.start_event) == (20, "working_days", "deadline.overdue")
    assert ProvinceConfig(province=world.region("360000")).accountability_overdue_wd == 20
    assert acc.CASE_DUTY_KINDS >= {"investigation.complete", "investigation.decide"}
