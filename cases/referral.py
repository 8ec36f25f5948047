"""涉嫌拒不支付劳动报酬犯罪移送 (SPEC §4.4; domain-rules §3, §4.2, §5; R310, JI2013, CL 276-1).

    eligibility = referral_eligibility(case)          # pure: reads the case, writes nothing
    referral_grounds_record(case=case, actor=inspector, ground="flight", evidence=photo)
    referral = referral_propose(case=case, actor=inspector)      # refused with the reasons when not eligible
    referral_legal_review(referral=referral, actor=legal, decision="approved", opinion="…")
    referral_approve(referral=referral, actor=leader, approved=True, opinion="…")          # 3 days
    referral_transfer(referral=referral, actor=inspector)                                  # 24 hours
    referral_police_decision(referral=referral, actor=inspector, filed=True)               # police: 3 days
    referral_handover(…) → referral_outcome(…)                                             # 3 days
    referral_reconsideration_request(…) → referral_reconsideration_answer(…)               # 3 + 3 days
      → referral_procuratorate_request(…)                                                  # 3 days

Each service is one transaction with one timeline event of its own (proposing and amending also
issue the package, whose "document.issued" event is the document's). Deadlines are in calendar
days or hours, as R310 counts them. The administrative case goes on meanwhile: nothing here
changes `case.status`, and nothing in the administrative services touches a referral (R310 art 11:
a penalty does not replace a transfer).

Where the crime grounds live: flight / concealment or able-but-refusing (CL 276-1) are recorded
with their evidence as "case.crime_ground_recorded" events on the case's timeline. The timeline is
append-only and hash-chained, so a ground, who recorded it, when, and the SHA-256 of its evidence
cannot be changed afterwards — which is what a criminal referral needs; no model changes; and
`Referral.eligibility` cannot hold them because a ground must exist *before* a referral may be
proposed. The snapshot taken at proposal copies the grounds into `Referral.eligibility`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import timeline
from .deadlines import R310, Rule, deadline_close, deadline_start, rules_register
from .documents import document_issue, police_name, procuratorate_name
from .models import ArrearsEntry, Case, Deadline, Document, Evidence, Referral, Role, ServiceRecord, TimelineEvent
from .provinces import province_config
from .values import required_text, yuan_text

# --- deadlines (domain-rules §2 rows 23-32; R310 arts 5, 8, 9, 12 [V]) ------------------------------

APPROVE, TRANSFER, POLICE_DECIDE = "referral.approve", "referral.transfer", "police.decide"
HANDOVER = "referral.handover"
RECONSIDER_REQUEST = "referral.reconsider_request"
POLICE_RECONSIDER = "police.reconsider"
PROCURATORATE_REQUEST = "referral.procuratorate_request"

Unit = Deadline.Unit
rules_register(
    {
        # row 32: police filed → the office hands over the materials within 3 days of the filing notice
        HANDOVER: Rule(gettext_lazy("移交涉案材料期限"), 3, Unit.DAYS, f"{R310}第十二条", "referral.police_filed", 1),
        # row 29: not-filed notice → the office may ask the police to reconsider within 3 days
        RECONSIDER_REQUEST: Rule(
            gettext_lazy("提请公安机关复议期限"), 3, Unit.DAYS, f"{R310}第九条", "referral.police_not_filed", 1
        ),
        # row 30: the police decide on the reconsideration within 3 days of the request
        POLICE_RECONSIDER: Rule(
            gettext_lazy("公安机关复议期限"), 3, Unit.DAYS, f"{R310}第九条", "referral.reconsideration_requested", 1
        ),
        # row 31: still refused → propose procuratorate supervision within 3 days of the reconsideration decision
        PROCURATORATE_REQUEST: Rule(
            gettext_lazy("建议检察院立案监督期限"),
            3,
            Unit.DAYS,
            f"{R310}第九条",
            "referral.reconsideration_upheld",
            1,
        ),
    }
)

S = Referral.Status
OPEN = [S.REVIEW, S.APPROVAL, S.TRANSFER, S.TRANSFERRED, S.FILED, S.HANDED_OVER, S.NOT_FILED, S.RECONSIDERATION]

# --- eligibility ---------------------------------------------------------------------------------

GROUNDS = {"flight": gettext_lazy("逃匿、隐匿财产等方法逃避支付"), "refusal": gettext_lazy("有能力支付而不支付")}
GROUND_EVENT = "case.crime_ground_recorded"
ORDER_KINDS = [Document.Kind.ORDER_TO_PAY, Document.Kind.HANDLING_DECISION, Document.Kind.PENALTY_DECISION]
PHOTO_OR_VIDEO = {"image", "video"}
ZERO = Decimal("0.00")


@dataclass
class Eligibility:
    """Whether a case may be referred, why (reasons) and, when not, why not (failures)."""

    eligible: bool
    reasons: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    figures: dict = field(default_factory=dict)  # the numbers behind the reasons, for the snapshot

    def as_dict(self) -> dict:
        return asdict(self)


def _months_text(months: Fraction) -> str:
    value = (Decimal(months.numerator) / Decimal(months.denominator)).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def months_between(start: date, end: date) -> Fraction:
    """Months from `start` to `end` inclusive: whole calendar months, then the rest as a share of the next one.

    2026-05-01..2026-07-31 is 3; 2026-05-01..2026-07-30 is 2 + 30/31; 2026-05-15..2026-08-14 is 3.
    """
    stop = end + timedelta(days=1)
    whole = (stop.year - start.year) * 12 + stop.month - start.month
    while whole > 0 and _add_months(start, whole) > stop:
        whole -= 1
    anchor, following = _add_months(start, whole), _add_months(start, whole + 1)
    return whole + Fraction((stop - anchor).days, (following - anchor).days)


def _worker_months(periods: list[tuple[date, date]]) -> Fraction:
    """The unpaid months of one worker: its periods merged (overlaps and adjacent periods joined)."""
    total, current = Fraction(0), None
    for start, end in sorted(periods):
        if current and start <= current[1] + timedelta(days=1):
            current = (current[0], max(current[1], end))
            continue
        if current:
            total += months_between(*current)
        current = (start, end)
    if current:
        total += months_between(*current)
    return total


def _amount_test(case: Case, config, out: Eligibility) -> None:
    """JI2013 art 3 "数额较大", with the province's figures (never hard-coded here)."""
    cents = Decimal("0.01")
    months_needed, single_amount = config.crime_single_months, Decimal(config.crime_single_amount).quantize(cents)
    workers_needed, group_amount = config.crime_group_workers, Decimal(config.crime_group_amount).quantize(cents)
    standard = {
        "single_months": months_needed,
        "single_amount": str(single_amount),
        "group_workers": workers_needed,
        "group_amount": str(group_amount),
        "confirmed": config.crime_figures_confirmed,
    }
    workers: dict[int, dict] = {}
    for entry in ArrearsEntry.objects.filter(case=case).order_by("worker_id", "period_start", "id"):
        outstanding = entry.amount_owed - entry.amount_paid
        if outstanding <= 0:
            continue
        w = workers.setdefault(entry.worker_id, {"outstanding": ZERO, "periods": []})
        w["outstanding"] += outstanding
        w["periods"].append((entry.period_start, entry.period_end))
    for w in workers.values():
        w["months"] = _worker_months(w["periods"])
    total = sum((w["outstanding"] for w in workers.values()), ZERO)
    single = [w for w in workers.values() if w["months"] >= months_needed and w["outstanding"] >= single_amount]
    group = len(workers) >= workers_needed and total >= group_amount
    out.figures["amount"] = {
        "standard": standard,
        "workers_unpaid": len(workers),
        "outstanding": str(total),
        "workers_over_single_standard": len(single),
    }
    if not config.crime_figures_confirmed:
        out.reasons.append(_("注意：本省“数额较大”标准尚未按省高级人民法院规定确认，现按默认值计算。"))
    if not workers:
        out.failures.append(_("欠薪台账没有尚未支付的工资记录，无法认定拖欠数额。"))
        return
    if single:
        out.reasons.append(
            _("有%(n)d名劳动者被拖欠%(m)d个月以上工资且金额不少于%(a)s，达到单人“数额较大”标准。")
            % {"n": len(single), "m": months_needed, "a": yuan_text(single_amount)}
        )
    if group:
        out.reasons.append(
            _("%(n)d名劳动者被拖欠工资累计%(t)s，达到%(w)d人以上累计%(a)s的“数额较大”标准。")
            % {"n": len(workers), "t": yuan_text(total), "w": workers_needed, "a": yuan_text(group_amount)}
        )
    if not single and not group:
        most_months = max(w["months"] for w in workers.values())
        most_amount = max(w["outstanding"] for w in workers.values())
        out.failures.append(
            _(
                "拖欠数额未达到本省“数额较大”标准：须单名劳动者被拖欠%(m)d个月以上且不少于%(a)s"
                "（本案单人最多拖欠%(mm)s个月、最高%(ma)s），或%(w)d名以上劳动者累计不少于%(g)s"
                "（本案%(n)d人、累计%(t)s）。"
            )
            % {
                "m": months_needed,
                "a": yuan_text(single_amount),
                "mm": _months_text(most_months),
                "ma": yuan_text(most_amount),
                "w": workers_needed,
                "g": yuan_text(group_amount),
                "n": len(workers),
                "t": yuan_text(total),
            }
        )


