"""Permission-matrix entries: the coverage indicators (issue 16 item 4). The roles that read projects open their
region (leaders and auditors: and the regions below; 404 outside); the administrator opens none (403). The
industry-department role: tests/test_coverage_pages.py."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from cases.models import Role
from tests.matrix import READERS, Entry, Target


@dataclass
class RegionTarget(Target):
    region: str = ""


def region_target(code: str) -> RegionTarget:
    return RegionTarget(region=code)


def coverage_reader(role: str, in_scope: bool) -> int:
    if role not in READERS:
        return 403
    return 200 if in_scope else 404


def _e(name: str, **kw) -> Entry:
    def url(t):
        return f"{reverse(name)}?region={t.region}&month=2026-05"

    return Entry(url, coverage_reader, prepare=region_target, **kw)


assert Role.ADMIN not in READERS
ENTRIES = {
    "indicators:coverage": _e("indicators:coverage"),
    "indicators:coverage-report": _e("indicators:coverage-report"),
    "api-coverage": _e("api-coverage", anonymous=(401, 403)),
}
