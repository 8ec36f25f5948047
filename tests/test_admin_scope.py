"""The Django admin's scope (security issue, item 1): an administrator manages accounts, roles and passwords
in its own subtree only, never grants a region outside it, a peer or superior admin role, or a superuser
flag; province parameters and the working-day calendar are the province administrator's. Every change is
an event on the account's (or the region's) timeline. Driven through the real /admin/ pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from cases import scope
from cases.models import ProvinceConfig, Role, StaffRole, TimelineEvent, WorkdayOverride
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


def test_a_superuser_account_is_no_admins_to_manage(client):
    boss = User.objects.create_superuser("ops_root", "ops@example.cn", None)
    StaffRole.objects.create(user=boss, region=world.region("360302"), role=Role.CLERK)
    as_admin(client, "360302")
    assert client.get(reverse("admin:auth_user_change", args=[boss.pk])).status_code == 404
    assert client.get(reverse("admin:auth_user_password_change", args=[boss.pk])).status_code == 404


def test_regions_are_renamed_only_in_the_subtree(client):
    as_admin(client, "360302")
    city = world.region("360300")
    assert client.post(reverse("admin:cases_region_change", args=[city.pk]), {"name": "改名市"}).status_code == 404
    city.refresh_from_db()
    assert city.name == "萍乡市"
    county = world.region("360302")
    assert client.post(reverse("admin:cases_region_change", args=[county.pk]), {"name": "安源区 "}).status_code == 302
    response = client.post(reverse("admin:cases_region_change", args=[county.pk]), {"name": "安源新区"})
    assert response.status_code == 302
    county.refresh_from_db()
    assert county.name == "安源新区"
    assert kinds(county) == ["region.renamed"]
    assert last_event(county).data == {"old": "安源区", "new": "安源新区"}


# --- in-scope work succeeds, each change an event on the account's timeline ---------------------------------


def test_a_county_admin_creates_a_clerk_with_a_password(client):
    admin = as_admin(client, "360302")
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


# --- province parameters and the working-day calendar -----------------------------------------------------


def test_the_province_admin_edits_province_parameters(client):
    admin = as_admin(client, "360000")
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:cases_provinceconfig_changelist")).status_code == 200
    assert client.get(reverse("admin:cases_provinceconfig_add")).status_code == 200
    province = world.region("360000")
    values = {f.name: f.default for f in ProvinceConfig._meta.concrete_fields if f.name not in ("id", "province")}
    values.update(province=province.pk, crime_single_amount="20000.00", crime_figures_confirmed="on")
    values = {k: v for k, v in values.items() if v is not False}
    assert client.post(reverse("admin:cases_provinceconfig_add"), values).status_code == 302
    config = ProvinceConfig.objects.get(province=province)
    assert config.crime_single_amount == Decimal("20000.00") and config.crime_figures_confirmed
    event = last_event(province)
    assert (event.kind, event.actor, event.actor_role) == ("config.province_changed", admin, Role.ADMIN)
    assert event.data["changes"]["crime_single_amount"] == ["10000", "20000.00"]
    values.pop("province")
    values["supervision_days"] = 20
    change = reverse("admin:cases_provinceconfig_change", args=[config.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, values).status_code == 302
    assert last_event(province).data == {"changes": {"supervision_days": [15, 20]}}
    # another province's parameters are not the Jiangxi admin's
    other = ProvinceConfig.objects.create(province=world.region("430000"))
    assert client.get(reverse("admin:cases_provinceconfig_change", args=[other.pk])).status_code == 404


def test_only_the_province_admin_opens_province_configuration(client):
    config = ProvinceConfig.objects.create(province=world.region("360000"))
    override = WorkdayOverride.objects.create(date=date(2026, 10, 10), is_workday=True)
    pages = [
        reverse("admin:cases_provinceconfig_changelist"),
        reverse("admin:cases_provinceconfig_change", args=[config.pk]),
        reverse("admin:cases_workdayoverride_changelist"),
        reverse("admin:cases_workdayoverride_add"),
        reverse("admin:cases_workdayoverride_change", args=[override.pk]),
    ]
    as_admin(client, "360000")
    assert [client.get(url).status_code for url in pages] == [200] * len(pages)
    for code in ["360300", "360302"]:
        as_admin(client, code)
        for url in [*pages, reverse("admin:cases_provinceconfig_add")]:
            assert client.get(url).status_code in (403, 404), (code, url)
        assert client.get(pages[0]).status_code == 403
        change = reverse("admin:cases_provinceconfig_change", args=[config.pk])
        assert client.post(change, {"supervision_days": 1}).status_code in (403, 404)
        delete = reverse("admin:cases_workdayoverride_delete", args=[override.pk])
        assert client.post(delete, {"post": "yes"}).status_code in (403, 404)
    assert WorkdayOverride.objects.filter(pk=override.pk).exists()
    config.refresh_from_db()
    assert config.supervision_days == 15


def test_the_province_admin_edits_working_day_overrides(client):
    admin = as_admin(client, "360000")
    province = world.region("360000")
    assert client.get(reverse("admin:cases_workdayoverride_changelist")).status_code == 200
    body = {"date": "2026-10-10", "is_workday": "on", "note": "国庆调休"}
    assert client.post(reverse("admin:cases_workdayoverride_add"), body).status_code == 302
    override = WorkdayOverride.objects.get(date=date(2026, 10, 10))
    event = last_event(province)
    assert (event.kind, event.actor) == ("config.workday_override_saved", admin)
    assert event.data == {"old": None, "new": {"date": "2026-10-10", "is_workday": True, "note": "国庆调休"}}
    assert kinds(world.region("430000"))[-1:] == ["config.workday_override_saved"]  # a national calendar
    delete = reverse("admin:cases_workdayoverride_delete", args=[override.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not WorkdayOverride.objects.filter(pk=override.pk).exists()
    assert last_event(province).kind == "config.workday_override_deleted"


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
