"""Who may read and handle which signals. Builds on cases.scope's grants and projects.scope's rules:

- read: the labour bureau's staff who read projects (clerk, inspector, legal, leader, auditor) over the
  regions their role covers; an industry department over its own industry's projects (projects.scope);
- handle (enter a signal by hand, the flow's triage): who may propose a proactive case at the signal's
  office (an inspector or leader of that office: Right.PROPOSE);
- run a project's check now: an inspector of the project's office or a leader over it;
- the administrator: nothing.

Out of scope → 404; in scope without the right → 403; a user who reads no signals anywhere → 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cases import scope as case_scope
from cases.models import Region, Role
from cases.scope import Right
from projects import scope as project_scope

from .models import Signal


def reads_anywhere(user) -> bool:
    return project_scope.reads_anywhere(user)


def signals_visible(user) -> QuerySet[Signal]:
    if not reads_anywhere(user):
        raise PermissionDenied
    q = Q(pk__in=[])
    for g in case_scope.grants(user):
        if g.role in project_scope.READ_ROLES:
            q |= Q(region__path__startswith=g.path) if g.subtree else Q(region_id=g.region_id)
    for department, _rid, path in project_scope.industry_roles(user):
        q |= Q(project__department=department, region__path__startswith=path)
    return Signal.objects.filter(q)


def can_read(user, signal: Signal) -> bool:
    region = signal.region
    if any(g.covers(region) for g in case_scope.grants(user) if g.role in project_scope.READ_ROLES):
        return True
    if signal.project is None:
        return False
    return project_scope.can_read(user, region=region, department=signal.project.department)


def can_handle(user, region: Region) -> bool:
    return case_scope.can(user, Right.PROPOSE, region=region)


CHECK_ROLES = frozenset({Role.INSPECTOR, Role.LEADER})


def can_check(user, region: Region) -> bool:
    """Run a project's monthly check now: an inspector of the project's office, or a leader over it."""
    return any(g.covers(region) for g in case_scope.grants(user) if g.role in CHECK_ROLES)


def handles_anywhere(user) -> bool:
    return bool(case_scope.regions_with(user, Right.PROPOSE))


def signal_for_user(user, pk, *, handle: bool = False) -> Signal:
    """The signal if `user` may read it (else 404) and, with `handle`, act on it (else 403)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    signal = Signal.objects.select_related("region", "project", "unit__employer", "employer", "case").filter(pk=pk)
    found = signal.first()
    if found is None or not can_read(user, found):
        raise Http404
    if handle and not can_handle(user, found.region):
        raise PermissionDenied
    return found
