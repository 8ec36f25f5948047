"""Demo deposits and an emergency wage fund: deposits on a few projects (cash held, a bank guarantee expiring
soon, one due and not made, one exempt, one under its return notice), the fund of 安源区 with an advance to the
workers of a sample case, approved and partly recovered. Through the services (their events and documents);
idempotent (projects numbered DEMO-DEP-…). Called from workflows.demo.seed_demo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.models import ArrearsEntry, Region
from projects.models import Project
from projects.registry import project_register, project_validate

from .fund import fund_advance_decide, fund_advance_request, fund_allocate
from .models import Deposit, EmergencyFund
from .register import deposit_record, deposit_register
from .returns import deposit_return_apply, deposit_return_notice

PROJECTS = [  # number, name, contract sum, how its deposit stands
    (1, "安源区城南安置房二期", "18000000.00", "cash"),
    (2, "萍乡经开区标准厂房", "9500000.00", "guarantee"),
    (3, "安源区中心小学扩建", "6200000.00", "missing"),
    (4, "安源区社区卫生服务中心", "2600000.00", "exempt"),
    (5, "萍乡市第二人民医院门诊楼", "32000000.00", "returning"),
]


def _uscc(n: int) -> str:
    from stdnum.cn import uscc

    first17 = f"91360302MA{7100000 + n:07d}"
    return first17 + uscc.calc_check_digit(first17)


def _project(n: int, name: str, contract_sum: str) -> Project:
    found = Project.objects.filter(project_no=f"DEMO-DEP-{n:03d}").first()
    if found is not None:
        return found
    today = timezone.localdate()
    body = {
        "project_no": f"DEMO-DEP-{n:03d}", "name": name, "region_code": "360302", "department": "housing",
        "government_invested": n % 2 == 1, "contract_sum": contract_sum,
        "contract_signed_on": str(today - timedelta(days=40 + 30 * n)), "start_on": str(today - timedelta(days=30 * n)),
        "planned_completion_on": str(today + timedelta(days=365)), "status": "building", "address": "萍乡市安源区",
        "construction_unit": {"name": f"萍乡市城市建设投资公司{n}", "uscc": _uscc(100 + n)},
        "general_contractor": {"name": f"江西省建工集团第{n}工程公司", "uscc": _uscc(200 + n)},
    }  # fmt: skip
    project, _ = project_register(actor=None, clean=project_validate(body))
    return project


def deposits_seed(*, progress: Callable[[str], object] = print) -> None:
    if Deposit.objects.filter(project__project_no__startswith="DEMO-DEP-").exists():
        return
    users = get_user_model().objects
    clerk, leader = users.get(username="clerk_360302"), users.get(username="leader_360302")
    inspector = users.get(username="inspector_360302")
    today = timezone.localdate()
    for n, name, contract_sum, how in PROJECTS:
        project = _project(n, name, contract_sum)
        deposit = deposit_register(project=project, actor=clerk)
        if how == "exempt" or deposit.status == Deposit.Status.EXEMPT or how == "missing":
            progress(f"  {project.project_no}: {deposit.get_status_display()}")
            continue
        extra: dict[str, object] = {"account_no": f"62284800000{n:05d}"} if how != "guarantee" else {
            "guarantee_no": f"BH360302-2026-{n:03d}", "expires_on": today + timedelta(days=20)}  # fmt: skip
        deposit_record(deposit=deposit, form="guarantee" if how == "guarantee" else "cash", bank="中国农业银行萍乡分行",
                       amount=deposit.required_amount, deposited_on=today, actor=clerk, **extra)  # fmt: skip
        if how == "returning":
            Project.objects.filter(pk=project.pk).update(status=Project.Status.COMPLETED, completed_on=today)
            deposit.project.refresh_from_db()
            deposit_return_apply(deposit=deposit, on=today, actor=clerk)
            deposit_return_notice(deposit=deposit, actor=clerk)
        progress(f"  {project.project_no}: {deposit.get_status_display()} {deposit.required_amount}")
    region = Region.objects.get(code="360302")
    if not EmergencyFund.objects.filter(region=region).exists():
        fund_allocate(region=region, amount="2000000.00", on=today, actor=leader, note="区财政拨入")
        entries = list(ArrearsEntry.objects.filter(case__region=region, case__status="investigating",
                                                   amount_paid__lt=Decimal("1")).order_by("id")[:5])  # fmt: skip
        if entries:
            same = {str(e.pk): "500.00" for e in entries if e.case_id == entries[0].case_id}
            advance = fund_advance_request(case=entries[0].case, purpose="living", reason="春节前劳动者基本生活困难",
                                           amounts=same, actor=inspector)  # fmt: skip
            fund_advance_decide(advance=advance, approved=True, opinion="同意垫付", paid_on=today, actor=leader)
            progress(f"  {entries[0].case.case_no}: 应急周转金垫付 {advance.amount}")
