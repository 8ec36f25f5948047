"""Who may read and manage which projects. Builds on cases.scope's grants and region rules (cases knows
nothing of projects):

- the labour bureau's case staff (clerk, inspector, legal, leader, auditor) read the projects of the regions
  their role covers (cases.scope.Grant.covers: own office, or the subtree for leaders and auditors);
- the clerk of the project's own office manages them (registers, imports rosters and payroll, the account);
- an industry department (IndustryRole: housing, transport, water) reads and manages the projects of its
  own industry in its region and every region below, and sees no case data (it holds no case grant);
- the administrator: no project data.

Out of scope → 404 (Http404); in scope without the right → 403 (PermissionDenied), as for cases.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cases import scope as case_scope
from cases.models import Region, Role

from .models import IndustryRole, Project

READ_ROLES = frozenset({Role.CLERK, Role.INSPECTOR, Role.LEGAL, Role.LEADER, Role.AUDITOR})
MANAGE_ROLES = frozenset({Role.CLERK})


def industry_roles(user) -> tuple[tuple[str, int, str], ...]:
    """(department, region id, region path) of the user's industry-department roles; cached on the user."""
    if not getattr(user, "is_authenticated", False):
        return ()
    cached = user.__dict__.get("_zhiqian_industry_roles")
    if cached is None:
        rows = IndustryRole.objects.filter(user=user).values_list("department", "region_id", "region__path")
        cached = user.__dict__["_zhiqian_industry_roles"] = tuple(rows)
    return cached


def is_industry_user(user) -> bool:
    return bool(industry_roles(user))


def _bureau(user, roles: frozenset[str]) -> list[case_scope.Grant]:
    return [g for g in case_scope.grants(user) if g.role in roles]


def can_read(user, *, region: Region, department: str) -> bool:
    if any(g.covers(region) for g in _bureau(user, READ_ROLES)):
        return True
    return any(d == department and region.path.startswith(path) for d, _, path in industry_roles(user))


def can_manage(user, *, region: Region, department: str) -> bool:
    if any(g.covers(region) for g in _bureau(user, MANAGE_ROLES)):
        return True
    return any(d == department and region.path.startswith(path) for d, _, path in industry_roles(user))


def reads_anywhere(user) -> bool:
    return bool(_bureau(user, READ_ROLES)) or is_industry_user(user)


def manages_anywhere(user) -> bool:
    return bool(_bureau(user, MANAGE_ROLES)) or is_industry_user(user)


def projects_visible(user) -> QuerySet[Project]:
    """The projects `user` may read; 403 for a user who reads none anywhere."""
    if not reads_anywhere(user):
        raise PermissionDenied
    q = Q(pk__in=[])
    for g in _bureau(user, READ_ROLES):
        q |= Q(region__path__startswith=g.path) if g.subtree else Q(region_id=g.region_id)
    for department, _, path in industry_roles(user):
        q |= Q(department=department, region__path__startswith=path)
    return Project.objects.filter(q)


def project_for_user(user, project_no: str, *, manage: bool = False) -> Project:
    """The project if `user` may read it (else 404) and, with `manage`, manage it (else 403)."""
    project = Project.objects.select_related("region").filter(project_no=str(project_no)).first()
    if project is None or not can_read(user, region=project.region, department=project.department):
        raise Http404
    if manage and not can_manage(user, region=project.region, department=project.department):
        raise PermissionDenied
    return project


def check_register(user, *, region: Region, department: str) -> None:
    """A new project at `region` in `department`: 403 unless `user` manages such projects there."""
    if not can_manage(user, region=region, department=department):
        raise PermissionDenied


def sees_case_data(user) -> bool:
    """Whether the project page may list the project's cases to `user` (case readers only, in their scope)."""
    return case_scope.holds_anywhere(user, case_scope.Right.READ_CASE)
