"""The Django admin's scope (security issue, item 1): an administrator manages accounts, roles and passwords
in its own subtree only, never grants a region outside it, a peer or superior admin role, or a superuser
flag; every change is an event on the account's timeline. Driven through the real /admin/ pages. Province
parameters, the working-day calendar and region names: test_admin_scope_config.py."""

from datetime import date

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from cases import scope
from cases.models import (
    Case,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    ProvinceConfig,
    Region,
    Role,
    StaffRole,
    TimelineEvent,
    WorkdayOverride,
)
from tests import world

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "Zq-admin-test-2026"


def kinds(subject, **filters) -> list[str]:
    field = "region" if subject.__class__.__name__ == "Region" else "account"
    return list(TimelineEvent.objects.filter(**{field: subject}, **filters).values_list("kind", flat=True))


def last_event(subject) -> TimelineEvent:
    field = "region" if subject.__class__.__name__ == "Region" else "account"
    return TimelineEvent.objects.filter(**{field: subject}).latest("seq")


def as_admin(client, code: str):
    admin = world.user(Role.ADMIN, code)
    client.force_login(admin)
    return admin


def grant(client, user, code: str, role: str):
    return client.post(
        reverse("admin:cases_staffrole_add"), {"user": user.pk, "region": world.region(code).pk, "role": role}
    )


def has_role(user, code: str, role: str) -> bool:
    return StaffRole.objects.filter(user=user, region__code=code, role=role).exists()


# --- the escalations of the issue, as the county admin of 360302 ---------------------------------------------


def test_a_county_admin_cannot_give_itself_a_leader_role_at_the_province(client):
    admin = as_admin(client, "360302")
    response = grant(client, admin, "360000", Role.LEADER)
    assert response.status_code == 200 and response.context["adminform"].form.errors  # the form refuses
    assert not has_role(admin, "360000", Role.LEADER)
    # nor any role at its own region: its own account is not its to manage
    assert grant(client, admin, "360302", Role.CLERK).status_code == 200
    assert StaffRole.objects.filter(user=admin).count() == 1
    # so, by role alone, it still sees no case data
    assert client.get("/api/v1/cases/").status_code == 403
    for page in ["admin:cases_deadline_changelist", "admin:viewflow_task_changelist"]:
        assert client.get(reverse(page)).status_code == 403, page


def test_a_county_admin_grants_no_role_outside_its_county(client):
    as_admin(client, "360302")
    clerk = world.user(Role.CLERK, "360302")
    for code in ["360313", "360300", "360000"]:
        response = grant(client, clerk, code, Role.INSPECTOR)
        assert response.status_code == 200 and "region" in response.context["adminform"].form.errors, code
        assert not has_role(clerk, code, Role.INSPECTOR), code
    # nor to an account of the sibling county, even at its own region
    other = world.user(Role.CLERK, "360313")
    response = grant(client, other, "360302", Role.INSPECTOR)
    assert response.status_code == 200 and "user" in response.context["adminform"].form.errors
    assert not has_role(other, "360302", Role.INSPECTOR)


