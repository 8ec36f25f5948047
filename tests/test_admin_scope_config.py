"""The Django admin's scope (security issue, item 1), part 2: province parameters (省级参数) and the
working-day calendar are the province administrator's, region names are corrected only in the admin's
subtree; each change an event on the region's administration timeline; what a superuser alone may set.
Part 1: test_admin_scope.py."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.models import ProvinceConfig, Role, WorkdayOverride
from tests import world
from tests.test_admin_scope import as_admin, kinds, last_event

pytestmark = pytest.mark.django_db


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


def test_the_refusals_read_in_english_too(client):
    as_admin(client, "360302")
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    clerk = world.user(Role.CLERK, "360302")
    body = {"user": clerk.pk, "region": world.region("360302").pk, "role": Role.ADMIN}
    page = client.post(reverse("admin:cases_staffrole_add"), body).content.decode()
    assert "The administrator role can be granted only at regions below your own" in page
    assert "系统管理员岗位" not in page


def test_a_superuser_sets_the_flags_no_admin_can_and_it_is_recorded(client):
    from django.contrib.auth import get_user_model

    boss = get_user_model().objects.create_superuser("ops_boss", "ops@example.cn", None)
    client.force_login(boss)
    clerk = world.user(Role.CLERK, "360302")
    url = reverse("admin:auth_user_change", args=[clerk.pk])
    assert {"is_staff", "is_superuser"} <= set(client.get(url).context["adminform"].form.fields)
    body = {"first_name": "", "last_name": "", "email": "", "is_active": "on", "is_staff": "on"}
    assert client.post(url, body).status_code == 302
    clerk.refresh_from_db()
    assert clerk.is_staff and not clerk.is_superuser
    event = last_event(clerk)
    assert (event.kind, event.actor, event.data) == ("account.updated", boss, {"changes": {"is_staff": [False, True]}})


def test_a_rule_broken_meanwhile_is_a_message_not_a_500(client, monkeypatch):
    """The forms check the rules; should the service still refuse (a concurrent change), the page answers
    with the refusal and nothing is written."""
    from django.core.exceptions import ValidationError

    from cases import accounts
    from cases.models import StaffRole

    def refuse(**kwargs):
        raise ValidationError({"user": ["该账号不在您的管理范围内"]})

    monkeypatch.setattr(accounts, "staff_role_grant", refuse)
    monkeypatch.setattr(accounts, "account_password_set", refuse)
    as_admin(client, "360302")
    clerk = world.user(Role.CLERK, "360302")
    body = {"user": clerk.pk, "region": world.region("360302").pk, "role": Role.INSPECTOR}
    response = client.post(reverse("admin:cases_staffrole_add"), body)
    assert response.status_code == 302 and not StaffRole.objects.filter(user=clerk, role=Role.INSPECTOR).exists()
    password = "Zq-admin-test-2026"
    url = reverse("admin:auth_user_password_change", args=[clerk.pk])
    response = client.post(url, {"usable_password": "true", "password1": password, "password2": password})
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert not clerk.check_password(password)
