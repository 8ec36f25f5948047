"""Demo data for Jiangxi: staff at province / city / county, and cases in every state,
driven through the same services and flows the staff use (nothing written around them)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from stdnum.cn import ric
from viewflow.workflow.models import Task

from arbitration.demo import arbitration_seed
from assessment.demo import assessment_demo
from campaigns.demo import campaigns_seed
from cases import intake
from cases.dashboard import stats_rebuild
from cases.investigation import case_suspend
from cases.ledger import ledger_entry_add, payment_record
from cases.models import Complaint, FilingProposal, Region, Role
from cases.regions import regions_load
from cases.services import staff_create
from deposits.demo import deposits_seed
from indicators.demo import coverage_demo
from inspections.demo import inspections_seed
from jointmeeting.demo import joint_seed
from projects.demo import DEMO_COUNT, projects_seed
from reviews.demo import reviews_seed

from . import services
from .earlywarning.demo import signals_demo
from .sweep import timers_fire

DEMO_PASSWORD = "zhiqian-demo-2026"
DEMO_REGIONS = ["360000", "360300", "360302", "360313"]
MARKER_EMPLOYER = "萍乡市安源建筑工程有限公司"


def demo_username(role: str, code: str) -> str:
    return f"{role}_{code}"


def _id(seq: int) -> str:
    """A valid resident ID number, one per `seq`: the sequence digits take seq % 1000 and the birth date moves
    one day on per thousand, so a database that has seen many cases neither overflows 18 characters nor
    gives two workers the same number (the ledger refuses one number under two names)."""
    born = date(1985, 3, 12) + timedelta(days=seq // 1000)
    base = f"360302{born:%Y%m%d}{seq % 1000:03d}0"
    return base[:-1] + ric.calc_check_digit(base)  # stdnum ignores the last character it is given


def _complaint(n: int, *, employer: str, project: str, workers: int, amount: str, region_code="360302", **extra):
    body = {
        "channel": "web",
        "complainant": {"name": extra.pop("name", f"务工人员{n}"), "id_number": _id(n), "phone": f"138079900{n:02d}"},
        "employer": {"name": employer, "address": "萍乡市安源区建设路1号"},
        "project": {"name": project, "address": "萍乡市安源区某地块"},
        "region_code": region_code,
        "workers_count": workers,
        "amount_owed": amount,
        "period_start": "2026-05-01",
        "period_end": "2026-10-31",
        "description": "工程完工后，总包单位以未收到工程款为由拖欠农民工工资。",
        **extra,
    }
    complaint, _ = services.intake_submit(actor=None, clean=intake.complaint_validate(body), channel="web")
    return complaint


def _user(role: str, code: str = "360302"):
    return get_user_model().objects.get(username=demo_username(role, code))


def _step(subject_filter: dict, actor, **data):
    """Claim and complete the open human task of a complaint or case, as its user would."""
    open_tasks = Task.objects.filter(flow_task_type="HUMAN", **subject_filter).order_by("-id")
    task = open_tasks.filter(Q(status="NEW") | Q(status="ASSIGNED", owner=actor)).first()
    if task.owner_id is None:  # else routed to the actor already (workflows.routing)
        services.task_assign(task=task, actor=actor)
    return services.task_complete(task=task, actor=actor, data=data)


def _accept_and_assign(complaint: Complaint):
    _step({"process__caseprocess__complaint": complaint}, _user(Role.CLERK), decision="accept")
    complaint.refresh_from_db()
    case = complaint.case
    inspectors = [_user(Role.INSPECTOR), get_user_model().objects.get(username="inspector2_360302")]
    _step(
        {"process__caseprocess__case": case},
        _user(Role.LEADER),
        inspectors=[u.pk for u in inspectors],
        conflict_declared="on",
    )
    case.refresh_from_db()
    return case


def _ledger(case, workers: int, amount: int):
    inspector = _user(Role.INSPECTOR)
    entries = []
    for i in range(workers):
        entries.append(
            ledger_entry_add(
                case=case,
                worker={
                    "name": f"工人{case.pk}-{i + 1}",
                    "id_number": _id(100 + case.pk * 10 + i),
                    "phone": f"1390799{case.pk % 100:02d}{i:02d}",
                },
                period_start=timezone.localdate().replace(month=5, day=1),
                period_end=timezone.localdate().replace(month=10, day=31),
                amount_owed=amount,
                actor=inspector,
            )
        )
    return entries


@contextmanager
def _days_ago(days: int):
    """Write a demo case's history `days` days back (every service reads the time through timezone.now)."""
    real_now = timezone.now
    with mock.patch("django.utils.timezone.now", lambda: real_now() - timedelta(days=days)):
        yield


