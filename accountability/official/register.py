"""The register (问责台账): accountabilities by region and year, scoped to the reader."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cases import scope
from cases.models import Region

from ..models import Accountability


def register_regions(user) -> list[int] | None:
    """Ids of the regions whose accountabilities `user` may read: a leader's or an auditor's region and
    every region below it (SPEC §2). None: the user holds neither role (403)."""
    paths = [g.path for g in scope.grants(user) if g.subtree]
    if not paths:
        return None
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    return list(Region.objects.filter(q).values_list("pk", flat=True))


def accountability_register(user, *, region: str = "", year: int | None = None) -> QuerySet[Accountability]:
    """The register (问责台账): accountabilities of the offices in the user's scope, newest first;
    `region`: a six-digit code (that office and those below it); `year`: the year it was opened."""
    ids = register_regions(user)
    if ids is None:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    qs = Accountability.objects.filter(region_id__in=ids)
    if region:
        qs = scope.within_region_code(qs, region)
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("region", "deciding_region", "case", "decision").order_by("-opened_at", "-id")
