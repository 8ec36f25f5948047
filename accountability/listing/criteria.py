"""The listing criteria (DL2021 art 5; JI2013 art 3 thresholds from the province's settings): pure, reads
the case's ledger and writes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from cases.arrears_months import months_text, worker_months
from cases.enforcement import enforcement_refusal, wage_order_served
from cases.flags import case_flag_reason
from cases.models import ArrearsEntry, Case
from cases.provinces import province_config
from cases.values import yuan_text


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
        w = per_worker.setdefault(worker_id, {"outstanding": Decimal("0.00"), "periods": []})
        w["outstanding"] += owed - paid
        w["periods"].append((start, end))
    for w in per_worker.values():  # the one count of months of arrears, shared with the referral
        w["months"] = worker_months(w["periods"])
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
        if w["outstanding"] >= cfg.crime_single_amount and w["months"] >= cfg.crime_single_months
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
            _("%(rule)s（其中一名劳动者%(months)s个月尚欠%(amount)s）")
            % {
                "rule": single_rule,
                "months": months_text(top["months"]),
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
    if case.group_incident:  # DL2021 art 5 (2); the flag is set with its reason (cases.flags)
        incident = _("因拖欠工资引发群体性事件、极端事件，造成严重不良社会影响")
        detail = case_flag_reason(case, "group_incident")
        reasons.append(_("%(rule)s（%(detail)s）") % {"rule": incident, "detail": detail} if detail else incident)
    elif not amount_met:
        failures.append(_("未引发群体性事件或极端事件"))
    served_order = wage_order_served(case) is not None  # a served handling decision, never a penalty decision
    refusal = enforcement_refusal(case)  # the order's deadline, read from the case
    if not served_order:
        failures.append(_("尚未送达责令限期支付工资的行政处理决定书"))
    if refusal:
        failures.append(refusal)
    if case.unpaid_after_order:
        reasons.append(_("经责令限期支付，逾期仍未支付"))
    else:
        failures.append(_("尚无责令限期支付逾期未支付的记录（须经责令限期支付且逾期未支付）"))
    eligible = (amount_met or case.group_incident) and case.unpaid_after_order and served_order and not refusal
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
