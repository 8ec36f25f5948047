"""The reminder of an overdue publication: the sweep's overdue handler of the "inspection.publish" clock.

The plan's leader (who made it) and the region's leaders are reminded: one event "inspection.publication_reminded"
on the region's chain naming them, and the plan shows as 公示逾期 at the top of their plan list until it is
published. The SMS outbox (cases.notifications) carries texts to complainants only, so staff are reminded
in the application."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from cases import timeline
from cases.models import Deadline, Role, StaffRole

from .models import Plan


def plan_of(deadline: Deadline) -> Plan | None:
    """The plan a publication clock belongs to ("inspections.plan:<pk>")."""
    label, _sep, pk = (deadline.subject_ref or "").partition(":")
    if label != "inspections.plan" or not pk.isdigit():
        return None
    return Plan.objects.select_related("region", "created_by").filter(pk=int(pk)).first()


def plan_leaders(plan: Plan) -> list[str]:
    """The accounts reminded: the plan's maker and every leader of its region (usernames, sorted, once each)."""
    users = set(StaffRole.objects.filter(region=plan.region, role=Role.LEADER).values_list("user__username", flat=True))
    if plan.created_by is not None:
        users.add(plan.created_by.get_username())
    return sorted(users)


def publication_overdue(deadline: Deadline, now: datetime) -> None:
    """on_overdue("inspection.publish"): a plan still unpublished past its due day — remind its leaders."""
    plan = plan_of(deadline)
    if plan is None or plan.status != Plan.Status.COMPLETED:
        return
    timeline.record(plan.region, "inspection.publication_reminded", data={
        "plan": plan.pk, "name": plan.name, "publish_due": plan.publish_due.isoformat() if plan.publish_due else "",
        "leaders": plan_leaders(plan),
    }, at=now)  # fmt: skip


def overdue_for(user) -> QuerySet[Plan]:
    """The plans this leader is reminded of: completed, unpublished, their publication clock overdue — made by
    them or of a region where they are a leader."""
    regions = StaffRole.objects.filter(user=user, role=Role.LEADER).values("region_id")
    overdue = Deadline.objects.filter(
        kind="inspection.publish", state=Deadline.State.OVERDUE, subject_ref__startswith="inspections.plan:"
    ).values_list("subject_ref", flat=True)
    ids = [int(pk) for pk in (ref.partition(":")[2] for ref in overdue) if pk.isdigit()]
    mine = Plan.objects.filter(pk__in=ids, status=Plan.Status.COMPLETED)
    return (mine.filter(region_id__in=regions) | mine.filter(created_by=user)).select_related("region").distinct()
