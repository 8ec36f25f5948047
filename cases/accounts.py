"""Account administration (SPEC §2): staff accounts, their roles, passwords and status.

The rules, in one place (the regions come from cases.scope):

- An administrator (a user holding the role `admin` at region R) manages an account only when every role
  of the account lies in R's subtree, and an `admin` role only strictly below R; never a superuser or an
  account a superuser gave Django permissions or `is_staff` by hand, never an account without a role (an
  account keeps at least one role: deactivate it instead). So no admin manages itself, a peer or a
  superior.
- It grants roles only at regions of R's subtree, and `admin` only strictly below R.
- It never sets `is_superuser` or `is_staff` (`is_staff` follows the `admin` role), never groups or
  Django permissions (the office group follows the roles).
- A superuser manages everything; `actor=None` is the system (the create_staff command, the demo seed).

Every change is one event on the account's own timeline: account.created, account.role_granted,
account.role_revoked, account.password_set, account.activated, account.deactivated, account.updated.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from . import scope, timeline
from .actors import Actor
from .models import Region, Role, StaffRole
from .tx import one_transaction

User = get_user_model()

USERNAME = re.compile(r"[\w.@+-]{1,150}")
# What account_change may change: every administrator / a superuser only.
CHANGEABLE = ("first_name", "last_name", "email", "is_active")
SUPERUSER_ONLY = ("is_staff", "is_superuser")


# --- who manages what -------------------------------------------------------------------------------------


def is_superuser(actor: Actor) -> bool:
    return bool(actor is not None and actor.is_active and actor.is_superuser)


def administers(actor: Actor) -> bool:
    """Whether `actor` administers accounts at all: an active superuser, or an active holder of the admin
    role."""
    return actor is not None and actor.is_active and (actor.is_superuser or scope.has_role(actor, Role.ADMIN))


def _roles_managed_q(actor: Actor) -> Q:
    """Q over StaffRole: the roles `actor` may grant, revoke, or see on an account it manages."""
    below = scope.regions_managed_q(actor, "region", strictly_below=True)
    return (scope.regions_managed_q(actor, "region") & ~Q(role=Role.ADMIN)) | (below & Q(role=Role.ADMIN))


def accounts_managed(actor: Actor) -> QuerySet:
    """The accounts `actor` manages: every one for a superuser; for an admin, those holding at least one
    role, all of them within its reach, and nothing a superuser gave by hand (the superuser flag, Django
    permissions of their own or through a group, `is_staff` without the admin role). Nothing for anyone
    else."""
    if is_superuser(actor):
        return User.objects.all()
    if not administers(actor):
        return User.objects.none()
    inside = _roles_managed_q(actor)
    holding = StaffRole.objects.filter(inside).values("user_id")
    outside = StaffRole.objects.exclude(inside).values("user_id")
    permitted = User.user_permissions.through.objects.values("user_id")
    permitted_groups = User.groups.through.objects.filter(group__permissions__isnull=False).values("user_id")
    admins = StaffRole.objects.filter(role=Role.ADMIN).values("user_id")
    return (
        User.objects.filter(is_superuser=False, pk__in=holding)
        .exclude(pk__in=outside)
        .exclude(pk__in=permitted)
        .exclude(pk__in=permitted_groups)
        .exclude(Q(is_staff=True) & ~Q(pk__in=admins))
    )


def account_managed(actor: Actor, user) -> bool:
    if actor is None:  # the system
        return True
    return user is not None and user.pk is not None and accounts_managed(actor).filter(pk=user.pk).exists()


def regions_grantable(actor: Actor) -> QuerySet[Region]:
    """The regions where `actor` may grant some role (the admin role only strictly below its own)."""
    if not administers(actor):
        return Region.objects.none()
    return Region.objects.filter(scope.regions_managed_q(actor))


def _check_account(actor: Actor, user, field: str = "user") -> None:
    if not account_managed(actor, user):
        raise ValidationError({field: [_("该账号不在您的管理范围内")]})


def role_grant_check(*, actor: Actor, region: Region, role: str, user=None) -> None:
    """Raise ValidationError (naming the field) unless `actor` may grant `role` at `region` to `user`
    (None: an account about to be created). The system (actor None) may grant anything."""
    if role not in Role.values:
        raise ValidationError({"role": [_("未知岗位：%(role)s") % {"role": role}]})
    if actor is None or is_superuser(actor):
        return
    if not administers(actor) or not scope.manages_region(actor, region):
        raise ValidationError({"region": [_("只能在本级及下级区划内授予岗位")]})
    if role == Role.ADMIN and not scope.manages_region(actor, region, strictly_below=True):
        raise ValidationError({"role": [_("系统管理员岗位只能授予下级区划")]})
    if user is not None:
        _check_account(actor, user)


def _actor_role(actor: Actor) -> str:
    return Role.ADMIN if actor is not None and scope.has_role(actor, Role.ADMIN) else ""


def _event(user, kind: str, *, actor: Actor, data: dict | None = None, first: bool = False) -> None:
    timeline.record(user, kind, actor=actor, role=_actor_role(actor), data=data or {}, first=first)


# --- services ---------------------------------------------------------------------------------------------


def _grant(*, actor: Actor, user, region: Region, role: str) -> bool:
    """Add the role (and the office-group membership); one event. False: the account held it already."""
    _staff_role, created = StaffRole.objects.get_or_create(user=user, region=region, role=role)
    if not created:
        return False
    if role == Role.ADMIN and not user.is_staff:
        # The admin manages staff accounts and configuration in the Django admin: nothing else is staff.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    scope.office_group(region).user_set.add(user)
    scope.forget(user)
    _event(user, "account.role_granted", actor=actor, data={"role": role, "region": region.code})
    return True


@one_transaction
def staff_create(
    *, username: str, region: Region, role: str, actor: Actor = None, password: str | None = None, full_name: str = ""
):
    """Create a staff account holding `role` at `region`, or add that role to an existing account (the
    create_staff command, the demo, tests: actor None is the system). With an actor, the rules of
    role_grant_check apply."""
    if not username or not USERNAME.fullmatch(username):
        raise ValidationError({"username": [_("只能包含字母、数字和 @/./+/-/_")]})
    existing = User.objects.filter(username=username).first()
    role_grant_check(actor=actor, region=region, role=role, user=existing)
    if existing is None:
        user = User(username=username, first_name=full_name[:150])
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        _event(
            user,
            "account.created",
            actor=actor,
            data={"username": username, "password": bool(password)},
            first=True,
        )
    else:
        user = existing
        if password and not user.check_password(password):  # the demo seed is run again: no event then
            user.set_password(password)
            user.save(update_fields=["password"])
            _event(user, "account.password_set", actor=actor, data={"usable": True})
    _grant(actor=actor, user=user, region=region, role=role)
    return user


@one_transaction
def account_create(
    *, actor: Actor, username: str, region: Region, role: str, password: str | None, full_name: str = ""
):
    """A new account with its first role (the admin's "add user"): the username must be free."""
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": [_("该用户名已存在")]})
    return staff_create(
        username=username, region=region, role=role, actor=actor, password=password, full_name=full_name
    )


@one_transaction
def staff_role_grant(*, actor: Actor, user, region: Region, role: str) -> StaffRole:
    role_grant_check(actor=actor, region=region, role=role, user=user)
    if not _grant(actor=actor, user=user, region=region, role=role):
        raise ValidationError({"role": [_("该账号已有此岗位")]})
    return StaffRole.objects.get(user=user, region=region, role=role)


def staff_role_revoke_check(*, actor: Actor, staff_role: StaffRole) -> None:
    """Raise ValidationError unless `actor` may revoke this role: the account is its to manage, and it
    keeps another role (an account without a role is no one's to manage: deactivate it instead)."""
    role_grant_check(actor=actor, region=staff_role.region, role=staff_role.role, user=staff_role.user)
    if not StaffRole.objects.filter(user_id=staff_role.user_id).exclude(pk=staff_role.pk).exists():
        raise ValidationError({"role": [_("不能撤销账号的最后一个岗位；如需停用，请停用该账号")]})


@one_transaction
def staff_role_revoke(*, actor: Actor, staff_role: StaffRole) -> None:
    """Revoke a role: the office-group membership goes with the account's last role at that region, and
    `is_staff` with its last admin role."""
    # The account's row first: two revocations of its last two roles serialise, and the second sees the first.
    list(User.objects.select_for_update().filter(pk=staff_role.user_id).values_list("pk"))
    current = StaffRole.objects.select_related("user", "region").filter(pk=staff_role.pk).first()
    if current is None:
        raise ValidationError({"role": [_("该岗位已撤销")]})
    staff_role = current
    staff_role_revoke_check(actor=actor, staff_role=staff_role)
    user, region, role = staff_role.user, staff_role.region, staff_role.role
    staff_role.delete()
    if not StaffRole.objects.filter(user=user, region=region).exists():
        scope.office_group(region).user_set.remove(user)
    if role == Role.ADMIN and user.is_staff and not StaffRole.objects.filter(user=user, role=Role.ADMIN).exists():
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    scope.forget(user)
    _event(user, "account.role_revoked", actor=actor, data={"role": role, "region": region.code})


@one_transaction
def account_password_set(*, actor: Actor, user, password: str | None) -> None:
    """Set the account's password (None: no password login at all). The password is never recorded."""
    _check_account(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save(update_fields=["password"])
    _event(user, "account.password_set", actor=actor, data={"usable": bool(password)})


@one_transaction
def account_change(*, actor: Actor, user, changes: dict) -> None:
    """Change the account's name, e-mail and status (a superuser: also is_staff and is_superuser).
    Activation and deactivation are events of their own; the other changes one account.updated event."""
    allowed = CHANGEABLE + (SUPERUSER_ONLY if is_superuser(actor) or actor is None else ())
    for field in changes:
        if field not in allowed:
            raise ValidationError({field: [_("不能修改此项")]})
    _check_account(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    changed = {f: [getattr(user, f), v] for f, v in changes.items() if getattr(user, f) != v}
    if not changed:
        return
    for field, (_old, new) in changed.items():
        setattr(user, field, new)
    user.save(update_fields=list(changed))
    active = changed.pop("is_active", None)
    if changed:
        _event(user, "account.updated", actor=actor, data={"changes": changed})
    if active is not None:
        _event(user, "account.activated" if active[1] else "account.deactivated", actor=actor)


def account_activate(*, actor: Actor, user) -> None:
    account_change(actor=actor, user=user, changes={"is_active": True})


def account_deactivate(*, actor: Actor, user) -> None:
    account_change(actor=actor, user=user, changes={"is_active": False})
