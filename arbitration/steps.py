"""The arbitration commission's steps on a referral (LDMAL arts 29-47; rules.py has the numbers): accept or
reject (5 days), the tribunal's composition notified (5 days from acceptance), the award (45 days from
acceptance, +15 once with the chair's approval; a claimant's award ≤ 12 × the monthly minimum wage is final),
a mediation settlement, the applicant's withdrawal. Each a service: one transition of the referral, one event
on the complaint's or case's chain, its clocks on the deadline engine, the workers told by SMS."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.actors import Actor
from cases.deadlines import deadline_cancel, deadline_close, deadline_extend, deadline_start
from cases.deadlines.times import add_units
from cases.models import Deadline
from cases.transitions import expect_status, lock, transition
from cases.tx import one_transaction
from cases.values import required_text, yuan
from cases.workdays import Calendar

from . import rules
from .config import config_for, final_threshold
from .models import Office, Referral
from .services import notify

S = Referral.Status


def _arbitration(referral: Referral) -> None:
    if referral.office != Office.ARBITRATION:
        raise ValidationError({"status": [_("这不是转介仲裁委的转介。")]})


def _close(deadline: Deadline | None, at: datetime) -> None:
    if deadline is not None and deadline.is_open:
        deadline_close(deadline=deadline, at=at)


def _cancel(deadline: Deadline | None, at: datetime) -> None:
    if deadline is not None and deadline.is_open:
        deadline_cancel(deadline=deadline, at=at)


def _data(referral: Referral, **more) -> dict:
    return {"referral": referral.number, **more}


@one_transaction
def arbitration_accept(*, referral: Referral, actor: Actor, at: datetime | None = None) -> Referral:
    """受理 (LDMAL art 29): the acceptance clock closes; the tribunal clock (5 days, art 32) and the award clock
    (45 days, art 43) start; the green channel's target (30 days) is set beside them."""
    _arbitration(referral)
    at = at or timezone.now()
    with transition(referral, expect=[S.REFERRED], event="arbitration.accepted", actor=actor,
                    subject=referral.subject, data=_data(referral), at=at) as step:  # fmt: skip
        _close(referral.accept_deadline, at)
        common = {"region": referral.region, "start_at": at, "case": referral.case, "complaint": referral.complaint}
        tribunal = deadline_start(kind=rules.TRIBUNAL, **common)
        award = deadline_start(kind=rules.AWARD, **common)
        target = None
        if referral.green_channel:
            days = config_for(referral.region).green_channel_days
            target = add_units(Deadline.Unit.DAYS, at, days, Calendar())
        step.to(S.ACCEPTED, decided_at=at, second_deadline=tribunal, award_deadline=award, green_target_at=target)
        step.data.update(tribunal_due=tribunal.due_at, award_due=award.due_at, green_target=target)
        step.data["sms"] = notify(referral, "arb_accepted", award.due_at.date().isoformat())
    return referral


@one_transaction
def arbitration_reject(*, referral: Referral, actor: Actor, reason: str, at: datetime | None = None) -> Referral:
    """不予受理 (art 29), in writing with the reason: the applicant may sue in the people's court."""
    _arbitration(referral)
    at = at or timezone.now()
    reason = required_text(reason, field="reason", label=_("不予受理理由"), limit=1000)
    with transition(referral, expect=[S.REFERRED], event="arbitration.rejected", actor=actor,
                    subject=referral.subject, data=_data(referral, reason=reason), at=at) as step:  # fmt: skip
        _close(referral.accept_deadline, at)
        step.to(S.REJECTED, decided_at=at, ended_at=at, reject_reason=reason)
        step.data["sms"] = notify(referral, "arb_rejected", reason)
    return referral


@one_transaction
def arbitration_tribunal_notify(
    *, referral: Referral, actor: Actor, tribunal: str, at: datetime | None = None
) -> Referral:
    """仲裁庭组成 notified to the parties (art 32): the tribunal clock closes; the hearing is under way."""
    _arbitration(referral)
    at = at or timezone.now()
    tribunal = required_text(tribunal, field="tribunal", label=_("仲裁庭组成"), limit=200)
    with transition(referral, expect=[S.ACCEPTED], event="arbitration.tribunal_notified", actor=actor,
                    subject=referral.subject, data=_data(referral, tribunal=tribunal), at=at) as step:  # fmt: skip
        _close(referral.second_deadline, at)
        step.to(S.HEARING, tribunal=tribunal, tribunal_at=at)
        step.data["sms"] = notify(referral, "arb_hearing")
    return referral


