"""Project-level rules: layering, production settings, languages, API error format."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_cases_imports_no_outer_layer():
    for path in (ROOT / "cases").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?m)^\s*(from|import) (accountability|workflows)\b", text), path
        assert not re.search(r"(?m)^\s*(from|import) viewflow\.workflow\b", text), path


def test_accountability_does_not_import_workflows():
    for path in (ROOT / "accountability").rglob("*.py"):
        assert not re.search(r"(?m)^\s*(from|import) workflows\b", path.read_text(encoding="utf-8")), path


def test_production_settings_pass_check_deploy():
    env = {
        **os.environ,
        "ZHIQIAN_ENV": "production",
        "DJANGO_SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-key-0123456789",
        "DJANGO_ALLOWED_HOSTS": "zhiqian.example.gov.cn",
        "ZHIQIAN_DATA_KEYS": "k1:" + "a2V5LW9mLXRoZS1wcm9kdWN0aW9uLXNldHRpbmdzLXQ=",  # docs/personal-data.md
        "ZHIQIAN_INDEX_KEY": "aW5kZXgta2V5LW9mLXRoZS1wcm9kdWN0aW9uLXRlc3Q=",
        "ZHIQIAN_CACHE_URL": "redis://127.0.0.1:6379/9",  # the throttles' shared cache (not connected to here)
        "ZHIQIAN_TIMELINE_KEY": "the-timeline-checkpoints-hmac-key-of-the-production-test",  # docs/timeline.md
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "ZHIQIAN_ENV": "production", "DJANGO_SECRET_KEY": ""}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_settings_defaults():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_database_url_parsing():
    from config.settings import database_from_url

    pg = database_from_url("postgres://u:p%40ss@db.internal:5433/zq?sslmode=require")
    assert (pg["ENGINE"], pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "django.db.backends.postgresql", "zq", "u", "p@ss", "db.internal", "5433",
    )  # fmt: skip
    assert pg["OPTIONS"] == {"sslmode": "require"}
    assert database_from_url("sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"


@pytest.mark.django_db
def test_api_errors_name_the_problem(client):
    from tests import world

    client.force_login(world.user("clerk", "360302"))
    body = client.get("/api/v1/cases/360000-1999-00001/").json()
    assert body == {"errors": {"detail": ["未找到。"]}} or list(body["errors"]) == ["detail"]
    client.force_login(world.user("admin", "360302"))
    response = client.get("/api/v1/cases/")
    assert response.status_code == 403 and list(response.json()["errors"]) == ["detail"]


@pytest.mark.django_db
def test_the_ui_is_chinese_by_default_and_english_on_request(client):
    from tests import world

    client.force_login(world.user("clerk", "360302"))
    assert "案件列表" in client.get("/cases/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/cases/"})
    page = client.get("/cases/").content.decode()
    assert "Case list" in page and "案件列表" not in page


def test_a_service_of_one_transaction_is_atomic_alone_and_has_no_savepoint_nested(transactional_db):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from cases.models import Region
    from cases.tx import one_transaction

    @one_transaction
    def rename_then_fail(pk, fail):
        Region.objects.filter(pk=pk).update(name="改名")
        if fail:
            raise ValueError("a failure after a write")

    region = Region.objects.create(code="999999", name="测试区", level="county", path="99/9999/999999")
    with pytest.raises(ValueError):
        rename_then_fail(region.pk, True)  # alone: its own transaction, rolled back
    region.refresh_from_db()
    assert region.name == "测试区"
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        rename_then_fail(region.pk, False)
    assert not [q for q in ctx.captured_queries if "SAVEPOINT" in q["sql"]]
    region.refresh_from_db()
    assert region.name == "改名"
