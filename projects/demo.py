"""Demo construction projects across Jiangxi: a few hundred projects with their chains, real-name rosters and
12 months of attendance, wage sheets and bank payment lines — some paid late, some short, some without a wage
account — so the next issue's monthly checks have something to find.

Projects, units, accounts and the industry-department logins go through the services (timeline events
included); the rosters and the payroll, tens of thousands of rows, are written in bulk (cases.bulk), one
summary event per project (and the labour costs, one row per month). Deterministic (a seeded random)
and idempotent (projects numbered DEMO-…)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric
from stdnum.cn import uscc as uscc_check

from cases import timeline
from cases.bulk import bulk_insert
from cases.models import Party, Region

from . import summary
from .accounts import wage_account_open
from .models import Attendance, Department, LabourCostTransfer, PaymentLine, Project, ProjectUnit, WageSheetLine, Worker
from .registry import industry_role_grant, project_register, project_unit_add, project_validate

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国海波志红春生金龙文斌"
TEAMS = [("钢筋班", "钢筋工"), ("木工班", "木工"), ("泥工班", "泥工"), ("水电班", "水电工"), ("架子班", "架子工")]
_CODES = {"H": Department.HOUSING, "T": Department.TRANSPORT, "W": Department.WATER, "O": Department.OTHER}
DEPARTMENTS = [_CODES[c] for c in "HTHWHHTHWHHOHTHWHHTH"]  # 12 : 4 : 3 : 1, every industry early on
KINDS = {
    Department.HOUSING: ["安置房", "学校扩建", "人民医院门诊楼", "保障性住房", "商住楼"],
    Department.TRANSPORT: ["国道改建", "县乡公路", "大桥", "高速连接线"],
    Department.WATER: ["水库除险加固", "灌区改造", "堤防加固"],
    Department.OTHER: ["产业园标准厂房", "物流仓储中心"],
}
DEMO_COUNT = 60  # what `make demo` (seed_demo) seeds; `seed_projects --count N` for the province-sized set
INDUSTRY_LOGINS = [("housing", "360302"), ("transport", "360302"), ("water", "360302"), ("housing", "360300")]


def _uscc(n: int, area: str) -> str:
    first17 = f"91{area}MA{n % 10**7:07d}"
    return first17 + uscc_check.calc_check_digit(first17)


def _id(seq: int, area: str) -> str:
    born = date(1968, 1, 1) + timedelta(days=seq // 1000 * 7)
    base = f"{area}{born:%Y%m%d}{seq % 1000:03d}0"
    return base[:-1] + ric.calc_check_digit(base)


def _months(today: date, count: int = 12) -> list[date]:
    first = today.replace(day=1)
    out = []
    for _ in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        out.append(first)
    return list(reversed(out))


def industry_logins(password: str | None) -> list[tuple[str, str, str]]:
    """The industry-department demo users (housing/transport/water at 360302, housing at 360300)."""
    users = get_user_model()
    out = []
    for department, code in INDUSTRY_LOGINS:
        region = Region.objects.get(code=code)
        username = f"{department}_{code}"
        user = users.objects.filter(username=username).first()
        if user is None:
            user = users(username=username)
            user.set_password(password) if password else user.set_unusable_password()
            user.save()
        industry_role_grant(actor=None, user=user, region=region, department=department)
        out.append((username, f"industry:{department}", f"{region.name}（{code}）"))
    return out


@transaction.atomic
def projects_seed(
    *, count: int = 300, seed: int = 2026, today: date | None = None, progress: Callable[[str], object] = print
) -> int:
    """Add demo projects until there are `count` (DEMO-…); returns how many were added."""
    started = time.monotonic()
    rng = random.Random(seed)
    today = today or timezone.localdate()
    months = _months(today)
    counties = list(Region.objects.filter(level=Region.Level.COUNTY, code__startswith="36").order_by("code"))
    if not counties:
        raise RuntimeError("no Jiangxi counties: run load_regions first")
    have = Project.objects.filter(project_no__startswith="DEMO-").count()
    seq_base = Worker.objects.count() + Party.objects.count() + 1000
    added = 0
    for i in range(have, count):
        region = counties[i % len(counties)] if i < len(counties) else rng.choice(counties)
        if i < 12:  # the demo county has projects of every industry
            region = Region.objects.get(code="360302")
        department = DEPARTMENTS[i % len(DEPARTMENTS)]
        _project(i, region, department, rng, months, seq_base + i * 60, today)
        added += 1
        if added % 25 == 0:
            progress(f"  projects: {have + added}/{count} ({time.monotonic() - started:.1f} s)")
    progress(f"  projects: {added} added, {count} in all ({time.monotonic() - started:.1f} s)")
    return added


def _project(i, region, department, rng, months, seq, today) -> None:
    area = region.code
    contract = months[0] - timedelta(days=rng.randint(20, 120))
    kind = rng.choice(KINDS[department])
    body = {
        "project_no": f"DEMO-{area}-{i:04d}",
        "name": f"{region.name}{kind}工程（{i + 1}）",
        "region_code": area,
        "address": f"{region.name}某地块",
        "department": department,
        "government_invested": rng.random() < 0.5,
        "funding_source": rng.choice(["财政资金", "专项债券", "企业自筹", "银行贷款"]),
        "permit_no": f"{area}{contract:%Y%m}{i:05d}",
        "contract_sum": str(rng.randint(200, 20000) * 10000),
        "contract_signed_on": contract,
        "start_on": contract + timedelta(days=10),
        "planned_completion_on": contract + timedelta(days=rng.randint(400, 900)),
        "status": "building",
        "construction_unit": {"name": f"{region.name}城市建设投资有限公司{i}", "uscc": _uscc(300000 + i, area)},
        "general_contractor": {"name": f"江西建工第{i}工程有限公司", "uscc": _uscc(100000 + i, area)},
    }
    project, _ = project_register(actor=None, clean=project_validate(body))
    general = project.units.get(role=ProjectUnit.Role.GENERAL)
    units = [general]
    for k in range(rng.randint(1, 2)):
        role = ProjectUnit.Role.LABOUR if k == 0 else ProjectUnit.Role.SPECIALIST
        units.append(
            project_unit_add(
                actor=None,
                project=project,
                name=f"{region.name}某劳务公司{i}-{k}",
                uscc=_uscc(200000 + i * 3 + k, area),
                role=role,
            )
        )
    has_account = rng.random() > 0.15  # some without a wage account
    account = None
    late_account = rng.random() < 0.1
    if has_account:
        opened = contract + timedelta(days=rng.randint(35, 80) if late_account else rng.randint(3, 28))
        account = wage_account_open(
            actor=None,
            project=project,
            bank=rng.choice(["建设银行", "农业银行", "工商银行", "中国银行"]),
            account_no=f"62{rng.randint(10**16, 10**17 - 1)}",
            opened_on=opened,
            tripartite_signed_on=opened,
        )
    # the roster
    size = rng.randint(8, 30)
    people = [
        Party(
            name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2))), id_number=_id(seq + n, area)
        )
        for n in range(size)
    ]
    bulk_insert(Party, people)
    workers = []
    for n, person in enumerate(people):
        team, trade = rng.choice(TEAMS)
        entered = contract + timedelta(days=rng.randint(10, 60))
        workers.append(
            Worker(
                project=project,
                person=person,
                unit=units[n % len(units)],
                team=team,
                trade=trade,
                contract_signed_on=entered if rng.random() > 0.08 else None,
                entered_on=entered,
                bank=rng.choice(["建设银行", "农业银行", "农商银行"]),
                bank_card=f"6217{seq + n:015d}",
            )
        )
    bulk_insert(Worker, workers)
    attendance, sheet, paid, transfers = [], [], [], []
    late_payer = rng.random() < 0.2
    short_payer = rng.random() < 0.15
    for month in months:
        next_month = (month + timedelta(days=32)).replace(day=1)
        if has_account:
            day = rng.randint(12, 25) if late_payer and rng.random() < 0.5 else rng.randint(3, 10)
            cost = Decimal(size * 5500)
            transfers.append(
                LabourCostTransfer(account=account, month=month, amount=cost, received_on=next_month.replace(day=day))
            )
        for worker in workers:
            days = rng.randint(18, 28)
            attendance.append(Attendance(worker=worker, month=month, days=days))
            due = Decimal(days * rng.choice([220, 250, 280, 320]))
            sheet.append(
                WageSheetLine(
                    worker=worker,
                    unit=worker.unit,
                    month=month,
                    days=days,
                    amount_due=due,
                    amount_net=due,
                    signed=rng.random() > 0.03,
                )
            )
            if short_payer and rng.random() < 0.25:
                continue  # unpaid this month
            amount = due if not (short_payer and rng.random() < 0.3) else (due * Decimal("0.6")).quantize(Decimal("1"))
            pay_day = rng.randint(16, 28) if late_payer and rng.random() < 0.5 else rng.randint(5, 15)
            paid.append(
                PaymentLine(
                    worker=worker,
                    month=month,
                    amount=amount,
                    paid_on=next_month.replace(day=pay_day),
                    via_account=has_account,
                    on_behalf=worker.unit.role != ProjectUnit.Role.GENERAL and rng.random() < 0.8,
                    memo="工资",
                )
            )
    bulk_insert(Attendance, attendance)
    bulk_insert(WageSheetLine, sheet)
    bulk_insert(PaymentLine, paid)
    bulk_insert(LabourCostTransfer, transfers)
    summary.refresh_months(project_ids=[project.pk])
    timeline.record(
        project.region,
        "project.payments_imported",
        data={
            "project": project.pk,
            "project_no": project.project_no,
            "filename": "demo",
            "created": len(paid),
            "updated": 0,
        },
    )
