"""Credit listing (失信联合惩戒名单, SPEC §4.5a; DL2021; domain-rules §3, §4.3): services and selectors.

    eligible, reasons, failures = listing_criteria(case)           # pure: reads, writes nothing
    listing = listing_propose(case=case, actor=inspector, legal_representative_id="…", persons=[…])
    listing_notice(listing=listing, actor=inspector)                # LISTING_NOTICE + the defence window
    listing_defence_submit(notice_number=…, uscc=…, defence=…)     # public, inside the window
    listing_defence_close(listing=listing)                          # the window ran out → legal review
    listing_legal_review(listing=…, actor=legal, approved=True, opinion=…)
    listing_decide(listing=…, actor=leader, approved=True, opinion=…)   # LISTING_DECISION, listed for 3 years
    listing_expire(listing=…)                                       # the term ran out (the sweep)
    removal_apply(notice_number=…, uscc=…, corrected_on=…, pledge=…)   # 信用修复, public
    removal_review(application=…, actor=legal, …) / removal_decide(application=…, actor=leader, …)

Every change writes one ListingHistory row and one case timeline event ("listing.*") in the same
transaction; issuing a document adds its own "document.issued" event (cases.documents).

The term. DL2021: listed for 3 years from the decision. The end is computed as a civil-law period
(民法典 arts 201–202: the decision day is not counted; the period ends on the corresponding day three
years later, the month's last day when there is none — 29 Feb → 28 Feb) at 23:59:59 Asia/Shanghai.
It is kept twice, on purpose: `CreditListing.expires_at` is the public list's field (and the partial
index "listing_expiry"), and a "listing.term" deadline of unit DAYS whose length is the number of days
of those three calendar years (1095 or 1096) puts the term on the case page with its legal basis and
makes the minute sweep expire the listing exactly once (its overdue transition; workflows registers
the handler). A periodic check (`listings_expire_due`) is the safety net where the sweep has one.

The workflow side (workflows/flows_accountability.py) registers `on_removal_applied` to start the
review of an application: this module never imports workflows.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import timeline
from cases.deadlines import DL2021, Rule, deadline_cancel, deadline_close, deadline_start, rules_register
from cases.documents import document_issue
from cases.masking import mask_id, mask_name
from cases.models import ArrearsEntry, Case, Deadline, Document, Role
from cases.provinces import province_config
from cases.values import LOCAL_TZ, in_office_language, moment, required_text, resident_id_clean, yuan_text

from .models import CreditListing, ListedPerson, ListingHistory, RemovalApplication

logger = logging.getLogger(__name__)

S = CreditListing.Status
TERM_YEARS = 3  # DL2021: listed for 3 years from the decision (domain-rules §2 row 37)
REMOVAL_AFTER_MONTHS = 6  # DL2021: early removal ≥ 6 months after correction (row 38)
DEFENCE = "listing.defence"
TERM = "listing.term"

rules_register(
    {
        # row 37 [S]: 3 years from the decision. The length is set per listing (1095 or 1096 days).
        TERM: Rule(gettext_lazy("失信联合惩戒名单期限（3年）"), 365 * TERM_YEARS, Deadline.Unit.DAYS, DL2021,
                   "listing.listed", 0),
    }
)  # fmt: skip

# Statuses in which the employer is on the published list.
ON_LIST = (S.LISTED, S.REMOVAL_APPLIED)
# Statuses of a listing procedure still running or in force: a case has at most one.
OPEN = (S.PROPOSED, S.NOTICED, S.REVIEW, S.DECISION, S.LISTED, S.REMOVAL_APPLIED)


# --- the criteria (DL2021 art 5; JI2013 art 3 thresholds from the province's settings) -----------------


def _months(start: date, end: date) -> int:
    """Whole months in the period [start, end] (both days included): 05-01..07-31 is 3."""
    after = end + timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    return months - 1 if after.day < start.day else months


@dataclass(frozen=True)
class Assessment:
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    outstanding: Decimal = Decimal("0.00")
    workers_owed: int = 0
    amount_met: bool = False


def listing_assess(case: Case) -> Assessment:
    """listing_criteria's work, with the amounts it found (the proposal stores them)."""
    cfg = province_config(case.region)
    per_worker: dict[int, dict[str, Any]] = {}
    entries = ArrearsEntry.objects.filter(case=case).values_list(
        "worker_id", "period_start", "period_end", "amount_owed", "amount_paid"
    )
    has_ledger = False
    for worker_id, start, end, owed, paid in entries:
        has_ledger = True
        if paid >= owed:
            continue
        w = per_worker.setdefault(worker_id, {"outstanding": Decimal("0.00"), "start": start, "end": end})
        w["outstanding"] += owed - paid
        w["start"], w["end"] = min(w["start"], start), max(w["end"], end)
    if has_ledger:
        outstanding = sum((w["outstanding"] for w in per_worker.values()), Decimal("0.00"))
        workers = len(per_worker)
    else:  # no per-worker ledger: the case's totals (the single-worker test cannot be made)
        outstanding = max(case.amount_owed - case.amount_paid, Decimal("0.00"))
        workers = case.workers_count if outstanding > 0 else 0
    reasons: list[str] = []
    failures: list[str] = []

    single = [
        w
        for w in per_worker.values()
        if w["outstanding"] >= cfg.crime_single_amount and _months(w["start"], w["end"]) >= cfg.crime_single_months
    ]
    single_rule = _("拖欠一名劳动者%(months)d个月以上工资且数额在%(amount)s以上") % {
        "months": cfg.crime_single_months,
        "amount": yuan_text(cfg.crime_single_amount),
    }
    group_rule = _("拖欠%(workers)d名以上劳动者工资累计数额在%(amount)s以上") % {
        "workers": cfg.crime_group_workers,
        "amount": yuan_text(cfg.crime_group_amount),
    }
    group_met = workers >= cfg.crime_group_workers and outstanding >= cfg.crime_group_amount
    if single:
        top = max(single, key=lambda w: w["outstanding"])
        reasons.append(
            _("%(rule)s（其中一名劳动者%(months)d个月尚欠%(amount)s）")
            % {
                "rule": single_rule,
                "months": _months(top["start"], top["end"]),
                "amount": yuan_text(top["outstanding"]),
            }
        )
    if group_met:
        reasons.append(
            _("%(rule)s（%(workers)d名劳动者尚欠%(amount)s）")
            % {"rule": group_rule, "workers": workers, "amount": yuan_text(outstanding)}
        )
    amount_met = bool(single) or group_met
    if not amount_met:
        failures.append(
            _(
                "拖欠数额未达到拒不支付劳动报酬罪“数额较大”标准（%(single)s，或%(group)s；本案%(workers)d名劳动者尚欠%(amount)s）"
            )
            % {"single": single_rule, "group": group_rule, "workers": workers, "amount": yuan_text(outstanding)}
        )
    if case.group_incident:
        reasons.append(_("因拖欠工资引发群体性事件、极端事件，造成严重不良社会影响"))
    elif not amount_met:
        failures.append(_("未引发群体性事件或极端事件"))
    if case.unpaid_after_order:
        reasons.append(_("经责令限期支付，逾期仍未支付"))
    else:
        failures.append(_("尚无责令限期支付逾期未支付的记录（须经责令限期支付且逾期未支付）"))
    eligible = (amount_met or case.group_incident) and case.unpaid_after_order
    return Assessment(
        eligible=eligible,
        reasons=reasons if eligible else [],
        failures=[] if eligible else failures,
        outstanding=outstanding.quantize(Decimal("0.01")),
        workers_owed=workers,
        amount_met=amount_met,
    )


