"""Permission matrix: case flags and a complaint's own documents (issue 13 items 10, 11).

- Case flags (POST): the case's assigned inspector and the leaders of its office and of the offices above it
  (302 on the page, 200 in the API); other roles in scope 403; out of scope and the administrator 404.
- A complaint's notices (受理通知书 / 不予受理告知书): the complaint's readers (clerk, leader, auditor) 200;
  inspectors and legal reviewers in scope 403; out of scope and the administrator 404.
- Recording a notice given to complainants without a phone: the case's assigned inspector (302 / 200); other
  roles in scope 403; out of scope and the administrator 404.
- The public notice download without the receipt credentials: 404 for everyone.
"""

from __future__ import annotations

from django.urls import reverse

from cases.models import Document, Role
from tests import world
from tests.matrix import Entry, Target, assigned_case_target, complaint_page, inspector_acts


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


def notice_awaited_target(code: str) -> Target:
    """A fresh case at `code`, assigned to that office's inspector, suspended while its complainant has no phone:
    the notice clock runs until the notice is recorded."""
    from cases.investigation import case_suspend
    from cases.models import Case

    target = assigned_case_target(code)
    case = Case.objects.get(case_no=target.case_no)
    party = case.complaints.get().complainant
    party.phone = ""
    party.save()
    case_suspend(case=case, actor=world.user_by_name(world.username("inspector", code)), reason="下落不明")
    return target


def _doc_id(target: Target) -> int:
    return Document.objects.filter(complaint__receipt_no=target.receipt_no).values_list("pk", flat=True)[0]


FLAG = {"flag": "media_reported", "value": "set", "reason": "权限矩阵"}
NOTICE = {"method": "phone", "note": "电话告知投诉人中止调查"}

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
    "cases:complainant-notices": Entry(
        lambda t: reverse("cases:complainant-notices", args=[t.case_no]),
        inspector_acts(302),
        method="post",
        prepare=notice_awaited_target,
        data=NOTICE,
    ),
    "api-case-complainant-notices": Entry(
        lambda t: reverse("api-case-complainant-notices", args=[t.case_no]),
        inspector_acts(200),
        method="post",
        prepare=notice_awaited_target,
        data=NOTICE,
        anonymous=(401, 403),
    ),
    "public:status-document": Entry(
        lambda t: reverse("public:status-document", args=[1]), lambda r, s: 404, scoped=False, anonymous=404
    ),
}
