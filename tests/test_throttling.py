"""Throttles on the shared cache (security issue item 2): the client address (forged X-Forwarded-For
ignored), limits that hold across processes, the status lookup's per-receipt lock, the complaint
burst, the public pages and lists, the answer in the user's language, and a cache outage."""

from __future__ import annotations

import multiprocessing
import re
import socket
import subprocess
import time
import uuid

import pytest
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from cases import selectors, throttling
from cases.clientip import client_ip
from cases.models import Complaint
from tests.flowkit import body

REDIS_DB10 = "redis://127.0.0.1:6379/10"
REDIS_CACHE = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_DB10}}


def redis_up(port: int = 6379) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _fresh_breaker():
    throttling._cache_down_until = 0.0
    yield
    throttling._cache_down_until = 0.0


# --- the client address ---------------------------------------------------------------------------------


def meta(remote: str, xff: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


def test_a_forged_forwarded_header_from_an_untrusted_peer_is_ignored(settings):
    settings.ZHIQIAN_TRUSTED_PROXIES = []
    assert client_ip(meta("203.0.113.7", "1.2.3.4")) == "203.0.113.7"
    settings.ZHIQIAN_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(meta("203.0.113.7", "1.2.3.4, 10.0.0.5")) == "203.0.113.7"


def test_behind_trusted_proxies_the_right_most_untrusted_hop_is_the_client(settings):
    settings.ZHIQIAN_TRUSTED_PROXIES = ["10.0.0.0/8", "fd00::/8"]
    # the client forged "1.2.3.4"; our proxy appended the address it saw (198.51.100.9)
    assert client_ip(meta("10.0.0.2", "1.2.3.4, 198.51.100.9")) == "198.51.100.9"
    assert client_ip(meta("10.0.0.2", "1.2.3.4, 198.51.100.9, 10.0.0.3")) == "198.51.100.9"  # two proxies
    assert client_ip(meta("fd00::1", "2001:db8::7")) == "2001:db8::7"
    assert client_ip(meta("10.0.0.2", "garbage, 198.51.100.9:5555")) == "198.51.100.9"
    assert client_ip(meta("10.0.0.2", "")) == "10.0.0.2"
    assert client_ip(meta("10.0.0.2", "10.0.0.9")) == "10.0.0.9"  # only our own hops: the innermost
    assert client_ip(meta("not an address")) == "0.0.0.0"


# --- two processes, one cache, a forged header --------------------------------------------------------------


def _hammer(url: str, params: dict, n: int, offset: int, queue) -> None:
    client = Client()
    statuses = [
        client.get(url, params, HTTP_X_FORWARDED_FOR=f"10.{offset}.{i // 250}.{i % 250 + 1}").status_code
        for i in range(n)
    ]
    queue.put(statuses)


def _two_processes(url: str, params: dict, total: int = 150) -> list[int]:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_hammer, args=(url, params, total // 2, k, queue)) for k in (1, 2)]
    for w in workers:
        w.start()
    statuses = queue.get(timeout=120) + queue.get(timeout=120)
    for w in workers:
        w.join(30)
    return statuses


@pytest.fixture
def shared_cache(settings, monkeypatch):
    if not redis_up():
        pytest.skip("needs Redis at 127.0.0.1:6379 (DB 10)")
    # Keys of this test alone (not a FLUSHDB of the shared DB 10: another test run on the machine may count there)
    prefix = f"throttle-test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": {**REDIS_CACHE["default"], "KEY_PREFIX": prefix}}
    # no database in the forked processes: every lookup misses, as an attacker's guesses do
    monkeypatch.setattr(selectors, "complaint_public_lookup", lambda **kw: None)
    yield
    keys = subprocess.run(
        ["redis-cli", "-n", "10", "--scan", "--pattern", f"{prefix}:*"], check=True, capture_output=True, text=True
    ).stdout.split()
    if keys:
        subprocess.run(["redis-cli", "-n", "10", "DEL", *keys], check=True, capture_output=True)


@pytest.mark.parametrize("url", ["/api/v1/complaints/T3603022600000001/", "/public/status/"])
def test_two_processes_with_forged_headers_get_no_more_than_the_limit(settings, shared_cache, url):
    settings.ZHIQIAN_PUBLIC_RATE = "20/hour"
    settings.ZHIQIAN_THROTTLE_RATES = {"status": "20/hour", "status_receipt": "1000/hour", "public_pages": "1000/hour"}
    params = (
        {"phone_last4": "0000"}
        if url.startswith("/api/")
        else {"receipt_no": "T3603022600000001", "phone_last4": "0000"}
    )
    statuses = _two_processes(url, params)
    assert len(statuses) == 150
    assert statuses.count(404) == 20 and statuses.count(429) == 130, statuses


# --- the status lookup: per address and per receipt number -------------------------------------------------


@pytest.mark.django_db
def test_failed_lookups_lock_the_receipt_number_for_every_address(settings):
    from tests.flowkit import submit

    settings.ZHIQIAN_THROTTLE_RATES = {"status_receipt": "5/hour"}
    receipt = submit()["receipt_no"]
    for _ in range(6):  # the complainant's own lookups do not count towards the lock
        assert APIClient().get(f"/api/v1/complaints/{receipt}/", {"phone_last4": "0001"}).status_code == 200
    for i in range(5):  # five guesses from five addresses
        r = Client(REMOTE_ADDR=f"198.51.100.{i + 1}").get(
            "/public/status/", {"receipt_no": receipt, "phone_last4": f"{i + 2:04d}"}
        )
        assert r.status_code == 404
    # now even the right digits, from a new address, are refused, on the page and in the API
    page = Client(REMOTE_ADDR="198.51.100.99").get(
        "/public/status/", {"receipt_no": receipt.lower(), "phone_last4": "0001"}
    )
    assert page.status_code == 429 and int(page["Retry-After"]) > 0
    assert "查询失败次数过多" in page.content.decode() and receipt not in re.sub(
        r'value="[^"]*"', "", page.content.decode()
    )
    api = APIClient(REMOTE_ADDR="198.51.100.98").get(f"/api/v1/complaints/{receipt}/", {"phone_last4": "0001"})
    assert api.status_code == 429 and int(api["Retry-After"]) > 0
    assert list(api.json()["errors"]) == ["receipt_no"] and "失败次数过多" in api.json()["errors"]["receipt_no"][0]
    # another receipt number is not affected
    other = Client(REMOTE_ADDR="198.51.100.99").get("/public/status/", {"receipt_no": "T9", "phone_last4": "0001"})
    assert other.status_code == 404


@pytest.mark.django_db
def test_the_status_page_is_throttled_per_address(settings):
    settings.ZHIQIAN_THROTTLE_RATES = {"status": "3/hour"}
    client = Client(REMOTE_ADDR="198.51.100.7")
    statuses = [
        client.get("/public/status/", {"receipt_no": f"T{i}", "phone_last4": "0000"}).status_code for i in range(5)
    ]
    assert statuses == [404, 404, 404, 429, 429]
    assert client.get("/public/status/").status_code == 200  # the empty form is not a lookup


# --- the complaint burst ---------------------------------------------------------------------------------


def form_data(n: int) -> dict:
    return {
        "complainant_name": "张三",
        "complainant_id_number": "34052419800101001X",
        "complainant_phone": "13807990001",
        "employer_name": f"萍乡市某限流测试建筑有限公司{n}",
        "project_name": "安源区某安置房项目",
        "project_address": "萍乡市安源区某地块",
        "workers_count": "12",
        "amount_owed": "86000.00",
        "period_start": "2026-05-01",
        "period_end": "2026-10-31",
        "description": "工程完工后拖欠工资。",
        "idempotency_key": f"burst-{n}",
    }


@pytest.mark.django_db
def test_a_burst_of_complaint_posts_is_cut_off_with_the_form_kept(settings):
    settings.ZHIQIAN_THROTTLE_RATES = {"complaint_burst": "3/minute", "complaint": "10/hour"}
    before = Complaint.objects.count()
    client = Client(REMOTE_ADDR="198.51.100.20")
    responses = [client.post("/public/complaint/", form_data(n), HTTP_X_FORWARDED_FOR=f"1.1.1.{n}") for n in range(6)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429, 429, 429]
    assert Complaint.objects.count() == before + 3  # nothing written for the refused ones
    refused = responses[3].content.decode()
    assert "操作过于频繁" in refused and "萍乡市某限流测试建筑有限公司3" in refused  # what was typed stays
    assert int(responses[3]["Retry-After"]) > 0


@pytest.mark.django_db
def test_the_api_complaint_burst_answers_429_with_errors_and_retry_after(settings):
    settings.ZHIQIAN_THROTTLE_RATES = {"complaint_burst": "2/minute", "complaint": "10/hour"}
    client = APIClient(REMOTE_ADDR="198.51.100.21")
    statuses = [
        client.post(
            "/api/v1/complaints/",
            body(employer={"name": f"某API限流公司{n}"}),
            format="json",
            HTTP_X_FORWARDED_FOR=f"2.2.2.{n}",
        )
        for n in range(3)
    ]
    assert [r.status_code for r in statuses] == [201, 201, 429]
    assert "errors" in statuses[2].json() and int(statuses[2]["Retry-After"]) > 0
    # the hourly limit holds past the burst too
    settings.ZHIQIAN_THROTTLE_RATES = {"complaint_burst": "100/minute", "complaint": "3/hour"}
    assert client.post("/api/v1/complaints/", body(), format="json").status_code == 429  # 4th this hour


# --- public lists and pages -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_public_pages_and_lists_are_throttled_and_answer_in_the_users_language(settings):
    settings.ZHIQIAN_THROTTLE_RATES = {"public_pages": "2/minute", "public_lists": "2/minute"}
    client = Client(REMOTE_ADDR="198.51.100.30")
    assert [client.get("/public/credit-list/").status_code for _ in range(3)] == [200, 200, 429]
    zh = client.get("/public/violations/")
    assert zh.status_code == 429 and "请稍后再试" in zh.content.decode() and int(zh["Retry-After"]) > 0
    assert zh.has_header("X-Frame-Options") and "csrftoken" in zh.cookies  # the language switch posts
    en = Client(REMOTE_ADDR="198.51.100.30", HTTP_ACCEPT_LANGUAGE="en").get("/public/violations/")
    assert en.status_code == 429 and "Too many requests" in en.content.decode()
    api = APIClient(REMOTE_ADDR="198.51.100.31")
    assert [api.get("/api/v1/public/credit-list/").status_code for _ in range(3)] == [200, 200, 429]
    assert "errors" in api.get("/api/v1/public/violations/").json()


# --- receipt numbers --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_receipt_numbers_carry_four_random_digits_and_old_ones_still_work():
    from tests.flowkit import submit

    receipts = [submit(employer={"name": f"某回执号测试公司{n}"})["receipt_no"] for n in range(6)]
    assert all(re.fullmatch(r"T360302\d{2}\d{4}\d{6}", r) for r in receipts), receipts
    assert len({r[9:13] for r in receipts}) > 1  # random, not the sequence (chance of a false failure: 1e-15)
    sequence = [int(r[-6:]) for r in receipts]
    assert sequence == list(range(sequence[0], sequence[0] + 6))
    old = Complaint.objects.get(receipt_no=receipts[0])
    Complaint.objects.filter(pk=old.pk).update(receipt_no="T36030226000777")  # a receipt of the old format
    assert APIClient().get("/api/v1/complaints/T36030226000777/", {"phone_last4": "0001"}).status_code == 200


# --- the cache is down ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_with_the_cache_down_complaints_go_through_and_the_receipt_lock_fails_closed(settings):
    port = next(p for p in range(6390, 6400) if not redis_up(p))  # nothing listens there
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.ZHIQIAN_THROTTLE_RATES = {"complaint_burst": "1/minute", "complaint": "1/hour"}
    started = time.monotonic()
    client = APIClient(REMOTE_ADDR="198.51.100.40")
    created = [
        client.post("/api/v1/complaints/", body(employer={"name": f"某缓存故障公司{n}"}), format="json")
        for n in range(3)
    ]
    assert [r.status_code for r in created] == [201, 201, 201]  # fail open: a complaint is never refused
    receipt = created[0].json()["receipt_no"]
    looked = client.get(f"/api/v1/complaints/{receipt}/", {"phone_last4": "0001"})
    assert looked.status_code == 429 and "receipt_no" in looked.json()["errors"]  # fail closed
    assert time.monotonic() - started < 10


def test_rates_parse():
    from django.test.utils import override_settings

    with override_settings(ZHIQIAN_THROTTLE_RATES={"x": "5/hour", "y": "2/s"}, ZHIQIAN_PUBLIC_RATE="7/day"):
        assert throttling.rate_of("x") == (5, 3600)
        assert throttling.rate_of("y") == (2, 1)
        assert throttling.rate_of("z") == (7, 86400)


def test_production_refuses_to_start_without_a_shared_cache():
    import base64
    import os
    import sys

    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHIQIAN_", "DATABASE_URL"))}
    env.update(
        ZHIQIAN_ENV="production",
        DJANGO_SECRET_KEY="production-cache-test-" + "0123456789abcdef" * 3,
        # the other production requirements, so that the cache is what is missing
        DJANGO_ALLOWED_HOSTS="zhiqian.example.gov.cn",
        ZHIQIAN_DATA_KEYS="k1:" + base64.b64encode(os.urandom(32)).decode(),
        ZHIQIAN_INDEX_KEY=base64.b64encode(os.urandom(32)).decode(),
        ZHIQIAN_TIMELINE_KEY="t" * 20 + "imeline-key-for-the-production-cache-test",
    )
    code = "import django; django.setup()"
    run = subprocess.run([sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True)
    assert run.returncode != 0 and "ZHIQIAN_CACHE_URL" in run.stderr
