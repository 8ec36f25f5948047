"""What the referral steps do: each maps its form to one cases.referral service (same name, `referrals.`).

Signature: step(*, activation, actor, data). The process reaches its referral one way: its artifact
(`_referral`; migration workflows.0004 moved the ids once kept in Process.data["referral"] there).
"""

from __future__ import annotations

from cases import referral as referrals
from cases.models import Referral

from ..nodes import routing_save


def _referral(activation) -> Referral:
    return Referral.objects.select_related("case__region", "package").get(pk=activation.process.artifact_object_id)


def _route(activation, value: str) -> None:
    activation.process.decision = value
    routing_save(activation.process)


def referral_legal_review(*, activation, actor, data) -> None:
    referrals.referral_legal_review(
        referral=_referral(activation), actor=actor, decision=data["decision"], opinion=data["opinion"]
    )
    _route(activation, data["decision"])


def referral_amend(*, activation, actor, data) -> None:
    withdraw = data["decision"] == "withdrawn"
    referrals.referral_amend(referral=_referral(activation), actor=actor, facts=data["facts"], withdraw=withdraw)
    _route(activation, data["decision"])


def referral_approve(*, activation, actor, data) -> None:
    referrals.referral_approve(
        referral=_referral(activation), actor=actor, approved=data["approved"], opinion=data["opinion"]
    )
    _route(activation, "approved" if data["approved"] else "not_approved")


def referral_transfer(*, activation, actor, data) -> None:
    referrals.referral_transfer(
        referral=_referral(activation),
        actor=actor,
        police=data.get("police", ""),
        procuratorate=data.get("procuratorate", ""),
        transferred_at=data.get("transferred_at"),
        note=data.get("note", ""),
    )


def referral_police_decision(*, activation, actor, data) -> None:
    referrals.referral_police_decision(
        referral=_referral(activation),
        actor=actor,
        filed=data["decision"] == "filed",
        decided_at=data.get("decided_at"),
        note=data.get("note", ""),
    )
    _route(activation, data["decision"])


def referral_handover(*, activation, actor, data) -> None:
    referrals.referral_handover(
        referral=_referral(activation),
        actor=actor,
        materials=data["materials"],
        handed_over_at=data.get("handed_over_at"),
        recipient=data.get("recipient", ""),
    )


def referral_outcome(*, activation, actor, data) -> None:
    referrals.referral_outcome(
        referral=_referral(activation), actor=actor, prosecution=data["prosecution"], judgment=data["judgment"]
    )


def referral_reconsideration_request(*, activation, actor, data) -> None:
    referrals.referral_reconsideration_request(
        referral=_referral(activation),
        actor=actor,
        requested=data["requested"],
        reason=data["reason"],
        requested_at=data.get("requested_at"),
    )
    _route(activation, "requested" if data["requested"] else "accepted")


def referral_reconsideration_answer(*, activation, actor, data) -> None:
    referrals.referral_reconsideration_answer(
        referral=_referral(activation),
        actor=actor,
        filed=data["decision"] == "filed",
        answered_at=data.get("answered_at"),
        note=data.get("note", ""),
    )
    _route(activation, data["decision"])


def referral_procuratorate_request(*, activation, actor, data) -> None:
    referrals.referral_procuratorate_request(
        referral=_referral(activation),
        actor=actor,
        requested=data["requested"],
        reason=data["reason"],
        requested_at=data.get("requested_at"),
    )