def listing_criteria(case: Case) -> tuple[bool, list[str], list[str]]:
    """DL2021 art 5: (arrears ≥ the crime's amount threshold — one worker ≥ N months and ≥ the single
    amount, or ≥ M workers totalling ≥ the group amount (JI2013 art 3; the province's figures) — OR a
    group / extreme incident) AND an order to pay left unpaid past its deadline.

    Returns (eligible, reasons it holds, reasons it fails). Pure: reads the ledger, writes nothing.
    The amount is what is still unpaid (outstanding) per the ledger, or the case totals without one.
    """
    a = listing_assess(case)
    return a.eligible, a.reasons, a.failures


# --- helpers ----------------------------------------------------------------------------------------


def _lock(listing: CreditListing) -> None:
    """Lock the listing row and reload it: its changes are serialised (then the case, by timeline)."""
    listing.refresh_from_db(from_queryset=CreditListing.objects.select_for_update())


def _history(listing: CreditListing, kind: str, *, actor, at: datetime, data: dict | None = None) -> None:
    ListingHistory.objects.create(
        listing=listing,
        at=at,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        data=timeline.normalise(data or {}),
    )


def _record(listing: CreditListing, kind: str, *, actor, role: str, at: datetime, data: dict | None = None) -> None:
    """The one history row and the one case timeline event of a change."""
    body = {"listing": listing.pk, "status": listing.status, **(data or {})}
    _history(listing, kind.removeprefix("listing."), actor=actor, at=at, data=body)
    timeline.record(listing.case, kind, actor=actor, role=role, data=body, at=at)


