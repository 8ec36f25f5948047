"""The offices' roles are granted in the admin by the account administrator of the region (or above), each grant
an event on the region's chain; the arbitration and legal-aid numbers are the province administrator's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from arbitration.models import ArbitrationConfig, OfficeRole
from cases.models import Role, TimelineEvent
from tests import world
from tests.arbkit import office_user

pytestmark = pytest.mark.django_db


def test_the_county_administrator_grants_the_commissions_role_in_its_county_only(client, django_user_model):
    person = django_user_model.objects.create_user(username="zhongcai_new", password="pw-arb-12345")
    client.force_login(world.user(Role.ADMIN, "360302"))
    add = reverse("admin:arbitration_officerole_add")
    above = client.post(add, {"user": person.pk, "region": world.region("360300").pk, "office": "arbitration"})
    assert above.status_code == 200 and not OfficeRole.objects.filter(user=person).exists()  # not its region
    ok = client.post(add, {"user": person.pk, "region": world.region("360302").pk, "office": "arbitration"})
    assert ok.status_code == 302
    assert OfficeRole.objects.filter(user=person, region__code="360302", office="arbitration").exists()
    assert TimelineEvent.objects.filter(region=world.region("360302"), kind="arbitration.office_role_granted").exists()


def test_only_the_province_administrator_sets_the_numbers(client):
    client.force_login(world.user(Role.ADMIN, "360302"))
    assert client.get(reverse("admin:arbitration_arbitrationconfig_changelist")).status_code == 403
    client.force_login(world.user(Role.ADMIN, "360000"))
    response = client.post(
        reverse("admin:arbitration_arbitrationconfig_add"),
        {"province": world.region("360000").pk, "final_award_months": 12, "green_channel_days": 20,
         "legal_aid_review_days": 7, "legal_aid_assign_days": 3},
    )  # fmt: skip
    assert response.status_code == 302
    assert ArbitrationConfig.objects.get(province__code="360000").green_channel_days == 20
    assert TimelineEvent.objects.filter(region=world.region("360000"), kind="config.arbitration_changed").exists()


def test_an_office_user_has_no_admin():
    from django.test import Client

    client = Client()
    client.force_login(office_user())
    assert client.get(reverse("admin:arbitration_officerole_changelist")).status_code == 302  # not staff: to login
