"""Public security on the criminal referrals transferred to it (R310; domain-rules rows 24-30): the police user
acknowledges receipt (签收) and records its filing decision (立案 / 不予立案, 3 days from the transfer, R310
art 8) and its reconsideration decision (3 days, art 9) itself — through the same cases.referral services the
inspector uses for police outside the system. The inspector's path stays: whoever records first, the other
finds the referral moved on (409).

The referral's flow (workflows/referral) waits on a step for that answer: the hooks registered here
(`on_police_answered`, wired in workflows.wiring) move it on when the police answered themselves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cases import referral as referrals
from cases.actors import Actor
from cases.models import Deadline, Referral
from cases.referral.rules import POLICE_DECIDE
from cases.referral.steps import step
from cases.transitions import StateConflict
from cases.tx import one_transaction
from cases.values import moment

from . import scope
from .models import Department, PoliceReceipt

POLICE_ROLE = Department.POLICE.value
S = Referral.Status
AnsweredHook = Callable[[Referral, Actor, str], None]
ANSWERED_HOOKS: list[AnsweredHook] = []


def on_police_answered(fn: AnsweredHook) -> AnsweredHook:
    """Call fn(referral, actor, decision) after the police user recorded an answer, in its transaction;
    `decision` is the flow's routing value ("filed" / "not_filed" / "upheld")."""
    if fn not in ANSWERED_HOOKS:
        ANSWERED_HOOKS.append(fn)
    return fn


def _check(actor: Actor, referral: Referral) -> None:
    if not scope.answers_for_police(actor, referral):
        raise PermissionDenied


def decide_clock(referral: Referral) -> Deadline | None:
    """The police's 3-day clock of the transfer (R310 art 8), the newest."""
    return referral.case.deadlines.filter(kind=POLICE_DECIDE).order_by("-id").first()


@one_transaction
def referral_police_acknowledge(*, referral: Referral, actor: Actor, note: str = "") -> PoliceReceipt:
    """The police sign for the transferred referral; the event says whether within the 3-day clock."""
    if actor is None:
        raise PermissionDenied
    _check(actor, referral)
    with step(referral, expect=scope.POLICE_ANSWERS + [S.FILED, S.NOT_FILED], event="referral.police_acknowledged",
              actor=actor, role=POLICE_ROLE) as change:  # fmt: skip
        if PoliceReceipt.objects.filter(referral=referral).exists():
            raise StateConflict({"status": _("该移送案件已签收。")})
        now = moment()
        clock = decide_clock(referral)
        within = clock is None or (clock.state != Deadline.State.OVERDUE and now <= clock.due_at)
        receipt = PoliceReceipt.objects.create(referral=referral, acknowledged_by=actor, acknowledged_at=now,
                                               within_clock=within, note=(note or "").strip()[:300])  # fmt: skip
        change.data.update({"acknowledged_at": now, "within_clock": within,
                            "police_due": clock.due_at if clock else None, "police": referral.police})  # fmt: skip
    return receipt


@one_transaction
def referral_police_answer(
    *, referral: Referral, actor: Actor, filed: bool, decided_at: datetime | None = None, note: str = ""
) -> Referral:
    """The police user's filing decision (TRANSFERRED) or reconsideration decision (RECONSIDERATION)."""
    _check(actor, referral)
    if referral.status == S.RECONSIDERATION:
        referrals.referral_reconsideration_answer(referral=referral, actor=actor, filed=filed, answered_at=decided_at,
                                                  note=note, role=POLICE_ROLE)  # fmt: skip
        decision = "filed" if filed else "upheld"
    else:
        referrals.referral_police_decision(referral=referral, actor=actor, filed=filed, decided_at=decided_at,
                                           note=note, role=POLICE_ROLE)  # fmt: skip
        decision = "filed" if filed else "not_filed"
    for hook in list(ANSWERED_HOOKS):
        hook(referral, actor, decision)
    return referral
