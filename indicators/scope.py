"""Who may open the coverage indicators of which region. Builds on projects.scope (the bureau's staff who read
projects) and cases.scope's grants:

- a leader or auditor (a subtree role): its region and every region below it, rolled up;
- a clerk, inspector or legal officer (an own-office role): its own region, with the figures of its own office's
  projects only (本级: for a county, all of the county's; for a city or the province, not the regions below),
  the projects it reads;
- an industry department, the administrator: none (403) — the figures count every industry's projects.

Out of scope → 404; a user who may open no region → 403 (wrong role).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cases import scope as case_scope
from cases.models import Region
from projects.scope import READ_ROLES


def _grants(user) -> list[case_scope.Grant]:
    """The grants that open coverage: the roles that read projects (projects.scope.READ_ROLES)."""
    return [g for g in case_scope.grants(user) if g.role in READ_ROLES]


def may_open(user) -> bool:
    return bool(_grants(user))


def allows(user, region: Region) -> bool:
    return any(region.path.startswith(g.path) if g.subtree else region.pk == g.region_id for g in _grants(user))


def reads_subtree(user, region: Region) -> bool:
    """Whether `user` reads the projects of the whole subtree of `region` (else only of its own office)."""
    return any(g.subtree and region.path.startswith(g.path) for g in _grants(user))


def region_for(user, code: str | None) -> Region:
    """The region asked for if `user` may open it (else 404); without a code, the user's highest region.
    403 for a user who may open none."""
    grants = _grants(user)
    if not grants:
        raise PermissionDenied
    if code:
        region = Region.objects.filter(code=str(code)[:6]).first()
        if region is None or not allows(user, region):
            raise Http404
        return region
    top = min(grants, key=lambda g: (len(g.path), g.region_code))
    return Region.objects.get(pk=top.region_id)
