"""Who may see and do what in the annual written review (built on cases.scope's grants):

- read the campaigns, their reports and findings: the labour bureau's staff who read cases (clerk, inspector,
  legal, leader, auditor) over the regions their role covers (own office; leaders and auditors their subtree);
- manage a campaign (create it, choose the employers, open the window, send reminders, print the letters, enter
  a paper report): a clerk or a leader covering the campaign's region;
- review a report (findings, rectification, a proposed case): an inspector covering the campaign's region.

Out of scope → 404; in scope without the right → 403; no reading role anywhere → 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cases import scope as case_scope
from cases.models import Region, Role

from .models import Attachment, Campaign, Due, Report

READ_ROLES = frozenset({Role.CLERK, Role.INSPECTOR, Role.LEGAL, Role.LEADER, Role.AUDITOR})
MANAGE_ROLES = frozenset({Role.CLERK, Role.LEADER})
REVIEW_ROLES = frozenset({Role.INSPECTOR})


def reads_anywhere(user) -> bool:
    return any(g.role in READ_ROLES for g in case_scope.grants(user))


def manages_anywhere(user) -> bool:
    return any(g.role in MANAGE_ROLES for g in case_scope.grants(user))


def campaigns_visible(user) -> QuerySet[Campaign]:
    if not reads_anywhere(user):
        raise PermissionDenied
    q = Q(pk__in=[])
    for g in case_scope.grants(user):
        if g.role in READ_ROLES:
            q |= Q(region__path__startswith=g.path) if g.subtree else Q(region_id=g.region_id)
    return Campaign.objects.filter(q)


def campaign_for_read(user, pk: int) -> Campaign:
    campaign = campaigns_visible(user).select_related("region").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def _covers(user, region: Region, roles: frozenset[str]) -> bool:
    return any(g.covers(region) for g in case_scope.grants(user) if g.role in roles)


def can_manage(user, campaign: Campaign) -> bool:
    return _covers(user, campaign.region, MANAGE_ROLES)


def can_review(user, campaign: Campaign) -> bool:
    return _covers(user, campaign.region, REVIEW_ROLES)


def campaign_for_manage(user, pk: int) -> Campaign:
    campaign = campaign_for_read(user, pk)
    if not can_manage(user, campaign):
        raise PermissionDenied
    return campaign


def due_for_manage(user, pk: int) -> Due:
    due = Due.objects.filter(campaign__in=campaigns_visible(user), pk=pk).select_related(
        "campaign__region", "employer"
    ).first()
    if due is None:
        raise Http404
    if not can_manage(user, due.campaign):
        raise PermissionDenied
    return due


def report_for_read(user, pk: int) -> Report:
    report = (
        Report.objects.filter(campaign__in=campaigns_visible(user), pk=pk)
        .select_related("campaign__region", "due__employer", "entered_by")
        .first()
    )
    if report is None:
        raise Http404
    return report


def report_for_review(user, pk: int) -> Report:
    report = report_for_read(user, pk)
    if not can_review(user, report.campaign):
        raise PermissionDenied
    return report


def attachment_for_read(user, pk: int) -> Attachment:
    attachment = Attachment.objects.filter(report__campaign__in=campaigns_visible(user), pk=pk).first()
    if attachment is None:
        raise Http404
    return attachment


def regions_managed(user) -> QuerySet[Region]:
    """The regions where the user may create a campaign: the offices of its clerk/leader grants (a leader also
    those below)."""
    q = Q(pk__in=[])
    for g in case_scope.grants(user):
        if g.role in MANAGE_ROLES:
            q |= Q(path__startswith=g.path) if g.subtree else Q(pk=g.region_id)
    return Region.objects.filter(q)
