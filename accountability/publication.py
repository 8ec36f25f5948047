"""Publication of major violations (重大劳动保障违法行为社会公布, PUB2016; SPEC §4.5c; domain-rules §4.4).

Each quarter (county and city offices) and each half-year (province offices) a beat job compiles, per
office, the cases that office decided in the period and that fall in a prescribed category into a DRAFT
Publication; the office's leader approves it (a staff page action, Right.APPROVE at the office); it is
then public with the prescribed fields only: name, USCC, address, legal representative, main facts and
handling — no worker, complainant or other personal data, no case number.

- Whose cases: the deciding office's own (case.region == office), at every level. "谁执法、谁公布"
  (as DL2021 puts it for lists) and no violation is published twice by two levels.
- Decided in the period: the case's first decision document (order to pay / to correct, handling or
  penalty decision) was issued in the period (Asia/Shanghai dates). A withdrawn case has none.
- Categories (PUB2016 art 5; the two this system has the facts for):
  (1) WAGE_ARREARS — referred to the police for prosecution (a Referral with a transfer time), or
      unpaid after the order with arrears ≥ the crime's amount threshold (listing_assess: the
      province's JI2013 figures, the same test the credit listing uses);
  (6) SOCIAL_IMPACT — a group incident or media reported.
- Idempotent per (office, period): a DRAFT is recompiled (its entries replaced by the same rule), a
  PUBLISHED one is never touched, an office with nothing to publish gets no row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import scope, timeline
from cases.models import Case, Decision, Document, Referral, Region, Role
from cases.transitions import expect_status, lock
from cases.values import LOCAL_TZ, yuan_text

from .listing import listing_assess
from .models import CreditListing, Publication, PublicationEntry

C = PublicationEntry.Category
K = Document.Kind

QUARTERLY = "quarterly"  # county and city offices (PUB2016; domain-rules §2 row 40)
HALF_YEARLY = "half_yearly"  # province offices (row 41)
CADENCE_LEVELS = {QUARTERLY: (Region.Level.COUNTY, Region.Level.CITY), HALF_YEARLY: (Region.Level.PROVINCE,)}
DECISION_KINDS = (K.ORDER_TO_PAY, K.ORDER_TO_CORRECT, K.HANDLING_DECISION, K.PENALTY_DECISION)


# --- periods -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    key: str  # 2026Q3 / 2026H2
    start: date
    end: date

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=LOCAL_TZ)

    @property
    def end_before(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=LOCAL_TZ)


def _period(year: int, index: int, months: int) -> Period:
    first_month = (index - 1) * months + 1
    start = date(year, first_month, 1)
    after = date(year + 1, 1, 1) if first_month + months > 12 else date(year, first_month + months, 1)
    key = f"{year}Q{index}" if months == 3 else f"{year}H{index}"
    return Period(key, start, after - timedelta(days=1))


def period_containing(day: date, cadence: str) -> Period:
    months = 3 if cadence == QUARTERLY else 6
    return _period(day.year, (day.month - 1) // months + 1, months)


def period_previous(day: date, cadence: str) -> Period:
    """The last period that ended before `day` (the beat job on 1 October compiles Q3 / H1)."""
    return period_containing(period_containing(day, cadence).start - timedelta(days=1), cadence)


def period_parse(key: str) -> Period | None:
    key = (key or "").strip().upper()
    try:
        year, kind, index = int(key[:4]), key[4], int(key[5:])
    except (ValueError, IndexError):
        return None
    if kind == "Q" and 1 <= index <= 4 and len(key) == 6:
        return _period(year, index, 3)
    if kind == "H" and index in (1, 2) and len(key) == 6:
        return _period(year, index, 6)
    return None


# --- which cases, in which category ------------------------------------------------------------------


def _first_decision() -> Subquery:
    return Subquery(
        Document.objects.filter(case=OuterRef("pk"), kind__in=DECISION_KINDS)
        .order_by("issued_at")
        .values("issued_at")[:1]
    )


def cases_decided(*, office: Region, period: Period) -> QuerySet[Case]:
    """The office's cases whose first decision document was issued in the period."""
    return (
        Case.objects.filter(region=office)
        .exclude(decision=Decision.WITHDRAW)
        .annotate(decided_at=_first_decision())
        .filter(decided_at__gte=period.start_at, decided_at__lt=period.end_before)
        .select_related("employer", "project", "region")
        .order_by("decided_at", "id")
    )


