"""Every URL and API endpoint × each role × province / city / county × in / out of scope.

SPEC §2: out of scope → 404; in scope without the right → 403. A URL that exists
without an entry in MATRIX (here, or ENTRIES in a tests/matrix_*.py module) fails
test_every_url_has_an_entry, so new pages must extend the table.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cases.models import Role
from tests import world
from tests.matrix import (
    IN_SCOPE,
    OUT_OF_SCOPE,
    Entry,
    any_staff,
    case_target,
    claimed,
    clerk_acts,
    clerk_only,
    complaint_page,
    complaint_reader_list,
    kind,
    reader_list,
    reader_page,
    task_target,
)

MATRIX: dict[str, Entry] = {
    "home": Entry(lambda t: reverse("home"), lambda r, s: 302, scoped=False),
    "cases:index": Entry(lambda t: reverse("cases:index"), reader_list, scoped=False),
    "cases:detail": Entry(lambda t: reverse("cases:detail", args=[t.case_no]), reader_page),
    "cases:timeline": Entry(lambda t: reverse("cases:timeline", args=[t.case_no]), reader_page),
    "api-case-list": Entry(lambda t: reverse("api-case-list"), reader_list, scoped=False, anonymous=(401, 403)),
    "api-case-detail": Entry(lambda t: reverse("api-case-detail", args=[t.case_no]), reader_page, anonymous=(401, 403)),
    "api-case-timeline": Entry(
        lambda t: reverse("api-case-timeline", args=[t.case_no]), reader_page, anonymous=(401, 403)
    ),
    # tasks: lists are per user (empty for the administrator); a task answers like its process's region
    "tasks:index": Entry(lambda t: reverse("tasks:index"), lambda r, s: 302, scoped=False, anonymous_to_login=False),
    "tasks:inbox": Entry(lambda t: reverse("tasks:inbox"), any_staff, scoped=False),
    "tasks:queue": Entry(lambda t: reverse("tasks:queue"), any_staff, scoped=False),
    "tasks:queue-claim": Entry(lambda t: reverse("tasks:queue-claim"), lambda r, s: 302, method="post", scoped=False),
    "tasks:detail": Entry(lambda t: reverse("tasks:detail", args=[t.task_id]), reader_page, prepare=task_target),
    "tasks:assign": Entry(
        lambda t: reverse("tasks:assign", args=[t.task_id]), clerk_acts(302), method="post", prepare=task_target
    ),
    "tasks:release": Entry(
        lambda t: reverse("tasks:release", args=[t.task_id]), clerk_acts(302), method="post", prepare=claimed
    ),
    "tasks:complete": Entry(
        lambda t: reverse("tasks:complete", args=[t.task_id]),
        clerk_acts(302),
        method="post",
        prepare=claimed,
        data={"decision": "accept"},
    ),
    "api-task-list": Entry(lambda t: reverse("api-task-list"), any_staff, scoped=False, anonymous=(401, 403)),
    "api-task-detail": Entry(
        lambda t: reverse("api-task-detail", args=[t.task_id]), reader_page, prepare=task_target, anonymous=(401, 403)
    ),
    "api-task-assign": Entry(
        lambda t: reverse("api-task-assign", args=[t.task_id]),
        clerk_acts(200),
        method="post",
        prepare=task_target,
        anonymous=(401, 403),
    ),
    "api-task-complete": Entry(
        lambda t: reverse("api-task-complete", args=[t.task_id]),
        clerk_acts(200),
        method="post",
        prepare=claimed,
        data={"decision": "accept"},
        anonymous=(401, 403),
    ),
    # complaints: clerks, leaders and auditors read them; inspectors and legal reviewers do not
    "complaints:index": Entry(lambda t: reverse("complaints:index"), complaint_reader_list, scoped=False),
    "complaints:detail": Entry(lambda t: reverse("complaints:detail", args=[t.receipt_no]), complaint_page),
    "complaints:new": Entry(lambda t: reverse("complaints:new"), clerk_only, scoped=False),
    "complaints:import": Entry(lambda t: reverse("complaints:import"), clerk_only, scoped=False),
    # public: no login; a status lookup with the wrong phone digits is a 404 for everyone
    "public:complaint": Entry(lambda t: reverse("public:complaint"), any_staff, scoped=False, anonymous=200),
    "public:status": Entry(lambda t: reverse("public:status"), any_staff, scoped=False, anonymous=200),
    "api-complaint-submit": Entry(
        lambda t: reverse("api-complaint-submit"), lambda r, s: 400, method="post", scoped=False, anonymous=400
    ),
    "api-complaint-status": Entry(
        lambda t: reverse("api-complaint-status", args=[t.receipt_no]) + "?phone_last4=0000",
        lambda r, s: 404,
        scoped=False,
        anonymous=404,
    ),
    # The API has public endpoints (complaints, published lists): its schema and docs are public.
    "api-schema": Entry(lambda t: reverse("api-schema"), any_staff, scoped=False, anonymous=200),
    "api-docs": Entry(lambda t: reverse("api-docs"), any_staff, scoped=False, anonymous=200),
    "login": Entry(lambda t: reverse("login"), any_staff, scoped=False, anonymous=200),
    "logout": Entry(lambda t: reverse("logout"), lambda r, s: 302, method="post", scoped=False),
    "password_change": Entry(lambda t: reverse("password_change"), any_staff, scoped=False),
    "password_change_done": Entry(lambda t: reverse("password_change_done"), any_staff, scoped=False),
    "password_reset": Entry(lambda t: reverse("password_reset"), any_staff, scoped=False, anonymous=200),
    "password_reset_done": Entry(lambda t: reverse("password_reset_done"), any_staff, scoped=False, anonymous=200),
    "password_reset_confirm": Entry(
        lambda t: reverse("password_reset_confirm", args=["MQ", "set-password"]),
        any_staff,
        scoped=False,
        anonymous=200,
    ),
    "password_reset_complete": Entry(
        lambda t: reverse("password_reset_complete"), any_staff, scoped=False, anonymous=200
    ),
    "set_language": Entry(
        lambda t: reverse("set_language"), lambda r, s: 302, method="post", scoped=False, anonymous=302
    ),
    # The Django admin: only the administrator role is staff; everyone else is sent to the admin login.
    "admin:index": Entry(lambda t: reverse("admin:index"), lambda r, s: 200 if r == Role.ADMIN else 302, scoped=False),
}
for _module in sorted(Path(__file__).parent.glob("matrix_*.py")):
    _entries = importlib.import_module(f"tests.{_module.stem}").ENTRIES
    assert not set(_entries) & set(MATRIX), f"{_module.name} repeats entries"
    MATRIX.update(_entries)

# Admin sub-pages are the Django admin's own (permission-checked per model by Django);
# test_admin_pages checks the ones we register.
EXEMPT_NAMESPACES = {"admin"}


def _all_url_names(patterns=None, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names |= _all_url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


def test_every_url_has_an_entry():
    names = _all_url_names()
    missing = {n for n in names if n not in MATRIX and n.split(":")[0] not in EXEMPT_NAMESPACES}
    assert not missing, f"URLs without a permission-matrix entry: {sorted(missing)}"
    stale = set(MATRIX) - names
    assert not stale, f"matrix entries for URLs that no longer exist: {sorted(stale)}"


CELLS = [(role, level) for role in Role.values for level in world.LEVELS]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(client, name):
    entry = MATRIX[name]
    failures = []
    for role, level in CELLS:
        code = world.LEVELS[level]
        scopes = [True, False] if entry.scoped else [True]
        for in_scope in scopes:
            target_code = IN_SCOPE[(kind(role), level)] if in_scope else OUT_OF_SCOPE[level]
            url = entry.url(entry.prepare(target_code) if entry.scoped else case_target("360302"))
            client.force_login(world.user(role, code))
            response = getattr(client, entry.method)(url, entry.data or {})
            expected = entry.expect(role, in_scope)
            if response.status_code != expected:
                failures.append(
                    f"{role}@{level} {'in' if in_scope else 'out'} {url}: {response.status_code} != {expected}"
                )
            client.logout()
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_anonymous(client, name):
    entry = MATRIX[name]
    target = entry.prepare("360302") if entry.scoped else case_target("360302")
    response = getattr(client, entry.method)(entry.url(target), entry.data or {})
    expected = entry.anonymous if isinstance(entry.anonymous, tuple) else (entry.anonymous,)
    assert response.status_code in expected
    if response.status_code == 302 and entry.method == "get" and entry.anonymous_to_login:
        assert "/login/" in response["Location"]