def _order_served(case):
    inspector = _user(Role.INSPECTOR)
    on_case = {"process__caseprocess__case": case}
    _step(on_case, inspector, violation="on", findings="查实拖欠工资。")
    due = timezone.localdate() + timedelta(days=10)
    _step(on_case, inspector, decision="order_to_pay", facts="拖欠农民工工资事实清楚。", order_due=due.isoformat())
    _step(on_case, inspector, method="direct", served_at=timezone.now().isoformat(), recipient="法定代表人王某")
    return due


@transaction.atomic
def seed_demo(*, progress=print, projects: int = DEMO_COUNT) -> list[tuple[str, str, str]]:
    """Idempotent: Jiangxi, one user per role at each demo level, sample cases in every state, and `projects`
    demo construction projects with their deposits, coverage figures and warning signals."""
    if not Region.objects.filter(code="360000").exists():
        regions_load(province="360000")
    logins = []
    for code in DEMO_REGIONS:
        region = Region.objects.get(code=code)
        for role in Role.values:
            username = demo_username(role, code)
            staff_create(username=username, region=region, role=role, password=DEMO_PASSWORD)
            logins.append((username, role, f"{region.name}（{code}）"))
    staff_create(
        username="inspector2_360302",
        region=Region.objects.get(code="360302"),
        role=Role.INSPECTOR,
        password=DEMO_PASSWORD,
    )
    logins.append(("inspector2_360302", Role.INSPECTOR, "安源区（360302）"))
    if not Complaint.objects.filter(employer__name=MARKER_EMPLOYER).exists():
        _sample_cases(progress)
    # construction projects first: the deposits, the coverage figures and the warning signals are of them
    progress(f"Construction projects (up to {projects}):")
    projects_seed(count=projects, progress=progress)
    coverage_demo(progress=progress)  # construction projects on either side of the coverage targets (indicators)
    deposits_seed(progress=progress)  # wage guarantee deposits and the emergency wage fund (deposits.demo)
    # the dashboard's figures, at once (a deployment's periodic job keeps them fresh after that)
    stats_rebuild()
    signals_demo(progress=progress)  # issue 16: warning signals of each kind on the demo projects, and their flows
    progress("Referrals to arbitration and legal aid:")
    logins += arbitration_seed(password=DEMO_PASSWORD, progress=progress)  # issue 19 (arbitration.demo)
    _inspections_demo(progress)  # issue 18: the double-random pools, a drawn plan, a rectification due, a case
    campaigns_seed(progress=progress)  # issue 18 item 6: a winter campaign in Pingxiang, hazards in each state
    progress("Annual written review:")
    reviews_seed(progress=progress)  # issue 18 item 5: 安源区's written review of last year (reviews.demo)
    logins += joint_seed(password=DEMO_PASSWORD, progress=progress)  # police, finance; a 督办 in progress
    assessment_demo(progress=progress)  # issue 19: 萍乡市's counties assessed for last year, 湘东区 graded C
    return logins


