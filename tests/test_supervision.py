"""挂牌督办 (SPEC §4.3) through the REST API: a manual start to 销号 (reports on time, one missed: reminded,
then escalated; a closure returned once, then approved); a proposal by the rules confirmed, one declined; an
overdue supervision (the next level notified, the accountability hook called); who may start it and who may
read the case; every configured number (100 workers, 1,000,000 yuan, 15/30 days, 5 working days) just under
and at its boundary.

The clock: `timezone.now` is pinned (the `clock` fixture) so that what the API does and what
`sweep_deadlines --at` evaluates happen at the same moments. November 2026 has no holidays: working days are
Monday to Friday.
"""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.models import Task

from cases import supervision as services
from cases import timeline
from cases.models import Case, Deadline, ProvinceConfig, Role, Supervision
from tests import world
from tests.flowkit import api

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 2, 10, 0, tzinfo=SH)  # a Monday


def at(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=SH)


def end_of(month: int, day: int) -> datetime:
    return at(month, day, 23, 59, 59)


def just_before(moment: datetime) -> datetime:
    return moment.replace(second=moment.second - 1)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def set(self, moment: datetime) -> None:
        self.now = moment

    def sweep(self, moment: datetime) -> None:
        self.now = moment
        call_command("sweep_deadlines", "--at", moment.isoformat(), stdout=io.StringIO())


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(timezone, "now", lambda: c.now)
    return c


@pytest.fixture
def hook_calls():
    """A test-registered on_supervision_overdue hook (standing in for the accountability app's)."""
    calls: list = []

    def hook(supervision, now):
        calls.append((supervision.pk, now, supervision.status))

    services.on_supervision_overdue(hook)
    yield calls
    services.OVERDUE_HOOKS.remove(hook)


# --- helpers --------------------------------------------------------------------------------------------


def tasks_of(username: str, case_no: str, which: str = "queue") -> list[dict]:
    rows = api(username).get("/api/v1/tasks/", {"scope": which}).json()["results"]
    return [r for r in rows if r["case_no"] == case_no]


def steps_of(username: str, case_no: str) -> list[str]:
    return [r["step"] for r in tasks_of(username, case_no)]


