"""Migration cases.0016: the global Django permissions the old code gave administrators are taken back."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission

from cases.models import Region, Role
from cases.services import staff_create

pytestmark = pytest.mark.django_db

migration = importlib.import_module("cases.migrations.0016_admin_legacy_permissions")


def _legacy():
    return Permission.objects.filter(
        content_type__app_label__in=["auth", "cases"], content_type__model__in=["user", "group", "staffrole", "region"]
    )


def test_an_administrator_loses_the_global_permissions_the_old_code_gave_it():
    admin = staff_create(username="legacy_admin", region=Region.objects.get(code="360302"), role=Role.ADMIN)
    clerk = staff_create(username="legacy_clerk", region=Region.objects.get(code="360302"), role=Role.CLERK)
    admin.user_permissions.add(*_legacy())
    clerk.user_permissions.add(*_legacy())  # not an administrator: a superuser's decision, left alone
    assert admin.user_permissions.count() == _legacy().count() > 0

    migration.revoke_legacy_admin_permissions(apps, None)

    assert admin.user_permissions.count() == 0
    assert clerk.user_permissions.count() == _legacy().count()