def _inspections_demo(progress) -> None:
    """inspections.demo, then the leader files the case proposed from the not-corrected rectification."""
    filing = inspections_seed(progress=progress)
    if filing is not None:
        on_filing = {
            "process__artifact_content_type": ContentType.objects.get_for_model(FilingProposal),
            "process__artifact_object_id": filing.pk,
            "flow_task__endswith": "filing_approval",
        }
        _step(on_filing, _user(Role.LEADER), approved="yes", opinion="同意立案，依法查处")


def _sample_cases(progress) -> None:
    employer, project = MARKER_EMPLOYER, "安源区某安置房项目"
    # received, awaiting acceptance (and a second complaint against the same employer and project)
    waiting = _complaint(1, employer=employer, project=project, workers=12, amount="86000.00", name="张三")
    _complaint(2, employer=employer, project="安源区某学校扩建工程", workers=3, amount="21000.00", name="李四")
    progress(f"  {waiting.receipt_no}: received, awaiting acceptance")
    # refused
    refused = _complaint(3, employer="萍乡某物业服务有限公司", project="某小区保洁", workers=1, amount="3000.00")
    _step(
        {"process__caseprocess__complaint": refused},
        _user(Role.CLERK),
        decision="refuse",
        reason="系劳动争议，已告知申请劳动仲裁",
    )
    progress(f"  {refused.receipt_no}: refused")
    # transferred to 湘东区
    moved = _complaint(
        4, employer="湘东区某装饰工程有限公司", project="湘东区某学校装修项目", workers=4, amount="18800.00"
    )
    _step(
        {"process__caseprocess__complaint": moved},
        _user(Role.CLERK),
        decision="transfer",
        reason="用工地在湘东区",
        target_region_code="360313",
    )
    progress(f"  {moved.receipt_no}: transferred to 360313")
    # investigating, with a ledger
    c5 = _complaint(
        5, employer="安源区某劳务分包有限公司", project="安源区某道路改造工程", workers=6, amount="45300.50"
    )
    investigating = _accept_and_assign(c5)
    _ledger(investigating, 6, 7550)
    progress(f"  {investigating.case_no}: investigating (inspectors assigned, ledger of 6)")
    # suspended
    c6 = _complaint(6, employer="萍乡某劳务有限公司", project="某厂房工程", workers=2, amount="12000.00")
    suspended = _accept_and_assign(c6)
    case_suspend(case=suspended, actor=_user(Role.INSPECTOR), reason="用人单位负责人下落不明")
    progress(f"  {suspended.case_no}: investigation suspended")
    # ordered to pay, served, awaiting the deadline
    c7 = _complaint(7, employer="萍乡某市政工程有限公司", project="某管网改造工程", workers=3, amount="24000.00")
    enforcing = _accept_and_assign(c7)
    _ledger(enforcing, 3, 8000)
    _order_served(enforcing)
    progress(f"  {enforcing.case_no}: order to pay served")
    # paid in full and closed
    # (its history is written 20 days back: verification comes only after the order's deadline, cases.enforcement)
    with _days_ago(20):
        c8 = _complaint(8, employer="萍乡某园林绿化有限公司", project="某公园绿化工程", workers=2, amount="9000.00")
        closed = _accept_and_assign(c8)
        entries = _ledger(closed, 2, 4500)
        due = _order_served(closed)
        for entry in entries:
            payment_record(
                entry=entry, amount=entry.amount_owed, paid_on=timezone.localdate(), actor=_user(Role.INSPECTOR)
            )
    timers_fire(
        now=timezone.make_aware(timezone.datetime.combine(due + timedelta(days=1), timezone.datetime.min.time()))
    )
    on_case = {"process__caseprocess__case": closed}
    _step(on_case, _user(Role.INSPECTOR), note="经核查已全部支付。")
    _step(on_case, _user(Role.LEADER), closure_code="paid_in_full", satisfaction="satisfied", note="")
    progress(f"  {closed.case_no}: closed (paid in full)")