def _valid_service(document: Document) -> tuple[ServiceRecord | None, str]:
    """The document's first service that counts (posting needs photo or video proof), or why none does."""
    records = sorted(document.services.all(), key=lambda r: (r.served_at, r.pk))
    if not records:
        return None, _("责令支付文书%(no)s尚未送达。") % {"no": document.number}
    for record in records:
        if record.method != ServiceRecord.Method.POSTED:
            return record, ""
        proof = record.proof
        if proof is not None and proof.case_id == document.case_id:
            if proof.content_type.split("/", 1)[0].lower() in PHOTO_OR_VIDEO:
                return record, ""
    return None, _("责令支付文书%(no)s系公告（张贴）送达，但未附张贴现场的照片或录像，不能视为已送达。") % {
        "no": document.number
    }


def _order_due(case: Case, document: Document) -> date | None:
    """The document's own deadline (it is `case.order_due` when issued); else the case's.

    A later decision may set a new `case.order_due`; an earlier order that was served and ignored still counts."""
    try:
        return date.fromisoformat(str(document.data.get("due_date"))[:10])
    except ValueError:
        return case.order_due


def _order_test(case: Case, today: date, out: Eligibility) -> None:
    """An order to pay served (or posted with photo/video proof), its deadline passed, wages still unpaid."""
    documents = [
        d
        for d in case.documents.filter(kind__in=ORDER_KINDS)
        .prefetch_related("services__proof")
        .order_by("-issued_at", "-id")
        if d.kind == Document.Kind.ORDER_TO_PAY or d.data.get("due_date")  # a penalty / handling decision with an order
    ]
    if not documents:
        out.failures.append(_("未作出责令限期支付工资的文书（限期支付令，或载明限期支付工资的处理、处罚决定书）。"))
        return
    failure = ""
    for document in documents:
        record, why = _valid_service(document)
        due = _order_due(case, document)
        if record is None:
            failure = failure or why
            continue
        if due is None:
            failure = failure or _("责令支付文书%(no)s没有载明履行期限。") % {"no": document.number}
            continue
        served_on = timezone.localtime(record.served_at).date()
        if served_on > due:
            failure = failure or _("责令支付文书%(no)s送达时履行期限（%(due)s）已过，不能认定逾期不支付。") % {
                "no": document.number,
                "due": due.isoformat(),
            }
            continue
        if due >= today:
            failure = failure or _("履行期限（%(due)s）尚未届满。") % {"due": due.isoformat()}
            continue
        out.reasons.append(
            _("责令支付文书%(no)s已于%(on)s%(how)s，履行期限%(due)s已届满。")
            % {"no": document.number, "on": served_on.isoformat(), "how": record.get_method_display(), "due": due}
        )
        out.figures["order"] = {
            "document": document.number,
            "kind": document.kind,
            "served_at": record.served_at.isoformat(),
            "method": record.method,
            "proof": record.proof.sha256 if record.proof else None,
            "due": due.isoformat(),
        }
        break
    else:
        out.failures.append(failure)
        return
    entries = ArrearsEntry.objects.filter(case=case)
    if entries.exists() and all(e.amount_paid >= e.amount_owed for e in entries):
        out.failures.append(_("台账显示拖欠的工资已全部支付，不属于逾期仍不支付。"))


