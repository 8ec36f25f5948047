import os

import pytest
from django.db import connection

from tests import world


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the shared world once; each `db` test rolls back to it."""
    with django_db_blocker.unblock():
        world.build()


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
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _media_root(tmp_path_factory):
    """Uploaded evidence and rendered documents go to a temporary folder, not var/media."""
    from django.conf import settings

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
