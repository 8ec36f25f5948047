"""Demo 双随机一公开 for 安源区: both pools (the demo inspectors with their certificates; four employers and the
demo construction projects), a plan drawn from a recorded seed, and its two inspections — one with a
rectification order still running, one whose order was not complied with and became a proposed case (the flow
layer's seeding approves it). Through the services (their events and clocks); idempotent."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.models import Employer, FilingProposal, Region, Role, StaffRole
from cases.workdays import add_working_days
from projects.models import Project

from .models import Plan, Target
from .pools import inspector_enrol, target_enrol
from .rectification import inspection_rectification_fail
from .services import CHECKLIST, inspection_record, plan_create, plan_draw

PLAN_NAME = "2026年第四季度双随机抽查（演示）"
EMPLOYERS = [  # name, GB/T 4754 section, size
    ("萍乡某服装制造有限公司", "C", Target.Size.MEDIUM),
    ("安源区某餐饮管理有限公司", "H", Target.Size.SMALL),
    ("萍乡某建筑劳务有限公司", "E", Target.Size.SMALL),
    ("萍乡某物流有限公司", "G", Target.Size.MICRO),
]


def _uscc(n: int) -> str:
    from stdnum.cn import uscc

    first17 = f"91360302MA{7200000 + n:07d}"
    return first17 + uscc.calc_check_digit(first17)


@contextmanager
def _working_days_ago(days: int) -> Iterator[None]:
    then = add_working_days(timezone.localdate(), -days)
    moment = timezone.now() - timedelta(days=(timezone.localdate() - then).days)
    with mock.patch("django.utils.timezone.now", lambda: moment):
        yield


def inspections_seed(*, progress: Callable[[str], object] = print) -> FilingProposal | None:
    """The demo's pools, plan and inspections; the not-corrected inspection's filing proposal (None when seeded
    before)."""
    if Plan.objects.filter(name=PLAN_NAME).exists():
        return None
    region = Region.objects.get(code="360302")
    users = get_user_model().objects
    leader = users.filter(pk__in=StaffRole.objects.filter(region=region, role=Role.LEADER).values("user_id")).first()
    inspectors = users.filter(
        pk__in=StaffRole.objects.filter(region=region, role=Role.INSPECTOR).values("user_id")
    ).order_by("username")
    today = timezone.localdate()
    for n, user in enumerate(inspectors):
        inspector_enrol(region=region, user=user, name=user.get_full_name() or user.get_username(),
                        certificate_no=f"JX0302{n + 1:05d}", certificate_valid_until=today + timedelta(days=700),
                        actor=leader)  # fmt: skip
    for n, (name, section, size) in enumerate(EMPLOYERS):
        employer = Employer.objects.filter(name=name).first() or Employer.objects.create(
            name=name, name_key=name, uscc=_uscc(n), region=region, address="萍乡市安源区", industry=section
        )
        if not Target.objects.filter(region=region, employer=employer).exists():
            target_enrol(region=region, actor=leader, industry=section, size=size, employer=employer)
    for project in Project.objects.filter(region=region, project_no__startswith="DEMO-DEP-").order_by("pk")[:3]:
        if not Target.objects.filter(region=region, project=project).exists():
            target_enrol(region=region, actor=leader, industry="E", size=Target.Size.LARGE, project=project)
    with _working_days_ago(15):
        plan = plan_create(region=region, name=PLAN_NAME, period_start=today - timedelta(days=30),
                           period_end=today + timedelta(days=60), count=2, actor=leader)  # fmt: skip
        plan = plan_draw(plan=plan, actor=leader, seed="demo-2026-q4")
    due, late = plan.inspections.order_by("pk")
    problem = {**dict.fromkeys(CHECKLIST, "ok"), "contracts": "problem", "wage_records": "problem"}
    actor = late.inspectors.order_by("pk").first().user
    with _working_days_ago(14):
        inspection_record(inspection=late, checklist=problem, findings="未与12名劳动者签订书面劳动合同，工资发放无记录",
                          outcome="rectify", inspected_on=timezone.localdate(), actor=actor, rectify_wd=10)  # fmt: skip
    filing = inspection_rectification_fail(
        inspection=late, verified_on=today, note="复查时仍未补签劳动合同，工资台账仍缺失",
        workers_count=12, amount_owed="96000", actor=actor,
    )  # fmt: skip
    with _working_days_ago(2):
        inspection_record(inspection=due, checklist={**dict.fromkeys(CHECKLIST, "ok"), "notice_board": "problem"},
                          findings="施工现场未设置维权信息告示牌", outcome="rectify", inspected_on=timezone.localdate(),
                          actor=due.inspectors.order_by("pk").first().user)  # fmt: skip
    progress(f"  双随机抽查: plan {plan.pk}, a rectification due, a not-corrected one proposed as a case")
    return filing.filing
