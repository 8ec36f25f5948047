"""Submission: the one path that receives a complaint, in one transaction.

Route, receipt number, find-or-create of employer / project / complainant, duplicate flag,
grouping onto an open case, timeline events and the "received" notice.
"""

from __future__ import annotations

import secrets
import unicodedata
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from .. import scope, timeline
from ..actors import Actor
from ..import_messages import not_a_choice
from ..models import Case, CaseParty, Channel, Complaint, Employer, Party, Project, Region
from ..notifications import complainant_notify
from ..numbering import employer_name_key, office_number_next
from ..totals import case_totals_refresh
from .region_index import _BLANKS, _address_parse
from .routing import complaint_route
from .validation import CleanComplaint, CleanEmployer, CleanPerson, CleanProject

DUPLICATE_WINDOW = timedelta(days=30)  # same complainant + employer within 30 days → possible duplicate
IDEMPOTENCY_KEY_MAX = 80
CLOSED_CASE_STATUSES = (Case.Status.CLOSED, Case.Status.WITHDRAWN)


def _project_name(name: str) -> str:
    return _BLANKS.sub(" ", unicodedata.normalize("NFKC", name)).strip()


def _advisory_lock(key: str) -> None:
    """Serialise creation of one employer across regions (PostgreSQL; SQLite writes are already serial)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


def _employer_find(emp: CleanEmployer) -> Employer | None:
    if emp.uscc:
        # The code, or a same-named employer recorded without a code (the code is then filled in).
        same = Q(uscc=emp.uscc) | Q(uscc="", name_key=employer_name_key(emp.name))
        rows = list(Employer.objects.filter(same).order_by("id")[:20])
        return next((e for e in rows if e.uscc == emp.uscc), rows[0] if rows else None)
    return Employer.objects.filter(name_key=employer_name_key(emp.name)).order_by("id").first()


def employer_get_or_create(emp: CleanEmployer) -> tuple[Employer, bool]:
    found = _employer_find(emp)
    if found is None:
        _advisory_lock(f"employer:{emp.uscc or employer_name_key(emp.name)}")
        found = _employer_find(emp)
    if found is not None:
        fill: dict[str, str] = {}
        if emp.uscc and not found.uscc:
            fill.update(uscc=emp.uscc, uscc_override_reason=emp.uscc_override_reason)
        if emp.legal_representative and not found.legal_representative:
            fill["legal_representative"] = emp.legal_representative  # a different one: employer_correct
        if fill:
            for name, value in fill.items():
                setattr(found, name, value)
            found.save(update_fields=list(fill))
        return found, False
    place = _address_parse(emp.address)
    employer = Employer.objects.create(
        name=emp.name,
        name_key=employer_name_key(emp.name),
        uscc=emp.uscc,
        uscc_override_reason=emp.uscc_override_reason,
        address=emp.address,
        legal_representative=emp.legal_representative,
        region_id=place.id if place else None,
    )
    return employer, True


def _party_get_or_create(person: CleanPerson) -> tuple[Party, bool]:
    """One record per person: with a resident ID number, the record of that number (its blind index) is
    reused, whatever name or phone was given (a newer phone replaces the stored one: notices and the status
    look-up use the number the person gives now); without one, the same name and phone."""
    if person.id_number:
        found = Party.objects.matching(id_number=person.id_number).order_by("id").first()
        if found is None:  # serialise the creation of one person across regions, as of one employer
            _advisory_lock(f"party:{person.key}")
            found = Party.objects.matching(id_number=person.id_number).order_by("id").first()
        if found is not None:
            if person.phone and person.phone != found.phone:
                found.phone = person.phone
                found.save(update_fields=["phone"])
            return found, False
    else:
        found = (  # the encrypted fields through their blind indexes (index party.id_number_index)
            Party.objects.matching(id_number="", phone=person.phone).filter(name=person.name).order_by("id").first()
        )
        if found is not None:
            return found, False
    return Party.objects.create(name=person.name, id_number=person.id_number, phone=person.phone), True


def project_get_or_create(proj: CleanProject | None, region: Region) -> tuple[Project | None, bool]:
    """By project number (项目编号) within the region when the complaint gives one, else by normalised name
    within the region; a project found by name gets the number given. Race-free: the caller holds the region's
    receipt-number lock. (The construction-project registry matches its projects to these rows by number, else
    by region and name: projects.links.)"""
    if proj is None:
        return None, False
    name = _project_name(proj.name)
    found = None
    if proj.project_no:
        found = Project.objects.filter(region_id=region.pk, project_no=proj.project_no).order_by("id").first()
    if found is None:
        found = Project.objects.filter(region_id=region.pk, name=name).order_by("id").first()
        if found is not None and proj.project_no and not found.project_no:
            Project.objects.filter(pk=found.pk).update(project_no=proj.project_no)
            found.project_no = proj.project_no
    if found is not None:
        return found, False
    return Project.objects.create(name=name, address=proj.address, region=region, project_no=proj.project_no), True


def _actor_staff(actor: Actor, region: Region) -> tuple[bool, str, str]:
    """(is staff, role, role's region code) for the timeline; a clerk's grant is preferred."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False, "", ""
    grants = scope.grants(actor)
    if not grants:
        return bool(getattr(actor, "is_staff", False)), "", ""
    best = min(grants, key=lambda g: (g.role != "clerk", g.region_id != region.pk))
    return True, best.role, best.region_code


def complaint_replay(key: str, request_hash: str) -> Complaint | None:
    """The complaint an Idempotency-Key was used for (same request: it; another: ValidationError)."""
    found = Complaint.objects.select_related("region").filter(idempotency_key=key).first()
    if found is not None and found.request_hash != request_hash:
        raise ValidationError({"idempotency_key": ["该幂等键已用于另一份内容不同的投诉，请使用新的幂等键重新提交"]})
    return found


def complaint_submit(
    *,
    actor: Actor,
    clean: CleanComplaint,
    channel: str,
    idempotency_key: str | None = None,
    request_hash: str = "",
    received_at: datetime | None = None,
) -> tuple[Complaint, bool]:
    """Receive a validated complaint in one transaction: (complaint, created).

    Routes it, issues its receipt number, finds or creates employer / project / complainant, flags a
    possible duplicate (same complainant and employer within 30 days) and links it to an open case of
    the same employer and project in that region. Writes one "complaint.received" event (and
    "case.complaint_linked" on the case) and queues the "received" SMS for after commit.

    With an `idempotency_key` already used: the same request (hash) returns (that complaint, False);
    another request raises ValidationError({"idempotency_key": ...}). `request_hash` defaults to the
    clean content's fingerprint.
    """
    if channel not in Channel.values:
        raise ValidationError({"channel": [not_a_choice(channel, [label for _v, label in Channel.choices])]})
    if idempotency_key is not None and not (0 < len(idempotency_key) <= IDEMPOTENCY_KEY_MAX):
        raise ValidationError({"idempotency_key": [f"幂等键长度应为1至{IDEMPOTENCY_KEY_MAX}个字符"]})
    request_hash = request_hash or clean.fingerprint()
    received_at = received_at or timezone.now()
    if idempotency_key and (found := complaint_replay(idempotency_key, request_hash)) is not None:
        return found, False
    outermost = not transaction.get_connection().in_atomic_block
    try:
        # One transaction, or part of the caller's without a savepoint of its own (two statements less).
        with transaction.atomic(savepoint=False):
            complaint = _complaint_create(
                actor=actor,
                clean=clean,
                channel=channel,
                idempotency_key=idempotency_key,
                request_hash=request_hash,
                received_at=received_at,
            )
    except IntegrityError:
        # A concurrent request with the same Idempotency-Key committed first. Answered here when this was
        # the whole transaction; nested, the caller's transaction is spoilt: the caller, out of its own
        # atomic block, answers with complaint_replay() (workflows.services.intake_submit does).
        if outermost and idempotency_key and (found := complaint_replay(idempotency_key, request_hash)) is not None:
            return found, False
        raise
    return complaint, True


def _complaint_create(
    *, actor: Actor, clean: CleanComplaint, channel: str, idempotency_key: str | None, request_hash: str, received_at
) -> Complaint:
    region, basis = complaint_route(clean)
    local = timezone.localtime(received_at)
    # First write of the transaction: locks this office's receipt sequence, which also serialises the
    # project look-up and the grouping below for this region.
    number = office_number_next(region=region, kind="receipt", year=local.year)
    # T, office, year, 4 random digits (not guessable in sequence: the status lookup needs them as well as
    # the phone's last 4), the office's sequence number: 19 characters, read out as T 360302 26 4821 000123
    receipt_no = f"T{region.code}{local:%y}{secrets.randbelow(10_000):04d}{number:06d}"
    employer, employer_new = employer_get_or_create(clean.employer)
    party, _ = _party_get_or_create(clean.complainant)
    project, project_new = project_get_or_create(clean.project, region)
    is_staff, role, role_region = _actor_staff(actor, region)

    duplicate = None
    if not employer_new:
        duplicate = (
            Complaint.objects.filter(
                complainant_key=clean.complainant.key,
                employer=employer,
                received_at__gte=received_at - DUPLICATE_WINDOW,
                received_at__lte=received_at,
            )
            .order_by("received_at", "id")
            .only("id", "receipt_no")
            .first()
        )
    case = None
    if not employer_new and not project_new:
        case = (
            Case.objects.filter(region_id=region.pk, employer=employer)
            .filter(Q(project=project) if project else Q(project__isnull=True))
            .exclude(status__in=CLOSED_CASE_STATUSES)
            .order_by("id")
            .only("id", "case_no", "workers_count", "amount_owed", "amount_paid")
            .first()
        )

    complaint = Complaint.objects.create(
        receipt_no=receipt_no,
        channel=channel,
        complainant=party,
        complainant_key=clean.complainant.key,
        employer=employer,
        project=project,
        region=region,
        workers_count=clean.workers_count,
        amount_owed=clean.amount_owed,
        period_start=clean.period_start,
        period_end=clean.period_end,
        description=clean.description,
        received_at=received_at,
        case=case,
        route_basis=basis,
        possible_duplicate_of=duplicate,
        stale=clean.stale,
        entered_by=actor if is_staff else None,
        idempotency_key=idempotency_key or None,
        request_hash=request_hash,
    )
    timeline.record(
        complaint,
        "complaint.received",
        actor=actor,
        role=role,
        region_code=role_region,
        data={
            "receipt_no": receipt_no,
            "channel": channel,
            "region": region.code,
            "route_basis": basis,
            "duplicate": duplicate is not None,
            "duplicate_of": duplicate.receipt_no if duplicate else None,
            "stale": clean.stale,
            "grouped": case is not None,
            "case_no": case.case_no if case else None,
        },
        at=received_at,
        first=True,
    )
    if case is not None:
        _case_link(case=case, complaint=complaint, actor=actor, role=role, role_region=role_region)
    complainant_notify(complaint=complaint, event="received")
    return complaint


def _case_link(*, case: Case, complaint: Complaint, actor: Actor, role: str, role_region: str) -> None:
    """Group a complaint onto an open case: complainant as a party, totals added, one event on the case."""
    CaseParty.objects.bulk_create(
        [CaseParty(case=case, party=complaint.complainant, kind=CaseParty.Kind.COMPLAINANT, complaint=complaint)],
        ignore_conflicts=True,  # the same person already a complainant of this case (an earlier complaint)
    )
    before = case.workers_count, case.amount_owed
    case_totals_refresh(case=case)  # a ledger wins; the same person is never counted twice (cases.totals)
    timeline.record(
        case,
        "case.complaint_linked",
        actor=actor,
        role=role,
        region_code=role_region,
        data={
            "receipt_no": complaint.receipt_no,
            "workers_added": case.workers_count - before[0],
            "amount_added": case.amount_owed - before[1],
        },
        at=complaint.received_at,
    )