def _open_deadline(listing: CreditListing, kind: str) -> Deadline | None:
    """The listing's open deadline of `kind`: a case has one listing procedure at a time (OPEN)."""
    return (
        Deadline.objects.filter(
            case_id=listing.case_id,
            kind=kind,
            state__in=[Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.OVERDUE],
        )
        .order_by("-id")
        .first()
    )


def defence_deadline(listing: CreditListing) -> Deadline | None:
    """The defence window of this listing: its case's latest "listing.defence" deadline."""
    return Deadline.objects.filter(case_id=listing.case_id, kind=DEFENCE).order_by("-id").first()


# --- persons ------------------------------------------------------------------------------------------



@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    role: str


LEGAL_REPRESENTATIVE = "法定代表人"


def persons_clean(
    *, employer, legal_representative: str, legal_representative_id: str, persons: Iterable[dict]
) -> list[Person]:
    """The legal representative (Employer.legal_representative unless given) and the other responsible
    persons entered in the proposal, each with a valid ID number; one ID appears once."""
    name = " ".join((legal_representative or employer.legal_representative or "").split())
    if not name:
        raise ValidationError({"legal_representative": _("请填写用人单位的法定代表人或主要负责人姓名。")})
    if len(name) > 64:
        raise ValidationError({"legal_representative": _("姓名不能超过64个字符。")})
    representative_id = resident_id_clean(legal_representative_id, field="legal_representative_id")
    out = [Person(name, representative_id, LEGAL_REPRESENTATIVE)]
    for i, p in enumerate(persons or []):
        if not isinstance(p, dict):
            raise ValidationError({f"persons.{i}": _("每名责任人须有姓名、身份证号和身份。")})
        p_name = " ".join(str(p.get("name") or "").split())
        role = " ".join(str(p.get("role") or "").split()) or "直接责任人员"
        if not p_name or len(p_name) > 64:
            raise ValidationError({f"persons.{i}.name": _("请填写责任人姓名（不超过64个字符）。")})
        if len(role) > 32:
            raise ValidationError({f"persons.{i}.role": _("身份不能超过32个字符。")})
        out.append(Person(p_name, resident_id_clean(p.get("id_number"), field=f"persons.{i}.id_number"), role))
    seen: set[str] = set()
    for i, p in enumerate(out):
        if p.id_number in seen:
            raise ValidationError(
                {f"persons.{i - 1}.id_number" if i else "legal_representative_id": _("同一身份证号重复填写。")}
            )
        seen.add(p.id_number)
    return out


def _masked(persons: Iterable[Person | ListedPerson]) -> list[dict]:
    """For the timeline and the history: never a full ID number there (they are read by auditors)."""
    return [{"name": mask_name(p.name), "id_number": mask_id(p.id_number), "role": p.role} for p in persons]


# --- the procedure ------------------------------------------------------------------------------------


@transaction.atomic
def listing_propose(
    *,
    case: Case,
    actor,
    legal_representative_id: str,
    legal_representative: str = "",
    persons: Iterable[dict] = (),
    at: datetime | None = None,
) -> CreditListing:
    """An assigned inspector proposes the employer (and its responsible persons) for the list.

    Refused (ValidationError on "case_no", with the reasons) unless listing_criteria holds, or while
    another listing of the case is running or in force.
    """
    at = moment(at)
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").get()
    case.refresh_from_db()
    assessment = in_office_language(lambda: listing_assess(case))
    if not assessment.eligible:
        raise ValidationError({"case_no": listing_assess(case).failures})  # in the asker's language
    if CreditListing.objects.filter(case=case, status__in=OPEN).exists():
        raise ValidationError({"case_no": [_("该案件已有进行中的失信名单程序，或用人单位已在名单中。")]})
    clean = persons_clean(
        employer=case.employer,
        legal_representative=legal_representative,
        legal_representative_id=legal_representative_id,
        persons=persons,
    )
    listing = CreditListing.objects.create(
        case=case,
        employer=case.employer,
        region=case.region,
        status=S.PROPOSED,
        reasons=assessment.reasons,
        amount_owed=assessment.outstanding,
    )
    ListedPerson.objects.bulk_create(
        [ListedPerson(listing=listing, name=p.name, id_number=p.id_number, role=p.role) for p in clean]
    )
    _record(
        listing,
        "listing.proposed",
        actor=actor,
        role=Role.INSPECTOR,
        at=at,
        data={
            "reasons": assessment.reasons,
            "amount_owed": assessment.outstanding,
            "workers": assessment.workers_owed,
            "persons": _masked(clean),
        },
    )
    return listing


