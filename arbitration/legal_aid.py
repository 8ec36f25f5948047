"""The legal-aid centre's steps on a referral (《法律援助法》; rules.py has the numbers): decide within the
province's days (7, art 43) — a migrant worker's wage claim needs no means test (art 42), so the decision
checks the claim, not the worker's means; appoint a lawyer within 3 days of deciding (art 43; the lawyer's
name, firm and licence number are staff-only data); record the outcome (mediated, arbitration, litigation,
ended) and the amount recovered. Each a service: one transition, one event on the complaint's or case's
chain, the clocks on the deadline engine, the workers told by SMS."""

from __future__ import annotations

import re
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.actors import Actor
from cases.deadlines import deadline_start
from cases.transitions import transition
from cases.tx import one_transaction
from cases.values import required_text, yuan

from . import rules
from .config import config_for
from .models import Office, Referral
from .services import notify
from .steps import _close

S = Referral.Status
LICENCE = re.compile(r"^\d{17}$")  # 律师执业证号: 17 digits


def _aid(referral: Referral) -> None:
    if referral.office != Office.LEGAL_AID:
        raise ValidationError({"status": [_("这不是转介法律援助中心的转介。")]})


def _data(referral: Referral, **more) -> dict:
    return {"referral": referral.number, **more}


@one_transaction
def legal_aid_accept(*, referral: Referral, actor: Actor, at: datetime | None = None) -> Referral:
    """决定给予法律援助 (no means test for a wage claim): the review clock closes, the lawyer's starts."""
    _aid(referral)
    at = at or timezone.now()
    with transition(referral, expect=[S.REFERRED], event="legal_aid.accepted", actor=actor,
                    subject=referral.subject, data=_data(referral), at=at) as step:  # fmt: skip
        _close(referral.accept_deadline, at)
        days = config_for(referral.region).legal_aid_assign_days
        clock = deadline_start(kind=rules.AID_ASSIGN, region=referral.region, start_at=at, case=referral.case,
                               complaint=referral.complaint, length=days)  # fmt: skip
        step.to(S.ACCEPTED, decided_at=at, second_deadline=clock)
        step.data["assign_due"] = clock.due_at
        step.data["sms"] = notify(referral, "aid_accepted")
    return referral


@one_transaction
def legal_aid_reject(*, referral: Referral, actor: Actor, reason: str, at: datetime | None = None) -> Referral:
    """不予法律援助, with the reason (the worker may ask the justice bureau to review it, LAL art 49)."""
    _aid(referral)
    at = at or timezone.now()
    reason = required_text(reason, field="reason", label=_("不予援助理由"), limit=1000)
    with transition(referral, expect=[S.REFERRED], event="legal_aid.rejected", actor=actor,
                    subject=referral.subject, data=_data(referral, reason=reason), at=at) as step:  # fmt: skip
        _close(referral.accept_deadline, at)
        step.to(S.REJECTED, decided_at=at, ended_at=at, reject_reason=reason)
        step.data["sms"] = notify(referral, "aid_rejected", reason)
    return referral


@one_transaction
def legal_aid_assign(
    *, referral: Referral, actor: Actor, lawyer_name: str, lawyer_firm: str, lawyer_licence: str,
    at: datetime | None = None,
) -> Referral:  # fmt: skip
    """指派律师: name, firm and the 17-digit licence number (staff-only; the worker's page says a lawyer was
    appointed, not who). The lawyer's clock closes."""
    _aid(referral)
    at = at or timezone.now()
    errors: dict[str, list[str]] = {}
    values = {}
    for field, label, raw in (
        ("lawyer_name", _("承办律师"), lawyer_name),
        ("lawyer_firm", _("律师事务所"), lawyer_firm),
    ):
        try:
            values[field] = required_text(raw, field=field, label=label, limit=200)
        except ValidationError as e:
            errors[field] = e.messages
    licence = re.sub(r"\s", "", lawyer_licence or "")
    if not LICENCE.match(licence):
        errors["lawyer_licence"] = [_("律师执业证号应为17位数字。")]
    if errors:
        raise ValidationError(errors)
    with transition(referral, expect=[S.ACCEPTED], event="legal_aid.assigned", actor=actor,
                    subject=referral.subject, data=_data(referral), at=at) as step:  # fmt: skip
        _close(referral.second_deadline, at)
        step.to(S.AID_ASSIGNED, lawyer_licence=licence, **values)
        step.data["sms"] = notify(referral, "aid_assigned")
    return referral


@one_transaction
def legal_aid_close(
    *, referral: Referral, actor: Actor, outcome: str, amount_recovered: object, note: str = "",
    at: datetime | None = None,
) -> Referral:  # fmt: skip
    """援助结案: how the claim ended (mediated, arbitration, litigation, ended) and the amount recovered."""
    _aid(referral)
    at = at or timezone.now()
    errors: dict[str, list[str]] = {}
    if outcome not in Referral.AidOutcome.values:
        errors["outcome"] = [_("请选择援助结果。")]
    try:
        amount = yuan(amount_recovered if amount_recovered not in (None, "") else "0")
        if amount < 0:
            raise ValueError
    except (ValueError, ArithmeticError, TypeError, ValidationError):
        errors["amount_recovered"] = [_("追回金额应为不小于零的金额。")]
        amount = None
    if errors:
        raise ValidationError(errors)
    data = _data(referral, outcome=outcome, amount=amount)
    with transition(referral, expect=[S.AID_ASSIGNED], event="legal_aid.closed", actor=actor,
                    subject=referral.subject, data=data, at=at) as step:  # fmt: skip
        step.to(S.AID_CLOSED, aid_outcome=outcome, amount_recovered=amount, ended_at=at,
                result_note=(note or "").strip())  # fmt: skip
        step.data["sms"] = notify(referral, "aid_closed", str(Referral.AidOutcome(outcome).label))
    return referral
