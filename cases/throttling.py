"""Throttles on a shared cache (Django's `default` cache: Redis in production, ZHIQIAN_CACHE_URL).

One sliding-window counter per (scope, key): the current window's count (an atomic INCR on Redis) plus
the previous window's, weighted by how much of it still overlaps — so any 1-window span stays near the
limit, whichever process or server answered the requests. The key is the client address (cases.clientip,
forged X-Forwarded-For ignored) or, for the status lookup's failures, the receipt number.

    wait = throttle_hit("complaint", client_ip(request))        # None: allowed; else seconds to wait
    wait = throttle_blocked("status_receipt", receipt_no)       # check without counting

Rates: settings.ZHIQIAN_THROTTLE_RATES[scope] ("N/second|minute|hour|day"); a scope without one uses
settings.ZHIQIAN_PUBLIC_RATE. Cache down: most scopes fail open (a complaint must still get through, the
outage is logged); the status lookup's receipt lock fails closed (brute force is what it stops).
"""

from __future__ import annotations

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.throttling import BaseThrottle

from .clientip import client_ip

logger = logging.getLogger("zhiqian.throttle")

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
FAIL_CLOSED = frozenset({"status_receipt"})
CACHE_DOWN_WAIT = 60  # seconds a fail-closed scope asks to wait while the cache is unreachable


def rate_of(scope: str) -> tuple[int, int]:
    """(requests, seconds) for `scope`."""
    rate = (getattr(settings, "ZHIQIAN_THROTTLE_RATES", {}) or {}).get(scope) or settings.ZHIQIAN_PUBLIC_RATE
    number, _sep, period = str(rate).partition("/")
    return int(number), PERIODS[period.strip()[:1].lower()]


def _keys(scope: str, key: str, window: int, now: float) -> tuple[str, str, float]:
    digest = hashlib.blake2b(str(key).encode(), digest_size=12).hexdigest()
    index = int(now // window)
    prefix = f"zq:thr:{scope}:{window}:{digest}:"
    return prefix + str(index), prefix + str(index - 1), (now - index * window) / window


def _count(scope: str, key: str, *, add: bool, now: float) -> tuple[float, int, int, float, int]:
    limit, window = rate_of(scope)
    current_key, previous_key, elapsed = _keys(scope, key, window, now)
    if add:
        cache.add(current_key, 0, timeout=2 * window + 1)
        try:
            current = cache.incr(current_key)
        except ValueError:  # expired between add and incr
            cache.set(current_key, 1, timeout=2 * window + 1)
            current = 1
        previous = cache.get(previous_key, 0)
    else:
        values = cache.get_many([current_key, previous_key])
        current, previous = values.get(current_key, 0), values.get(previous_key, 0)
    return previous * (1 - elapsed) + current, limit, window, elapsed, current


def _wait(limit: int, window: int, elapsed: float, current: int) -> int:
    """Seconds until the weighted count is under the limit again: the rest of this window, then as much
    of the next as it takes for this window's `current` requests, weighted down, to fall below `limit`."""
    return max(1, math.ceil(window * (1 - elapsed) + window * max(0.0, 1 - limit / max(current, 1))))


_cache_down_until = 0.0  # this process saw the cache fail: skip it until then (no timeout per request)
CACHE_RETRY_SECONDS = 5.0


def _guarded(scope: str, key: str, *, add: bool, now: float | None) -> int | None:
    global _cache_down_until
    now = time.time() if now is None else now
    unavailable = CACHE_DOWN_WAIT if scope in FAIL_CLOSED else None  # cache down: decide per scope, never a 500
    if time.monotonic() < _cache_down_until:
        return unavailable
    try:
        weighted, limit, window, elapsed, current = _count(scope, key, add=add, now=now)
    except Exception as exc:  # the cache is unreachable (Redis down)
        _cache_down_until = time.monotonic() + CACHE_RETRY_SECONDS
        logger.warning("throttle %s: cache unavailable (%s): %s", scope, type(exc).__name__, exc)
        return unavailable
    # counting: this request is included, so up to `limit` pass; checking: blocked once `limit` are in
    over = weighted > limit if add else weighted >= limit
    return _wait(limit, window, elapsed, current) if over else None


def throttle_hit(scope: str, key: str, *, now: float | None = None) -> int | None:
    """Count one request of `key` in `scope`. None if it is within the rate, else seconds to wait."""
    return _guarded(scope, key, add=True, now=now)


def throttle_blocked(scope: str, key: str, *, now: float | None = None) -> int | None:
    """Without counting: None if `key` may go on in `scope`, else seconds to wait."""
    return _guarded(scope, key, add=False, now=now)


def throttled_page(request, wait: int, *, status: int = 429):
    """The friendly HTML answer (in the request's language, Chinese by default)."""
    response = render(request, "public/throttled.html", {"minutes": max(1, math.ceil(wait / 60))}, status=status)
    response["Retry-After"] = str(int(wait))
    return response


def retry_message(wait: int) -> str:
    minutes = max(1, math.ceil(wait / 60))
    return _("操作过于频繁，请%(minutes)s分钟后再试。") % {"minutes": minutes}


def receipt_locked_message(wait: int) -> str:
    minutes = max(1, math.ceil(wait / 60))
    return _("该回执号查询失败次数过多，已暂停查询，请%(minutes)s分钟后再试，或拨打12333咨询。") % {"minutes": minutes}


# --- Django REST framework -------------------------------------------------------------------------------


class AddressThrottle(BaseThrottle):
    """A DRF throttle on one scope, per client address (cases.clientip)."""

    scope = "public"
    methods: frozenset[str] | None = None  # None: every method

    def get_ident(self, request) -> str:
        return client_ip(request)

    def allow_request(self, request, view) -> bool:
        if self.methods is not None and request.method not in self.methods:
            return True
        self._wait = throttle_hit(self.scope, self.get_ident(request))
        return self._wait is None

    def wait(self):
        return self._wait


class ComplaintSubmitThrottle(AddressThrottle):
    scope = "complaint"
    methods = frozenset({"POST"})


class ComplaintBurstThrottle(AddressThrottle):
    scope = "complaint_burst"
    methods = frozenset({"POST"})


class StatusLookupThrottle(AddressThrottle):
    scope = "status"


class PublicListThrottle(AddressThrottle):
    scope = "public_lists"


class PublicPostThrottle(AddressThrottle):
    scope = "public_posts"
    methods = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def receipt_locked_error(wait: int) -> exceptions.Throttled:
    """429 {"errors": {"receipt_no": [...]}} with Retry-After, for the status API."""
    error = exceptions.Throttled(detail={"receipt_no": [receipt_locked_message(wait)]})
    # Retry-After (DRF reads .wait); not Throttled(wait=): that appends its own text to the detail.
    error.wait = wait  # type: ignore[attr-defined]  # djangorestframework-stubs do not declare Throttled.wait
    return error


# --- HTML pages ---------------------------------------------------------------------------------------------


class PublicThrottleMiddleware:
    """Every public HTML page (settings.ZHIQIAN_PUBLIC_PATH_PREFIX, "/public/") counts against
    "public_pages" per client address, and every POST there also against "public_posts"; the views of the
    complaint form and the status lookup add their own scopes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        prefix = getattr(settings, "ZHIQIAN_PUBLIC_PATH_PREFIX", "/public/")
        if request.path_info.startswith(prefix):
            address = client_ip(request)
            wait = throttle_hit("public_pages", address)
            if wait is None and request.method == "POST":
                wait = throttle_hit("public_posts", address)
            if wait is not None:
                return throttled_page(request, wait)
        return self.get_response(request)
