"""Permission-matrix entries: 双随机一公开 (issue 18). The bureau's readers read the plans of the regions they
cover (404 outside); a leader over the plan's region runs the 复核 (other readers 403); "我的检查" is an
inspector's; the administrator reads no plans (403). The public results are anyone's (an unpublished plan 404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from cases.models import Role
from tests import world
from tests.matrix import READERS, Entry, Target


@dataclass
class PlanTarget(Target):
    plan_id: int = 0


def _plan(code: str):
    from inspections.services import plan_create

    return plan_create(region=world.region(code), name="权限矩阵抽查计划", period_start=date(2026, 3, 1),
                       period_end=date(2026, 6, 30), count=1, actor=None)  # fmt: skip


def plan_target(code: str) -> PlanTarget:
    return PlanTarget(plan_id=_plan(code).pk)


def reader_list(role: str, _in_scope: bool) -> int:
    return 200 if role in READERS else 403


def reader_plan(role: str, in_scope: bool) -> int:
    if role not in READERS:
        return 403
    return 200 if in_scope else 404


def verifier(role: str, in_scope: bool) -> int:
    if role not in READERS:
        return 403
    if not in_scope:
        return 404
    return 302 if role == Role.LEADER else 403


def drawn_target(code: str) -> PlanTarget:
    """A drawn plan at `code` (a target and two certified inspectors of its own, none of the matrix's users)."""
    from cases.models import Employer
    from cases.services import staff_create
    from inspections.models import Inspector
    from inspections.services import inspector_enrol, plan_draw, target_enrol

    region = world.region(code)
    n = Inspector.objects.count()
    for k in (n, n + 1):
        user = staff_create(username=f"matrix_pool_{k}", region=region, role=Role.INSPECTOR)
        inspector_enrol(region=region, user=user, name=f"矩阵检查员{k}", certificate_no=f"MX{k:05d}", actor=None)
    name = f"矩阵抽查单位{n}"
    employer = Employer.objects.create(name=name, name_key=name, region=region, industry="C")
    target_enrol(region=region, actor=None, industry="C", employer=employer)
    plan = plan_draw(plan=_plan(code), actor=None)
    return PlanTarget(plan_id=plan.inspections.get().pk)


def in_scope_forbidden(role: str, in_scope: bool) -> int:
    if role not in READERS:
        return 403
    return 403 if in_scope else 404


@dataclass
class PoolTarget(Target):
    code: str = ""
    inspector_id: int = 0
    target_id: int = 0


def pool_target(code: str) -> PoolTarget:
    """The pools of `code`: an inspector (not a matrix user) and an employer target of its own."""
    from cases.models import Employer
    from cases.services import staff_create
    from inspections.models import Inspector
    from inspections.pools import inspector_enrol, target_enrol

    region = world.region(code)
    k = Inspector.objects.count()
    user = staff_create(username=f"matrix_pooled_{k}", region=region, role=Role.INSPECTOR)
    inspector = inspector_enrol(region=region, user=user, name=f"矩阵名录{k}", certificate_no=f"MP{k:05d}", actor=None)
    name = f"矩阵名录单位{k}"
    employer = Employer.objects.create(name=name, name_key=name, region=region, industry="C")
    target = target_enrol(region=region, actor=None, industry="C", employer=employer)
    return PoolTarget(code=code, inspector_id=inspector.pk, target_id=target.pk)


def pool_manager(ok: int):
    """A leader over the region changes its pools (`ok`: the answer to the matrix's empty form — the page again
    with the errors, or back to the pools); other readers 403; outside the region 404; no reading role 403."""

    def expect(role: str, in_scope: bool) -> int:
        if role not in READERS:
            return 403
        if not in_scope:
            return 404
        return ok if role == Role.LEADER else 403

    return expect


def _pools(name: str, *ids: str):
    return lambda t: reverse(f"inspections:{name}", args=[t.code, *(getattr(t, i) for i in ids)])


ENTRIES = {
    "inspections:pools": Entry(_pools("pools"), reader_plan, prepare=pool_target),
    "inspections:inspector-add": Entry(
        _pools("inspector-add"), pool_manager(200), method="post", prepare=pool_target
    ),  # fmt: skip
    "inspections:inspector-remove": Entry(
        _pools("inspector-remove", "inspector_id"), pool_manager(302), method="post", prepare=pool_target
    ),  # fmt: skip
    "inspections:target-add": Entry(_pools("target-add"), pool_manager(200), method="post", prepare=pool_target),
    "inspections:targets-bulk": Entry(
        _pools("targets-bulk"), pool_manager(200), method="post", prepare=pool_target
    ),  # fmt: skip
    "inspections:target-remove": Entry(
        _pools("target-remove", "target_id"), pool_manager(302), method="post", prepare=pool_target
    ),  # fmt: skip
    "inspections:recusal-add": Entry(_pools("recusal-add"), pool_manager(200), method="post", prepare=pool_target),
    # an inspection's page: its plan's readers; its verification: its two inspectors only (never a matrix user)
    "inspections:inspection": Entry(
        lambda t: reverse("inspections:inspection", args=[t.plan_id]), reader_plan, prepare=drawn_target
    ),  # fmt: skip
    "inspections:rectification-verify": Entry(
        lambda t: reverse("inspections:rectification-verify", args=[t.plan_id]),
        in_scope_forbidden,
        method="post",
        prepare=drawn_target,
    ),  # fmt: skip
    "inspections:rectifications": Entry(
        lambda t: reverse("inspections:rectifications"),
        lambda r, s: 200 if r == Role.INSPECTOR else 403,
        scoped=False,
    ),
    "inspections:index": Entry(lambda t: reverse("inspections:index"), reader_list, scoped=False),
    "inspections:mine": Entry(
        lambda t: reverse("inspections:mine"), lambda r, s: 200 if r == Role.INSPECTOR else 403, scoped=False
    ),
    "inspections:detail": Entry(lambda t: reverse("inspections:detail", args=[t.plan_id]), reader_plan,
                                prepare=plan_target),  # fmt: skip
    "inspections:verify": Entry(lambda t: reverse("inspections:verify", args=[t.plan_id]), verifier,
                                method="post", prepare=plan_target),  # fmt: skip
    # the matrix's users are never among the inspection's two drawn inspectors (tests/test_inspections.py: 200)
    "inspections:record": Entry(lambda t: reverse("inspections:record", args=[t.plan_id]), in_scope_forbidden,
                                prepare=drawn_target),  # fmt: skip
    "inspections:new": Entry(
        lambda t: reverse("inspections:new"), lambda r, s: 200 if r == Role.LEADER else 403, scoped=False
    ),
    # a plan with no pools in the world: the leader's draw / completion is refused with a message (302 back)
    "inspections:draw": Entry(lambda t: reverse("inspections:draw", args=[t.plan_id]), verifier,
                              method="post", prepare=plan_target),  # fmt: skip
    "inspections:complete": Entry(lambda t: reverse("inspections:complete", args=[t.plan_id]), verifier,
                                  method="post", prepare=plan_target),  # fmt: skip
    "inspections:publish": Entry(lambda t: reverse("inspections:publish", args=[t.plan_id]), verifier,
                                 method="post", prepare=plan_target),  # fmt: skip
    "inspections-public:results": Entry(
        lambda t: reverse("inspections-public:results"), lambda r, s: 200, scoped=False, anonymous=200
    ),
    # an unpublished plan is nobody's to see
    "inspections-public:result": Entry(lambda t: reverse("inspections-public:result", args=[t.plan_id]),
                                       lambda r, s: 404, prepare=plan_target, anonymous=404),  # fmt: skip
}
