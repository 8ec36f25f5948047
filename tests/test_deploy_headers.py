"""Deployment hardening (security issue, item 9): security headers on staff pages, public pages and the
API; 401 with WWW-Authenticate; Swagger UI from our own static files; WhiteNoise; sessions that end
after a working day without activity; production refuses to start without hosts or with a weak key,
and `check --deploy` is clean; in a real browser, the CSP blocks nothing our pages need."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests import world

ROOT = Path(__file__).resolve().parent.parent


def _check_headers(response, *, frame_options=True):
    csp = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"][0] == "'self'" and "'unsafe-inline'" not in directives["script-src"]
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert not any("http" in source for sources in directives.values() for source in sources)  # no CDN
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    if frame_options:
        assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_security_headers_on_a_staff_page_a_public_page_and_the_api(client):
    client.force_login(world.user("clerk", "360302"))
    staff = client.get("/cases/")
    assert staff.status_code == 200
    _check_headers(staff)
    client.logout()
    public = client.get("/public/complaint/")
    assert public.status_code == 200
    _check_headers(public)
    api = client.get("/api/v1/complaints/T000/", {"phone_last4": "0001"})
    assert api.status_code == 404
    _check_headers(api)
    token = Token.objects.create(user=world.user("clerk", "360302"))
    api = client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.status_code == 200
    _check_headers(api)


@pytest.mark.django_db
def test_an_unauthenticated_api_call_gets_401_with_www_authenticate(client):
    for url in ["/api/v1/cases/", "/api/v1/tasks/", "/api/v1/flows/", "/api/v1/dashboard/"]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"] == "Token"
        assert "detail" in response.json()["errors"]
    response = client.post("/api/v1/cases/X/suspend/", {}, content_type="application/json")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    # session auth still works, with its CSRF check
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("inspector", "360302"))
    assert client.get("/api/v1/cases/").status_code == 200
    response = client.post("/api/v1/cases/X/suspend/", {}, content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["errors"]["detail"][0]


@pytest.mark.django_db
def test_api_docs_load_swagger_ui_from_our_static_files(client):
    client.force_login(world.user("clerk", "360302"))
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert "<script>" not in html.replace(" ", "")  # no inline script: its set-up is a file (CSP)
    _check_headers(page)


@pytest.mark.django_db
@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_whitenoise_serves_static_files():
    from django.conf import settings

    assert settings.MIDDLEWARE[1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    response = Client().get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
    assert b"".join(response.streaming_content if response.streaming else [response.content])


@pytest.mark.django_db
def test_a_staff_session_ends_after_a_working_day_without_activity(client, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    client.force_login(world.user("clerk", "360302"))
    assert client.get("/cases/").status_code == 200
    session = client.session
    first_expiry = session.get_expiry_date()
    assert first_expiry - timezone.now() <= timedelta(hours=8)
    # activity within the refresh interval writes nothing; after it the expiry moves forward
    session["_zq_refreshed"] = 0
    session.save()
    saved = client.session.get_expiry_date()
    assert client.get("/cases/").status_code == 200
    assert client.session.get_expiry_date() > saved
    assert client.session["_zq_refreshed"] > 0
    refreshed = client.session["_zq_refreshed"]
    assert client.get("/cases/").status_code == 200
    assert client.session["_zq_refreshed"] == refreshed


# --- production settings (subprocesses: the settings module is read once per process) ---------------


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def _production_env(**over) -> dict:
    env = {
        **os.environ,
        "ZHIQIAN_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "zhiqian.example.gov.cn",
        # what the other production checks need (personal data, timeline checkpoints, shared cache)
        "ZHIQIAN_DATA_KEYS": f"k1:{_key()}",
        "ZHIQIAN_INDEX_KEY": _key(),
        "ZHIQIAN_TIMELINE_KEY": secrets.token_urlsafe(48),
        "ZHIQIAN_CACHE_URL": "redis://127.0.0.1:6379/9",
    }
    env.pop("DATABASE_URL", None)
    for name, value in over.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _manage(*args, **over):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=_production_env(**over), capture_output=True, text=True
    )


def test_production_passes_check_deploy_and_serves_static_files_with_whitenoise():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    code = (
        "from django.conf import settings as s; "
        "print(s.STORAGES['staticfiles']['BACKEND']); print(s.DEBUG); print(s.SECURE_HSTS_SECONDS > 0); "
        "print(s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE); print('csp.middleware.CSPMiddleware' in s.MIDDLEWARE)"
    )
    result = _manage("shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "whitenoise.storage.CompressedManifestStaticFilesStorage", "False", "True", "True", "True",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "over, message",
    [
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_SECRET_KEY": "short-but-random-Zx81"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "ab" * 40}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "django-insecure-" + secrets.token_urlsafe(50)}, "DJANGO_SECRET_KEY"),
        (
            {"DJANGO_SECRET_KEY": "dev-only-insecure-key-zhiqian-not-for-production-use-0123456789"},
            "DJANGO_SECRET_KEY",
        ),
    ],
)
def test_production_refuses_to_start_without_hosts_or_with_a_weak_key(over, message):
    result = _manage("check", **over)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


# --- in a real browser: the CSP blocks nothing the pages need ----------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_csp_blocks_nothing_on_the_staff_site_the_public_form_and_the_api_docs(live_server, monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    from cases.models import Region
    from cases.regions import regions_load
    from cases.services import staff_create
    from tests.test_browser import _browser_or_skip

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    regions_load(province="360000")
    staff_create(username="clerk_csp", region=Region.objects.get(code="360302"), role="clerk",
                 password="browser-test-pass-1")  # fmt: skip
    with sync_api.sync_playwright() as p:
        browser = _browser_or_skip(p)
        try:
            page = browser.new_page(locale="zh-CN")
            violations: list[str] = []
            page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
            page.goto(f"{live_server.url}/public/complaint/")
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("input[name=username]", "clerk_csp")
            page.fill("input[name=password]", "browser-test-pass-1")
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            for path in ["/tasks/queue/", "/cases/", "/complaints/", "/api/v1/docs/"]:
                page.goto(f"{live_server.url}{path}")
                page.wait_for_load_state("networkidle")
            assert page.locator(".swagger-ui").count() == 1
            page.wait_for_selector(".opblock", timeout=15000)  # Swagger UI ran and rendered the schema
            page.goto(f"{live_server.url}/public/complaint/")
            page.select_option("select[name=language]", "en")  # the inline handler allowed by its hash
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.documentElement.lang") == "en"
            assert violations == []
        finally:
            browser.close()