def grounds_of(case: Case) -> list[dict]:
    """The crime grounds recorded on the case's timeline, oldest first (each with its evidence's id and hash)."""
    events = TimelineEvent.objects.filter(case=case, kind=GROUND_EVENT).order_by("seq")
    return [{**e.data, "at": e.at.isoformat(), "by": e.actor_name} for e in events]


def _ground_test(case: Case, out: Eligibility) -> None:
    """CL 276-1: flight / concealment of assets, or able to pay and not paying — each with its evidence."""
    recorded = grounds_of(case)
    evidence = {e.pk: e for e in Evidence.objects.filter(case=case, pk__in=[g.get("evidence") for g in recorded])}
    valid = [g for g in recorded if g.get("evidence") in evidence and evidence[g["evidence"]].sha256 == g.get("sha256")]
    if not valid:
        out.failures.append(_("未记录用人单位以转移财产、逃匿等方法逃避支付，或者有能力支付而不支付的情形及其证据。"))
        return
    for ground in sorted({g["ground"] for g in valid}):
        described = "、".join(evidence[g["evidence"]].description for g in valid if g["ground"] == ground)
        out.reasons.append(
            _("已记录“%(ground)s”的情形，证据：%(evidence)s。") % {"ground": GROUNDS[ground], "evidence": described}
        )
    out.figures["grounds"] = valid