def _referred(case: Case) -> bool:
    return Referral.objects.filter(case=case, transferred_at__isnull=False).exists()


def case_category(case: Case) -> str | None:
    """The prescribed category of a decided case, or None (not a major violation to publish)."""
    if _referred(case) or (case.unpaid_after_order and listing_assess(case).amount_met):
        return C.WAGE_ARREARS
    if case.group_incident or case.media_reported:
        return C.SOCIAL_IMPACT
    return None


def _facts(case: Case) -> str:
    """主要违法事实: the employer's conduct; no worker is named."""
    project = f"在“{case.project.name}”项目中" if case.project_id else ""
    text = f"{case.employer.name}{project}拖欠{case.workers_count}名劳动者工资共计{yuan_text(case.amount_owed)}"
    if case.unpaid_after_order:
        text += "，经劳动保障监察机构责令限期支付，逾期仍未支付"
    if case.group_incident:
        text += "，引发群体性事件"
    if case.media_reported:
        text += "，经媒体报道，造成不良社会影响"
    return text + "。"


def _handling(case: Case) -> str:
    """查处情况: what the office did."""
    parts = []
    kinds = set(case.documents.filter(kind__in=[*DECISION_KINDS, K.COMPENSATION_ORDER]).values_list("kind", flat=True))
    if K.ORDER_TO_PAY in kinds or K.HANDLING_DECISION in kinds:
        parts.append("责令限期支付拖欠的劳动者工资")
    if K.ORDER_TO_CORRECT in kinds:
        parts.append("责令改正")
    if case.compensation_rate and K.COMPENSATION_ORDER in kinds:
        parts.append(f"责令按应付金额的{case.compensation_rate}%加付赔偿金")
    if case.penalty_amount:
        parts.append(f"处以罚款{yuan_text(case.penalty_amount)}")
    if _referred(case):
        parts.append("涉嫌拒不支付劳动报酬罪，已依法移送公安机关")
    if CreditListing.objects.filter(case=case, listed_at__isnull=False).exists():
        parts.append("列入拖欠农民工工资失信联合惩戒对象名单")
    return "；".join(parts or ["依法作出处理决定"]) + "。"


def _legal_representative(case: Case) -> str:
    if case.employer.legal_representative:
        return case.employer.legal_representative
    listing = CreditListing.objects.filter(case=case, listed_at__isnull=False).order_by("-id").first()
    person = listing.persons.filter(role="法定代表人").first() if listing else None
    return person.name if person else ""


def entry_for(case: Case, category: str) -> PublicationEntry:
    """The prescribed fields only (PUB2016 art 6)."""
    employer = case.employer
    return PublicationEntry(
        case=case,
        category=category,
        employer_name=employer.name,
        uscc=employer.uscc,
        address=employer.address,
        legal_representative=_legal_representative(case),
        facts=_facts(case),
        handling=_handling(case),
    )


# --- compile, approve ----------------------------------------------------------------------------------


@transaction.atomic
def publication_compile(*, office: Region, period: Period, at: datetime | None = None) -> Publication | None:
    """The office's DRAFT for the period, (re)compiled; a PUBLISHED one is returned untouched; None when
    the office has nothing to publish and no draft."""
    at = at or timezone.now()
    entries = []
    for case in cases_decided(office=office, period=period):
        category = case_category(case)
        if category is not None:
            entries.append(entry_for(case, category))
    publication = Publication.objects.select_for_update().filter(region=office, period=period.key).first()
    if publication is None:
        if not entries:
            return None
        try:
            with transaction.atomic():
                publication = Publication.objects.create(
                    region=office,
                    period=period.key,
                    period_start=period.start,
                    period_end=period.end,
                    status=Publication.Status.DRAFT,
                    compiled_at=at,
                )
        except IntegrityError:  # a concurrent run created it: use that one
            publication = Publication.objects.select_for_update().get(region=office, period=period.key)
    if publication.status == Publication.Status.PUBLISHED:
        return publication
    publication.entries.all().delete()
    for entry in entries:
        entry.publication = publication
    PublicationEntry.objects.bulk_create(entries)
    publication.compiled_at = at
    publication.save(update_fields=["compiled_at"])
    return publication


