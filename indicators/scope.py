"""Who may open the coverage indicators of which region. Builds on projects.scope (the bureau's staff who read
projects) and cases.scope's grants:

- a leader or auditor (a subtree role): its region and every region below it;
- a clerk, inspector or legal officer of a county: its county (the projects of a county are its own office's);
  of a city or the province (its own office only, not the counties below): none — the figures roll up the
  subtree, which such a role does not read;
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
    """The grants that open coverage: a subtree role anywhere, an own-office role at a county."""
    return [g for g in case_scope.grants(user) if g.role in READ_ROLES and (g.subtree or g.path.count("/") == 3)]


def may_open(user) -> bool:
    return bool(_grants(user))


def allows(user, region: Region) -> bool:
    return any(region.path.startswith(g.path) if g.subtree else region.pk == g.region_id for g in _grants(user))


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
