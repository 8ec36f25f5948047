"""Who may see and do what in 双随机一公开 (builds on cases.scope's grants):

- read the plans and their inspections: the labour bureau's staff who read projects (clerk, inspector, legal,
  leader, auditor) over the regions their role covers;
- verify a draw (复核) and manage a plan: a leader over the plan's region;
- "我的检查": an inspector (the inspections drawn for their pool entries).

Out of scope → 404; in scope without the right → 403; a user with no reading role anywhere → 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cases import scope as case_scope
from cases.models import Role
from projects import scope as project_scope

from .models import Plan


def reads_anywhere(user) -> bool:
    return any(g.role in project_scope.READ_ROLES for g in case_scope.grants(user))


def plans_visible(user) -> QuerySet[Plan]:
    if not reads_anywhere(user):
        raise PermissionDenied
    q = Q(pk__in=[])
    for g in case_scope.grants(user):
        if g.role in project_scope.READ_ROLES:
            q |= Q(region__path__startswith=g.path) if g.subtree else Q(region_id=g.region_id)
    return Plan.objects.filter(q)


def plan_for_read(user, pk: int) -> Plan:
    plan = plans_visible(user).select_related("region").filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def can_manage(user, plan: Plan) -> bool:
    return any(g.covers(plan.region) for g in case_scope.grants(user) if g.role == Role.LEADER)


def is_inspector(user) -> bool:
    return any(g.role == Role.INSPECTOR for g in case_scope.grants(user))


def inspection_for_read(user, pk: int):
    from .models import Inspection

    inspection = (
        Inspection.objects.filter(plan__in=plans_visible(user), pk=pk)
        .select_related("plan", "plan__region", "target__employer", "target__project")
        .first()
    )
    if inspection is None:
        raise Http404
    return inspection


def is_its_inspector(user, inspection) -> bool:
    return inspection.inspectors.filter(user=user).exists()


def is_leader(user) -> bool:
    return any(g.role == Role.LEADER for g in case_scope.grants(user))


def leader_region(user, code: str):
    """The region of `code` when a leader's grant covers it, else None."""
    from cases.models import Region

    region = Region.objects.filter(code=code).first()
    if region is None:
        return None
    return region if any(g.covers(region) for g in case_scope.grants(user) if g.role == Role.LEADER) else None


def pool_region(user, code: str):
    """The region of a pools page: one the user reads (a reading role over it), else 404; no reading role
    anywhere: 403."""
    from cases.models import Region

    if not reads_anywhere(user):
        raise PermissionDenied
    region = Region.objects.filter(code=code).first()
    reading = [g for g in case_scope.grants(user) if g.role in project_scope.READ_ROLES]
    if region is None or not any(g.covers(region) for g in reading):
        raise Http404
    return region


def manages_region(user, region) -> bool:
    """Enrol and remove in the region's pools, record recusals: a leader over the region."""
    return any(g.covers(region) for g in case_scope.grants(user) if g.role == Role.LEADER)


def pool_regions(user) -> list:
    """The regions of the user's reading grants (the links to their pools)."""
    from cases.models import Region

    ids = {g.region_id for g in case_scope.grants(user) if g.role in project_scope.READ_ROLES}
    return list(Region.objects.filter(pk__in=ids).order_by("code"))