def referral_eligibility(case: Case, *, today: date | None = None) -> Eligibility:
    """May this case be referred to the police? A pure function of the case's data (writes nothing).

    (a) the amount, by the province's figures (cases.provinces.province_config); (b) an order to pay
    served, or posted with photo/video proof, its deadline (`case.order_due`) passed, wages unpaid;
    (c) flight / concealment or able-but-refusing, recorded with evidence (referral_grounds_record).
    """
    today = today or timezone.localdate()
    out = Eligibility(eligible=False, figures={"today": today.isoformat()})
    _amount_test(case, province_config(case.region), out)
    _order_test(case, today, out)
    _ground_test(case, out)
    out.eligible = not out.failures
    return out


# --- services ------------------------------------------------------------------------------------------


def _moment(value: datetime | None, field_name: str, *, not_before: datetime | None = None) -> datetime:
    """When something happened (default: now): not in the future, not before the step it follows."""
    now = timezone.now()
    if value is None:
        return now
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now:
        raise ValidationError({field_name: _("时间不能晚于当前时间。")})
    if not_before is not None and value < not_before:
        raise ValidationError({field_name: _("时间不能早于上一环节的时间。")})
    return value


def _lock(referral: Referral, *expected: str) -> Referral:
    """Lock the referral row, reload it, and check it is at one of the `expected` statuses."""
    referral.refresh_from_db(from_queryset=Referral.objects.select_for_update())
    if referral.status not in expected:
        raise ValidationError(
            {"status": _("移送当前状态为“%(s)s”，不能办理此环节。") % {"s": referral.get_status_display()}}
        )
    return referral


OPEN_CLOCK = [Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.OVERDUE]


def _clock_close(case: Case, kind: str, at: datetime) -> Deadline | None:
    clock = case.deadlines.filter(kind=kind, state__in=OPEN_CLOCK).order_by("-id").first()
    if clock is not None:
        deadline_close(deadline=clock, at=at)
    return clock


def _record(referral: Referral, kind: str, *, actor, role: str, data: dict, at: datetime | None = None) -> None:
    timeline.record(
        referral.case,
        kind,
        actor=actor,
        role=role,
        data={"referral": referral.pk, "status": referral.status, **data},
        at=at,
    )


