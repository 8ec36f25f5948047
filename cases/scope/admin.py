"""Scope of account administration (SPEC §2): an administrator manages its own subtree only (part of cases.scope)."""

from __future__ import annotations

from django.db.models import Q

from ..models import Region, Role
from . import grants


def regions_managed_q(user, field: str = "", *, strictly_below: bool = False) -> Q:
    """Q over Region (or `field`, a FK to Region): the subtree of each region where `user` holds the admin
    role; `strictly_below` leaves those regions out (the admin role itself is granted only below: no one
    mints a peer or a superior). A superuser: every region."""
    if getattr(user, "is_superuser", False):
        return Q()
    at = f"{field}__" if field else ""
    q = Q(**{f"{at}pk__in": []})
    for g in (g for g in grants(user) if g.role == Role.ADMIN):
        q |= Q(**{f"{at}path__startswith": g.path}) & (~Q(**{f"{at}pk": g.region_id}) if strictly_below else Q())
    return q


def manages_region(user, region: Region, *, strictly_below: bool = False) -> bool:
    return getattr(user, "is_superuser", False) or any(
        g.role == Role.ADMIN and region.path.startswith(g.path) and not (strictly_below and region.pk == g.region_id)
        for g in grants(user)
    )
