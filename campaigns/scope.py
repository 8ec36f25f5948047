"""Who may see and do what in the special campaigns (builds on cases.scope's grants and projects.scope):

- read a campaign: the labour bureau's readers (clerk, inspector, legal, leader, auditor) and the industry
  departments whose region lies in the campaign's subtree (they take part) or above it (a leader, an auditor or
  a department of a higher level looking down);
- read hazards and checks: the bureau's readers over the responsible offices their role covers (own office;
  the subtree for leaders and auditors); an industry department the hazards of its own projects (projects.scope);
- launch a campaign: a leader, for its own office, at the province or city level; close it: a leader over it;
- enter checks and hazards, resolve a hazard: an inspector of the responsible office, or the industry
  department of the project; turn a hazard into a case: an inspector of the responsible office;
- the weekly figures (调度): a leader or an auditor over the campaign (the whole subtree) or over a region in it
  (that region's subtree).

Out of scope → 404; in scope without the right → 403; a user with no reading role anywhere → 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cases import scope as case_scope
from cases.models import Region, Role
from projects import scope as project_scope

from .models import Campaign, CheckRecord, Hazard

LAUNCH_LEVELS = (Region.Level.PROVINCE, Region.Level.CITY)
REPORT_ROLES = frozenset({Role.LEADER, Role.AUDITOR})


def _readers(user) -> list[case_scope.Grant]:
    return [g for g in case_scope.grants(user) if g.role in project_scope.READ_ROLES]


def _prefixes(path: str) -> list[str]:
    """The paths of a region and of each region above it: "36/3603/360302/" → "36/", "36/3603/", itself."""
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def reads_anywhere(user) -> bool:
    return bool(_readers(user)) or project_scope.is_industry_user(user)


def campaigns_visible(user) -> QuerySet[Campaign]:
    if not reads_anywhere(user):
        raise PermissionDenied
    q = Q(pk__in=[])
    paths = [(g.path, g.subtree) for g in _readers(user)]
    paths += [(path, True) for _d, _r, path in project_scope.industry_roles(user)]
    for path, subtree in paths:
        q |= Q(region__path__in=_prefixes(path))
        if subtree:
            q |= Q(region__path__startswith=path)
    return Campaign.objects.filter(q)


def campaign_for_read(user, pk: int) -> Campaign:
    campaign = campaigns_visible(user).select_related("region").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def _records_q(user, prefix: str = "") -> Q:
    q = Q(pk__in=[])
    for g in _readers(user):
        q |= (
            Q(**{f"{prefix}region__path__startswith": g.path})
            if g.subtree
            else Q(**{f"{prefix}region_id": g.region_id})
        )
    for department, _r, path in project_scope.industry_roles(user):
        q |= Q(**{f"{prefix}project__department": department, f"{prefix}project__region__path__startswith": path})
    return q


def hazards_visible(user) -> QuerySet[Hazard]:
    if not reads_anywhere(user):
        raise PermissionDenied
    return Hazard.objects.filter(_records_q(user))


def checks_visible(user) -> QuerySet[CheckRecord]:
    if not reads_anywhere(user):
        raise PermissionDenied
    return CheckRecord.objects.filter(_records_q(user))


def hazard_for_read(user, pk: int) -> Hazard:
    hazard = (
        hazards_visible(user)
        .select_related("campaign", "campaign__region", "region", "project", "employer", "filing", "filing__case")
        .filter(pk=pk)
        .first()
    )
    if hazard is None:
        raise Http404
    return hazard


def is_leader(user) -> bool:
    return any(g.role == Role.LEADER for g in case_scope.grants(user))


def launch_regions(user) -> list[Region]:
    """The offices a leader may launch a campaign for: its own, at the province or city level."""
    ids = [g.region_id for g in case_scope.grants(user) if g.role == Role.LEADER]
    return list(Region.objects.filter(pk__in=ids, level__in=LAUNCH_LEVELS))


def can_manage(user, campaign: Campaign) -> bool:
    return any(g.covers(campaign.region) for g in case_scope.grants(user) if g.role == Role.LEADER)


def _in_campaign(campaign: Campaign, region: Region) -> bool:
    return region.path.startswith(campaign.region.path)


def entry_regions(user, campaign: Campaign) -> list[Region]:
    """The responsible offices for which `user` enters checks and hazards of employers: an inspector's own."""
    ids = [g.region_id for g in case_scope.grants(user) if g.role == Role.INSPECTOR]
    return [r for r in Region.objects.filter(pk__in=ids) if _in_campaign(campaign, r)]


def can_enter(user, campaign: Campaign) -> bool:
    """Enters something in this campaign: an inspector of an office in it, or an industry department."""
    if entry_regions(user, campaign):
        return True
    return any(
        path.startswith(campaign.region.path) or campaign.region.path.startswith(path)
        for _d, _r, path in project_scope.industry_roles(user)
    )


def may_enter_for(user, campaign: Campaign, *, region: Region, project=None) -> bool:
    """`user` may record a check or hazard at the responsible office `region` (of `project`, if any)."""
    if not _in_campaign(campaign, region):
        return False
    if any(g.role == Role.INSPECTOR and g.region_id == region.pk for g in case_scope.grants(user)):
        return True
    if project is None:
        return False
    return any(
        d == project.department and project.region.path.startswith(path) and region.path.startswith(path)
        for d, _r, path in project_scope.industry_roles(user)
    )


def can_handle(user, hazard: Hazard) -> bool:
    """Resolve the hazard: an inspector of its office, or the department of its project."""
    return may_enter_for(user, hazard.campaign, region=hazard.region, project=hazard.project)


def can_propose_case(user, hazard: Hazard) -> bool:
    return any(g.role == Role.INSPECTOR and g.region_id == hazard.region_id for g in case_scope.grants(user))


def report_root(user, campaign: Campaign) -> Region | None:
    """The region whose figures `user` reads: the campaign's own when a leader or auditor covers it, else the
    highest region of the campaign a leader's or auditor's grant names; None: no figures for this user."""
    grants = [g for g in case_scope.grants(user) if g.role in REPORT_ROLES]
    if any(g.covers(campaign.region) for g in grants):
        return campaign.region
    inside = sorted((g.path, g.region_id) for g in grants if g.path.startswith(campaign.region.path))
    return Region.objects.get(pk=inside[0][1]) if inside else None