@transaction.atomic
def referral_grounds_record(*, case: Case, actor, ground: str, evidence: Evidence, note: str = "") -> TimelineEvent:
    """Record flight / concealment ("flight") or able-but-refusing ("refusal") with its evidence (one event)."""
    if ground not in GROUNDS:
        raise ValidationError({"ground": _("请选择涉嫌犯罪的情形（逃匿或有能力支付而不支付）。")})
    if evidence is None or evidence.case_id != case.pk:
        raise ValidationError({"ground_evidence": _("请选择本案已上传的证据。")})
    return timeline.record(
        case,
        GROUND_EVENT,
        actor=actor,
        role=Role.INSPECTOR,
        data={
            "ground": ground,
            "evidence": evidence.pk,
            "sha256": evidence.sha256,
            "description": evidence.description,
            "note": (note or "").strip(),
        },
    )


def _package_data(case: Case, eligibility: Eligibility, facts: str) -> dict:
    """The package's parts (R310 art 6; domain-rules §5): report, evidence list, wage calculation."""
    filed = timezone.localtime(case.filed_at).date().isoformat()
    report = [
        _("本局于%(filed)s对%(employer)s立案调查（案件编号：%(no)s），经调查核实：")
        % {"filed": filed, "employer": case.employer.name, "no": case.case_no},
        *[f"{i}．{reason}" for i, reason in enumerate(eligibility.reasons, 1)],
        _("以上事实有劳动者陈述、工资台账、责令支付文书及送达凭证等证据证实。"),
    ]
    evidence = [
        f"{i}．{e.description}（{e.original_name}，SHA-256：{e.sha256[:16]}…）"
        for i, e in enumerate(case.evidence.order_by("uploaded_at", "id"), 1)
    ]
    wages = []
    entries = ArrearsEntry.objects.filter(case=case).select_related("worker").order_by("worker__name", "period_start")
    for i, e in enumerate(entries, 1):
        months = _months_text(months_between(e.period_start, e.period_end))
        wages.append(
            f"{i}．{e.worker.name}：{e.period_start.isoformat()}至{e.period_end.isoformat()}（{months}个月），"
            f"应付{yuan_text(e.amount_owed)}，已付{yuan_text(e.amount_paid)}，"
            f"尚欠{yuan_text(e.amount_owed - e.amount_paid)}"
        )
    data = {
        "report": report,
        "evidence": evidence or [_("（无）")],
        "wage_calculation": wages,
        "addressee": police_name(case.region),
        "procuratorate": procuratorate_name(case.region),
    }
    data["facts"] = (facts or "").strip() or _(
        "本局在办理%(employer)s拖欠劳动者工资一案（案件编号：%(no)s）中，发现该单位涉嫌拒不支付劳动报酬犯罪。"
    ) % {"employer": case.employer.name, "no": case.case_no}
    return data


def _package_issue(case: Case, eligibility: Eligibility, actor, facts: str) -> Document:
    return document_issue(
        case=case,
        kind=Document.Kind.REFERRAL_LETTER,
        actor=actor,
        role=Role.INSPECTOR,
        data=_package_data(case, eligibility, facts),
    )


def referral_open(case: Case) -> Referral | None:
    return case.referrals.filter(status__in=OPEN).order_by("-id").first()


@transaction.atomic
def referral_propose(*, case: Case, actor, facts: str = "", today: date | None = None) -> Referral:
    """Propose a referral: refused with the reasons unless eligible; the package is issued with it (REVIEW)."""
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").get()
    current = referral_open(case)
    if current is not None:
        raise ValidationError(
            {"case_no": [_("本案已有正在办理的涉嫌犯罪移送（%(s)s）。") % {"s": current.get_status_display()}]}
        )
    eligibility = referral_eligibility(case, today=today)
    if not eligibility.eligible:
        raise ValidationError({"case_no": eligibility.failures})
    now = timezone.now()
    referral = Referral.objects.create(
        case=case, status=S.REVIEW, eligibility=eligibility.as_dict(), proposed_by=actor, proposed_at=now
    )
    referral.package = _package_issue(case, eligibility, actor, facts)
    referral.save(update_fields=["package"])
    _record(
        referral,
        "referral.proposed",
        actor=actor,
        role=Role.INSPECTOR,
        data={"reasons": eligibility.reasons, "package": referral.package.number},
    )
    return referral