def publications_compile_due(*, cadence: str, at: datetime | None = None) -> list[Publication]:
    """The beat job: the period that ended before `at`, for every office of the cadence's levels that
    decided a case in it. One transaction per office."""
    if cadence not in CADENCE_LEVELS:
        raise ValueError(f"cadence must be one of {sorted(CADENCE_LEVELS)}")
    at = at or timezone.now()
    period = period_previous(timezone.localtime(at, LOCAL_TZ).date(), cadence)
    offices = Region.objects.filter(
        level__in=CADENCE_LEVELS[cadence],
        pk__in=Document.objects.filter(
            kind__in=DECISION_KINDS, issued_at__gte=period.start_at, issued_at__lt=period.end_before
        ).values("case__region"),
    ).order_by("code")
    done = []
    for office in offices:
        publication = publication_compile(office=office, period=period, at=at)
        if publication is not None:
            done.append(publication)
    return done


@transaction.atomic
def publication_approve(*, publication: Publication, actor, at: datetime | None = None) -> Publication:
    """The office's leader approves the draft: it is published. One "publication.published" event on the
    timeline of each case it lists (the case's record of being published)."""
    at = at or timezone.now()
    lock(publication)
    expect_status(
        publication, [Publication.Status.DRAFT], error_field=NON_FIELD_ERRORS, message=_("该期公布名单已发布。")
    )
    entries = list(publication.entries.select_related("case").order_by("id"))
    if not entries:
        raise ValidationError(_("该期名单没有条目，无需发布。"))
    publication.status, publication.approved_by, publication.published_at = Publication.Status.PUBLISHED, actor, at
    publication.save(update_fields=["status", "approved_by", "published_at"])
    for entry in sorted(entries, key=lambda e: e.case_id):
        timeline.record(
            entry.case,
            "publication.published",
            actor=actor,
            role=Role.LEADER,
            region_code=publication.region.code,
            at=at,
            data={"publication": publication.pk, "period": publication.period, "category": entry.category},
        )
    return publication


# --- selectors -----------------------------------------------------------------------------------------


def publications_public(*, period: str = "", region: str = "") -> QuerySet[Publication]:
    """Published lists, newest period first; `region`: a six-digit code (that office and those below)."""
    qs = Publication.objects.filter(status=Publication.Status.PUBLISHED).select_related("region")
    if period:
        qs = qs.filter(period=period.strip().upper())
    if region:
        qs = scope.within_region_code(qs, region)
    return qs.order_by("-period_end", "region__code")


def publication_periods() -> list[str]:
    """The archive: every period with a published list, newest first."""
    return list(
        Publication.objects.filter(status=Publication.Status.PUBLISHED)
        .order_by("-period_end", "period")
        .values_list("period", flat=True)
        .distinct()
    )


PUBLIC_FIELDS = ("employer_name", "uscc", "address", "legal_representative", "facts", "handling")


def entry_public(entry: PublicationEntry) -> dict:
    """An entry as published: the prescribed fields and nothing else."""
    return {name: getattr(entry, name) for name in PUBLIC_FIELDS}


def publication_public(publication: Publication) -> dict:
    return {
        "id": publication.pk,
        "period": publication.period,
        "period_start": publication.period_start,
        "period_end": publication.period_end,
        "office": publication.region.name,
        "region_code": publication.region.code,
        "published_at": publication.published_at,
        "entries": [entry_public(e) for e in publication.entries.order_by("id")],
    }


def publications_for_staff(user) -> QuerySet[Publication]:
    """Publications of the offices whose lists the user may read (leaders and auditors: theirs and below)."""
    from django.core.exceptions import PermissionDenied

    from .accountability import register_regions

    ids = register_regions(user)
    if ids is None:
        raise PermissionDenied
    return (
        Publication.objects.filter(region_id__in=ids)
        .select_related("region", "approved_by")
        .order_by("-period_end", "region__code")
    )
