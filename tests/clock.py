"""Moving "now" forward in a test: the services read the time through django.utils.timezone.now (and
timezone.localdate, which reads it), so patching it moves every clock, guard and deadline together.

    with days_later(6):          # the order's deadline has passed
        claim_and_complete(...)
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

from django.utils import timezone

_real_now = timezone.now


@contextmanager
def days_later(days: float):
    """Run the block `days` days from now (real time keeps running inside)."""
    delta = timedelta(days=days)
    with mock.patch("django.utils.timezone.now", lambda: _real_now() + delta):
        yield


@contextmanager
def at(moment: datetime):
    """Run the block as if it were `moment` (an aware datetime); time does not move inside."""
    with mock.patch("django.utils.timezone.now", lambda: moment):
        yield
