"""What the public status page tells a complainant (issue 13 item 10): each stage they may know, and nothing
about any other party.

- received; accepted (with the case number and its filing date) or refused (with the reason);
- an order issued (责令限期支付 / 责令改正 / a penalty decision ordering payment) with its due date — from then
  on the page never says "调查中";
- the amount recovered so far for this complaint's workers: the ledger entries of the complainant (the same
  party, or the same resident ID number); when the complaint is the only one of its case, the whole case's
  ledger is its workers';
- closed, with the outcome (the closure code as people read it).

The complaint's own documents (受理通知书 / 不予受理告知书) are listed for download with the same receipt
number and phone digits that opened the page.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from .documents.complaint_notices import complaint_documents
from .models import ArrearsEntry, Case, Complaint, Document
from .timeline.labels import event_label
from .values import yuan

PUBLIC_EVENT_KINDS = [
    "complaint.received",
    "complaint.accepted",
    "complaint.refused",
    "complaint.supplement_requested",
    "complaint.supplemented",
    "complaint.transferred",
    "complaint.jurisdiction_designated",
]
ORDER_KINDS = [
    Document.Kind.HANDLING_DECISION,
    Document.Kind.ORDER_TO_PAY,
    Document.Kind.ORDER_TO_CORRECT,
    Document.Kind.PENALTY_DECISION,
]
# Upper layers add the stages of their own work on a complaint (the arbitration and legal-aid referrals): each
# provider gets the complaint and returns its stages (dicts made by `stage`), only this complainant's facts.
StageProvider = Callable[[Complaint], list[dict]]
stage_providers: list[StageProvider] = []


def stage_provider_register(provider: StageProvider) -> None:
    if provider not in stage_providers:
        stage_providers.append(provider)


ENDED = (Case.Status.CLOSED, Case.Status.WITHDRAWN)
# the complaint's own acceptance: a complaint grouped onto a case at receipt is not accepted until decided
ACCEPTED = (Complaint.Status.ACCEPTED, Complaint.Status.INVESTIGATING, Complaint.Status.CLOSED)


def recovered_for(complaint: Complaint, case: Case) -> Decimal | None:
    """What has been paid so far to this complaint's workers (None: nothing on the ledger says)."""
    entries = ArrearsEntry.objects.filter(case=case)
    party = complaint.complainant
    same = Q(worker_id=party.pk)
    if party.id_number_index:
        same |= Q(worker__id_number_index=party.id_number_index)
    mine = entries.filter(same)
    if not mine.exists():
        counted = case.complaints.exclude(status=Complaint.Status.REFUSED).count()
        if counted != 1 or not entries.exists():
            return None
        mine = entries  # the only complaint of its case: the case's workers are its workers
    return yuan(mine.aggregate(paid=Sum("amount_paid"))["paid"])


def _stage(key: str, label: str, at=None, detail: str = "") -> dict:
    return {"stage": key, "label": label, "at": at, "detail": detail}


stage = _stage  # for the stage providers of upper layers


def complaint_public_status(complaint: Complaint) -> dict:
    """The status page's facts (see the module's doc). `status_display` is the stage as the complainant
    reads it."""
    deadline = complaint.deadlines.filter(kind="intake.acceptance").order_by("-id").first()
    history = [
        {"at": e.at, "kind": e.kind, "label": event_label(e.kind)}
        for e in complaint.events.filter(kind__in=PUBLIC_EVENT_KINDS).order_by("seq")
    ]
    case = complaint.case if complaint.case_id and complaint.status in ACCEPTED else None
    stages = [_stage("received", _("已收到投诉"), complaint.received_at)]
    display = complaint.get_status_display()
    order_due = recovered = None
    outcome = ""
    if complaint.status == Complaint.Status.REFUSED:
        stages.append(_stage("refused", _("不予受理"), complaint.decided_at, complaint.decision_reason))
    if case is not None:
        stages.append(
            _stage("accepted", _("已受理并立案"), case.filed_at, _("案件编号：%(no)s") % {"no": case.case_no})
        )
        display = _("已受理")
        if case.status in (Case.Status.INVESTIGATING, Case.Status.DECIDING):
            display = _("调查中")
        elif case.status == Case.Status.SUSPENDED:
            display = _("中止调查")
        order = Document.objects.filter(case=case, kind__in=ORDER_KINDS).order_by("issued_at", "id").first()
        if order is not None and case.order_due:
            order_due = case.order_due
            stages.append(
                _stage(
                    "order_issued",
                    _("已责令用人单位限期履行"),
                    order.issued_at,
                    _("履行期限：%(due)s") % {"due": order_due.isoformat()},
                )
            )
            display = _("已责令限期履行")
        recovered = recovered_for(complaint, case)
        if case.status in ENDED or complaint.status == Complaint.Status.CLOSED:
            outcome = case.get_closure_code_display() if case.closure_code else ""
            stages.append(_stage("closed", _("已办结"), case.closed_at, outcome))
            display = _("已办结")
    for provider in stage_providers:
        stages.extend(provider(complaint))
    return {
        "receipt_no": complaint.receipt_no,
        "status": complaint.status,
        "status_display": display,
        "region_code": complaint.region.code,
        "region_name": complaint.region.name,
        "received_at": complaint.received_at,
        "accept_due": deadline.due_at if deadline else None,
        "case_no": case.case_no if case is not None else None,
        "reason": complaint.decision_reason if complaint.status in ("refused", "supplement_requested") else "",
        "stages": stages,
        "order_due": order_due,
        "amount_recovered": recovered,
        "outcome": outcome,
        "documents": [
            {"id": d.pk, "number": d.number, "title": d.title, "issued_at": d.issued_at}
            for d in complaint_documents(complaint)
        ],
        "history": history,
    }
