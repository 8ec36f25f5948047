"""Investigation services (SPEC §4.2). The flow's first step: assigning the inspectors."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import scope, timeline
from .models import Case, CaseInspector, Complaint, Role, StaffRole

MIN_INSPECTORS = 2  # LSIR art 16: at least two inspectors per action


def inspectors_of(region) -> list:
    """Inspectors holding the inspector role at the case's office."""
    User = get_user_model()
    ids = StaffRole.objects.filter(region=region, role=Role.INSPECTOR).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))


@transaction.atomic
def case_assign_inspectors(*, case: Case, inspectors: list, actor, conflict_declared: bool) -> list[CaseInspector]:
    """A leader assigns at least two inspectors of the office, who declare no conflict of interest."""
    eligible = {u.pk for u in inspectors_of(case.region)}
    chosen = {u.pk: u for u in inspectors}
    if len(chosen) < MIN_INSPECTORS:
        raise ValidationError({"inspectors": _("至少指派两名监察员。")})
    if set(chosen) - eligible:
        raise ValidationError({"inspectors": _("只能指派本机构的监察员。")})
    if not conflict_declared:
        raise ValidationError({"conflict_declared": _("请确认被指派人员与本案无利害关系（回避）。")})
    now = timezone.now()
    CaseInspector.objects.filter(case=case, active=True).exclude(inspector_id__in=chosen).update(active=False)
    existing = set(CaseInspector.objects.filter(case=case, active=True).values_list("inspector_id", flat=True))
    rows = [
        CaseInspector(case=case, inspector=u, assigned_by=actor, assigned_at=now, conflict_declared=True)
        for pk, u in chosen.items()
        if pk not in existing
    ]
    CaseInspector.objects.bulk_create(rows)
    if case.status == Case.Status.FILED:
        case.status = Case.Status.INVESTIGATING
        case.save(update_fields=["status"])
        Complaint.objects.filter(case=case, status=Complaint.Status.ACCEPTED).update(
            status=Complaint.Status.INVESTIGATING
        )
    for user in inspectors:
        scope.forget(user)
    timeline.record(
        case,
        "case.inspectors_assigned",
        actor=actor,
        role=Role.LEADER,
        data={"inspectors": sorted(u.get_username() for u in inspectors), "conflict_declared": True},
    )
    return list(CaseInspector.objects.filter(case=case, active=True))
