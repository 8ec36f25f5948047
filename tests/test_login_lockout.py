"""Login lockout (security issue item 2, django-axes): after N wrong passwords the username is locked on
/accounts/login/ and /admin/login/ — from any address, a forged X-Forwarded-For changes nothing — with a
clear message in the user's language; the right password is refused until the cool-off ends or an
administrator resets it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests import world

pytestmark = pytest.mark.django_db

RIGHT = "right-pass-2026-zq!"


@pytest.fixture
def clerk():
    user = world.user("clerk", "360302")
    user.set_password(RIGHT)
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def admin_user():
    return get_user_model().objects.create_superuser("root_thr", "root@example.invalid", RIGHT)


def attempt(url: str, username: str, password: str, address: str = "198.51.100.50", **extra):
    client = Client(REMOTE_ADDR=address, **extra)
    return client, client.post(url, {"username": username, "password": password})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_five_wrong_passwords_lock_the_login_and_the_right_one_is_refused(settings, clerk, admin_user, url):
    settings.AXES_FAILURE_LIMIT = 5
    name = clerk.username if url.startswith("/accounts/") else admin_user.username
    statuses = [attempt(url, name, f"wrong-{i}", HTTP_X_FORWARDED_FOR=f"9.9.9.{i}")[1].status_code for i in range(5)]
    assert statuses[:4] == [200, 200, 200, 200] and statuses[4] == 429
    client, locked = attempt(url, name, RIGHT)
    assert locked.status_code == 429 and not logged_in(client)
    page = locked.content.decode()
    assert "登录已暂时锁定" in page and "即使输入正确的密码也无法登录" in page and "15分钟后再试" in page
    assert int(locked["Retry-After"]) == 15 * 60
    # an administrator lifts it
    call_command("axes_reset_username", name)
    client, ok = attempt(url, name, RIGHT)
    assert ok.status_code == 302 and logged_in(client)


def test_failures_from_many_addresses_lock_the_username(settings, clerk):
    settings.AXES_FAILURE_LIMIT = 3
    for i in range(3):
        attempt("/accounts/login/", clerk.username, "wrong", address=f"203.0.113.{i + 1}")
    client, response = attempt("/accounts/login/", clerk.username, RIGHT, address="203.0.113.200")
    assert response.status_code == 429 and not logged_in(client)
    # another username is not locked
    other = world.user("clerk", "360313")
    other.set_password(RIGHT)
    other.save(update_fields=["password"])
    client, response = attempt("/accounts/login/", other.username, RIGHT, address="203.0.113.1")
    assert response.status_code == 302 and logged_in(client)


def test_the_lock_ends_after_the_cool_off(settings, clerk):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        attempt("/accounts/login/", clerk.username, "wrong")
    assert attempt("/accounts/login/", clerk.username, RIGHT)[1].status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    client, response = attempt("/accounts/login/", clerk.username, RIGHT)
    assert response.status_code == 302 and logged_in(client)


def test_the_lockout_message_in_english(settings, clerk):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        attempt("/accounts/login/", clerk.username, "wrong")
    _client, response = attempt("/accounts/login/", clerk.username, RIGHT, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 429 and "Login temporarily locked" in page and "15 minute" in page


def test_a_successful_login_clears_the_failures(settings, clerk):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        attempt("/accounts/login/", clerk.username, "wrong")
    assert attempt("/accounts/login/", clerk.username, RIGHT)[1].status_code == 302
    assert [attempt("/accounts/login/", clerk.username, "wrong")[1].status_code for _ in range(3)] == [200, 200, 429]