def test_a_county_admin_cannot_change_a_province_leaders_password(client):
    as_admin(client, "360302")
    leader = world.user(Role.LEADER, "360000")
    before = leader.password
    url = reverse("admin:auth_user_password_change", args=[leader.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"usable_password": "true", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 404
    leader.refresh_from_db()
    assert leader.password == before
    assert client.get(reverse("admin:auth_user_change", args=[leader.pk])).status_code == 404
    assert "account.password_set" not in kinds(leader)


def test_no_superuser_flag_groups_or_permissions_through_the_admin(client):
    as_admin(client, "360302")
    clerk = world.user(Role.CLERK, "360302")
    url = reverse("admin:auth_user_change", args=[clerk.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert not {"is_superuser", "is_staff", "groups", "user_permissions"} & set(form.fields)
    groups_before = set(clerk.groups.values_list("pk", flat=True))
    sneaky = Group.objects.create(name="sneaky")
    response = client.post(
        url,
        {
            "first_name": "受理员",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [sneaky.pk],
            "user_permissions": [1, 2, 3],
        },
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert not clerk.is_superuser and not clerk.is_staff
    assert set(clerk.groups.values_list("pk", flat=True)) == groups_before
    assert not clerk.user_permissions.exists()
    # the groups (office groups) are a superuser's business only
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_change", args=[sneaky.pk])).status_code == 403
    # nor per-case grants (guardian object permissions): none of their models is in the admin
    assert not {Case, CaseUserObjectPermission, CaseGroupObjectPermission} & set(admin.site._registry)


def test_no_admin_holds_global_django_permissions():
    for code in world.LEVELS.values():
        assert not world.user(Role.ADMIN, code).user_permissions.exists()


def test_the_admin_role_is_granted_only_strictly_below(client):
    clerk = world.user(Role.CLERK, "360302")
    as_admin(client, "360302")
    response = grant(client, clerk, "360302", Role.ADMIN)
    assert response.status_code == 200 and "role" in response.context["adminform"].form.errors
    assert not has_role(clerk, "360302", Role.ADMIN)
    city_admin = as_admin(client, "360300")
    assert grant(client, clerk, "360300", Role.ADMIN).status_code == 200  # a peer of the city admin: no
    assert grant(client, clerk, "360302", Role.ADMIN).status_code == 302  # a county admin: yes
    clerk.refresh_from_db()
    assert has_role(clerk, "360302", Role.ADMIN) and clerk.is_staff
    event = last_event(clerk)
    assert (event.kind, event.actor, event.actor_role) == ("account.role_granted", city_admin, Role.ADMIN)
    assert event.data == {"role": "admin", "region": "360302"}


def test_the_account_lists_show_only_the_subtree(client):
    as_admin(client, "360302")
    listing = client.get(reverse("admin:auth_user_changelist"))
    assert listing.status_code == 200
    shown = {u.username for u in listing.context["cl"].result_list}
    assert "clerk_360302" in shown and "leader_360302" in shown
    assert not {"clerk_360313", "leader_360300", "leader_360000", "admin_360302", "admin_360300"} & shown
    roles = client.get(reverse("admin:cases_staffrole_changelist")).context["cl"].result_list
    assert {r.region.code for r in roles} == {"360302"} and Role.ADMIN not in {r.role for r in roles}
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "cases", "model_name": "staffrole", "field_name": "user", "term": "clerk"},
    ).json()
    assert {r["text"] for r in found["results"]} == {"clerk_360302"}
    # the city admin: its city and the counties below, their admins included, never itself or above
    as_admin(client, "360300")
    shown = {u.username for u in client.get(reverse("admin:auth_user_changelist")).context["cl"].result_list}
    assert {"clerk_360302", "clerk_360313", "admin_360302", "leader_360300"} <= shown
    assert not {"admin_360300", "leader_360000", "admin_360000"} & shown


def test_a_superuser_or_an_account_a_superuser_empowered_is_no_admins_to_manage(client):
    from django.contrib.auth.models import Permission

    boss = User.objects.create_superuser("ops_root", "ops@example.cn", None)
    StaffRole.objects.create(user=boss, region=world.region("360302"), role=Role.CLERK)
    clerk, legal, inspector = (world.user(role, "360302") for role in (Role.CLERK, Role.LEGAL, Role.INSPECTOR))
    clerk.user_permissions.add(Permission.objects.get(codename="view_task"))
    powerful = Group.objects.create(name="ops")
    powerful.permissions.add(Permission.objects.get(codename="view_process"))
    legal.groups.add(powerful)
    User.objects.filter(pk=inspector.pk).update(is_staff=True)
    as_admin(client, "360302")
    for user in (boss, clerk, legal, inspector):
        assert client.get(reverse("admin:auth_user_change", args=[user.pk])).status_code == 404, user
        assert client.get(reverse("admin:auth_user_password_change", args=[user.pk])).status_code == 404, user


# --- in-scope work succeeds, each change an event on the account's timeline ---------------------------------


def test_a_county_admin_creates_a_clerk_with_a_password(client):
    admin = as_admin(client, "360302")
    for page in ["admin:index", "admin:auth_user_add", "admin:cases_staffrole_add", "admin:cases_region_changelist"]:
        assert client.get(reverse(page)).status_code == 200, page
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "new_clerk_360302",
            "first_name": "新受理员",
            "region": world.region("360302").pk,
            "role": Role.CLERK,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    clerk = User.objects.get(username="new_clerk_360302")
    assert has_role(clerk, "360302", Role.CLERK) and not clerk.is_staff and not clerk.is_superuser
    assert scope.office_group(world.region("360302")).user_set.filter(pk=clerk.pk).exists()
    assert kinds(clerk) == ["account.created", "account.role_granted"]
    assert {e.actor for e in TimelineEvent.objects.filter(account=clerk)} == {admin}
    assert PASSWORD not in str(list(TimelineEvent.objects.filter(account=clerk).values_list("data", flat=True)))
    client.logout()
    assert client.login(username="new_clerk_360302", password=PASSWORD)


def test_an_account_is_not_created_outside_the_subtree_or_as_a_peer_admin(client):
    as_admin(client, "360302")
    for code, role in [("360313", Role.CLERK), ("360000", Role.LEADER), ("360302", Role.ADMIN)]:
        response = client.post(
            reverse("admin:auth_user_add"),
            {
                "username": f"x_{code}_{role}",
                "region": world.region(code).pk,
                "role": role,
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
        assert response.status_code == 200 and response.context["adminform"].form.errors, (code, role)
        assert not User.objects.filter(username=f"x_{code}_{role}").exists()


def test_a_county_admin_grants_and_revokes_a_role(client):
    admin = as_admin(client, "360302")
    clerk = world.user(Role.CLERK, "360302")
    assert grant(client, clerk, "360302", Role.INSPECTOR).status_code == 302
    assert has_role(clerk, "360302", Role.INSPECTOR)
    assert last_event(clerk).kind == "account.role_granted" and last_event(clerk).actor == admin
    role = StaffRole.objects.get(user=clerk, region__code="360302", role=Role.INSPECTOR)
    response = client.post(reverse("admin:cases_staffrole_delete", args=[role.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not has_role(clerk, "360302", Role.INSPECTOR) and has_role(clerk, "360302", Role.CLERK)
    assert scope.office_group(world.region("360302")).user_set.filter(pk=clerk.pk).exists()  # still a clerk there
    event = last_event(clerk)
    assert (event.kind, event.actor, event.data) == (
        "account.role_revoked",
        admin,
        {"role": "inspector", "region": "360302"},
    )
    # the last role is not revoked: the account would be no one's to manage (deactivate it instead)
    last = StaffRole.objects.get(user=clerk)
    client.post(reverse("admin:cases_staffrole_delete", args=[last.pk]), {"post": "yes"})
    assert StaffRole.objects.filter(pk=last.pk).exists()


def test_revoking_the_last_role_at_a_region_leaves_its_office_group(client):
    as_admin(client, "360300")
    inspector = world.user(Role.INSPECTOR, "360302")
    assert grant(client, inspector, "360313", Role.INSPECTOR).status_code == 302
    group = scope.office_group(world.region("360313"))
    assert group.user_set.filter(pk=inspector.pk).exists()
    role = StaffRole.objects.get(user=inspector, region__code="360313")
    assert client.post(reverse("admin:cases_staffrole_delete", args=[role.pk]), {"post": "yes"}).status_code == 302
    assert not group.user_set.filter(pk=inspector.pk).exists()
    # revoking a county admin role takes its admin site access with it
    clerk = world.user(Role.CLERK, "360313")
    assert grant(client, clerk, "360313", Role.ADMIN).status_code == 302
    clerk.refresh_from_db()
    assert clerk.is_staff
    role = StaffRole.objects.get(user=clerk, role=Role.ADMIN)
    assert client.post(reverse("admin:cases_staffrole_delete", args=[role.pk]), {"post": "yes"}).status_code == 302
    clerk.refresh_from_db()
    assert not clerk.is_staff


def test_a_county_admin_resets_a_clerks_password_and_deactivates_the_account(client):
    admin = as_admin(client, "360302")
    clerk = world.user(Role.CLERK, "360302")
    url = reverse("admin:auth_user_password_change", args=[clerk.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"usable_password": "true", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)
    event = last_event(clerk)
    assert (event.kind, event.actor, event.data) == ("account.password_set", admin, {"usable": True})
    change = reverse("admin:auth_user_change", args=[clerk.pk])
    assert client.post(change, {"first_name": "", "last_name": "", "email": ""}).status_code == 302
    clerk.refresh_from_db()
    assert not clerk.is_active and last_event(clerk).kind == "account.deactivated"
    assert client.post(change, {"first_name": "", "last_name": "", "email": "", "is_active": "on"}).status_code == 302
    clerk.refresh_from_db()
    assert clerk.is_active and last_event(clerk).kind == "account.activated"


# --- every entry point: the services themselves, and the ops command ----------------------------------------


def test_the_services_refuse_what_the_admin_pages_refuse():
    from cases import accounts, configuration

    county_admin = world.user(Role.ADMIN, "360302")
    leader = world.user(Role.LEADER, "360000")
    with pytest.raises(ValidationError) as refused:
        accounts.staff_create(
            username=county_admin.username, region=world.region("360000"), role=Role.LEADER, actor=county_admin
        )
    assert "region" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        accounts.account_password_set(actor=county_admin, user=leader, password=PASSWORD)
    assert "user" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        accounts.account_change(
            actor=county_admin, user=world.user(Role.CLERK, "360302"), changes={"is_superuser": True}
        )
    assert "is_superuser" in refused.value.message_dict
    with pytest.raises(ValidationError):
        configuration.province_config_save(actor=county_admin, province=world.region("360000"), values={})
    with pytest.raises(ValidationError):
        configuration.workday_override_save(actor=county_admin, day=date(2026, 10, 10), is_workday=True)
    assert not StaffRole.objects.filter(user=county_admin, role=Role.LEADER).exists()
    assert not ProvinceConfig.objects.exists() and not WorkdayOverride.objects.exists()


def test_create_staff_records_the_system_as_actor(capsys):
    call_command("create_staff", "ops_clerk", "--region", "360313", "--role", "clerk", "--password", PASSWORD)
    user = User.objects.get(username="ops_clerk")
    events = TimelineEvent.objects.filter(account=user).order_by("seq")
    assert [(e.kind, e.actor_id, e.actor_name) for e in events] == [
        ("account.created", None, "system"),
        ("account.role_granted", None, "system"),
    ]
    call_command("create_staff", "ops_clerk", "--region", "360313", "--role", "admin")
    user.refresh_from_db()
    assert user.is_staff and not user.user_permissions.exists()
    assert kinds(user)[-1] == "account.role_granted"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_revocations_of_an_accounts_last_two_roles_serialise(on_postgres):
    """Each sees the other's role still there unless the account's row is locked first: no account is left
    without a role (no one's to manage)."""
    import threading
    import time

    from cases.accounts import staff_create, staff_role_revoke
    from cases.regions import regions_load

    if not Region.objects.filter(code="360302").exists():
        regions_load(province="360000")
    county = Region.objects.get(code="360302")
    user = staff_create(username="race_clerk", region=county, role=Role.CLERK)
    staff_create(username="race_clerk", region=county, role=Role.INSPECTOR)
    first, second = StaffRole.objects.filter(user=user).order_by("pk")
    revoked, release, outcomes = threading.Event(), threading.Event(), {}

    def revoke(name, staff_role, hold):
        try:
            if not hold:
                revoked.wait(20)
            with transaction.atomic():
                staff_role_revoke(actor=None, staff_role=staff_role)
                if hold:
                    revoked.set()
                    release.wait(20)
            outcomes[name] = "revoked"
        except ValidationError:
            outcomes[name] = "refused"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=revoke, args=("first", first, True)),
        threading.Thread(target=revoke, args=("second", second, False)),
    ]
    for thread in threads:
        thread.start()
    assert revoked.wait(20)
    time.sleep(1)  # the second waits for the account's row (without the lock it would be done by now)
    release.set()
    for thread in threads:
        thread.join()
    assert outcomes == {"first": "revoked", "second": "refused"}
    assert list(StaffRole.objects.filter(user=user).values_list("role", flat=True)) == [Role.INSPECTOR]
