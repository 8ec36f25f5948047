"""文书 pages: thin views over cases.scope and cases.documents (the API: cases.api.document_api).

Reading a case's documents needs Right.READ_CASE; recording a service needs Right.INVESTIGATE (the
inspectors assigned to the case). A case out of scope answers 404, a document of another case too.
Documents are issued by the flows' steps (cases.documents.document_issue), not by an endpoint.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .. import scope
from ..documents import document_pdf_bytes, documents_for
from ..documents.complaint_notices import complaint_documents
from ..models import Document
from .downloads import file_missing_page, missing_document


def document_for_user(user, case_no: str, doc_id: int, right: scope.Right = scope.Right.READ_CASE) -> Document:
    """The document of a case in the user's scope (404 otherwise, a document of another case too)."""
    case = scope.case_for_user(user, case_no, right)
    return get_object_or_404(documents_for(case), pk=doc_id)


def complaint_document_for_user(user, receipt_no: str, doc_id: int) -> Document:
    """A complaint's own document (its 受理通知书 / 不予受理告知书) for staff who may read the complaint
    (Right.READ_COMPLAINT: out of scope 404, without the right 403); another complaint's document: 404."""
    complaint = scope.complaint_for_user(user, receipt_no)
    return get_object_or_404(complaint_documents(complaint), pk=doc_id)


def pdf_response(document: Document) -> HttpResponse:
    """The stored PDF opened in the browser (inline), named after its 文号 when saved (RFC 6266 / RFC 5987)."""
    try:
        content = document_pdf_bytes(document)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, ValueError):  # ValueError: no file name
        raise missing_document(document)
    response = HttpResponse(content, content_type="application/pdf")
    owner = document.case.case_no if document.case else document.complaint.receipt_no if document.complaint else ""
    fallback = f"{owner}-{document.kind}-{document.year}-{document.serial}.pdf"
    response["Content-Disposition"] = (
        f"inline; filename=\"{fallback}\"; filename*=UTF-8''{quote(document.number + '.pdf', safe='')}"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Document-SHA256"] = document.sha256
    return response


@require_GET
@login_required
@file_missing_page
def document_pdf(request, case_no: str, doc_id: int):
    return pdf_response(document_for_user(request.user, case_no, doc_id))


@require_GET
@login_required
def complaint_document_pdf(request, receipt_no: str, doc_id: int):
    return pdf_response(complaint_document_for_user(request.user, receipt_no, doc_id))
