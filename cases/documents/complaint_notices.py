"""The written notices a complainant receives about the acceptance decision (issue 13 item 10):
受理通知书 when the complaint is accepted, 不予受理告知书 when it is refused (D25 art 18, domain-rules §2
rows 1–3). A document of the complaint (Document.complaint), numbered by the office like every other
document (one sequence per office, year and kind), downloadable by staff in scope and by the complainant
from the public status page with the receipt number and the phone's last four digits.

The notice speaks of the complaint's own claim (its employer, project, workers and amount), not of the
case it joined: the case may group other complainants' claims.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import timeline
from ..actors import Actor
from ..models import Case, Complaint, Document
from .kinds import K
from .services import document_write

COMPLAINT_KINDS = (K.ACCEPTANCE_NOTICE, K.NON_ACCEPTANCE_NOTICE)


def _claim(complaint: Complaint) -> Case:
    """The complaint's claim in the shape the document texts read (never saved)."""
    return Case(
        case_no=complaint.case.case_no if complaint.case_id and complaint.case else complaint.receipt_no,
        region=complaint.region,
        employer=complaint.employer,
        project=complaint.project,
        filed_at=complaint.decided_at or complaint.received_at,
        workers_count=complaint.workers_count,
        amount_owed=complaint.amount_owed,
        amount_paid=0,
    )


def complaint_document_issue(
    *, complaint: Complaint, kind: str, actor: Actor, role: str, data: dict, at: datetime | None = None
) -> Document:
    """Number, render, store and record the complainant's notice, in the caller's transaction (the
    acceptance service's). A refused complaint's notice must state the reason. The accepted complaint's
    notice belongs to its case too (it is among the case's documents)."""
    if kind not in COMPLAINT_KINDS:
        raise ValidationError({"kind": _("投诉只能制发受理通知书或不予受理告知书。")})
    if kind == K.NON_ACCEPTANCE_NOTICE and not str(data.get("reason", "")).strip():
        raise ValidationError({"reason": _("该文书须载明此项内容。")})
    at = at or timezone.now()
    office = complaint.region
    case = complaint.case if kind == K.ACCEPTANCE_NOTICE else None
    data = timeline.normalise(
        {
            **data,
            "receipt_no": complaint.receipt_no,
            "addressee": complaint.complainant.name,
            **({"case_no": case.case_no} if case is not None else {}),
        }
    )
    document = document_write(
        case=case, complaint=complaint, context_case=_claim(complaint), kind=kind, office=office, data=data, at=at,
        actor=actor,
    )  # fmt: skip
    number, title = document.number, document.title
    timeline.record(
        complaint,
        "document.issued",
        actor=actor,
        role=role,
        data={
            "document_id": document.pk,
            "number": number,
            "kind": kind,
            "title": title,
            "sha256": document.sha256,
            "office": office.code,
            "issued_at": at,
        },
    )
    return document


def complaint_documents(complaint: Complaint) -> QuerySet[Document]:
    """The complaint's own documents (its notices), in the order they were issued."""
    return Document.objects.filter(complaint=complaint).select_related("region").order_by("issued_at", "id")
