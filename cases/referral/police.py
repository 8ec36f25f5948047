"""涉嫌犯罪移送 outside the office: the transfer to the police (24 hours), their decision (3 days, R310 art 8),
the handover of materials (3 days, art 12) and the outcome; or reconsideration (3 + 3 days, art 9) and a
proposal of 立案监督 to the procuratorate (3 days). The administrative case goes on meanwhile: nothing here
changes `case.status` (R310 art 11: a penalty does not replace a transfer)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..actors import Actor
from ..deadlines import deadline_start
from ..documents import police_name, procuratorate_name
from ..models import Referral, Role
from ..tx import one_transaction
from ..values import required_text
from .rules import HANDOVER, POLICE_DECIDE, POLICE_RECONSIDER, PROCURATORATE_REQUEST, RECONSIDER_REQUEST, TRANSFER, S
from .steps import clock_close, occurred_at, step


@one_transaction
def referral_transfer(
    *,
    referral: Referral,
    actor: Actor,
    police: str = "",
    procuratorate: str = "",
    transferred_at: datetime | None = None,
    note: str = "",
) -> Referral:
    """Transferred to the police at the office's level, a copy to the procuratorate (R310 art 5; SPP2006 §1).

    The police then have 3 days to decide whether to file (R310 art 8)."""
    with step(referral, expect=[S.TRANSFER], event="referral.transferred", actor=actor, role=Role.INSPECTOR) as change:
        case = referral.case
        at = occurred_at(transferred_at, "transferred_at", not_before=referral.approved_at)
        police = (police or "").strip()[:100] or police_name(case.region)
        procuratorate = (procuratorate or "").strip()[:100] or procuratorate_name(case.region)
        clock_close(case, TRANSFER, at)
        clock = deadline_start(kind=POLICE_DECIDE, region=case.region, start_at=at, case=case)
        change.to(S.TRANSFERRED, police=police, procuratorate=procuratorate, transferred_at=at)
        change.data.update(
            {
                "police": police,
                "procuratorate": procuratorate,
                "copy_to_procuratorate": True,
                "transferred_at": at,
                "package": referral.package.number if referral.package else None,
                "police_due": clock.due_at,
                "note": (note or "").strip(),
            }
        )
    return referral


@one_transaction
def referral_police_decision(
    *,
    referral: Referral,
    actor: Actor,
    filed: bool,
    decided_at: datetime | None = None,
    note: str = "",
    role: str = Role.INSPECTOR,
) -> Referral:
    """The police's decision (立案 / 不予立案), recorded by the inspector (for police outside the system) or by
    the police user itself (`role` "police", jointmeeting.police); the next 3-day clock starts."""
    with step(referral, expect=[S.TRANSFERRED], event="referral.police_decided", actor=actor, role=role) as change:
        case = referral.case
        at = occurred_at(decided_at, "decided_at", not_before=referral.transferred_at)
        clock_close(case, POLICE_DECIDE, at)
        kind = HANDOVER if filed else RECONSIDER_REQUEST
        clock = deadline_start(kind=kind, region=case.region, start_at=at, case=case)
        decision = "filed" if filed else "not_filed"
        change.to(S.FILED if filed else S.NOT_FILED, police_decision=decision, police_decided_at=at)
        change.data.update({"decision": decision, "decided_at": at, "next_due": clock.due_at, "note": note.strip()})
    return referral


@one_transaction
def referral_handover(
    *, referral: Referral, actor: Actor, materials: str, handed_over_at: datetime | None = None, recipient: str = ""
) -> Referral:
    """Police filed the case: the materials are handed over within 3 days of the filing notice (R310 art 12)."""
    materials = required_text(materials, field="materials", label=_("移交材料清单"))
    with step(
        referral, expect=[S.FILED], event="referral.materials_handed_over", actor=actor, role=Role.INSPECTOR
    ) as change:
        at = occurred_at(handed_over_at, "handed_over_at", not_before=referral.police_decided_at)
        clock_close(referral.case, HANDOVER, at)
        change.to(S.HANDED_OVER)
        change.data.update({"materials": materials, "handed_over_at": at, "recipient": (recipient or "").strip()})
    return referral


@one_transaction
def referral_outcome(*, referral: Referral, actor: Actor, prosecution: str, judgment: str) -> Referral:
    """The prosecution and the court's outcome, as the office learns them: the referral concludes."""
    prosecution = required_text(prosecution, field="prosecution", label=_("起诉情况"))
    judgment = required_text(judgment, field="judgment", label=_("审判结果"))
    with step(
        referral, expect=[S.HANDED_OVER], event="referral.outcome_recorded", actor=actor, role=Role.INSPECTOR
    ) as change:
        change.to(S.CONCLUDED, outcome=_("起诉情况：%(p)s；审判结果：%(j)s") % {"p": prosecution, "j": judgment})
        change.data.update({"prosecution": prosecution, "judgment": judgment})
    return referral


