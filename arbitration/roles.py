"""Granting and revoking the arbitration commission's and the legal-aid centre's roles: the account
administrator of the region (or a region above it) or a superuser; each one event on the region's chain."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases import accounts, timeline
from cases import scope as case_scope
from cases.actors import Actor
from cases.models import Region
from cases.tx import one_transaction

from .models import Office, OfficeRole


def _may(actor: Actor, region: Region) -> None:
    if actor is not None and not (accounts.administers(actor) and case_scope.manages_region(actor, region)):
        raise ValidationError({"region": [_("只有该区划的账号管理员可以授予或收回此岗位。")]})


@one_transaction
def office_role_grant(*, actor: Actor, user, region: Region, office: str) -> OfficeRole:
    if office not in Office.values:
        raise ValidationError({"office": [_("请选择机构。")]})
    _may(actor, region)
    role, created = OfficeRole.objects.get_or_create(user=user, region=region, office=office)
    if created:
        timeline.record(region, "arbitration.office_role_granted", actor=actor,
                        data={"user": user.username, "office": office})  # fmt: skip
    user.__dict__.pop("_zhiqian_office_roles", None)
    return role


@one_transaction
def office_role_revoke(*, actor: Actor, role: OfficeRole) -> None:
    _may(actor, role.region)
    timeline.record(role.region, "arbitration.office_role_revoked", actor=actor,
                    data={"user": role.user.username, "office": role.office})  # fmt: skip
    role.delete()