@one_transaction
def arbitration_award_extend(*, referral: Referral, actor: Actor, reason: str, at: datetime | None = None) -> Referral:
    """The chair approves the award's extension (art 43): +15 days, once (the engine refuses a second)."""
    _arbitration(referral)
    lock(referral)
    expect_status(referral, [S.ACCEPTED, S.HEARING])
    if referral.award_deadline is None:
        raise ValidationError({"reason": [_("没有正在计算的裁决期限。")]})
    deadline_extend(deadline=referral.award_deadline, length=rules.AWARD_EXTENSION_DAYS, reason=reason,
                    approved_by=actor, at=at)  # fmt: skip
    return referral


def _amounts(referral: Referral, amounts: dict[int, object]) -> dict[int, Decimal]:
    """Each claimant's amount (≥ 0), or an error naming the claimant."""
    clean: dict[int, Decimal] = {}
    errors = []
    for claimant in referral.claimants.select_related("worker"):
        raw = amounts.get(claimant.pk)
        try:
            value = yuan(raw) if raw not in (None, "") else None
        except (InvalidOperation, ValueError, TypeError, ValidationError):
            value = None
        if value is None or value < 0:
            errors.append(_("请填写%(name)s的金额（不小于零）。") % {"name": claimant.worker.name})
        else:
            clean[claimant.pk] = value
    if errors:
        raise ValidationError({"amounts": errors})
    return clean


@one_transaction
def arbitration_award(
    *, referral: Referral, actor: Actor, amounts: dict[int, object], note: str = "", at: datetime | None = None
) -> Referral:
    """裁决: the amount awarded to each claimant; an award not above the province's multiple (12) of the local
    monthly minimum wage is final for that claimant (终局裁决, art 47). The award clock closes."""
    _arbitration(referral)
    at = at or timezone.now()
    clean = _amounts(referral, amounts)
    threshold = final_threshold(referral.region)
    with transition(referral, expect=[S.HEARING], event="arbitration.awarded", actor=actor,
                    subject=referral.subject, data=_data(referral), at=at) as step:  # fmt: skip
        _close(referral.award_deadline, at)
        finals = 0
        for claimant in referral.claimants.all():
            claimant.amount_awarded = clean[claimant.pk]
            claimant.final = clean[claimant.pk] <= threshold
            finals += claimant.final
            claimant.save(update_fields=["amount_awarded", "final"])
        step.to(S.AWARDED, ended_at=at, final_threshold=threshold, result_note=(note or "").strip())
        total = sum(clean.values(), Decimal("0"))
        step.data.update(amount=total, threshold=threshold, final=finals, claimants=len(clean))
        step.data["sms"] = notify(referral, "arb_awarded")
    return referral


@one_transaction
def arbitration_mediate(
    *, referral: Referral, actor: Actor, amounts: dict[int, object], note: str = "", at: datetime | None = None
) -> Referral:
    """调解结案: the settlement's amount for each claimant (a mediation statement, LDMAL art 42). An unpaid wage
    settlement lets the worker apply for a payment order (art 16). The award clock closes."""
    _arbitration(referral)
    at = at or timezone.now()
    clean = _amounts(referral, amounts)
    with transition(referral, expect=[S.ACCEPTED, S.HEARING], event="arbitration.mediated", actor=actor,
                    subject=referral.subject, data=_data(referral), at=at) as step:  # fmt: skip
        _close(referral.second_deadline, at)
        _close(referral.award_deadline, at)
        for claimant in referral.claimants.all():
            claimant.amount_awarded = clean[claimant.pk]
            claimant.save(update_fields=["amount_awarded"])
        step.to(S.MEDIATED, ended_at=at, result_note=(note or "").strip())
        step.data["amount"] = sum(clean.values(), Decimal("0"))
        step.data["sms"] = notify(referral, "arb_mediated")
    return referral


@one_transaction
def arbitration_withdraw(*, referral: Referral, actor: Actor, reason: str, at: datetime | None = None) -> Referral:
    """The applicants withdraw (撤回仲裁申请): the open clocks are cancelled."""
    _arbitration(referral)
    at = at or timezone.now()
    reason = required_text(reason, field="reason", label=_("撤回理由"), limit=1000)
    data = _data(referral, reason=reason)
    with transition(referral, expect=[S.REFERRED, S.ACCEPTED, S.HEARING], event="arbitration.withdrawn",
                    actor=actor, subject=referral.subject, data=data, at=at) as step:  # fmt: skip
        for deadline in (referral.accept_deadline, referral.second_deadline, referral.award_deadline):
            _cancel(deadline, at)
        step.to(S.WITHDRAWN, ended_at=at, result_note=reason)
        step.data["sms"] = notify(referral, "arb_withdrawn")
    return referral