@transaction.atomic
def listing_notice(*, listing: CreditListing, actor, at: datetime | None = None) -> Document:
    """告知书 to the employer, and the defence window (the province's listing_defence_wd working days)."""
    at = moment(at)
    _lock(listing)
    if listing.status != S.PROPOSED:
        raise ValidationError(_("只有拟列入的名单可以告知。"))
    days = province_config(listing.region).listing_defence_wd
    deadline = deadline_start(kind=DEFENCE, region=listing.region, start_at=at, case=listing.case, length=days)
    due = timezone.localtime(deadline.due_at, LOCAL_TZ).date()
    document = in_office_language(
        lambda: document_issue(
            case=listing.case,
            kind=Document.Kind.LISTING_NOTICE,
            actor=actor,
            role=Role.INSPECTOR,
            data={"reason": "；".join(listing.reasons), "due_date": due},
            at=at,
        )
    )
    listing.notice = document
    listing.status = S.NOTICED
    listing.save(update_fields=["notice", "status"])
    _record(
        listing,
        "listing.noticed",
        actor=actor,
        role=Role.INSPECTOR,
        at=at,
        data={"notice": document.number, "defence_due": deadline.due_at, "defence_wd": days},
    )
    return document


# --- the employer's side: found by the notice number and its USCC --------------------------------------

NOT_FOUND = gettext_lazy("告知书编号或统一社会信用代码不正确。")


def _normalise_code(value: Any) -> str:
    return re.sub(r"\s+", "", str(value or "")).upper()


def listing_for_employer(*, notice_number: str, uscc: str) -> CreditListing | None:
    """The listing whose notice (or decision) bears this number, if the USCC is its employer's.

    Any mismatch — no such number, another code, an employer without a code — is the same None,
    and the comparison takes the same time, so nothing is revealed about other employers.
    """
    number = " ".join(str(notice_number or "").split())
    code = _normalise_code(uscc)
    listing = None
    if number:
        listing = (
            CreditListing.objects.select_related("employer", "case", "notice", "decision", "region")
            .filter(Q(notice__number=number) | Q(decision__number=number))
            .order_by("-id")
            .first()
        )
    expected = _normalise_code(listing.employer.uscc) if listing is not None else ""
    same = hmac.compare_digest(expected.encode() or b"-", code.encode() or b"--")
    return listing if listing is not None and expected and same else None


@transaction.atomic
def listing_defence_submit(*, notice_number: str, uscc: str, defence: str, at: datetime | None = None) -> CreditListing:
    """陈述申辩 by the employer (public page or API), inside the defence window; once."""
    at = moment(at)
    text = (defence or "").strip()
    if not text:
        raise ValidationError({"defence": _("请填写陈述申辩的内容。")})
    if len(text) > 5000:
        raise ValidationError({"defence": _("陈述申辩不能超过5000个字符。")})
    listing = listing_for_employer(notice_number=notice_number, uscc=uscc)
    if listing is None:
        raise ValidationError({"notice_number": [str(NOT_FOUND)]})
    _lock(listing)
    deadline = defence_deadline(listing)
    if listing.status != S.NOTICED or deadline is None or at > deadline.due_at:
        raise ValidationError({"notice_number": [_("陈述申辩期已届满，不再接收陈述申辩。")]})
    if listing.defence_at is not None:
        raise ValidationError({"notice_number": [_("已提交过陈述申辩，不能重复提交。")]})
    listing.defence, listing.defence_at = text, at
    listing.save(update_fields=["defence", "defence_at"])
    _record(
        listing,
        "listing.defence_submitted",
        actor=None,
        role="",
        at=at,
        data={"chars": len(text), "sha256": hashlib.sha256(text.encode()).hexdigest()},
    )
    return listing


