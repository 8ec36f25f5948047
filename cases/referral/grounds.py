"""The crime grounds of a case (CL 276-1): flight / concealment of assets ("flight") or able to pay and not
paying ("refusal"), each recorded with its evidence before a referral may be proposed.

Where they live: the CrimeGround table (cases.models), one row per recorded ground with the evidence and
its SHA-256 at the time; eligibility reads the table. Each ground also writes one "case.crime_ground_recorded"
event on the case's timeline (append-only, hash-chained): the audit trail of who recorded what, and when,
that a criminal referral needs. The snapshot taken at proposal copies the grounds into `Referral.eligibility`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import timeline
from ..actors import Actor
from ..models import Case, Evidence, Role, TimelineEvent
from ..models.supervision import CrimeGround
from ..tx import one_transaction
from .rules import GROUND_EVENT, GROUNDS


def grounds_of(case: Case) -> list[dict]:
    """The crime grounds recorded for the case, oldest first: ground, evidence (id), sha256 (the evidence's
    when recorded), description, note, at (ISO time), by (username, or "system")."""
    rows = CrimeGround.objects.filter(case=case).select_related("recorded_by").order_by("recorded_at", "id")
    return [
        {
            "ground": row.ground,
            "evidence": row.evidence_id,
            "sha256": row.evidence_sha256,
            "description": row.description,
            "note": row.note,
            "at": row.recorded_at.isoformat(),
            "by": row.recorded_by.get_username() if row.recorded_by is not None else "system",
        }
        for row in rows
    ]


@one_transaction
def referral_grounds_record(
    *, case: Case, actor: Actor, ground: str, evidence: Evidence, note: str = ""
) -> TimelineEvent:
    """Record flight / concealment ("flight") or able-but-refusing ("refusal") with its evidence: the ground's
    row and its one timeline event (returned)."""
    if ground not in GROUNDS:
        raise ValidationError({"ground": _("请选择涉嫌犯罪的情形（逃匿或有能力支付而不支付）。")})
    if evidence is None or evidence.case_id != case.pk:
        raise ValidationError({"ground_evidence": _("请选择本案已上传的证据。")})
    now = timezone.now()
    row = CrimeGround.objects.create(
        case=case,
        ground=ground,
        evidence=evidence,
        evidence_sha256=evidence.sha256,
        description=evidence.description,
        note=(note or "").strip(),
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
        recorded_at=now,
    )
    return timeline.record(
        case,
        GROUND_EVENT,
        actor=actor,
        role=Role.INSPECTOR,
        data={
            "ground": row.ground,
            "evidence": evidence.pk,
            "sha256": row.evidence_sha256,
            "description": row.description,
            "note": row.note,
        },
        at=now,
    )
