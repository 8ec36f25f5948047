"""Permission matrix: the auditors' search (issue 14 item 3) — page, XLSX export and API. Auditors and leaders
(their subtree) 200; every other role 403. The page has no object: out-of-scope events are tested in
tests/test_audit_search.py."""

from __future__ import annotations

from django.urls import reverse

from cases.models import Role
from tests.matrix import Entry


def searchers(role: str, _in_scope: bool) -> int:
    return 200 if role in {Role.AUDITOR, Role.LEADER} else 403


ENTRIES: dict[str, Entry] = {
    "cases:audit": Entry(lambda t: reverse("cases:audit"), searchers, scoped=False),
    "cases:audit-export": Entry(lambda t: reverse("cases:audit-export"), searchers, scoped=False),
    "api-audit-events": Entry(lambda t: reverse("api-audit-events"), searchers, scoped=False, anonymous=(401, 403)),
}
