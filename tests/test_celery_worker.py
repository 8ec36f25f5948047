"""A real Celery worker (not eager) runs a project task end to end against Redis and PostgreSQL.

Needs ZHIQIAN_TEST_BROKER (e.g. redis://127.0.0.1:6379/15) and PostgreSQL; .ci/run sets both
and ZHIQIAN_REQUIRE_WORKER=1, so in CI this test fails rather than skips when they are missing.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from cases.models import ChainCheck
from cases.regions import regions_load
from tests import world

ROOT = Path(__file__).resolve().parent.parent


def _require(condition: bool, why: str) -> None:
    if not condition:
        if os.environ.get("ZHIQIAN_REQUIRE_WORKER"):
            pytest.fail(why)
        pytest.skip(why)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_verifies_the_timeline_and_records_the_result():
    broker = os.environ.get("ZHIQIAN_TEST_BROKER", "")
    _require(bool(broker), "set ZHIQIAN_TEST_BROKER=redis://127.0.0.1:6379/15 to run a real worker")
    _require(connection.vendor == "postgresql", "the worker shares the test database: PostgreSQL only")

    regions_load(province="360000")
    case = world.make_case("360302")

    settings = connection.settings_dict
    db_url = (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    queue = f"zhiqian-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": db_url, "CELERY_BROKER_URL": broker, "CELERY_RESULT_BACKEND": broker}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue, "--loglevel=INFO"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        from celery import Celery

        producer = Celery("zhiqian-test", broker=broker, backend=broker)
        result = producer.send_task("cases.tasks.timeline_verify", queue=queue).get(timeout=120)
    finally:
        worker.terminate()
        log = worker.communicate(timeout=30)[0]
    assert result["ok"] is True, log
    assert result["events"] >= 2  # the case's complaint.received and case.filed at least
    check = ChainCheck.objects.get(pk=result["id"])  # written by the worker process
    assert check.ok and check.chains >= 2
    assert "cases.tasks.timeline_verify" in log and "succeeded" in log
    assert case.events.count() == 1
