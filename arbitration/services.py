"""Referring a wage claim to the arbitration commission or the legal-aid centre, and what both have in common:
the referral's number, its claimants, the workers told by SMS, the timeline event on the complaint's or case's
chain. The offices' own steps: arbitration.steps (the commission), arbitration.legal_aid (the centre)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import timeline
from cases.actors import Staff
from cases.deadlines import deadline_start
from cases.documents import office_abbreviation
from cases.models import ArrearsEntry, Case, Complaint, Party, Region
from cases.notifications import complainant_notify
from cases.numbering import office_number_next
from cases.tx import one_transaction
from cases.values import required_text, yuan

from . import rules
from .config import config_for
from .models import Claimant, Office, Referral

NUMBER_CODES: dict[str, str] = {Office.ARBITRATION: "转仲", Office.LEGAL_AID: "转援"}
EVENT_PREFIX: dict[str, str] = {Office.ARBITRATION: "arbitration", Office.LEGAL_AID: "legal_aid"}
SMS_PREFIX: dict[str, str] = {Office.ARBITRATION: "arb", Office.LEGAL_AID: "aid"}


@dataclass(frozen=True)
class Claim:
    worker: Party
    amount: Decimal


def candidates(*, complaint: Complaint | None = None, case: Case | None = None) -> list[Claim]:
    """The workers a referral may name, with what each is still owed: a complaint's complainant and its
    amount; a case's workers on its ledger (owed less paid), or its complainants when the ledger is empty."""
    if case is not None:
        rows = (
            ArrearsEntry.objects.filter(case=case)
            .values("worker")
            .annotate(owed=Sum("amount_owed"), paid=Sum("amount_paid"))
            .order_by("worker")
        )
        parties = Party.objects.in_bulk([r["worker"] for r in rows])
        claims = [Claim(parties[r["worker"]], yuan(r["owed"] - r["paid"])) for r in rows]
        claims = [c for c in claims if c.amount > 0]
        if claims:
            return claims
        complaints = case.complaints.exclude(status=Complaint.Status.REFUSED).select_related("complainant")
        return [Claim(c.complainant, yuan(c.amount_owed)) for c in complaints.order_by("id")]
    assert complaint is not None
    return [Claim(complaint.complainant, yuan(complaint.amount_owed))]


def told_complaints(referral: Referral) -> list[Complaint]:
    """The complaints whose complainants are told of the referral's steps: its complaint, or the complaints of
    its case whose complainant is one of the referral's claimants (nobody else's claim is told)."""
    if not referral.case_id:
        assert referral.complaint is not None
        return [referral.complaint]
    workers = list(referral.claimants.values_list("worker_id", "worker__id_number_index"))
    same = Q(complainant_id__in=[w for w, _ in workers])
    indexes = [i for _, i in workers if i]
    if indexes:
        same |= Q(complainant__id_number_index__in=indexes)
    assert referral.case is not None
    qs = referral.case.complaints.exclude(status=Complaint.Status.REFUSED).filter(same)
    return list(qs.select_related("complainant", "region").order_by("id"))


def notify(referral: Referral, event: str, reason: str = "") -> list[str]:
    """Queue the SMS of `event` to each told complainant (an outbox row in the caller's transaction); the
    receipt numbers reached, for the event's data."""
    reached = []
    for complaint in told_complaints(referral):
        if complainant_notify(complaint=complaint, event=event, reason=reason) is not None:
            reached.append(complaint.receipt_no)
    return reached


def office_label(referral: Referral) -> str:
    return f"{referral.region.name}{Office(referral.office).label}"


