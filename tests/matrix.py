"""The permission matrix's building blocks: who is tested where, and what each URL expects.

Entries live in tests/test_permission_matrix.py (the core) and in tests/matrix_*.py
modules (one per feature), each defining ENTRIES: dict[url name, Entry].
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

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


def kind(role: str) -> str:
    return "subtree" if role in {Role.LEADER, Role.AUDITOR} else "own"


@dataclass
class Target:
    case_no: str = ""
    receipt_no: str = ""
    task_id: int = 0


def case_target(code: str) -> Target:
    case = world.case_in(code)
    return Target(case_no=case.case_no, receipt_no=case.complaints.first().receipt_no)


def task_target(code: str, *, claimed: bool = False) -> Target:
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
    prepare: Callable[[str], Target] = case_target  # region code -> the object the URL is about
    data: dict | None = None
    anonymous_to_login: bool = True


def reader_page(role: str, in_scope: bool) -> int:
    if role not in READERS:
        return 404  # the administrator sees no case data: a case is out of its scope
    return 200 if in_scope else 404


def reader_list(role: str, _in_scope: bool) -> int:
    return 200 if role in READERS else 403


def any_staff(_role: str, _in_scope: bool) -> int:
    return 200


def complaint_reader_list(role: str, _in_scope: bool) -> int:
    return 200 if role in COMPLAINT_READERS else 403


def complaint_page(role: str, in_scope: bool) -> int:
    if role == Role.ADMIN or not in_scope:
        return 404
    return 200 if role in COMPLAINT_READERS else 403


def clerk_only(role: str, _in_scope: bool) -> int:
    return 200 if role == Role.CLERK else 403


def clerk_acts(ok: int):
    """An intake task: the office's clerk acts (ok); others in scope 403; out of scope 404."""

    def expect(role: str, in_scope: bool) -> int:
        if role == Role.ADMIN or not in_scope:
            return 404
        return ok if role == Role.CLERK else 403

    return expect


COMPLAINT_READERS = {Role.CLERK, Role.LEADER, Role.AUDITOR}
claimed = partial(task_target, claimed=True)


def assigned_case_target(code: str) -> Target:
    """A fresh case at `code` whose investigation is assigned to that office's inspector (and a second one)."""
    from cases.investigation import case_assign_inspectors
    from cases.services import staff_create

    region = world.region(code)
    case = world.make_case(code)
    inspector = staff_create(username=world.username("inspector", code), region=region, role="inspector")
    leader = staff_create(username=world.username("leader", code), region=region, role="leader")
    case_assign_inspectors(
        case=case, inspectors=[inspector, world.second_inspector(code)], actor=leader, conflict_declared=True
    )
    return Target(case_no=case.case_no, receipt_no=case.complaints.first().receipt_no)


def inspector_acts(ok: int):
    """A write on a case: its assigned inspector succeeds (ok); others in scope 403; out of scope 404."""

    def expect(role: str, in_scope: bool) -> int:
        if role == Role.ADMIN or not in_scope:
            return 404
        return ok if role == Role.INSPECTOR else 403

    return expect