@transaction.atomic
def listing_defence_close(*, listing: CreditListing, at: datetime | None = None) -> CreditListing:
    """The defence window ran out (the flow's timer): the proposal goes to legal review.

    The window's deadline is closed as met at its due time: it is the employer's period, not a
    duty of the office, and must not count as an overdue deadline of the case.
    """
    at = moment(at)
    _lock(listing)
    if listing.status != S.NOTICED:
        return listing
    deadline = _open_deadline(listing, DEFENCE)
    if deadline is not None:
        deadline_close(deadline=deadline, at=min(at, deadline.due_at))
    listing.status = S.REVIEW
    listing.save(update_fields=["status"])
    _record(
        listing,
        "listing.defence_closed",
        actor=None,
        role="",
        at=at,
        data={"defence_submitted": listing.defence_at is not None},
    )
    return listing


@transaction.atomic
def listing_legal_review(
    *, listing: CreditListing, actor, approved: bool, opinion: str, at: datetime | None = None
) -> CreditListing:
    """法制审核. Not passed → no listing (APL art 58 by analogy: no decision without a passed review)."""
    at = moment(at)
    opinion = required_text(opinion, field="opinion", label=_("意见"))
    _lock(listing)
    if listing.status != S.REVIEW:
        raise ValidationError(_("该名单当前不在法制审核阶段。"))
    listing.status = S.DECISION if approved else S.REJECTED
    listing.save(update_fields=["status"])
    _record(
        listing,
        "listing.legal_reviewed",
        actor=actor,
        role=Role.LEGAL,
        at=at,
        data={"approved": approved, "opinion": opinion},
    )
    return listing


def term_end(decided_at: datetime) -> datetime:
    """23:59:59 (Shanghai) of the day corresponding to the decision day, TERM_YEARS later."""
    day = timezone.localtime(decided_at, LOCAL_TZ).date()
    try:
        end = day.replace(year=day.year + TERM_YEARS)
    except ValueError:  # 29 February → the month's last day
        end = day.replace(year=day.year + TERM_YEARS, day=28)
    return datetime.combine(end, time(23, 59, 59), tzinfo=LOCAL_TZ)


@transaction.atomic
def listing_decide(
    *, listing: CreditListing, actor, approved: bool, opinion: str, at: datetime | None = None
) -> CreditListing:
    """The leader's decision: 列入决定书, listed and published for 3 years; or not listed."""
    at = moment(at)
    opinion = required_text(opinion, field="opinion", label=_("意见"))
    _lock(listing)
    if listing.status != S.DECISION:
        raise ValidationError(_("该名单当前不在待决定阶段。"))
    if not approved:
        listing.status = S.REJECTED
        listing.save(update_fields=["status"])
        _record(listing, "listing.rejected", actor=actor, role=Role.LEADER, at=at, data={"opinion": opinion})
        return listing
    document = in_office_language(
        lambda: document_issue(
            case=listing.case,
            kind=Document.Kind.LISTING_DECISION,
            actor=actor,
            role=Role.LEADER,
            data={"reason": "；".join(listing.reasons)},
            at=at,
        )
    )
    expires_at = term_end(at)
    start_day = timezone.localtime(at, LOCAL_TZ).date()
    term = deadline_start(
        kind=TERM,
        region=listing.region,
        start_at=at,
        case=listing.case,
        length=(expires_at.date() - start_day).days,
    )
    assert term.due_at == expires_at, (term.due_at, expires_at)
    listing.decision, listing.status, listing.listed_at, listing.expires_at = document, S.LISTED, at, expires_at
    listing.save(update_fields=["decision", "status", "listed_at", "expires_at"])
    _record(
        listing,
        "listing.listed",
        actor=actor,
        role=Role.LEADER,
        at=at,
        data={"decision": document.number, "opinion": opinion, "expires_at": expires_at, "term_deadline": term.pk},
    )
    return listing


