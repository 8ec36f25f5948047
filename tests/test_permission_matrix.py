"""Every URL and API endpoint × each role × province / city / county × in / out of scope.

SPEC §2: out of scope → 404; in scope without the right → 403. A URL that exists
without an entry in MATRIX fails test_every_url_has_an_entry, so new pages must
extend this table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

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
class Target:
    case_no: str = ""
    receipt_no: str = ""
    task_id: int = 0


def _case_target(code: str) -> Target:
    case = world.case_in(code)
    return Target(case_no=case.case_no, receipt_no=case.complaints.first().receipt_no)


def _task_target(code: str, *, claimed: bool = False) -> Target:
    """A fresh acceptance task at `code` (optionally claimed by that office's clerk)."""
    from viewflow.workflow.models import Task

    from cases import intake
    from workflows.services import intake_submit, task_assign

    body = {
        "channel": "web",
        "complainant": {"name": "矩阵", "id_number": "34052419800101001X", "phone": "13807990001"},
        "employer": {"name": f"矩阵测试单位{Task.objects.count()}"},
        "region_code": code,
        "workers_count": 1,
        "amount_owed": "100.00",
        "period_start": "2026-05-01",
        "period_end": "2026-10-31",
        "description": "权限矩阵",
    }
    complaint, _ = intake_submit(actor=None, clean=intake.complaint_validate(body), channel="web")
    task = Task.objects.get(process__caseprocess__complaint=complaint, status="NEW")
    if claimed:
        from cases.services import staff_create

        clerk = staff_create(username=world.username("clerk", code), region=world.region(code), role="clerk")
        task_assign(task=task, actor=clerk)
    return Target(receipt_no=complaint.receipt_no, task_id=task.pk)


@dataclass
class Entry:
    url: Callable[[Target], str]
    expect: Callable[[str, bool], int]  # (role, in_scope) -> status
    method: str = "get"
    scoped: bool = True  # False: the page has no object, in/out of scope is moot
    anonymous: int | tuple = 302  # what a visitor who is not logged in gets (302 = to the login page)
    prepare: Callable[[str], Target] = _case_target  # region code -> the object the URL is about
    data: dict | None = None
    anonymous_to_login: bool = True


def _reader_page(role: str, in_scope: bool) -> int:
    if role not in READERS:
        return 404  # the administrator sees no case data: a case is out of its scope
    return 200 if in_scope else 404


def _reader_list(role: str, _in_scope: bool) -> int:
    return 200 if role in READERS else 403


def _any_staff(_role: str, _in_scope: bool) -> int:
    return 200


def _complaint_reader_list(role: str, _in_scope: bool) -> int:
    return 200 if role in COMPLAINT_READERS else 403


def _complaint_page(role: str, in_scope: bool) -> int:
    if role == Role.ADMIN or not in_scope:
        return 404
    return 200 if role in COMPLAINT_READERS else 403


def _clerk_only(role: str, _in_scope: bool) -> int:
    return 200 if role == Role.CLERK else 403


def _clerk_acts(ok: int):
    """An intake task: the office's clerk acts (ok); others in scope 403; out of scope 404."""

    def expect(role: str, in_scope: bool) -> int:
        if role == Role.ADMIN or not in_scope:
            return 404
        return ok if role == Role.CLERK else 403

    return expect


COMPLAINT_READERS = {Role.CLERK, Role.LEADER, Role.AUDITOR}
claimed = partial(_task_target, claimed=True)

MATRIX: dict[str, Entry] = {
    "home": Entry(lambda t: reverse("home"), lambda r, s: 302, scoped=False),
    "cases:index": Entry(lambda t: reverse("cases:index"), _reader_list, scoped=False),
    "cases:detail": Entry(lambda t: reverse("cases:detail", args=[t.case_no]), _reader_page),
    "cases:timeline": Entry(lambda t: reverse("cases:timeline", args=[t.case_no]), _reader_page),
    "api-case-list": Entry(lambda t: reverse("api-case-list"), _reader_list, scoped=False, anonymous=(401, 403)),
    "api-case-detail": Entry(
        lambda t: reverse("api-case-detail", args=[t.case_no]), _reader_page, anonymous=(401, 403)
    ),
    "api-case-timeline": Entry(
        lambda t: reverse("api-case-timeline", args=[t.case_no]), _reader_page, anonymous=(401, 403)
    ),
    # tasks: lists are per user (empty for the administrator); a task answers like its process's region
    "tasks:index": Entry(lambda t: reverse("tasks:index"), lambda r, s: 302, scoped=False, anonymous_to_login=False),
    "tasks:inbox": Entry(lambda t: reverse("tasks:inbox"), _any_staff, scoped=False),
    "tasks:queue": Entry(lambda t: reverse("tasks:queue"), _any_staff, scoped=False),
    "tasks:queue-claim": Entry(lambda t: reverse("tasks:queue-claim"), lambda r, s: 302, method="post", scoped=False),
    "tasks:detail": Entry(lambda t: reverse("tasks:detail", args=[t.task_id]), _reader_page, prepare=_task_target),
    "tasks:assign": Entry(
        lambda t: reverse("tasks:assign", args=[t.task_id]), _clerk_acts(302), method="post", prepare=_task_target
    ),
    "tasks:release": Entry(
        lambda t: reverse("tasks:release", args=[t.task_id]), _clerk_acts(302), method="post", prepare=claimed
    ),
    "tasks:complete": Entry(
        lambda t: reverse("tasks:complete", args=[t.task_id]),
        _clerk_acts(302),
        method="post",
        prepare=claimed,
        data={"decision": "accept"},
    ),
    "api-task-list": Entry(lambda t: reverse("api-task-list"), _any_staff, scoped=False, anonymous=(401, 403)),
    "api-task-detail": Entry(
        lambda t: reverse("api-task-detail", args=[t.task_id]), _reader_page, prepare=_task_target, anonymous=(401, 403)
    ),
    "api-task-assign": Entry(
        lambda t: reverse("api-task-assign", args=[t.task_id]),
        _clerk_acts(200),
        method="post",
        prepare=_task_target,
        anonymous=(401, 403),
    ),
    "api-task-complete": Entry(
        lambda t: reverse("api-task-complete", args=[t.task_id]),
        _clerk_acts(200),
        method="post",
        prepare=claimed,
        data={"decision": "accept"},
        anonymous=(401, 403),
    ),
    # complaints: clerks, leaders and auditors read them; inspectors and legal reviewers do not
    "complaints:index": Entry(lambda t: reverse("complaints:index"), _complaint_reader_list, scoped=False),
    "complaints:detail": Entry(lambda t: reverse("complaints:detail", args=[t.receipt_no]), _complaint_page),
    "complaints:new": Entry(lambda t: reverse("complaints:new"), _clerk_only, scoped=False),
    "complaints:import": Entry(lambda t: reverse("complaints:import"), _clerk_only, scoped=False),
    # public: no login; a status lookup with the wrong phone digits is a 404 for everyone
    "public:complaint": Entry(lambda t: reverse("public:complaint"), _any_staff, scoped=False, anonymous=200),
    "public:status": Entry(lambda t: reverse("public:status"), _any_staff, scoped=False, anonymous=200),
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
    "api-schema": Entry(lambda t: reverse("api-schema"), _any_staff, scoped=False, anonymous=200),
    "api-docs": Entry(lambda t: reverse("api-docs"), _any_staff, scoped=False, anonymous=200),
    "login": Entry(lambda t: reverse("login"), _any_staff, scoped=False, anonymous=200),
    "logout": Entry(lambda t: reverse("logout"), lambda r, s: 302, method="post", scoped=False),
    "password_change": Entry(lambda t: reverse("password_change"), _any_staff, scoped=False),
    "password_change_done": Entry(lambda t: reverse("password_change_done"), _any_staff, scoped=False),
    "password_reset": Entry(lambda t: reverse("password_reset"), _any_staff, scoped=False, anonymous=200),
    "password_reset_done": Entry(lambda t: reverse("password_reset_done"), _any_staff, scoped=False, anonymous=200),
    "password_reset_confirm": Entry(
        lambda t: reverse("password_reset_confirm", args=["MQ", "set-password"]),
        _any_staff,
        scoped=False,
        anonymous=200,
    ),
    "password_reset_complete": Entry(
        lambda t: reverse("password_reset_complete"), _any_staff, scoped=False, anonymous=200
    ),
    "set_language": Entry(
        lambda t: reverse("set_language"), lambda r, s: 302, method="post", scoped=False, anonymous=302
    ),
    # The Django admin: only the administrator role is staff; everyone else is sent to the admin login.
    "admin:index": Entry(lambda t: reverse("admin:index"), lambda r, s: 200 if r == Role.ADMIN else 302, scoped=False),
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
        scopes = [True, False] if entry.scoped else [True]
        for in_scope in scopes:
            target_code = IN_SCOPE[(_kind(role), level)] if in_scope else OUT_OF_SCOPE[level]
            url = entry.url(entry.prepare(target_code) if entry.scoped else _case_target("360302"))
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
    target = entry.prepare("360302") if entry.scoped else _case_target("360302")
    response = getattr(client, entry.method)(entry.url(target), entry.data or {})
    expected = entry.anonymous if isinstance(entry.anonymous, tuple) else (entry.anonymous,)
    assert response.status_code in expected
    if response.status_code == 302 and entry.method == "get" and entry.anonymous_to_login:
        assert "/login/" in response["Location"]
