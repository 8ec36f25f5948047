"""Every URL and API endpoint × each role × province / city / county × in / out of scope.

SPEC §2: out of scope → 404; in scope without the right → 403. A URL that exists
without an entry in MATRIX fails test_every_url_has_an_entry, so new pages must
extend this table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cases.models import Role
from tests import world

READERS = {Role.CLERK, Role.INSPECTOR, Role.LEGAL, Role.LEADER, Role.AUDITOR}

# The case each (role, level) must see, and one it must not.
IN_SCOPE = {
    # own-region roles see their own office's cases; leaders and auditors also those below
    ("own", "county"): "360302",
    ("own", "city"): "360300",
    ("own", "province"): "360000",
    ("subtree", "county"): "360302",
    ("subtree", "city"): "360302",
    ("subtree", "province"): "360302",
}
OUT_OF_SCOPE = {"county": "360313", "city": "360102", "province": "430102"}


def _kind(role: str) -> str:
    return "subtree" if role in {Role.LEADER, Role.AUDITOR} else "own"


@dataclass
class Entry:
    url: Callable[[str | None], str]  # case_no (or None) -> path
    expect: Callable[[str, bool], int]  # (role, in_scope) -> status
    method: str = "get"
    scoped: bool = True  # False: the page has no object, in/out of scope is moot
    anonymous: int | tuple = 302  # what a visitor who is not logged in gets (302 = to the login page)


def _reader_page(role: str, in_scope: bool) -> int:
    if role not in READERS:
        return 404  # the administrator sees no case data: a case is out of its scope
    return 200 if in_scope else 404


def _reader_list(role: str, _in_scope: bool) -> int:
    return 200 if role in READERS else 403


def _any_staff(_role: str, _in_scope: bool) -> int:
    return 200


MATRIX: dict[str, Entry] = {
    "home": Entry(lambda c: reverse("home"), lambda r, s: 302, scoped=False),
    "cases:index": Entry(lambda c: reverse("cases:index"), _reader_list, scoped=False),
    "cases:detail": Entry(lambda c: reverse("cases:detail", args=[c]), _reader_page),
    "cases:timeline": Entry(lambda c: reverse("cases:timeline", args=[c]), _reader_page),
    "api-case-list": Entry(lambda c: reverse("api-case-list"), _reader_list, scoped=False, anonymous=(401, 403)),
    "api-case-detail": Entry(lambda c: reverse("api-case-detail", args=[c]), _reader_page, anonymous=(401, 403)),
    "api-case-timeline": Entry(lambda c: reverse("api-case-timeline", args=[c]), _reader_page, anonymous=(401, 403)),
    # The API has public endpoints (complaints, published lists): its schema and docs are public.
    "api-schema": Entry(lambda c: reverse("api-schema"), _any_staff, scoped=False, anonymous=200),
    "api-docs": Entry(lambda c: reverse("api-docs"), _any_staff, scoped=False, anonymous=200),
    "login": Entry(lambda c: reverse("login"), _any_staff, scoped=False, anonymous=200),
    "logout": Entry(lambda c: reverse("logout"), lambda r, s: 302, method="post", scoped=False),
    "password_change": Entry(lambda c: reverse("password_change"), _any_staff, scoped=False),
    "password_change_done": Entry(lambda c: reverse("password_change_done"), _any_staff, scoped=False),
    "password_reset": Entry(lambda c: reverse("password_reset"), _any_staff, scoped=False, anonymous=200),
    "password_reset_done": Entry(lambda c: reverse("password_reset_done"), _any_staff, scoped=False, anonymous=200),
    "password_reset_confirm": Entry(
        lambda c: reverse("password_reset_confirm", args=["MQ", "set-password"]),
        _any_staff,
        scoped=False,
        anonymous=200,
    ),
    "password_reset_complete": Entry(
        lambda c: reverse("password_reset_complete"), _any_staff, scoped=False, anonymous=200
    ),
    "set_language": Entry(
        lambda c: reverse("set_language"), lambda r, s: 302, method="post", scoped=False, anonymous=302
    ),
    # The Django admin: only the administrator role is staff; everyone else is sent to the admin login.
    "admin:index": Entry(lambda c: reverse("admin:index"), lambda r, s: 200 if r == Role.ADMIN else 302, scoped=False),
}
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
        client.force_login(world.user(role, code))
        scopes = [True, False] if entry.scoped else [True]
        for in_scope in scopes:
            target = IN_SCOPE[(_kind(role), level)] if in_scope else OUT_OF_SCOPE[level]
            case = world.case_in(target)
            url = entry.url(case.case_no)
            response = getattr(client, entry.method)(url)
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
    response = getattr(client, entry.method)(entry.url(world.case_in("360302").case_no))
    expected = entry.anonymous if isinstance(entry.anonymous, tuple) else (entry.anonymous,)
    assert response.status_code in expected
    if response.status_code == 302 and entry.method == "get":
        assert "/login/" in response["Location"]