@transaction.atomic
def listing_expire(*, listing: CreditListing, at: datetime | None = None) -> bool:
    """The 3-year term has run: removed from the list (期满移出). False if there was nothing to do."""
    at = moment(at)
    _lock(listing)
    if listing.status not in ON_LIST or listing.expires_at is None or at < listing.expires_at:
        return False
    term = _open_deadline(listing, TERM)
    if term is not None:
        deadline_close(deadline=term, at=term.due_at)  # the term ran its course: met, not late
    listing.status, listing.removed_at = S.EXPIRED, listing.expires_at
    listing.save(update_fields=["status", "removed_at"])
    _record(listing, "listing.expired", actor=None, role="", at=at, data={"expires_at": listing.expires_at})
    return True


def listing_term_overdue(deadline: Deadline, now: datetime) -> None:
    """cases.deadlines on_overdue("listing.term") handler: expire the listing whose term this is."""
    listing = (
        CreditListing.objects.filter(case_id=deadline.case_id, status__in=ON_LIST, expires_at=deadline.due_at)
        .order_by("id")
        .first()
    )
    if listing is not None:
        listing_expire(listing=listing, at=now)


def listings_expire_due(now: datetime | None = None, **_kwargs) -> int:
    """A periodic check (the sweep's, where it has one): expire every listing whose term has ended."""
    now = moment(now)
    done = 0
    for pk in CreditListing.objects.filter(status__in=ON_LIST, expires_at__lte=now).values_list("pk", flat=True):
        try:
            if listing_expire(listing=CreditListing.objects.get(pk=pk), at=now):
                done += 1
        except Exception:
            logger.exception("listing %s: expiry failed; retried at the next sweep", pk)
    return done


# --- early removal (信用修复) -------------------------------------------------------------------------

_removal_hooks: list[Callable[[RemovalApplication], None]] = []


def on_removal_applied(fn: Callable[[RemovalApplication], None]) -> Callable:
    """Call fn(application) in the application's transaction (workflows starts its review)."""
    if fn not in _removal_hooks:
        _removal_hooks.append(fn)
    return fn


