"""Fact-finding (调查核实), the decision (问责决定) and its notice (送达) by the deciding office."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import timeline
from cases.documents import document_issue, document_serve, office_name
from cases.models import Document, Role, ServiceRecord
from cases.transitions import expect_status, lock
from cases.tx import one_transaction
from cases.values import in_office_language, required_text

from ..models import Accountability

M = Accountability.Measure


def _locked_in(accountability: Accountability, status: str, message: str) -> None:
    """The kernel's first moves (cases.transitions): lock, re-read, check the status."""
    lock(accountability)
    expect_status(accountability, [status], error_field=NON_FIELD_ERRORS, message=message)


def _subject(accountability: Accountability):
    """Whose timeline records it: the case, or — an office held to account as a whole (a grade C in the yearly
    assessment) — the office itself."""
    return accountability.case if accountability.case_id is not None else accountability.region


def _changed(accountability: Accountability, event: str, *, actor, data: dict, **fields) -> None:
    """The kernel's last moves: save the changed fields, record the one event — in the deciding office's name
    (`region_code`: the accountability is the superior level's act on the case of the office below)."""
    for name, value in fields.items():
        setattr(accountability, name, value)
    accountability.save(update_fields=list(fields))
    timeline.record(
        _subject(accountability),
        event,
        actor=actor,
        role=Role.LEADER,
        region_code=accountability.deciding_region.code,
        data={"accountability": accountability.pk, **data},
    )


@one_transaction
def accountability_facts_record(*, accountability: Accountability, actor, facts: str) -> Accountability:
    """调查核实 by the deciding office's leader."""
    facts = required_text(facts, field="facts", label=_("核实情况"))
    _locked_in(accountability, Accountability.Status.OPEN, _("该问责当前不在调查核实阶段。"))
    _changed(
        accountability,
        "accountability.facts_found",
        actor=actor,
        data={"facts": facts},
        facts=facts,
        status=Accountability.Status.DECISION,
    )
    return accountability


@one_transaction
def accountability_decide(*, accountability: Accountability, actor, measure: str, reason: str) -> Document | None:
    """The superior level's leader decides; the ACCOUNTABILITY_DECISION is issued in the deciding office's name."""
    if measure not in M.values:
        raise ValidationError({"measure": _("请选择问责方式。")})
    reason = required_text(reason, field="reason", label=_("决定理由"))
    _locked_in(accountability, Accountability.Status.DECISION, _("该问责当前不在待决定阶段。"))
    now = timezone.now()
    if accountability.case_id is None:
        # an office held to account as a whole: no case to file a document in; the decision is the event
        _changed(
            accountability,
            "accountability.decided",
            actor=actor,
            data={"measure": measure, "reason": reason},
            measure=measure,
            status=Accountability.Status.DECIDED,
            decided_at=now,
        )
        return None
    label = in_office_language(lambda: str(M(measure).label))
    document = in_office_language(
        lambda: document_issue(
            case=accountability.case,
            kind=Document.Kind.ACCOUNTABILITY_DECISION,
            actor=actor,
            role=Role.LEADER,
            office=accountability.deciding_region,
            data={
                "addressee": office_name(accountability.region),
                "measure": label,
                "reason": "。".join(t.rstrip("。") for t in (accountability.facts, reason)) + "。",
            },
            at=now,
        )
    )
    _changed(
        accountability,
        "accountability.decided",
        actor=actor,
        data={"measure": measure, "reason": reason, "document": document.number},
        measure=measure,
        decision=document,
        status=Accountability.Status.DECIDED,
        decided_at=now,
    )
    return document


@one_transaction
def accountability_notice_record(
    *, accountability: Accountability, actor, method: str, served_at: datetime, recipient: str
) -> ServiceRecord | None:
    """The decision's notice to the office held to account (送达): one "document.served" event; for an office
    held to account as a whole (no case, no decision document) one "accountability.notified" event."""
    if accountability.case_id is None and accountability.status == Accountability.Status.DECIDED:
        recipient = required_text(recipient, field="recipient", label=_("受送达人"))
        timeline.record(
            accountability.region,
            "accountability.notified",
            actor=actor,
            role=Role.LEADER,
            region_code=accountability.deciding_region.code,
            data={"accountability": accountability.pk, "method": method, "served_at": served_at,
                  "recipient": recipient},
        )  # fmt: skip
        return None
    if accountability.decision_id is None:
        raise ValidationError(_("尚未作出问责决定。"))
    return document_serve(
        document=accountability.decision,
        method=method,
        served_at=served_at,
        recipient=recipient,
        actor=actor,
        role=Role.LEADER,
    )
