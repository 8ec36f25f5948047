"""Who may open and do what in the assessment (built on cases.scope's grants):

- the leader of the province assesses its cities, the leader of a city its counties (`may_assess`);
- a leader or auditor reads the assessments made at its region or below (the province sees all of them);
- a published circular is read by the staff of the issuing region and of every region below it.

Out of scope → 404; a role that reads no assessment → 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cases import scope as case_scope
from cases.models import Region, Role

from .models import Assessment, Circular

ASSESSING_LEVELS = (Region.Level.PROVINCE, Region.Level.CITY)
READ_ROLES = (Role.LEADER, Role.AUDITOR)


def _readers(user) -> list[case_scope.Grant]:
    return [g for g in case_scope.grants(user) if g.role in READ_ROLES]


def may_open(user) -> bool:
    """The assessment pages: leaders and auditors."""
    return bool(_readers(user))


def may_assess(user, region: Region) -> bool:
    """The leader of the province (its cities) or of a city (its counties)."""
    return region.level in ASSESSING_LEVELS and any(
        g.role == Role.LEADER and g.region_id == region.pk for g in case_scope.grants(user)
    )


def assessing_regions(user) -> list[Region]:
    ids = [g.region_id for g in case_scope.grants(user) if g.role == Role.LEADER]
    return list(Region.objects.filter(pk__in=ids, level__in=ASSESSING_LEVELS).order_by("code"))


def assessments_visible(user) -> QuerySet[Assessment]:
    grants = _readers(user)
    if not grants:
        raise PermissionDenied
    q = Q(pk__in=[])
    for g in grants:
        q |= Q(region__path__startswith=g.path)
    return Assessment.objects.filter(q)


def assessment_for(user, pk: int) -> Assessment:
    """The assessment if `user` reads it: 403 for a role that reads none, 404 out of scope."""
    found = assessments_visible(user).select_related("region").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def assessment_to_act(user, pk: int) -> Assessment:
    """The assessment if `user` is the leader who makes it: 404 out of scope, 403 in scope without the right."""
    assessment = assessment_for(user, pk)
    if not may_assess(user, assessment.region):
        raise PermissionDenied
    return assessment


def _staff(user) -> list[case_scope.Grant]:
    """The bureau's staff roles (not the system administrator's)."""
    return [g for g in case_scope.grants(user) if g.role != Role.ADMIN]


def reads_circulars(user) -> bool:
    return bool(_staff(user))


def circulars_visible(user) -> QuerySet[Circular]:
    """Published circulars of the user's regions and of the regions above them."""
    grants = _staff(user)
    if not grants:
        raise PermissionDenied
    ids: set[int] = set()
    for g in grants:
        ids.update(_path_ids(g.path))
    return Circular.objects.filter(status=Circular.Status.PUBLISHED, region_id__in=ids)


def _path_ids(path: str) -> list[int]:
    """The region at `path` and every region above it (paths are prefixes)."""
    prefixes = [path[:i] for i in range(1, len(path) + 1) if path[i - 1] == "/"] or [path]
    return list(Region.objects.filter(path__in=prefixes + [path]).values_list("pk", flat=True))


def circular_for(user, pk: int) -> Circular:
    """A circular: published and issued at or above one of the user's regions, or — a draft too — within an
    assessment the user reads. 404 otherwise; 403 for a user with no staff role."""
    found = circulars_visible(user).filter(pk=pk).first()
    if found is None and may_open(user):
        found = Circular.objects.filter(pk=pk, assessment__in=assessments_visible(user)).first()
    if found is None:
        raise Http404
    return found


def reads_region(user, region: Region) -> bool:
    """A leader or auditor whose region is `region` or above it."""
    return any(region.path.startswith(g.path) for g in _readers(user))
