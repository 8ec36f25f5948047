"""挂牌督办: who supervises whom, and who hears of an overdue supervision."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from .. import scope
from ..actors import Actor
from ..models import Case, Region, Role, StaffRole, Supervision


def strictly_above(office: Region, region: Region) -> bool:
    return office.pk != region.pk and region.path.startswith(office.path)


def may_supervise(user) -> bool:
    """A leader of an office with offices below it (a city or a province): county leaders may not."""
    ids = scope.regions_with(user, scope.Right.SUPERVISE)
    return bool(ids) and Region.objects.filter(parent_id__in=ids).exists()


def supervising_office_for(actor: Actor, case: Case) -> Region:
    """The nearest office above the case where `actor` is a leader (404 out of scope, 403 without the right)."""
    if not scope.in_scope(actor, region=case.region, case_id=case.pk):
        raise Http404
    offices = [g for g in scope.grants(actor) if g.role == Role.LEADER and g.gives(scope.Right.SUPERVISE, case.region)]
    if not offices:
        raise PermissionDenied(_("只能督办本辖区下级机构承办的案件。"))
    return Region.objects.get(pk=max(offices, key=lambda g: len(g.path)).region_id)


def check_supervisor(*, case: Case, supervising_region: Region, actor: Actor) -> None:
    """The supervising office is strictly above the case's office, and the actor is its leader."""
    if not scope.in_scope(actor, region=case.region, case_id=case.pk):
        raise Http404
    if not strictly_above(supervising_region, case.region):
        raise PermissionDenied(_("督办机构须为案件承办机构的上级机构。"))
    if not (
        scope.has_role(actor, Role.LEADER, region=supervising_region)
        and scope.can(actor, scope.Right.SUPERVISE, region=case.region)
    ):
        raise PermissionDenied(_("只有督办机构的负责人可以决定挂牌督办。"))


def supervision_next_level(supervision: Supervision) -> Region:
    """Who hears of an overdue supervision: the supervising office's superior (the province: itself)."""
    office = supervision.supervising_region
    parent = office.parent if office.parent_id else None
    return parent if parent is not None else office


def office_leaders(region: Region) -> list[str]:
    return sorted(StaffRole.objects.filter(region=region, role=Role.LEADER).values_list("user__username", flat=True))
