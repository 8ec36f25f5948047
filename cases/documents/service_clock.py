"""送达期限 (domain-rules §2 row 10; APL arts 61, 85): a decision is served within 7 working days of its issue.

Each kind of document that must be served has its own clock kind ("service.<kind>"), started when the
document is issued (document_issue) and closed by its first service (document_serve): on time → met,
late → closed late; one not served in time is overdue on the case page like any other clock."""

from __future__ import annotations

from datetime import datetime

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from ..deadlines import Rule, deadline_close, deadline_start, rules_register
from ..models import Deadline, Document
from .kinds import APL, K

SERVICE_WD = 7  # row 10: APL art 61 (7 days), counted in working days (APL art 85)
SERVICE_BASIS = f"{APL}第六十一条、第八十五条"
SERVED_KINDS = (
    K.ORDER_TO_CORRECT,
    K.ORDER_TO_PAY,
    K.HANDLING_DECISION,
    K.PENALTY_DECISION,
    K.COMPENSATION_ORDER,
    K.LISTING_NOTICE,
    K.LISTING_DECISION,
    K.DEMAND_NOTICE,
)
OPEN = [Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.OVERDUE]


def service_kind(kind: str) -> str:
    return f"service.{kind}"


rules_register(
    {
        service_kind(kind): Rule(
            format_lazy(gettext_lazy("{document}送达期限"), document=K(kind).label),
            SERVICE_WD,
            Deadline.Unit.WORKING_DAYS,
            SERVICE_BASIS,
            "document.issued",
            2,
        )
        for kind in SERVED_KINDS
    }
)


def service_clock_start(document: Document) -> Deadline | None:
    """The 7-working-day clock of a document that must be served (in document_issue's transaction)."""
    if document.kind not in SERVED_KINDS or document.case is None:  # a complaint's notice has no service clock
        return None
    return deadline_start(
        kind=service_kind(document.kind), region=document.case.region, start_at=document.issued_at, case=document.case
    )


def service_clock_close(document: Document, *, served_at: datetime) -> None:
    """The first service of the document closes its clock (met if served by the due time)."""
    if document.case_id is None:
        return
    deadline = (
        Deadline.objects.filter(case_id=document.case_id, kind=service_kind(document.kind), state__in=OPEN)
        .order_by("id")
        .first()
    )
    if deadline is not None:
        deadline_close(deadline=deadline, at=served_at)