def add_months(day: date, months: int) -> date:
    """The corresponding day `months` later (the month's last day when there is none)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise AssertionError(day)


def removal_earliest(corrected_on: date) -> date:
    return add_months(corrected_on, REMOVAL_AFTER_MONTHS)


@transaction.atomic
def removal_apply(
    *, notice_number: str, uscc: str, corrected_on: date, pledge: str, at: datetime | None = None
) -> RemovalApplication:
    """An employer on the list applies for early removal: corrected ≥ 6 months ago, with a written pledge."""
    at = moment(at)
    errors: dict[str, list[str]] = {}
    text = (pledge or "").strip()
    if not text:
        errors["pledge"] = [_("请填写信用承诺书。")]
    elif len(text) > 5000:
        errors["pledge"] = [_("信用承诺书不能超过5000个字符。")]
    today = timezone.localtime(at, LOCAL_TZ).date()
    if not isinstance(corrected_on, date):
        errors["corrected_on"] = [_("请填写改正（支付完毕）日期。")]
    elif corrected_on > today:
        errors["corrected_on"] = [_("改正日期不能晚于今天。")]
    if errors:
        raise ValidationError(errors)
    listing = listing_for_employer(notice_number=notice_number, uscc=uscc)
    if listing is None:
        raise ValidationError({"notice_number": [str(NOT_FOUND)]})
    _lock(listing)
    if listing.status == S.REMOVAL_APPLIED:
        raise ValidationError({"notice_number": [_("已有待审核的提前移出申请。")]})
    if listing.status != S.LISTED:
        raise ValidationError({"notice_number": [_("该单位不在失信联合惩戒对象名单中。")]})
    earliest = removal_earliest(corrected_on)
    if today < earliest:
        raise ValidationError(
            {
                "corrected_on": [
                    _("改正后满%(n)d个月方可申请提前移出，最早可于%(day)s申请。")
                    % {"n": REMOVAL_AFTER_MONTHS, "day": earliest.isoformat()}
                ]
            }
        )
    application = RemovalApplication.objects.create(
        listing=listing, corrected_on=corrected_on, pledge=text, applied_at=at
    )
    listing.status = S.REMOVAL_APPLIED
    listing.save(update_fields=["status"])
    _record(
        listing,
        "listing.removal_applied",
        actor=None,
        role="",
        at=at,
        data={"application": application.pk, "corrected_on": corrected_on, "pledge_chars": len(text)},
    )
    for fn in _removal_hooks:
        fn(application)
    return application


def _pending(application: RemovalApplication) -> CreditListing:
    listing = application.listing
    _lock(listing)
    application.refresh_from_db()
    if application.status != RemovalApplication.Status.PENDING:
        raise ValidationError(_("该申请已办结。"))
    return listing


def _refuse(application: RemovalApplication, listing: CreditListing, *, actor, role: str, at, opinion: str, by: str):
    application.status, application.decided_at, application.opinion = RemovalApplication.Status.REFUSED, at, opinion
    application.save(update_fields=["status", "decided_at", "opinion"])
    if listing.status == S.REMOVAL_APPLIED:
        listing.status = S.LISTED
        listing.save(update_fields=["status"])
    _record(
        listing,
        "listing.removal_refused",
        actor=actor,
        role=role,
        at=at,
        data={"application": application.pk, "opinion": opinion, "by": by},
    )


@transaction.atomic
def removal_review(
    *, application: RemovalApplication, actor, approved: bool, opinion: str, at: datetime | None = None
) -> RemovalApplication:
    """法制审核 of an application; not passed → refused (the listing stays)."""
    at = moment(at)
    opinion = required_text(opinion, field="opinion", label=_("意见"))
    listing = _pending(application)
    if not approved:
        _refuse(application, listing, actor=actor, role=Role.LEGAL, at=at, opinion=opinion, by="legal_review")
        return application
    _record(
        listing,
        "listing.removal_reviewed",
        actor=actor,
        role=Role.LEGAL,
        at=at,
        data={"application": application.pk, "approved": True, "opinion": opinion},
    )
    return application


@transaction.atomic
def removal_decide(
    *, application: RemovalApplication, actor, approved: bool, opinion: str, at: datetime | None = None
) -> RemovalApplication:
    """The leader grants early removal (提前移出) or refuses it."""
    at = moment(at)
    opinion = required_text(opinion, field="opinion", label=_("意见"))
    listing = _pending(application)
    if not approved or listing.status != S.REMOVAL_APPLIED:
        if listing.status != S.REMOVAL_APPLIED:  # the term ran out meanwhile
            opinion = f"{opinion}（{in_office_language(lambda: str(listing.get_status_display()))}）"
        _refuse(application, listing, actor=actor, role=Role.LEADER, at=at, opinion=opinion, by="decision")
        return application
    term = _open_deadline(listing, TERM)
    if term is not None:
        deadline_cancel(deadline=term, at=at)
    application.status, application.decided_at, application.opinion = RemovalApplication.Status.GRANTED, at, opinion
    application.save(update_fields=["status", "decided_at", "opinion"])
    listing.status, listing.removed_at, listing.corrected_on = S.REMOVED_EARLY, at, application.corrected_on
    listing.save(update_fields=["status", "removed_at", "corrected_on"])
    _record(
        listing,
        "listing.removed_early",
        actor=actor,
        role=Role.LEADER,
        at=at,
        data={"application": application.pk, "opinion": opinion, "corrected_on": application.corrected_on},
    )
    return application


# --- selectors: the public list (masked, no phone) -----------------------------------------------------


def credit_list_public(*, q: str = "") -> QuerySet[CreditListing]:
    """Listed employers, newest first; q: part of the name, or the USCC."""
    qs = (
        CreditListing.objects.filter(status__in=ON_LIST)
        .select_related("employer", "region", "decision")
        .prefetch_related("persons")
        .order_by("-listed_at", "-id")
    )
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(employer__uscc=_normalise_code(q)) | Q(employer__name__icontains=q))
    return qs


def credit_listing_public(pk: int) -> CreditListing | None:
    return credit_list_public().filter(pk=pk).first()


def listing_public(listing: CreditListing) -> dict:
    """What the public list shows of one listing: ID numbers masked, no phone, no case number."""
    employer = listing.employer
    return {
        "id": listing.pk,
        "employer_name": employer.name,
        "uscc": employer.uscc,
        "address": employer.address,
        "legal_representative": next(
            (p.name for p in listing.persons.all() if p.role == LEGAL_REPRESENTATIVE), employer.legal_representative
        ),
        "persons": [{"name": p.name, "id_number": mask_id(p.id_number), "role": p.role} for p in listing.persons.all()],
        "reasons": list(listing.reasons),
        "deciding_office": listing.region.name,
        "decision_number": listing.decision.number if listing.decision_id else "",
        "listed_at": listing.listed_at,
        "expires_at": listing.expires_at,
    }
