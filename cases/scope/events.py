"""Scope of the auditors' search across timelines (issue 14 item 3; part of cases.scope)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from ..models import Role, TimelineEvent
from . import Right, cases_visible, complaints_visible, roles

EVENT_SEARCHERS = frozenset({Role.AUDITOR, Role.LEADER})


def events_visible(user) -> QuerySet[TimelineEvent]:
    """Timeline events of the cases (and their complaints) and of the complaints `user` may read the timeline
    of; the search is the auditors' and the leaders' (their subtree): any other role gets 403."""
    if not roles(user) & EVENT_SEARCHERS:
        raise PermissionDenied
    cases = cases_visible(user, Right.READ_TIMELINE).values("pk")
    complaints = complaints_visible(user).values("pk")
    return TimelineEvent.objects.filter(Q(case__in=cases) | Q(complaint__in=complaints) | Q(complaint__case__in=cases))


def may_search_events(user) -> bool:
    return bool(roles(user) & EVENT_SEARCHERS)