def _claims(raw: list[Claim] | None, allowed: list[Claim]) -> list[Claim]:
    if not raw:
        raise ValidationError({"claimants": [_("请至少选择一名申请人。")]})
    allowed_ids = {c.worker.pk for c in allowed}
    seen: set[int] = set()
    errors = []
    for claim in raw:
        if claim.worker.pk not in allowed_ids:
            errors.append(_("%(name)s不是本投诉或案件的劳动者。") % {"name": claim.worker.name})
        elif claim.worker.pk in seen:
            errors.append(_("%(name)s重复。") % {"name": claim.worker.name})
        elif claim.amount is None or claim.amount <= 0:
            errors.append(_("%(name)s的请求金额必须大于零。") % {"name": claim.worker.name})
        seen.add(claim.worker.pk)
    if errors:
        raise ValidationError({"claimants": errors})
    return raw


@one_transaction
def referral_create(
    *,
    actor: Staff,
    role: str,
    office: str,
    region: Region,
    facts: str,
    claims: list[Claim] | None = None,
    green_channel: bool = True,
    complaint: Complaint | None = None,
    case: Case | None = None,
    at: datetime | None = None,
) -> Referral:
    """Refer the claim of a refused complaint (a labour dispute, not an inspection matter) or of a case to the
    arbitration commission or the legal-aid centre of `region`: its number, its claimants, its first clock
    (acceptance, LDMAL art 29; or the legal-aid review, LAL art 43), one event on the complaint's or case's
    chain, the workers told."""
    if office not in Office.values:
        raise ValidationError({"office": [_("请选择接收机构。")]})
    if (complaint is None) == (case is None):
        raise ValidationError(_("转介须来自一件投诉或一个案件。"))
    facts = required_text(facts, field="facts", label=_("转介事由"), limit=2000)
    if complaint is not None and complaint.status != Complaint.Status.REFUSED:
        raise ValidationError({"complaint": [_("只有不予受理（属劳动争议）的投诉可以转介。")]})
    if case is not None and case.status in (Case.Status.CLOSED, Case.Status.WITHDRAWN):
        raise ValidationError({"case": [_("案件已结案或撤销，不能转介。")]})
    allowed = candidates(complaint=complaint, case=case)
    claims = _claims(allowed if claims is None else claims, allowed)
    subject: Case | Complaint = case if case is not None else complaint  # type: ignore[assignment]
    open_same = Referral.objects.filter(office=office, status__in=_open()).filter(
        Q(case=case) if case is not None else Q(complaint=complaint)
    )
    if open_same.exists():
        raise ValidationError({"office": [_("已有转介该机构且尚未办结的转介。")]})
    at = at or timezone.now()
    year = timezone.localtime(at).year
    serial = office_number_next(region=region, kind=f"ref:{office}"[:24], year=year)
    number = f"{office_abbreviation(region)}{NUMBER_CODES[office]}〔{year}〕{serial}号"
    employer = subject.employer
    referral = Referral.objects.create(
        number=number, office=office, region=region, complaint=complaint, case=case, employer=employer,
        green_channel=bool(green_channel), facts=facts, referred_by=actor, referred_at=at,
    )  # fmt: skip
    Claimant.objects.bulk_create(
        [Claimant(referral=referral, worker=c.worker, amount_claimed=yuan(c.amount)) for c in claims]
    )
    if office == Office.ARBITRATION:
        kind, length = rules.ACCEPT, None
    else:
        kind, length = rules.AID_REVIEW, config_for(region).legal_aid_review_days
    clock = deadline_start(kind=kind, region=region, start_at=at, case=case, complaint=complaint, length=length)
    referral.accept_deadline = clock
    referral.save(update_fields=["accept_deadline"])
    prefix = EVENT_PREFIX[office]
    reached = notify(referral, f"{SMS_PREFIX[office]}_referred", office_label(referral))
    timeline.record(
        subject,
        f"{prefix}.referred",
        actor=actor,
        role=role,
        data={
            "referral": number, "office": office, "region": region.code, "green_channel": referral.green_channel,
            "claimants": len(claims), "amount": sum((yuan(c.amount) for c in claims), Decimal("0")),
            "due_at": clock.due_at, "sms": reached,
        },
        at=at,
    )  # fmt: skip
    return referral


def _open() -> list[str]:
    from .models import OPEN_STATUSES

    return list(OPEN_STATUSES)
