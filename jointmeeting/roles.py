"""Granting and revoking the joint meeting's member roles (development, finance, public security, a region's
government, the joint-meeting office): by an account administrator within its reach (cases.accounts), each
change one event on the region's administration chain. Housing, transport and water users are granted
projects.IndustryRole (projects.registry.industry_role_grant)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases import accounts, timeline
from cases.actors import Actor
from cases.models import Region
from cases.tx import one_transaction

from .models import MEMBER, MemberRole


def _check(actor: Actor, region: Region) -> None:
    if actor is None:  # the system (the demo, a command)
        return
    if not accounts.administers(actor) or not accounts.regions_grantable(actor).filter(pk=region.pk).exists():
        raise ValidationError({"region": [_("只能在本人管理的区划内授予联席会议成员单位岗位。")]})


@one_transaction
def member_role_grant(*, actor: Actor, user, region: Region, department: str) -> MemberRole:
    if department not in MEMBER:
        raise ValidationError({"department": [_("请选择联席会议成员单位。")]})
    _check(actor, region)
    role, created = MemberRole.objects.get_or_create(user=user, region=region, department=department)
    if created:
        timeline.record(region, "jointmeeting.member_role_granted", actor=actor,
                        data={"user": user.username, "department": department})  # fmt: skip
    user.__dict__.pop("_zhiqian_seats", None)
    return role


@one_transaction
def member_role_revoke(*, actor: Actor, role: MemberRole) -> None:
    _check(actor, role.region)
    timeline.record(role.region, "jointmeeting.member_role_revoked", actor=actor,
                    data={"user": role.user.username, "department": role.department})  # fmt: skip
    role.delete()
