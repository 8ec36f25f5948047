"""Demo data for Jiangxi: staff at province / city / county, and sample complaints and cases."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .models import Case, Channel, Complaint, Region, Role
from .regions import regions_load
from .services import case_exception_grant, case_file, complaint_receive, staff_create

DEMO_PASSWORD = "zhiqian-demo-2026"
DEMO_REGIONS = ["360000", "360300", "360302", "360313"]

SAMPLES = [
    # region, complainant, id number, phone, employer, uscc, project, workers, amount
    (
        "360302",
        "张三",
        "34052419800101001X",
        "13807990001",
        "萍乡市安源建筑工程有限公司",
        "91350100M000100Y43",
        "安源区某安置房项目",
        12,
        "86000.00",
    ),
    (
        "360302",
        "李四",
        "370101190102039973",
        "13907990002",
        "萍乡市安源建筑工程有限公司",
        "91350100M000100Y43",
        "安源区某安置房项目",
        3,
        "21000.00",
    ),
    (
        "360302",
        "王五",
        "360302198503120010",
        "15007990003",
        "安源区某劳务分包有限公司",
        "91512081MA62K0260E",
        "安源区某道路改造工程",
        6,
        "45300.50",
    ),
    (
        "360313",
        "赵六",
        "36031319900520002X",
        "18607990004",
        "湘东区某装饰工程有限公司",
        "",
        "湘东区某学校装修项目",
        4,
        "18800.00",
    ),
]


def demo_username(role: str, code: str) -> str:
    return f"{role}_{code}"


@transaction.atomic
def seed_demo(*, progress=print) -> list[tuple[str, str, str]]:
    """Idempotent: loads Jiangxi, creates one user per role per demo region, files sample cases."""
    if not Region.objects.filter(code="360000").exists():
        regions_load(province="360000")
    logins = []
    for code in DEMO_REGIONS:
        region = Region.objects.get(code=code)
        for role in Role.values:
            username = demo_username(role, code)
            staff_create(username=username, region=region, role=role, password=DEMO_PASSWORD)
            logins.append((username, role, f"{region.name}（{code}）"))
    if not Complaint.objects.filter(employer__name=SAMPLES[0][4]).exists():
        _sample_cases(progress)
    return logins


def _sample_cases(progress) -> None:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    now = timezone.now()
    by_employer: dict[tuple[str, str], list[Complaint]] = {}
    for i, (code, name, id_no, phone, employer, uscc, project, workers, amount) in enumerate(SAMPLES):
        region = Region.objects.get(code=code)
        complaint = complaint_receive(
            actor=None,
            channel=Channel.WEB,
            complainant={"name": name, "id_number": id_no, "phone": phone},
            employer={"name": employer, "uscc": uscc, "address": f"{region.name}某路{i + 1}号"},
            project={"name": project, "address": f"{region.name}某地块"},
            region=region,
            workers_count=workers,
            amount_owed=Decimal(amount),
            period_start=date(2026, 5, 1),
            period_end=date(2026, 10, 31),
            description="工程完工后总包单位以未收到工程款为由拖欠农民工工资。",
            received_at=now - timedelta(days=10 - i),
        )
        by_employer.setdefault((code, employer), []).append(complaint)
    for (code, _employer), complaints in by_employer.items():
        clerk = User.objects.get(username=demo_username(Role.CLERK, code))
        case = case_file(actor=clerk, role=Role.CLERK, region=Region.objects.get(code=code), complaints=complaints)
        progress(f"  case {case.case_no}: {len(complaints)} complaint(s)")
    # One per-case exception: an inspector of 湘东区 assists a case of 安源区 (协查).
    case = Case.objects.filter(region__code="360302").order_by("id").first()
    leader = User.objects.get(username=demo_username(Role.LEADER, "360302"))
    case_exception_grant(
        case=case,
        codename="assist_case",
        actor=leader,
        role=Role.LEADER,
        user=User.objects.get(username=demo_username(Role.INSPECTOR, "360313")),
    )
