"""Which regions a person may pick by name (the region picker, cases.region_picker; part of cases.scope):
staff the regions their roles cover — the subtree of a role that reaches below its office, else the office
itself; the public the whole province of the deployment (where complaints are taken)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from ..models import Region
from . import grants

DEFAULT_PROVINCE = "360000"


def regions_visible(user) -> QuerySet[Region]:
    """The regions `user` may pick: every region one of its roles covers (a superuser: all). A user without
    a role: 403."""
    if getattr(user, "is_superuser", False):
        return Region.objects.all()
    held = grants(user)
    if not held:
        raise PermissionDenied
    q = Q(pk__in=[])
    for g in held:
        q |= Q(path__startswith=g.path) if g.subtree else Q(pk=g.region_id)
    return Region.objects.filter(q)


def regions_public() -> QuerySet[Region]:
    """The province of the deployment (the province of ZHIQIAN_DEFAULT_INTAKE_REGION), for the public forms."""
    code = getattr(settings, "ZHIQIAN_DEFAULT_INTAKE_REGION", DEFAULT_PROVINCE) or DEFAULT_PROVINCE
    return Region.objects.filter(path__startswith=f"{code[:2]}/")
