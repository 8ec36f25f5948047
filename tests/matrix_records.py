"""Permission matrix: employer and person records (issue 13, item 12). Reading an employer or a worker:
every reader role through a case in scope (200), 404 out of scope and for the administrator. Correcting an
employer and replacing a case's employer: the handling office's clerk or a leader covering the case (200),
other roles in scope 403. Merging a person record: a leader (here 400: no such duplicate), others 403."""

from __future__ import annotations

import itertools

from django.urls import reverse

from cases.models import Case, Role
from tests import factories, world
from tests.matrix import Entry, Target, reader_page

_serial = itertools.count(1)


def employer_target(code: str) -> Target:
    """A fresh case at `code` of an employer of its own."""
    case = world.make_case(code, employer=f"矩阵记录测试单位{next(_serial)}")
    return Target(case_no=case.case_no, receipt_no=case.complaints.first().receipt_no)


def person_target(code: str) -> Target:
    """A fresh case at `code` whose complainant is a person of its own (a resident ID no other case has)."""
    from cases.services import case_file, complaint_receive

    n = next(_serial)
    region = world.region(code)
    complaint = complaint_receive(
        actor=None, channel="web", region=region,
        complainant={"name": "矩阵劳动者", "id_number": factories.person_id(n, prefix="36030219850101"),
                     "phone": factories.mobile(70000 + n)},
        employer={"name": f"矩阵劳动者单位{n}"}, project={"name": f"矩阵劳动者项目{n}"},
        workers_count=1, amount_owed="1000.00", period_start="2026-05-01", period_end="2026-10-31",
        description="权限矩阵",
    )  # fmt: skip
    case = case_file(actor=None, role="", region=region, complaints=[complaint])
    return Target(case_no=case.case_no, receipt_no=complaint.receipt_no)


def _employer_id(t: Target) -> int:
    return Case.objects.get(case_no=t.case_no).employer_id


def _party_id(t: Target) -> int:
    return Case.objects.get(case_no=t.case_no).complaints.get().complainant_id


def corrector(role: str, in_scope: bool) -> int:
    if role == Role.ADMIN or not in_scope:
        return 404
    return 200 if role in (Role.CLERK, Role.LEADER) else 403


def merger(role: str, in_scope: bool) -> int:
    if role == Role.ADMIN or not in_scope:
        return 404
    return 400 if role == Role.LEADER else 403


ENTRIES: dict[str, Entry] = {
    "accountability-staff:employer": Entry(
        lambda t: reverse("accountability-staff:employer", args=[_employer_id(t)]), reader_page, prepare=employer_target
    ),
    "api-employer-detail": Entry(
        lambda t: reverse("api-employer-detail", args=[_employer_id(t)]),
        reader_page,
        prepare=employer_target,
        anonymous=(401, 403),
    ),
    "api-employer-correct": Entry(
        lambda t: reverse("api-employer-correct", args=[_employer_id(t)]),
        corrector,
        method="post",
        prepare=employer_target,
        data={"legal_representative": "矩阵法代", "reason": "核对营业执照"},
        anonymous=(401, 403),
    ),
    "api-case-employer": Entry(
        lambda t: reverse("api-case-employer", args=[t.case_no]),
        corrector,
        method="post",
        prepare=employer_target,
        data={"name": "矩阵实际用工单位", "reason": "核对营业执照"},
        anonymous=(401, 403),
    ),
    "cases:worker": Entry(lambda t: reverse("cases:worker", args=[_party_id(t)]), reader_page, prepare=person_target),
    "api-person-detail": Entry(
        lambda t: reverse("api-person-detail", args=[_party_id(t)]),
        reader_page,
        prepare=person_target,
        anonymous=(401, 403),
    ),
    "api-person-merge": Entry(
        lambda t: reverse("api-person-merge", args=[_party_id(t)]),
        merger,
        method="post",
        prepare=person_target,
        data={"duplicate": "0", "reason": "重复记录"},
        anonymous=(401, 403),
    ),
}
