"""Who may read and do what with deposits and the fund; built on cases.scope and projects.scope (the one
place of their rules). Out of scope → 404, in scope without the right → 403.

- a deposit is read by whoever reads its project (the bureau's staff of the region, the project's industry
  department) and registered, recorded and returned by whoever manages the project (the office's clerk, the
  industry department);
- a drawdown and an advance request act on a case: its assigned inspector (Right.INVESTIGATE);
- an advance is approved, and money put into the fund, by the leader of the fund's region (Right.APPROVE);
- the fund is read by the bureau's staff whose grants cover its region;
- the rate table is the province administrator's, in the Django admin (deposits.admin).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cases import scope as case_scope
from cases.models import Case, Region
from projects import scope as project_scope

from .models import Deposit, EmergencyFund

Right = case_scope.Right
READ_ROLES = project_scope.READ_ROLES


def deposits_visible(user) -> QuerySet[Deposit]:
    """Deposits of the projects `user` reads (403 for a user who reads no project)."""
    return Deposit.objects.filter(project__in=project_scope.projects_visible(user))


def reads_funds(user) -> bool:
    return any(g.role in READ_ROLES for g in case_scope.grants(user))


def funds_visible(user) -> QuerySet[EmergencyFund]:
    """Funds of the regions the user's bureau grants cover, and the funds above them that serve them."""
    grants = [g for g in case_scope.grants(user) if g.role in READ_ROLES]
    if not grants:
        raise PermissionDenied
    q = Q(pk__in=[])
    for g in grants:
        q |= Q(region__path__startswith=g.path) if g.subtree else Q(region_id=g.region_id)
        q |= Q(region__path__in=_ancestors(g.path))
    return EmergencyFund.objects.filter(q)


def _ancestors(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts))]


def fund_for_user(user, code: str) -> EmergencyFund:
    """The fund of region `code` if `user` reads it, else 404 (also for a user who reads no fund)."""
    if not reads_funds(user):
        raise Http404
    fund = funds_visible(user).select_related("region").filter(region__code=str(code)[:6]).first()
    if fund is None:
        raise Http404
    return fund


def case_for_action(user, case_no: str, right: Right) -> Case:
    """The case if `user` reads it (else 404) and holds `right` on it (else 403)."""
    case = case_scope.case_for_user(user, case_no)
    if not case_scope.can(user, right, region=case.region, case_id=case.pk):
        raise PermissionDenied
    return case


def can_investigate(user, case: Case) -> bool:
    return case_scope.can(user, Right.INVESTIGATE, region=case.region, case_id=case.pk)


def can_approve(user, region: Region) -> bool:
    return case_scope.can(user, Right.APPROVE, region=region)
