"""Permission matrix: 文书 (documents). Reading a case's documents: every reader role in scope (200),
404 out of scope and for the administrator. Recording a service: the case's assigned inspector (201),
other roles in scope 403, out of scope 404."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Document
from tests import world
from tests.matrix import Entry, Target, assigned_case_target, inspector_acts, reader_page

# Issued a month back, served a minute before this module was imported: always in order, never in the future.
SERVED_AT = (timezone.now() - timedelta(minutes=1)).isoformat()


def _issue(case: Case) -> Document:
    from cases.documents import document_issue
    from cases.services import staff_create

    code = case.region.code
    leader = staff_create(username=world.username("leader", code), region=case.region, role="leader")
    return document_issue(
        case=case,
        kind=Document.Kind.ORDER_TO_PAY,
        actor=leader,
        role="leader",
        data={"due_date": (timezone.localdate() + timedelta(days=15)).isoformat()},
        at=timezone.now() - timedelta(days=30),
    )


def document_target(code: str) -> Target:
    """A fresh case at `code` with one document issued on it."""
    case = world.make_case(code)
    _issue(case)
    return Target(case_no=case.case_no, receipt_no=case.complaints.first().receipt_no)


def assigned_document_target(code: str) -> Target:
    """A fresh case at `code`, assigned to that office's inspector, with one document issued on it."""
    target = assigned_case_target(code)
    _issue(Case.objects.get(case_no=target.case_no))
    return target


def _doc_id(target: Target) -> int:
    return Document.objects.filter(case__case_no=target.case_no).order_by("-pk").values_list("pk", flat=True)[0]


ENTRIES: dict[str, Entry] = {
    "cases:document-pdf": Entry(
        lambda t: reverse("cases:document-pdf", args=[t.case_no, _doc_id(t)]), reader_page, prepare=document_target
    ),
    "api-case-documents": Entry(
        lambda t: reverse("api-case-documents", args=[t.case_no]),
        reader_page,
        prepare=document_target,
        anonymous=(401, 403),
    ),
    "api-case-document-pdf": Entry(
        lambda t: reverse("api-case-document-pdf", args=[t.case_no, _doc_id(t)]),
        reader_page,
        prepare=document_target,
        anonymous=(401, 403),
    ),
    "api-document-services": Entry(
        lambda t: reverse("api-document-services", args=[t.case_no, _doc_id(t)]),
        inspector_acts(201),
        method="post",
        prepare=assigned_document_target,
        data={"method": "direct", "served_at": SERVED_AT, "recipient": "法定代表人"},
        anonymous=(401, 403),
    ),
}