def complete(username: str, case_no: str, step: str, **data) -> dict:
    matching = [r for r in tasks_of(username, case_no) if r["step"] == step]
    assert matching, f"{username} has no {step} task for {case_no}: {steps_of(username, case_no)}"
    task_id = matching[-1]["id"]
    client = api(username)
    assert client.post(f"/api/v1/tasks/{task_id}/assign/").status_code == 200
    response = client.post(f"/api/v1/tasks/{task_id}/complete/", data, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


REQUIREMENTS = "十五日内查清欠薪事实并督促支付。"


def start(username: str, case_no: str, *, complex: bool = False, requirements: str = REQUIREMENTS):
    return api(username).post(
        "/api/v1/flows/supervision/start/",
        {"case_no": case_no, "complex": complex, "requirements": requirements},
        format="json",
    )


def supervision_of(case: Case) -> Supervision:
    return Supervision.objects.filter(case=case).order_by("-id").first()


def clock_of(case: Case, kind: str) -> Deadline:
    return Deadline.objects.filter(case=case, kind=kind).order_by("-id").first()


def reads(username: str, case_no: str) -> int:
    return api(username).get(f"/api/v1/cases/{case_no}/").status_code


def kinds(case: Case) -> list[str]:
    return list(timeline.for_case(case).values_list("kind", flat=True))


# --- the whole flow ---------------------------------------------------------------------------------------


def test_manual_supervision_from_notice_to_closure(clock):
    case = world.make_case("360302")
    assert "supervision" in [f["name"] for f in api("leader_360300").get("/api/v1/flows/").json()]
    assert reads("clerk_360300", case.case_no) == 404  # the supervising office's clerk: not before

    response = start("leader_360300", case.case_no, complex=True)
    assert response.status_code == 201, response.json()
    assert [t["step"] for t in response.json()["next_tasks"]] == ["acknowledge"]
    supervision = supervision_of(case)
    assert supervision.status == Supervision.Status.ACTIVE and supervision.supervising_region.code == "360300"
    assert (supervision.complex, supervision.days, supervision.report_interval_wd) == (True, 30, 5)
    notice = supervision.notice
    assert notice.kind == "supervision_notice" and notice.region.code == "360300"  # issued by the supervising office
    assert notice.number.startswith("萍乡人社监督〔2026〕") and notice.data["due_date"] == "2026-12-02"
    complete_clock = clock_of(case, services.COMPLETE)
    assert (complete_clock.region.code, complete_clock.length, complete_clock.unit) == ("360302", 30, "days")
    assert complete_clock.due_at == end_of(12, 2)  # 30 days from 11-02
    assert clock_of(case, services.REPORT).due_at == end_of(11, 9)  # 5 working days: 3, 4, 5, 6, 9
    # while supervised, the supervising office's staff read the case; its leader did anyway (subtree)
    assert reads("clerk_360300", case.case_no) == 200 and reads("inspector_360300", case.case_no) == 200
    assert reads("leader_360300", case.case_no) == 200
    assert reads("clerk_360313", case.case_no) == 404 and reads("clerk_360000", case.case_no) == 404

    # the case office's leader signs for it; the supervising leader may not (403: not its office's step)
    task = tasks_of("leader_360302", case.case_no)[0]
    assert api("leader_360300").post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 403
    assert api("clerk_360302").post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 403
    clock.set(at(11, 2, 11))
    complete("leader_360302", case.case_no, "acknowledge", note="已签收，专人办理。")
    assert supervision_of(case).acknowledged_at == at(11, 2, 11)

    # report 1, on time
    clock.set(at(11, 5, 10))
    complete("leader_360302", case.case_no, "report", decision="report", progress="已约谈用人单位，核实欠薪名单。")
    assert clock_of(case, services.REPORT).due_at == end_of(11, 16)  # from the end of interval 1: 10…13, 16
    assert "report" not in steps_of("leader_360302", case.case_no)  # the next interval has not begun
    clock.sweep(just_before(end_of(11, 9)))
    assert "report" not in steps_of("leader_360302", case.case_no)
    clock.sweep(end_of(11, 9))
    assert steps_of("leader_360302", case.case_no) == ["report"]

    # report 2 missed: reminded at the interval's end, escalated one interval later
    clock.sweep(just_before(end_of(11, 16)))
    assert "supervision.report_reminded" not in kinds(case)
    clock.sweep(end_of(11, 16))
    assert kinds(case).count("supervision.report_reminded") == 1
    assert sorted(steps_of("leader_360302", case.case_no)) == ["remind", "report"]
    grace = clock_of(case, services.GRACE)
    assert (grace.due_at, grace.region.code) == (end_of(11, 23), "360302")
    clock.sweep(just_before(end_of(11, 23)))
    assert "supervision.report_escalated" not in kinds(case)
    assert "missed_report" not in steps_of("leader_360300", case.case_no)
    clock.sweep(end_of(11, 23))
    assert kinds(case).count("supervision.report_escalated") == 1
    assert steps_of("leader_360300", case.case_no) == ["missed_report"]
    clock.sweep(at(11, 24, 9))  # escalated once only
    events = kinds(case)
    assert events.count("supervision.report_escalated") == 1 and events.count("supervision.report_reminded") == 1
    complete("leader_360302", case.case_no, "remind", note="已责成承办人员当日报告。")
    complete("leader_360300", case.case_no, "missed_report", note="请安源区局说明逾期原因。")

    clock.set(at(11, 24, 10))
    complete("leader_360302", case.case_no, "report", decision="report", progress="用人单位已支付部分工资。")
    reports = list(supervision_of(case).reports.order_by("seq").values_list("seq", "late"))
    assert reports == [(1, False), (2, True)]
    states = dict(
        Deadline.objects.filter(case=case, kind__in=[services.REPORT, services.GRACE]).values_list("kind", "state")
    )
    assert Deadline.objects.get(case=case, kind=services.GRACE).state == Deadline.State.CLOSED_LATE
    assert states[services.REPORT] == Deadline.State.RUNNING  # the next interval, from the late report
    assert clock_of(case, services.REPORT).due_at == end_of(12, 1)  # 25, 26, 27, 30, 1
    clock.sweep(at(11, 24, 10, 1))
    assert steps_of("leader_360302", case.case_no) == ["report"]

    # closure applied, returned once, applied again, approved
    clock.set(at(11, 25, 10))
    complete("leader_360302", case.case_no, "report", decision="apply_close", result="欠薪已全部支付，案件已结案。")
    assert supervision_of(case).status == Supervision.Status.CLOSING
    assert clock_of(case, services.COMPLETE).state == Deadline.State.PAUSED
    assert steps_of("leader_360302", case.case_no) == [] and steps_of("leader_360300", case.case_no) == ["close_review"]
    clock.set(at(11, 26, 10))
    complete("leader_360300", case.case_no, "close_review", approved="no", opinion="缺少工资支付凭证，请补充。")
    supervision = supervision_of(case)
    assert supervision.status == Supervision.Status.ACTIVE
    resumed = clock_of(case, services.COMPLETE)
    assert resumed.state == Deadline.State.RUNNING and resumed.due_at == end_of(12, 3)  # 7 days were left
    assert clock_of(case, services.REPORT).due_at == end_of(12, 3)  # a new interval from the return
    assert steps_of("leader_360302", case.case_no) == ["report"]
    clock.set(at(11, 27, 10))
    complete("leader_360302", case.case_no, "report", decision="apply_close", result="已补充银行代发凭证。")
    clock.set(at(11, 30, 10))
    complete("leader_360300", case.case_no, "close_review", approved="yes", opinion="同意销号。")

    supervision = supervision_of(case)
    assert supervision.status == Supervision.Status.CLOSED and supervision.closed_at == at(11, 30, 10)
    assert clock_of(case, services.COMPLETE).state == Deadline.State.MET  # judged at the application (11-27)
    assert not Deadline.objects.filter(case=case, kind__startswith="supervision.", state__in=services.OPEN_DEADLINE)
    assert not Task.objects.filter(process__caseprocess__case=case, status__in=["NEW", "ASSIGNED", "SCHEDULED"])
    # 销号: the exception is revoked; the supervising office's clerk no longer reads the case, its leader still does
    assert reads("clerk_360300", case.case_no) == 404 and reads("leader_360300", case.case_no) == 200

    events = kinds(case)
    expected_order = [
        "document.issued", "permission.granted", "supervision.started", "supervision.acknowledged",
        "supervision.reported", "supervision.report_reminded", "supervision.report_escalated",
        "supervision.alert_handled", "supervision.reported", "supervision.close_applied",
        "supervision.close_returned", "supervision.close_applied", "supervision.closed", "permission.revoked",
    ]  # fmt: skip
    positions, start_at = [], 0
    for kind in expected_order:
        start_at = events.index(kind, start_at) + 1
        positions.append(start_at)
    assert positions == sorted(positions), events
    assert events.count("supervision.reported") == 2 and events.count("supervision.close_applied") == 2
    assert timeline.chain_ok(case)
    call_command("verify_timeline", "--case", case.case_no, stdout=io.StringIO())


# --- proposals by the rules ---------------------------------------------------------------------------------


def test_a_proposal_at_one_hundred_workers_is_confirmed_by_the_superior(clock):
    case = world.make_case("360302", workers=99)
    clock.sweep(at(11, 2, 10, 1))
    assert not Supervision.objects.filter(case=case).exists()  # 99 workers: no proposal
    Case.objects.filter(pk=case.pk).update(workers_count=100)
    clock.sweep(at(11, 2, 10, 2))
    supervision = supervision_of(case)
    assert supervision.status == Supervision.Status.PROPOSED and supervision.rule_reasons == ["workers"]
    assert supervision.supervising_region.code == "360300"  # the superior of the case's office
    assert kinds(case)[-1] == "supervision.proposed"
    assert steps_of("leader_360300", case.case_no) == ["confirm"]
    assert steps_of("leader_360302", case.case_no) == [] and steps_of("leader_360000", case.case_no) == []
    task = tasks_of("leader_360300", case.case_no)[0]
    # the task is the city's (its process's region): the county is not told it exists
    assert api("leader_360302").post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 404
    clock.sweep(at(11, 2, 10, 3))
    assert Supervision.objects.filter(case=case).count() == 1  # proposed once

    client = api("leader_360300")
    client.post(f"/api/v1/tasks/{task['id']}/assign/")
    missing = client.post(f"/api/v1/tasks/{task['id']}/complete/", {"approved": "yes"}, format="json")
    assert missing.status_code == 400 and "requirements" in missing.json()["errors"]
    assert supervision_of(case).status == Supervision.Status.PROPOSED
    done = client.post(
        f"/api/v1/tasks/{task['id']}/complete/",
        {"approved": "yes", "complex": False, "requirements": "涉及百名农民工，限期办结。"},
        format="json",
    )
    assert done.status_code == 200, done.json()
    assert [t["step"] for t in done.json()["next_tasks"]] == ["acknowledge"]
    supervision = supervision_of(case)
    assert supervision.status == Supervision.Status.ACTIVE and supervision.days == 15
    assert supervision.started_by == world.user("leader", "360300") and supervision.notice.region.code == "360300"
    assert clock_of(case, services.COMPLETE).due_at == end_of(11, 17)
    assert reads("clerk_360300", case.case_no) == 200
    assert kinds(case).count("supervision.started") == 1
    complete("leader_360302", case.case_no, "acknowledge")
    assert steps_of("leader_360302", case.case_no) == ["report"]


def test_a_proposal_at_one_million_yuan_is_declined_and_not_made_again(clock):
    case = world.make_case("360302", amount="999999.99")
    clock.sweep(at(11, 2, 10, 1))
    assert not Supervision.objects.filter(case=case).exists()
    Case.objects.filter(pk=case.pk).update(amount_owed=Decimal("1000000.00"))
    clock.sweep(at(11, 2, 10, 2))
    assert supervision_of(case).rule_reasons == ["amount"]
    task = tasks_of("leader_360300", case.case_no)[0]
    client = api("leader_360300")
    client.post(f"/api/v1/tasks/{task['id']}/assign/")
    bare = client.post(f"/api/v1/tasks/{task['id']}/complete/", {"approved": "no"}, format="json")
    assert bare.status_code == 400 and "opinion" in bare.json()["errors"]
    declined = {"approved": "no", "opinion": "已由区局依法处理，暂不督办。"}
    ok = client.post(f"/api/v1/tasks/{task['id']}/complete/", declined, format="json")
    assert ok.status_code == 200 and ok.json()["next_tasks"] == []
    supervision = supervision_of(case)
    assert supervision.status == Supervision.Status.DECLINED and supervision.notice is None
    assert "supervision.declined" in kinds(case) and "permission.granted" not in kinds(case)
    assert reads("clerk_360300", case.case_no) == 404
    assert not Deadline.objects.filter(case=case, kind__startswith="supervision.").exists()
    clock.sweep(at(11, 2, 10, 3))
    assert Supervision.objects.filter(case=case).count() == 1  # a declined proposal is not made again
    # a leader may still start one by hand
    assert start("leader_360300", case.case_no).status_code == 201


def test_the_rules_and_their_thresholds():
    case = world.make_case("360302", workers=99, amount="999999.99")
    assert services.supervision_rules(case) == []
    case.workers_count = 100
    assert services.supervision_rules(case) == ["workers"]
    case.workers_count, case.amount_owed = 99, Decimal("1000000.00")
    assert services.supervision_rules(case) == ["amount"]
    case.amount_owed = Decimal("999999.99")
    case.group_incident = True
    assert services.supervision_rules(case) == ["group_incident"]
    case.group_incident, case.media_reported = False, True
    assert services.supervision_rules(case) == ["media_reported"]
    case.workers_count, case.amount_owed, case.group_incident = 100, Decimal("1000000"), True
    assert services.supervision_rules(case) == ["workers", "amount", "group_incident", "media_reported"]


def test_candidates_follow_the_province_settings_and_need_a_superior():
    county = world.make_case("360302", workers=60)
    city = world.make_case("360300", workers=100)
    province = world.make_case("360000", workers=500)
    flagged = world.make_case("360313")
    Case.objects.filter(pk=flagged.pk).update(group_incident=True)
    ids = {c.pk for c in services.supervision_candidates()}
    assert city.pk in ids and flagged.pk in ids
    assert county.pk not in ids and province.pk not in ids  # a province's own case has no one above it
    ProvinceConfig.objects.create(province=world.region("360000"), supervision_min_workers=50)
    ids = {c.pk for c in services.supervision_candidates()}
    assert county.pk in ids and services.supervision_rules(county) == ["workers"]
    closed = world.make_case("360302", workers=200)
    Case.objects.filter(pk=closed.pk).update(status=Case.Status.CLOSED)
    assert closed.pk not in {c.pk for c in services.supervision_candidates()}


def test_the_province_settings_set_the_days_and_the_interval(clock):
    ProvinceConfig.objects.create(
        province=world.region("360000"), supervision_days=10, supervision_days_complex=20, supervision_report_wd=3
    )
    case = world.make_case("360302")
    assert start("leader_360300", case.case_no).status_code == 201
    supervision = supervision_of(case)
    assert (supervision.days, supervision.report_interval_wd) == (10, 3)
    assert clock_of(case, services.COMPLETE).due_at == end_of(11, 12)
    assert clock_of(case, services.REPORT).due_at == end_of(11, 5)


# --- overdue ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("complex", "days", "due"), [(False, 15, end_of(11, 17)), (True, 30, end_of(12, 2))])
def test_an_overdue_supervision_notifies_the_next_level_and_opens_accountability(clock, hook_calls, complex, days, due):
    case = world.make_case("360302")
    assert start("leader_360300", case.case_no, complex=complex).status_code == 201
    complete_clock = clock_of(case, services.COMPLETE)
    assert (complete_clock.length, complete_clock.due_at) == (days, due)
    complete("leader_360302", case.case_no, "acknowledge")

    clock.sweep(just_before(due))
    supervision = supervision_of(case)
    assert supervision.status == Supervision.Status.ACTIVE and hook_calls == []
    assert "overdue" not in steps_of("leader_360000", case.case_no)
    clock.sweep(due)
    supervision = supervision_of(case)
    assert supervision.status == Supervision.Status.OVERDUE
    assert hook_calls == [(supervision.pk, due, Supervision.Status.OVERDUE)]
    event = case.events.get(kind="supervision.overdue")
    assert event.data["notified"] == "360000" and event.data["supervising_region"] == "360300"
    assert "leader_360000" in event.data["leaders"]
    # the next level up (the city's province) gets the task; the supervising city does not
    assert "overdue" in steps_of("leader_360000", case.case_no)
    assert "overdue" not in steps_of("leader_360300", case.case_no)
    clock.sweep(at(12, 10))
    assert len(hook_calls) == 1 and case.events.filter(kind="supervision.overdue").count() == 1
    complete("leader_360000", case.case_no, "overdue", note="责成萍乡市局约谈安源区局负责人。")

    # the lower office still reports and applies; a return keeps it overdue; 销号 is late
    complete("leader_360302", case.case_no, "report", decision="apply_close", result="已全部支付。")
    complete("leader_360300", case.case_no, "close_review", approved="no", opinion="请附支付凭证。")
    assert supervision_of(case).status == Supervision.Status.OVERDUE
    assert clock_of(case, services.COMPLETE).state == Deadline.State.OVERDUE
    complete("leader_360302", case.case_no, "report", decision="apply_close", result="已附凭证。")
    complete("leader_360300", case.case_no, "close_review", approved="yes", opinion="同意销号。")
    assert supervision_of(case).status == Supervision.Status.CLOSED
    assert clock_of(case, services.COMPLETE).state == Deadline.State.CLOSED_LATE
    assert timeline.chain_ok(case)


def test_a_province_supervision_overdue_notifies_the_province_itself(clock, hook_calls):
    case = world.make_case("360302")
    assert start("leader_360000", case.case_no).status_code == 201
    supervision = supervision_of(case)
    assert supervision.supervising_region.code == "360000" and supervision.notice.number.startswith("赣人社监督")
    clock.sweep(end_of(11, 17))
    assert case.events.get(kind="supervision.overdue").data["notified"] == "360000"
    assert "overdue" in steps_of("leader_360000", case.case_no) and len(hook_calls) == 1


def test_reports_come_every_five_working_days(clock):
    case = world.make_case("360302")
    start("leader_360300", case.case_no)
    first = clock_of(case, services.REPORT)
    assert (first.length, first.unit, first.start_at, first.due_at) == (5, "working_days", T0, end_of(11, 9))
    clock.sweep(just_before(end_of(11, 9)))
    assert Deadline.objects.get(pk=first.pk).state == Deadline.State.RUNNING
    assert "supervision.report_reminded" not in kinds(case)
    clock.sweep(end_of(11, 9))  # not even acknowledged: the first report is missed too
    assert Deadline.objects.get(pk=first.pk).state == Deadline.State.OVERDUE
    assert steps_of("leader_360302", case.case_no) == ["acknowledge", "remind"]
    assert clock_of(case, services.GRACE).due_at == end_of(11, 16)


# --- who may start it, who may read the case ----------------------------------------------------------------


def test_who_may_start_a_supervision(clock):
    for role in Role.values:
        for level, code in world.LEVELS.items():
            username = world.username(role, code)
            listed = "supervision" in [f["name"] for f in api(username).get("/api/v1/flows/").json()]
            may = role == Role.LEADER and level in ("city", "province")
            assert listed is may, username
            case = world.make_case("360302")
            status = start(username, case.case_no).status_code
            assert status == (201 if may else 403), (username, status)


def test_the_start_page(client, clock):
    case = world.make_case("360302")
    client.force_login(world.user("leader", "360302"))
    assert client.get("/tasks/start/supervision/").status_code == 403
    client.force_login(world.user("leader", "360300"))
    page = client.get("/tasks/start/supervision/", {"case_no": case.case_no})
    assert page.status_code == 200 and case.case_no in page.content.decode()
    posted = client.post("/tasks/start/supervision/", {"case_no": case.case_no, "requirements": "限期办结。"})
    assert posted.status_code == 302 and supervision_of(case).status == Supervision.Status.ACTIVE
    again = client.post("/tasks/start/supervision/", {"case_no": case.case_no, "requirements": "限期办结。"})
    assert again.status_code == 400 and "该案件已在督办中" in again.content.decode()


def test_a_county_leader_gets_403_and_a_city_leader_404_for_another_city(clock):
    county_case = world.make_case("360302")
    assert start("leader_360302", county_case.case_no).status_code == 403
    assert start("leader_360300", world.make_case("360102").case_no).status_code == 404  # another city: out of scope
    assert start("leader_360300", world.make_case("360000").case_no).status_code == 404  # the province's own case
    assert start("leader_360300", world.make_case("360300").case_no).status_code == 403  # its own level
    assert start("leader_360300", "NO-SUCH-CASE").status_code == 404
    assert start("leader_360000", world.make_case("430102").case_no).status_code == 404  # another province
    assert start("leader_360000", world.make_case("360102").case_no).status_code == 201  # any city of the province
    bad = start("leader_360300", county_case.case_no, requirements="")
    assert bad.status_code == 400 and "requirements" in bad.json()["errors"]
    assert start("leader_360300", county_case.case_no).status_code == 201
    again = start("leader_360000", county_case.case_no)
    assert again.status_code == 400 and "case_no" in again.json()["errors"]  # one open supervision per case
    assert Supervision.objects.filter(case=county_case).count() == 1


def test_the_services_refuse_an_office_not_strictly_above():
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    case = world.make_case("360302")
    city_leader = world.user("leader", "360300")
    with pytest.raises(PermissionDenied):  # its own level
        services.supervision_start(
            case=case, supervising_region=world.region("360302"), actor=world.user("leader", "360302"),
            complex=False, requirements="x",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):  # another subtree, named by a leader who sees the case
        services.supervision_start(
            case=case, supervising_region=world.region("360100"), actor=world.user("leader", "360000"),
            complex=False, requirements="x",
        )  # fmt: skip
    with pytest.raises(Http404):  # a case outside the actor's scope
        services.supervision_start(
            case=world.make_case("360102"), supervising_region=world.region("360300"), actor=city_leader,
            complex=False, requirements="x",
        )  # fmt: skip
    assert not Supervision.objects.filter(case=case).exists()


def test_the_supervising_office_reads_the_case_only_while_supervised(clock):
    case = world.make_case("360302")
    before = {u: reads(u, case.case_no) for u in ("clerk_360300", "inspector_360300", "leader_360300")}
    assert before == {"clerk_360300": 404, "inspector_360300": 404, "leader_360300": 200}
    start("leader_360300", case.case_no)
    for username in ("clerk_360300", "inspector_360300", "leader_360300", "auditor_360300"):
        assert reads(username, case.case_no) == 200, username
        assert api(username).get(f"/api/v1/cases/{case.case_no}/timeline/").status_code == 200, username
    # read-only: the supervising office's clerk cannot act on the case's tasks
    task = tasks_of("leader_360302", case.case_no)[0]
    assert api("clerk_360300").post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 403
    # other offices stay out
    assert reads("clerk_360313", case.case_no) == 404 and reads("clerk_360000", case.case_no) == 404


def test_the_case_page_shows_the_supervision(client, clock):
    from django.template.loader import render_to_string

    case = world.make_case("360302")
    start("leader_360300", case.case_no, complex=True)
    complete("leader_360302", case.case_no, "acknowledge")
    clock.set(at(11, 3, 9))
    complete("leader_360302", case.case_no, "report", decision="report", progress="正在核实工资表。")
    html = render_to_string("cases/_supervision.html", {"case": case})
    supervision = supervision_of(case)
    assert "萍乡市" in html and supervision.notice.number in html and "2026-12-02" in html
    assert "正在核实工资表。" in html and "2026-11-16" in html  # the next report's due date
    assert str(supervision.get_status_display()) in html


def test_the_grace_clock_is_registered_with_the_deadline_rules():
    from cases.deadlines import RULES

    grace, report = RULES[services.GRACE], RULES[services.REPORT]
    assert (str(grace.title), grace.unit, grace.start_event, grace.warn_before) == (
        "督办进展报告催报期限",
        "working_days",
        "supervision.report_reminded",
        0,
    )
    assert grace.length == report.length == 5 and grace.legal_basis == report.legal_basis


def test_a_step_not_open_in_the_supervisions_state_names_the_field_and_the_state():
    """The transition kernel's StateConflict, with the supervision's own field and message."""
    from django.core.exceptions import ValidationError

    case = world.make_case("360302")
    city_leader = world.user("leader", "360300")
    supervision = services.supervision_start(
        case=case, supervising_region=world.region("360300"), actor=city_leader, complex=False, requirements="x"
    )
    events = timeline.for_case(case).count()
    with pytest.raises(ValidationError) as refused:
        services.supervision_decline(supervision=supervision, actor=city_leader, opinion="不予督办")
    assert refused.value.message_dict == {"approved": ["督办当前状态为“督办中”，不能办理此操作。"]}
    with pytest.raises(ValidationError) as refused:
        services.supervision_close(supervision=supervision, actor=city_leader, approved=True, opinion="同意")
    assert refused.value.message_dict == {"approved": ["督办当前状态为“督办中”，不能办理此操作。"]}
    leader = world.user("leader", "360302")
    services.supervision_acknowledge(supervision=supervision, actor=leader)
    with pytest.raises(ValidationError) as refused:
        services.supervision_acknowledge(supervision=supervision, actor=leader)
    assert refused.value.message_dict == {"note": ["督办通知已签收。"]}
    assert timeline.for_case(case).count() == events + 1  # the refused steps wrote nothing
    assert Supervision.objects.get(pk=supervision.pk).status == Supervision.Status.ACTIVE
