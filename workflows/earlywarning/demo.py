"""seed_demo's warning signals: the complaints clustering on a unit of a demo project and a case filed against
another project's unit in another county (through their flows), then the demo signals (earlywarning.demo)
and their flows at once. Idempotent (the arrangements are made once)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from stdnum.cn import ric

from cases import intake
from cases.models import Complaint, Region, Role
from cases.proactive import case_file_proactive, filing_proposal_validate
from earlywarning.demo import DEMO_COUNTY, signals_seed
from projects.models import Project, ProjectUnit

from .. import services
from ..investigation.flow import InvestigationFlow
from .starts import listed_employer_ids, signals_flows_open

ELSEWHERE = "360313"


def _id(n: int) -> str:
    base = f"360302{date(1980, 1, 1) + timedelta(days=n * 37):%Y%m%d}{700 + n:03d}0"
    return base[:-1] + ric.calc_check_digit(base)


def _unit(project: Project) -> ProjectUnit | None:
    return project.units.filter(role=ProjectUnit.Role.LABOUR).select_related("employer").first()


def _complaints(project: Project, unit: ProjectUnit) -> None:
    for n in range(3):
        body = {
            "channel": "web",
            "complainant": {"name": f"务工人员{n + 1}", "id_number": _id(n), "phone": f"1380799{n + 1:04d}"},
            "employer": {"name": unit.employer.name, "uscc": unit.employer.uscc},
            "project": {"name": project.name, "address": project.address},
            "region_code": project.region.code,
            "workers_count": 3 + n,
            "amount_owed": f"{(n + 1) * 12000}.00",
            "period_start": "2026-05-01",
            "period_end": "2026-10-31",
            "description": "劳务公司以未收到总包工程款为由拖欠班组工资（演示）。",
        }
        services.intake_submit(actor=None, clean=intake.complaint_validate(body), channel="web")


def _case_elsewhere(unit: ProjectUnit) -> None:
    proposal = filing_proposal_validate({
        "origin": "inspection",
        "employer": {"name": unit.employer.name, "uscc": unit.employer.uscc},
        "project": {"name": "余江区某厂房项目（演示）", "address": ""},
        "workers_count": 6,
        "amount_owed": "54000.00",
        "facts": "日常巡查发现该劳务公司在本区另一项目拖欠工资（演示）。",
    })  # fmt: skip
    region = Region.objects.get(code=ELSEWHERE)
    leader = get_user_model().objects.filter(staff_roles__role=Role.LEADER, staff_roles__region=region).first()
    if leader is None:
        return
    case = case_file_proactive(region=region, proposal=proposal, actor=leader, opinion="同意立案（演示）")
    InvestigationFlow.start.run(case=case)


def signals_demo(*, progress=print) -> dict:
    county = list(Project.objects.filter(project_no__startswith="DEMO-", region__code=DEMO_COUNTY).order_by("pk")[:8])
    if len(county) == 8:
        cluster, elsewhere = _unit(county[4]), _unit(county[5])
        if cluster is not None and not Complaint.objects.filter(employer=cluster.employer).exists():
            _complaints(county[4], cluster)
        if elsewhere is not None and not elsewhere.employer.cases.exists():
            _case_elsewhere(elsewhere)
    counts = signals_seed(listed_employer_ids=listed_employer_ids(), progress=progress)
    progress(f"  signals: {signals_flows_open(now=timezone.now())} flows opened")
    return counts