LEGAL_DECISIONS = ("approved", "returned", "ended")


@transaction.atomic
def referral_legal_review(*, referral: Referral, actor, decision: str, opinion: str) -> Referral:
    """法制审核: approve (the report goes to the leader: 3 days, R310 art 5), return to amend, or end."""
    opinion = required_text(opinion, field="opinion", label=_("审核意见"))
    if decision not in LEGAL_DECISIONS:
        raise ValidationError({"decision": _("无效的审核意见。")})
    _lock(referral, S.REVIEW)
    data: dict = {"decision": decision, "opinion": opinion}
    now = timezone.now()
    if decision == "approved":
        clock = deadline_start(kind=APPROVE, region=referral.case.region, start_at=now, case=referral.case)
        referral.status = S.APPROVAL
        data["approve_due"] = clock.due_at
    elif decision == "ended":
        referral.status = S.CONCLUDED
        referral.outcome = _("法制审核不同意移送：%(o)s") % {"o": opinion}
    referral.save(update_fields=["status", "outcome"])
    _record(referral, "referral.legal_reviewed", actor=actor, role=Role.LEGAL, data=data)
    return referral


@transaction.atomic
def referral_amend(*, referral: Referral, actor, facts: str, withdraw: bool = False) -> Referral:
    """Returned by legal review: the inspector amends (eligibility re-checked, package re-issued) or withdraws."""
    facts = required_text(facts, field="facts", label=_("补充修改说明"))
    _lock(referral, S.REVIEW)
    if withdraw:
        referral.status, referral.outcome = S.CONCLUDED, _("承办人撤回移送：%(f)s") % {"f": facts}
        referral.save(update_fields=["status", "outcome"])
        _record(referral, "referral.withdrawn", actor=actor, role=Role.INSPECTOR, data={"reason": facts})
        return referral
    eligibility = referral_eligibility(referral.case)
    if not eligibility.eligible:
        raise ValidationError({"facts": eligibility.failures})
    referral.eligibility = eligibility.as_dict()
    referral.package = _package_issue(referral.case, eligibility, actor, facts)
    referral.save(update_fields=["eligibility", "package"])
    _record(
        referral,
        "referral.amended",
        actor=actor,
        role=Role.INSPECTOR,
        data={"note": facts, "package": referral.package.number},
    )
    return referral


@transaction.atomic
def referral_approve(*, referral: Referral, actor, approved: bool, opinion: str) -> Referral:
    """The head of the office approves or refuses within 3 days (R310 art 5); approved → 24 hours to transfer."""
    opinion = required_text(opinion, field="opinion", label=_("审批意见"))
    _lock(referral, S.APPROVAL)
    case, now = referral.case, timezone.now()
    _clock_close(case, APPROVE, now)
    data: dict = {"approved": approved, "opinion": opinion}
    if approved:
        clock = deadline_start(kind=TRANSFER, region=case.region, start_at=now, case=case)
        referral.status, referral.approved_at = S.TRANSFER, now
        data["transfer_due"] = clock.due_at
    else:
        # R310 art 10 / domain-rules §4.2: not approved, the reason recorded; the administrative case goes on.
        referral.status, referral.outcome = S.NOT_APPROVED, _("负责人不批准移送：%(o)s") % {"o": opinion}
    referral.save(update_fields=["status", "approved_at", "outcome"])
    _record(
        referral, "referral.approved" if approved else "referral.not_approved", actor=actor, role=Role.LEADER, data=data
    )
    return referral


