import os

import pytest
from django.db import connection

from tests import world


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the shared world once; each `db` test rolls back to it. At the end, on PostgreSQL, end the
    sessions other processes may still hold on the test database (the real Celery worker's, forked
    sweeps' and verifiers', the live server's, whose backends can outlive their client by a moment), so
    that dropping it does not fail with "being accessed by other users"."""
    with django_db_blocker.unblock():
        world.build()
        if connection.vendor == "postgresql":  # the flush between transactional tests TRUNCATEs (migration 0013)
            with connection.cursor() as cursor:
                cursor.execute(
                    "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET zhiqian.timeline_truncate = %L', "
                    "current_database(), 'allow'); END $$"
                )
                cursor.execute("SET zhiqian.timeline_truncate = 'allow'")
    yield
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request through LocaleMiddleware (a page asked for in
    English) leaves its language active in the thread, and the next test would read English texts."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True, scope="session")
def _load_urlconf():
    # viewflow's node.reverse() needs the URLconf imported (viewflow-guide gotcha 10).
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        if os.environ.get("ZHIQIAN_REQUIRE_POSTGRES"):
            pytest.fail("this run must be on PostgreSQL (ZHIQIAN_REQUIRE_POSTGRES is set)")
        pytest.skip("PostgreSQL only: run with DATABASE_URL=postgres://...")


@pytest.fixture(autouse=True)
def _public_rate(settings):
    """Tests post many complaints from one address; test_public_api_is_throttled checks the limit."""
    from django.core.cache import cache

    settings.ZHIQIAN_PUBLIC_RATE = "100000/minute"
    settings.ZHIQIAN_THROTTLE_RATES = {}  # every scope at ZHIQIAN_PUBLIC_RATE; tests/test_throttling.py sets its own
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _process_cache():
    """The throttles' cache is this test process's own memory, not var/cache shared with other runs
    (tests/test_throttling.py points two processes at a Redis of its own)."""
    from django.test.utils import override_settings

    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}):
        yield


@pytest.fixture(autouse=True, scope="session")
def _media_root(tmp_path_factory):
    """What the run writes under var/ goes to a temporary folder of this test process instead (under
    pytest-xdist each worker has its own: tmp_path_factory's base is per worker): uploaded evidence and
    rendered documents (MEDIA_ROOT), timeline checkpoints."""
    from django.conf import settings

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    settings.ZHIQIAN_CHECKPOINT_DIR = str(tmp_path_factory.mktemp("checkpoints"))
