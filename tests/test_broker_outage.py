"""A broker outage (security issue item 3): requests never publish to the broker — the outbox row is the
record and the relay sends it — so with the broker (and the cache on the same Redis) stopped, submitting
a complaint takes what it takes with them up, nothing is lost, and after recovery each SMS goes out once.

The test starts its own redis-server on a free port in 6390-6399, measures N submissions with it up,
kills it, measures N more, restarts it and runs the relay."""

from __future__ import annotations

import shutil
import socket
import statistics
import subprocess
import time
from collections import Counter

import pytest
from rest_framework.test import APIClient

from cases import throttling
from cases.models import Complaint, Notification
from config.celery import app as celery_app
from tests.flowkit import body

N = 8
RECORDER = "tests.test_broker_outage.RecordingBackend"


class RecordingBackend:
    sent: list[tuple[str, str]] = []

    def send(self, *, to: str, body: str) -> None:
        RecordingBackend.sent.append((to, body))


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


def _start_redis(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if _listening(port):
            return proc
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"redis-server did not start on {port}")


@pytest.fixture
def broker(settings, monkeypatch):
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    port = next((p for p in range(6390, 6400) if not _listening(p)), None)
    if port is None:
        pytest.skip("no free port in 6390-6399")
    url = f"redis://127.0.0.1:{port}"
    state = {"proc": _start_redis(port), "port": port}
    # production-like: a real broker (not eager), the throttles' cache on the same Redis
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"{url}/0"
    settings.CELERY_RESULT_BACKEND = f"{url}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"{url}/1",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.ZHIQIAN_SMS_BACKEND = RECORDER
    for key, value in {"task_always_eager": False, "broker_url": f"{url}/0", "result_backend": f"{url}/0"}.items():
        monkeypatch.setitem(celery_app.conf, key, value)
    _forget_backend()  # the result backend is built again from the new settings
    throttling._cache_down_until = 0.0
    RecordingBackend.sent = []
    yield state
    state["proc"].kill()
    state["proc"].wait(10)
    celery_app.pool.force_close_all()
    celery_app._pool = None
    _forget_backend()
    throttling._cache_down_until = 0.0


def _forget_backend() -> None:
    if hasattr(celery_app._local, "backend"):
        del celery_app._local.backend


def _submit_many(client: APIClient, tag: str) -> tuple[list[float], list[str]]:
    times, receipts = [], []
    for n in range(N):
        started = time.perf_counter()
        response = client.post("/api/v1/complaints/", body(employer={"name": f"某{tag}中断测试公司{n}"}), format="json")
        times.append(time.perf_counter() - started)
        assert response.status_code == 201, response.content
        receipts.append(response.json()["receipt_no"])
    return times, receipts


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_neither_slows_nor_loses_nor_doubles_a_notice(broker, capsys):
    from cases.regions import regions_load

    regions_load(province="360000")
    client = APIClient(REMOTE_ADDR="198.51.100.60")
    _submit_many(client, "预热")  # warm-up: imports, region index, connections
    up, receipts_up = _submit_many(client, "正常")

    broker["proc"].kill()
    broker["proc"].wait(10)
    assert not _listening(broker["port"])
    down, receipts_down = _submit_many(client, "中断")

    mean_up, mean_down = statistics.mean(up), statistics.mean(down)
    with capsys.disabled():
        print(
            f"\nbroker up: mean {mean_up * 1000:.1f} ms, max {max(up) * 1000:.1f} ms; "
            f"broker down: mean {mean_down * 1000:.1f} ms, max {max(down) * 1000:.1f} ms (N={N})"
        )
    assert mean_down <= 2 * mean_up + 0.05, (up, down)
    assert max(down) < 1.0

    # nothing lost: every complaint committed, its notice waiting in the outbox
    receipts = receipts_up + receipts_down
    assert Complaint.objects.filter(receipt_no__in=receipts).count() == 2 * N
    notices = Notification.objects.filter(complaint__receipt_no__in=receipts, event="received")
    assert notices.count() == 2 * N and set(notices.values_list("status", flat=True)) == {"pending"}
    assert RecordingBackend.sent == []  # nothing was sent on the request thread

    # recovery: the broker is back, the relay runs (twice, and the old sweep's task too): each SMS once
    broker["proc"] = _start_redis(broker["port"])
    from cases.tasks import notifications_relay, notifications_resend_pending

    notifications_relay.apply().get()
    notifications_relay.apply().get()
    notifications_resend_pending.apply().get()
    per_receipt = Counter(r for r in receipts for _to, text in RecordingBackend.sent if r in text)
    assert per_receipt == {r: 1 for r in receipts}
    assert set(notices.values_list("status", "attempts")) == {("sent", 1)}
