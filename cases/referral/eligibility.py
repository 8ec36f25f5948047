"""May a case be referred to the police? (SPEC §4.4; domain-rules §3; JI2013 art 3, CL 276-1)

A pure function of the case's data: the amount by the province's figures, an order to pay served and
ignored, and a crime ground recorded with its evidence (the CrimeGround table: cases.referral.grounds).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from ..enforcement import enforcement_refusal
from ..models import ArrearsEntry, Case, Document, Evidence, ServiceRecord
from ..provinces import province_config
from ..values import local_date, yuan, yuan_text
from .grounds import grounds_of
from .months import months_text, worker_months
from .rules import GROUNDS, ORDER_KINDS, PHOTO_OR_VIDEO

ZERO = yuan(0)


@dataclass
class Eligibility:
    """Whether a case may be referred, why (reasons) and, when not, why not (failures)."""

    eligible: bool
    reasons: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    figures: dict = field(default_factory=dict)  # the numbers behind the reasons, for the snapshot

    def as_dict(self) -> dict:
        return asdict(self)


def _amount_test(case: Case, config, out: Eligibility) -> None:
    """JI2013 art 3 "数额较大", with the province's figures (never hard-coded here)."""
    months_needed, single_amount = config.crime_single_months, yuan(config.crime_single_amount)
    workers_needed, group_amount = config.crime_group_workers, yuan(config.crime_group_amount)
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
        w["months"] = worker_months(w["periods"])
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
                "mm": months_text(most_months),
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
    refusal = enforcement_refusal(case, today=today)  # the case's own deadline, whatever the documents say
    if refusal:
        out.failures.append(refusal)
        return
    documents = list(
        case.documents.filter(kind__in=ORDER_KINDS).prefetch_related("services__proof").order_by("-issued_at", "-id")
    )
    if not documents:
        out.failures.append(_("未作出责令限期支付工资的行政处理决定（处罚决定书不是责令支付工资的文书）。"))
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
        served_on = local_date(record.served_at)
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


def _ground_test(case: Case, out: Eligibility) -> None:
    """CL 276-1: flight / concealment of assets, or able to pay and not paying — each with its evidence (of
    this case, its file unchanged since the ground was recorded)."""
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