@transaction.atomic
def referral_transfer(
    *,
    referral: Referral,
    actor,
    police: str = "",
    procuratorate: str = "",
    transferred_at: datetime | None = None,
    note: str = "",
) -> Referral:
    """Transferred to the police at the office's level, a copy to the procuratorate (R310 art 5; SPP2006 §1).

    The police then have 3 days to decide whether to file (R310 art 8)."""
    _lock(referral, S.TRANSFER)
    case = referral.case
    at = _moment(transferred_at, "transferred_at", not_before=referral.approved_at)
    referral.police = (police or "").strip()[:100] or police_name(case.region)
    referral.procuratorate = (procuratorate or "").strip()[:100] or procuratorate_name(case.region)
    _clock_close(case, TRANSFER, at)
    clock = deadline_start(kind=POLICE_DECIDE, region=case.region, start_at=at, case=case)
    referral.status, referral.transferred_at = S.TRANSFERRED, at
    referral.save(update_fields=["status", "police", "procuratorate", "transferred_at"])
    _record(
        referral,
        "referral.transferred",
        actor=actor,
        role=Role.INSPECTOR,
        data={
            "police": referral.police,
            "procuratorate": referral.procuratorate,
            "copy_to_procuratorate": True,
            "transferred_at": at,
            "package": referral.package.number if referral.package else None,
            "police_due": clock.due_at,
            "note": (note or "").strip(),
        },
    )
    return referral


@transaction.atomic
def referral_police_decision(
    *, referral: Referral, actor, filed: bool, decided_at: datetime | None = None, note: str = ""
) -> Referral:
    """The police's decision (立案 / 不予立案), recorded by the inspector; the next 3-day clock starts."""
    _lock(referral, S.TRANSFERRED)
    case = referral.case
    at = _moment(decided_at, "decided_at", not_before=referral.transferred_at)
    _clock_close(case, POLICE_DECIDE, at)
    clock = deadline_start(kind=HANDOVER if filed else RECONSIDER_REQUEST, region=case.region, start_at=at, case=case)
    referral.status = S.FILED if filed else S.NOT_FILED
    referral.police_decision, referral.police_decided_at = ("filed" if filed else "not_filed"), at
    referral.save(update_fields=["status", "police_decision", "police_decided_at"])
    _record(
        referral,
        "referral.police_decided",
        actor=actor,
        role=Role.INSPECTOR,
        data={"decision": referral.police_decision, "decided_at": at, "next_due": clock.due_at, "note": note.strip()},
    )
    return referral


@transaction.atomic
def referral_handover(
    *, referral: Referral, actor, materials: str, handed_over_at: datetime | None = None, recipient: str = ""
) -> Referral:
    """Police filed the case: the materials are handed over within 3 days of the filing notice (R310 art 12)."""
    materials = required_text(materials, field="materials", label=_("移交材料清单"))
    _lock(referral, S.FILED)
    at = _moment(handed_over_at, "handed_over_at", not_before=referral.police_decided_at)
    _clock_close(referral.case, HANDOVER, at)
    referral.status = S.HANDED_OVER
    referral.save(update_fields=["status"])
    _record(
        referral,
        "referral.materials_handed_over",
        actor=actor,
        role=Role.INSPECTOR,
        data={"materials": materials, "handed_over_at": at, "recipient": (recipient or "").strip()},
    )
    return referral


@transaction.atomic
def referral_outcome(*, referral: Referral, actor, prosecution: str, judgment: str) -> Referral:
    """The prosecution and the court's outcome, as the office learns them: the referral concludes."""
    prosecution = required_text(prosecution, field="prosecution", label=_("起诉情况"))
    judgment = required_text(judgment, field="judgment", label=_("审判结果"))
    _lock(referral, S.HANDED_OVER)
    referral.status = S.CONCLUDED
    referral.outcome = _("起诉情况：%(p)s；审判结果：%(j)s") % {"p": prosecution, "j": judgment}
    referral.save(update_fields=["status", "outcome"])
    _record(
        referral,
        "referral.outcome_recorded",
        actor=actor,
        role=Role.INSPECTOR,
        data={"prosecution": prosecution, "judgment": judgment},
    )
    return referral


