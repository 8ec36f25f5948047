"""Services: every state change of the core domain. Keyword-only, `actor` explicit,
one transaction, one timeline event per state change (style.md §5)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import scope, timeline
from .accounts import staff_create  # noqa: F401  (the account services live in cases.accounts)
from .actors import Actor
from .intake import complaint_submit, complaint_validate
from .models import Case, CaseParty, Complaint, Region
from .numbering import case_number_format, employer_name_key, office_number_next  # noqa: F401  (importers)
from .totals import case_totals_refresh
from .tx import one_transaction

User = get_user_model()


def complaint_receive(
    *,
    actor: Actor,
    channel: str,
    complainant: dict,
    employer: dict,
    region: Region | None,
    workers_count: int,
    amount_owed: Decimal,
    period_start,
    period_end,
    description: str,
    project: dict | None = None,
    received_at: datetime | None = None,
) -> Complaint:
    """Record a complaint entered by staff or code (demo, tests) from keyword arguments.

    A thin wrapper over the one intake path: cases.intake.complaint_validate(staff=True), then
    cases.intake.complaint_submit (routing, grouping, duplicate flag, timeline, notice).
    """
    body = {
        "channel": channel,
        "complainant": complainant,
        "employer": employer,
        "project": project,
        "region_code": region.code if region is not None else "",
        "workers_count": workers_count,
        "amount_owed": amount_owed,
        "period_start": period_start,
        "period_end": period_end,
        "description": description,
    }
    clean = complaint_validate(body, staff=True)
    complaint, _created = complaint_submit(actor=actor, clean=clean, channel=channel, received_at=received_at)
    return complaint


def _case_create(
    *, region: Region, origin: str, employer, project, filed_at: datetime, workers_count: int, amount_owed: Decimal
) -> Case:
    """The one constructor of a case row (case_file, investigation.case_file_proactive): the office's next
    case number of the filing year (Beijing time: a case filed at 07:00 on 1 January is next year's), and
    `government_invested` from the project. No event: the calling service records its "case.filed"."""
    year = timezone.localdate(filed_at).year
    number = office_number_next(region=region, kind="case", year=year)
    return Case.objects.create(
        case_no=case_number_format(region, year, number),
        region=region,
        origin=origin,
        employer=employer,
        project=project,
        filed_at=filed_at,
        workers_count=workers_count,
        amount_owed=amount_owed,
        government_invested=bool(project and project.government_invested),
    )


@one_transaction
def case_file(
    *,
    actor: Actor,
    role: str,
    region: Region,
    complaints: list[Complaint],
    origin: str = Case.Origin.COMPLAINT,
    filed_at: datetime | None = None,
) -> Case:
    """File a case (受理即立案) for one or more complaints against one employer."""
    if not complaints:
        raise ValidationError({"complaints": "a complaint case needs at least one complaint"})
    filed_at = filed_at or timezone.now()
    first = complaints[0]
    case = _case_create(
        region=region,
        origin=origin,
        employer=first.employer,
        project=first.project,
        filed_at=filed_at,
        workers_count=sum(c.workers_count for c in complaints),
        amount_owed=sum((c.amount_owed for c in complaints), Decimal("0")),
    )
    complainants: dict[int, Complaint] = {}  # a new case: each complainant once, with its first complaint
    for complaint in complaints:
        complainants.setdefault(complaint.complainant_id, complaint)
    CaseParty.objects.bulk_create(
        [
            CaseParty(case=case, party_id=party_id, kind=CaseParty.Kind.COMPLAINANT, complaint=complaint)
            for party_id, complaint in complainants.items()
        ]
    )
    Complaint.objects.filter(pk__in=[c.pk for c in complaints]).update(case=case, status=Complaint.Status.ACCEPTED)
    case_totals_refresh(case=case)  # each person once (cases.totals)
    timeline.record(
        case,
        "case.filed",
        actor=actor,
        role=role,
        region_code=region.code,
        data={"case_no": case.case_no, "complaints": [c.receipt_no for c in complaints], "origin": origin},
        at=filed_at,
        first=True,
    )
    return case


@transaction.atomic
def case_exception_grant(
    *, case: Case, codename: str, actor: Actor, role: str, user=None, region: Region | None = None
) -> None:
    """Grant a per-case exception (assistance, supervising office, previous office)."""
    scope.exception_grant(case=case, codename=codename, user=user, region=region)
    _exception_recorded(case, "permission.granted", codename, actor=actor, role=role, user=user, region=region)


@transaction.atomic
def case_exception_revoke(
    *, case: Case, codename: str, actor: Actor, role: str, user=None, region: Region | None = None
) -> None:
    scope.exception_revoke(case=case, codename=codename, user=user, region=region)
    _exception_recorded(case, "permission.revoked", codename, actor=actor, role=role, user=user, region=region)


def _exception_recorded(case: Case, kind: str, codename: str, *, actor: Actor, role: str, user, region) -> None:
    data = {
        "permission": codename,
        "user": user.get_username() if user else None,
        "office": region.code if region else None,
    }
    timeline.record(case, kind, actor=actor, role=role, data=data)


def timeline_check_record():
    """Verify every timeline chain and keep the result (nightly beat job, or by hand)."""
    from .models import ChainCheck

    started = timezone.now()
    result = timeline.verify()
    return ChainCheck.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        chains=result.chains,
        events=result.events,
        ok=result.ok,
        first_broken=str(result.first_broken or "")[:200],
        break_kind=result.first_broken.kind if result.first_broken else "",
    )


@transaction.atomic
def personal_data_view_record(*, subject, viewer, role: str, what: str) -> None:
    """An unmasked view of personal data goes on the subject's timeline (SPEC §2, PIPL)."""
    timeline.record(subject, "personal_data.viewed", actor=viewer, role=role, data={"what": what})