@one_transaction
def referral_reconsideration_request(
    *, referral: Referral, actor: Actor, requested: bool, reason: str, requested_at: datetime | None = None
) -> Referral:
    """Not filed: ask the police to reconsider within 3 days (R310 art 9; they answer in 3), or accept the decision
    (the referral concludes and the administrative case goes on, R310 art 10)."""
    reason = required_text(reason, field="reason", label=_("理由"))
    event = "referral.reconsideration_requested" if requested else "referral.reconsideration_waived"
    with step(referral, expect=[S.NOT_FILED], event=event, actor=actor, role=Role.INSPECTOR) as change:
        if referral.police_decision != "not_filed":
            raise ValidationError({"status": _("公安机关已作出复议决定，不能再次提请复议。")})
        case = referral.case
        at = occurred_at(requested_at, "requested_at", not_before=referral.police_decided_at)
        clock_close(case, RECONSIDER_REQUEST, at)
        change.data.update({"requested": requested, "reason": reason, "requested_at": at})
        if requested:
            clock = deadline_start(kind=POLICE_RECONSIDER, region=case.region, start_at=at, case=case)
            change.to(S.RECONSIDERATION)
            change.data["answer_due"] = clock.due_at
        else:
            change.to(S.CONCLUDED, outcome=_("公安机关不予立案，本局未提请复议：%(r)s") % {"r": reason})
    return referral


@one_transaction
def referral_reconsideration_answer(
    *,
    referral: Referral,
    actor: Actor,
    filed: bool,
    answered_at: datetime | None = None,
    note: str = "",
    role: str = Role.INSPECTOR,
) -> Referral:
    """The police's reconsideration decision: filed → hand over (3 days); upheld → 3 days to ask the procuratorate.
    Recorded by the inspector or by the police user itself (`role` "police")."""
    with step(
        referral, expect=[S.RECONSIDERATION], event="referral.reconsideration_answered", actor=actor, role=role
    ) as change:
        case = referral.case
        at = occurred_at(answered_at, "answered_at", not_before=referral.police_decided_at)
        clock_close(case, POLICE_RECONSIDER, at)
        kind = HANDOVER if filed else PROCURATORATE_REQUEST
        clock = deadline_start(kind=kind, region=case.region, start_at=at, case=case)
        decision = "filed" if filed else "upheld"
        change.to(S.FILED if filed else S.NOT_FILED, police_decision=decision, police_decided_at=at)
        change.data.update({"decision": decision, "answered_at": at, "next_due": clock.due_at, "note": note.strip()})
    return referral


@one_transaction
def referral_procuratorate_request(
    *, referral: Referral, actor: Actor, requested: bool, reason: str, requested_at: datetime | None = None
) -> Referral:
    """Still refused: propose 立案监督 to the procuratorate within 3 days (R310 art 9), or not; the referral ends."""
    reason = required_text(reason, field="reason", label=_("理由"))
    event = "referral.supervision_requested" if requested else "referral.supervision_waived"
    with step(referral, expect=[S.NOT_FILED], event=event, actor=actor, role=Role.INSPECTOR) as change:
        if referral.police_decision != "upheld":
            raise ValidationError({"status": _("须先提请公安机关复议。")})
        at = occurred_at(requested_at, "requested_at", not_before=referral.police_decided_at)
        clock_close(referral.case, PROCURATORATE_REQUEST, at)
        procuratorate = referral.procuratorate or procuratorate_name(referral.case.region)
        if requested:
            outcome = _("公安机关复议维持不予立案，已建议%(p)s立案监督：%(r)s") % {"p": procuratorate, "r": reason}
            change.to(S.SUPERVISION_REQUESTED, outcome=outcome)
        else:
            outcome = _("公安机关复议维持不予立案，本局未建议检察院立案监督：%(r)s") % {"r": reason}
            change.to(S.CONCLUDED, outcome=outcome)
        change.data.update(
            {"requested": requested, "procuratorate": procuratorate, "reason": reason, "requested_at": at}
        )
    return referral
