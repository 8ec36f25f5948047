"""Permission matrix: case flags and a complaint's own documents (issue 13 items 10, 11).

- Case flags (POST): the case's assigned inspector and the leaders of its office and of the offices above it
  (302 on the page, 200 in the API); other roles in scope 403; out of scope and the administrator 404.
- A complaint's notices (受理通知书 / 不予受理告知书): the complaint's readers (clerk, leader, auditor) 200;
  inspectors and legal reviewers in scope 403; out of scope and the administrator 404.
- The public notice download without the receipt credentials: 404 for everyone.
"""

from __future__ import annotations

from django.urls import reverse

from cases.models import Document, Role
from tests import world
from tests.matrix import Entry, Target, assigned_case_target, complaint_page


def flag_acts(ok: int):
    def expect(role: str, in_scope: bool) -> int:
        if role == Role.ADMIN or not in_scope:
            return 404
        return ok if role in (Role.INSPECTOR, Role.LEADER) else 403

    return expect


def refused_complaint_target(code: str) -> Target:
    """A fresh complaint at `code`, refused by that office's clerk: it has its 不予受理告知书."""
    from cases.acceptance import complaint_refuse
    from cases.services import staff_create
    from tests.factories import complaint_received

    complaint = complaint_received(code)
    clerk = staff_create(username=world.username("clerk", code), region=world.region(code), role="clerk")
    complaint_refuse(complaint=complaint, actor=clerk, reason="不属于劳动保障监察管辖范围")
    return Target(receipt_no=complaint.receipt_no)


def _doc_id(target: Target) -> int:
    return Document.objects.filter(complaint__receipt_no=target.receipt_no).values_list("pk", flat=True)[0]


FLAG = {"flag": "media_reported", "value": "set", "reason": "权限矩阵"}

ENTRIES: dict[str, Entry] = {
    "cases:flags": Entry(
        lambda t: reverse("cases:flags", args=[t.case_no]),
        flag_acts(302),
        method="post",
        prepare=assigned_case_target,
        data=FLAG,
    ),
    "api-case-flags": Entry(
        lambda t: reverse("api-case-flags", args=[t.case_no]),
        flag_acts(200),
        method="post",
        prepare=assigned_case_target,
        data=FLAG,
        anonymous=(401, 403),
    ),
    "complaints:document-pdf": Entry(
        lambda t: reverse("complaints:document-pdf", args=[t.receipt_no, _doc_id(t)]),
        complaint_page,
        prepare=refused_complaint_target,
    ),
    "api-complaint-documents": Entry(
        lambda t: reverse("api-complaint-documents", args=[t.receipt_no]),
        complaint_page,
        prepare=refused_complaint_target,
        anonymous=(401, 403),
    ),
    "api-complaint-document-pdf": Entry(
        lambda t: reverse("api-complaint-document-pdf", args=[t.receipt_no, _doc_id(t)]),
        complaint_page,
        prepare=refused_complaint_target,
        anonymous=(401, 403),
    ),
    "public:status-document": Entry(
        lambda t: reverse("public:status-document", args=[1]), lambda r, s: 404, scoped=False, anonymous=404
    ),
}