@transaction.atomic
def referral_reconsideration_request(
    *, referral: Referral, actor, requested: bool, reason: str, requested_at: datetime | None = None
) -> Referral:
    """Not filed: ask the police to reconsider within 3 days (R310 art 9; they answer in 3), or accept the decision
    (the referral concludes and the administrative case goes on, R310 art 10)."""
    reason = required_text(reason, field="reason", label=_("理由"))
    _lock(referral, S.NOT_FILED)
    if referral.police_decision != "not_filed":
        raise ValidationError({"status": _("公安机关已作出复议决定，不能再次提请复议。")})
    case = referral.case
    at = _moment(requested_at, "requested_at", not_before=referral.police_decided_at)
    _clock_close(case, RECONSIDER_REQUEST, at)
    data: dict = {"requested": requested, "reason": reason, "requested_at": at}
    if requested:
        clock = deadline_start(kind=POLICE_RECONSIDER, region=case.region, start_at=at, case=case)
        referral.status = S.RECONSIDERATION
        data["answer_due"] = clock.due_at
    else:
        referral.status, referral.outcome = S.CONCLUDED, _("公安机关不予立案，本局未提请复议：%(r)s") % {"r": reason}
    referral.save(update_fields=["status", "outcome"])
    kind = "referral.reconsideration_requested" if requested else "referral.reconsideration_waived"
    _record(referral, kind, actor=actor, role=Role.INSPECTOR, data=data)
    return referral


@transaction.atomic
def referral_reconsideration_answer(
    *, referral: Referral, actor, filed: bool, answered_at: datetime | None = None, note: str = ""
) -> Referral:
    """The police's reconsideration decision: filed → hand over (3 days); upheld → 3 days to ask the procuratorate."""
    _lock(referral, S.RECONSIDERATION)
    case = referral.case
    at = _moment(answered_at, "answered_at", not_before=referral.police_decided_at)
    _clock_close(case, POLICE_RECONSIDER, at)
    clock = deadline_start(
        kind=HANDOVER if filed else PROCURATORATE_REQUEST, region=case.region, start_at=at, case=case
    )
    referral.status = S.FILED if filed else S.NOT_FILED
    referral.police_decision, referral.police_decided_at = ("filed" if filed else "upheld"), at
    referral.save(update_fields=["status", "police_decision", "police_decided_at"])
    _record(
        referral,
        "referral.reconsideration_answered",
        actor=actor,
        role=Role.INSPECTOR,
        data={"decision": referral.police_decision, "answered_at": at, "next_due": clock.due_at, "note": note.strip()},
    )
    return referral


@transaction.atomic
def referral_procuratorate_request(
    *, referral: Referral, actor, requested: bool, reason: str, requested_at: datetime | None = None
) -> Referral:
    """Still refused: propose 立案监督 to the procuratorate within 3 days (R310 art 9), or not; the referral ends."""
    reason = required_text(reason, field="reason", label=_("理由"))
    _lock(referral, S.NOT_FILED)
    if referral.police_decision != "upheld":
        raise ValidationError({"status": _("须先提请公安机关复议。")})
    at = _moment(requested_at, "requested_at", not_before=referral.police_decided_at)
    _clock_close(referral.case, PROCURATORATE_REQUEST, at)
    procuratorate = referral.procuratorate or procuratorate_name(referral.case.region)
    if requested:
        referral.status = S.SUPERVISION_REQUESTED
        referral.outcome = _("公安机关复议维持不予立案，已建议%(p)s立案监督：%(r)s") % {"p": procuratorate, "r": reason}
    else:
        referral.status = S.CONCLUDED
        referral.outcome = _("公安机关复议维持不予立案，本局未建议检察院立案监督：%(r)s") % {"r": reason}
    referral.save(update_fields=["status", "outcome"])
    kind = "referral.supervision_requested" if requested else "referral.supervision_waived"
    _record(
        referral,
        kind,
        actor=actor,
        role=Role.INSPECTOR,
        data={"requested": requested, "procuratorate": procuratorate, "reason": reason, "requested_at": at},
    )
    return referral
