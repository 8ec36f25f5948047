"""The arrears ledger (台账, SPEC §3; WPR art 15): per worker and period, what is owed and what was paid.

    entry = ledger_entry_add(case=case, worker={"name": "李四", "id_number": "…", "phone": "…"},
                             period_start=date(2026, 5, 1), period_end=date(2026, 10, 31),
                             amount_owed=Decimal("7200.00"), actor=inspector)
    payment_record(entry=entry, amount=Decimal("3000.00"), paid_on=date(2026, 11, 20), actor=inspector)

Once a case has ledger entries, its totals are the ledger's: `amount_owed` and `amount_paid` are
the sums of its entries, `workers_count` the number of distinct workers. Every change updates them
in the same transaction (one aggregate, one UPDATE) and writes one timeline event. Values may be
given as Python objects or as the strings a form or a JSON body carries; errors name their field
(`worker.id_number`, `period_start`, `amount_owed`, `amount`, `paid_on`, `proof`, …).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from . import scope, timeline
from .actors import Actor, Staff
from .masking import mask_id, mask_name, mask_phone
from .models import ArrearsEntry, Case, CaseParty, Evidence, Party, Payment, Role
from .transitions import transition
from .values import clean_text, mobile_clean, resident_id_clean, yuan

AMOUNT_MAX_INTEGER_DIGITS = 12  # MONEY: 14 digits, 2 of them decimals
NAME_MAX = 64
CLOSED = (Case.Status.CLOSED, Case.Status.WITHDRAWN)
ZERO = Decimal("0.00")


# --- validation helpers --------------------------------------------------------------


OPEN_STATUSES = [s for s in Case.Status.values if s not in CLOSED]
CLOSED_MESSAGE = "案件%(status)s，台账不能再修改。"


def _id_number(value: Any) -> str:
    """GB 11643 (cases.values: stdnum.cn.ric, a real birth date not after today)."""
    return resident_id_clean(value, field="worker.id_number", label="劳动者身份证号")


def _phone(value: Any) -> str:
    return mobile_clean(value, field="worker.phone", required=False)


def money(value: Any, field: str, label: str) -> Decimal:
    """A positive amount of yuan with at most 2 decimal places (分)."""
    if value is None or value == "":
        raise ValidationError({field: f"请填写{label}。"})
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise ValidationError({field: f"{label}应为数字，例如 3500.00。"})
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise ValidationError({field: f"{label}应为数字，例如 3500.00。"})
    if not amount.is_finite():
        raise ValidationError({field: f"{label}应为数字，例如 3500.00。"})
    if amount <= 0:
        raise ValidationError({field: f"{label}应大于0。"})
    if amount.adjusted() >= AMOUNT_MAX_INTEGER_DIGITS:  # before quantize, which fails on 1e400
        raise ValidationError({field: f"{label}过大。"})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: f"{label}最多保留两位小数（精确到分）。"})
    amount = amount.quantize(Decimal("0.01"))
    if len(str(int(amount))) > AMOUNT_MAX_INTEGER_DIGITS:
        raise ValidationError({field: f"{label}过大。"})
    return amount


def day(value: Any, field: str, label: str, *, not_after_today: bool = True) -> date:
    if value is None or value == "":
        raise ValidationError({field: f"请填写{label}。"})
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    elif isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError({field: f"{label}格式错误，应为 YYYY-MM-DD（例如 2026-05-01）。"})
    if not isinstance(value, date):
        raise ValidationError({field: f"{label}格式错误，应为 YYYY-MM-DD（例如 2026-05-01）。"})
    if not_after_today and value > timezone.localdate():
        raise ValidationError({field: f"{label}不能晚于今天。"})
    return value


def _names_match(a: str, b: str) -> bool:
    return clean_text(a).replace(" ", "") == clean_text(b).replace(" ", "")


# --- writes --------------------------------------------------------------------------


def _ledger_step(case: Case, event: str, *, actor: Actor):
    """A ledger change through the transition kernel: the case row locked and read afresh (ledger changes of
    one case are serialised; the timeline locks the same row), refused on "case" once the case is closed or
    withdrawn, then the one case event. The case's status does not change."""
    return transition(
        case,
        expect=OPEN_STATUSES,
        event=event,
        actor=actor,
        role=Role.INSPECTOR,
        subject=case,
        error_field="case",
        message=CLOSED_MESSAGE,
    )


def _totals_update(case: Case) -> None:
    """The case's totals from its ledger: one aggregate and one UPDATE; the object follows."""
    totals = ArrearsEntry.objects.filter(case=case).aggregate(
        owed=Sum("amount_owed"), paid=Sum("amount_paid"), workers=Count("worker", distinct=True)
    )
    owed, paid, workers = yuan(totals["owed"]), yuan(totals["paid"]), totals["workers"] or 0
    Case.objects.filter(pk=case.pk).update(amount_owed=owed, amount_paid=paid, workers_count=workers)
    case.amount_owed, case.amount_paid, case.workers_count = owed, paid, workers


def _worker_party(name: str, id_number: str, phone: str) -> Party:
    """The worker's Party: the same ID number is the same person (the earliest one recorded)."""
    same_id = list(Party.objects.matching(id_number=id_number).order_by("id")[:20])
    if not same_id:
        return Party.objects.create(name=name, id_number=id_number, phone=phone)
    party = next((p for p in same_id if _names_match(p.name, name)), None)
    if party is None:
        raise ValidationError({"worker.name": "姓名与该身份证号已登记的姓名不一致，请核对姓名和身份证号。"})
    if phone and not party.phone:
        Party.objects.filter(pk=party.pk).update(phone=phone)
        party.phone = phone
    return party


def line_clean(*, worker: Any, period_start: Any, period_end: Any, amount_owed: Any) -> tuple:
    """One ledger line's values checked together: (name, id_number, phone, start, end, amount), or ONE
    ValidationError carrying every field's error at once (not one per submit)."""
    if not isinstance(worker, dict):
        raise ValidationError({"worker": "请填写劳动者信息（姓名、身份证号）。"})
    checks = {
        "name": lambda: _worker_name(worker),
        "id_number": lambda: _id_number(worker.get("id_number")),
        "phone": lambda: _phone(worker.get("phone")),
        "start": lambda: day(period_start, "period_start", "期间起"),
        "end": lambda: day(period_end, "period_end", "期间止", not_after_today=False),
        "amount": lambda: money(amount_owed, "amount_owed", "应付金额"),
    }
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for key, check in checks.items():
        try:
            values[key] = check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    start, end = values.get("start"), values.get("end")
    if start and end and start > end:
        errors.setdefault("period_end", []).append("期间止不能早于期间起。")
    if errors:
        raise ValidationError(errors)
    return values["name"], values["id_number"], values["phone"], start, end, values["amount"]


def _worker_name(worker: dict) -> str:
    name = clean_text(worker.get("name"))
    if not name:
        raise ValidationError({"worker.name": "请填写劳动者姓名。"})
    if len(name) > NAME_MAX:
        raise ValidationError({"worker.name": f"劳动者姓名不能超过{NAME_MAX}个字。"})
    return name


@transaction.atomic
def ledger_entry_add(
    *, case: Case, worker: dict, period_start: Any, period_end: Any, amount_owed: Any, actor: Actor
) -> ArrearsEntry:
    """Add what one worker is owed for one period; the worker becomes a party of the case (劳动者)."""
    name, id_number, phone, start, end, amount = line_clean(
        worker=worker, period_start=period_start, period_end=period_end, amount_owed=amount_owed
    )
    with _ledger_step(case, "ledger.entry_added", actor=actor) as step:
        party = _worker_party(name, id_number, phone)
        duplicate = {"period_start": f"该劳动者自 {start:%Y-%m-%d} 起的台账已登记，请修改期间起或登记支付。"}
        if ArrearsEntry.objects.filter(case=case, worker=party, period_start=start).exists():
            raise ValidationError(duplicate)
        try:
            with transaction.atomic():
                entry = ArrearsEntry.objects.create(
                    case=case, worker=party, period_start=start, period_end=end, amount_owed=amount
                )
        except IntegrityError:  # a concurrent request added the same entry
            raise ValidationError(duplicate)
        CaseParty.objects.get_or_create(case=case, party=party, kind=CaseParty.Kind.WORKER)
        _totals_update(case)
        step.data.update(
            entry=entry.pk,
            worker=mask_name(name),
            worker_id=mask_id(id_number),
            period_start=start,
            period_end=end,
            amount_owed=amount,
            case_owed=case.amount_owed,
            case_paid=case.amount_paid,
            workers=case.workers_count,
        )
    return entry


@transaction.atomic
def payment_record(
    *,
    entry: ArrearsEntry,
    amount: Any,
    paid_on: Any,
    actor: Staff,
    proof: Evidence | None = None,
    source: str = Payment.Source.EMPLOYER,
) -> Payment:
    """Record a payment against one entry: at most what is still outstanding, not in the future. `source`:
    paid by the employer (default), from the wage guarantee deposit or advanced by the emergency wage fund."""
    if source not in Payment.Source.values:
        raise ValidationError({"source": "无效的资金来源。"})
    amount = money(amount, "amount", "支付金额")
    paid_on = day(paid_on, "paid_on", "支付日期")
    case = entry.case
    with _ledger_step(case, "ledger.payment_recorded", actor=actor) as step:
        if proof is not None and proof.case_id != case.pk:
            raise ValidationError({"proof": "支付凭证须为本案已上传的证据。"})
        # Re-read under the case lock: concurrent payments on this entry are serialised.
        current = ArrearsEntry.objects.select_related("worker").filter(pk=entry.pk).first()
        if current is None:  # deleted (kept for the audit): nothing is paid against it
            raise ValidationError({"entry": "该笔台账已删除，不能登记支付。"})
        outstanding = current.amount_owed - current.amount_paid
        if amount > outstanding:
            raise ValidationError({"amount": f"支付金额超过未付金额：该笔尚欠 {outstanding} 元。"})
        payment = Payment.objects.create(
            entry=current,
            amount=amount,
            paid_on=paid_on,
            proof=proof,
            source=source,
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        ArrearsEntry.objects.filter(pk=current.pk).update(amount_paid=F("amount_paid") + amount)
        entry.amount_paid = current.amount_paid + amount
        _totals_update(case)
        step.data.update(
            entry=current.pk,
            payment=payment.pk,
            worker=mask_name(current.worker.name),
            worker_id=mask_id(current.worker.id_number),
            amount=amount,
            paid_on=paid_on,
            source=source,
            outstanding=outstanding - amount,
            proof=proof.pk if proof else None,
            proof_sha256=proof.sha256 if proof else None,
            case_owed=case.amount_owed,
            case_paid=case.amount_paid,
        )
    return payment


# --- reads ---------------------------------------------------------------------------


def ledger_summary(case: Case) -> dict:
    """owed, paid, outstanding (Decimal), workers, workers_paid_in_full (a worker is paid in full
    when every one of its entries is): one aggregate query."""
    totals = ArrearsEntry.objects.filter(case=case).aggregate(
        owed=Sum("amount_owed"),
        paid=Sum("amount_paid"),
        workers=Count("worker", distinct=True),
        unpaid=Count("worker", distinct=True, filter=Q(amount_paid__lt=F("amount_owed"))),
    )
    owed, paid = yuan(totals["owed"]), yuan(totals["paid"])
    workers = totals["workers"] or 0
    return {
        "owed": owed,
        "paid": paid,
        "outstanding": owed - paid,
        "workers": workers,
        "workers_paid_in_full": workers - (totals["unpaid"] or 0),
    }


def ledger_all_paid(case: Case) -> bool:
    """The ledger has entries and every one is paid in full."""
    entries = ArrearsEntry.objects.filter(case=case)
    return entries.exists() and not entries.filter(amount_paid__lt=F("amount_owed")).exists()


def workers_paid_in_full_by_case(cases) -> dict[int, int]:
    """case id -> workers paid in full, for many cases in ONE grouped query (`cases`: a Case queryset)."""
    rows = (
        ArrearsEntry.objects.filter(case__in=cases.values("pk"))
        .order_by()
        .values("case_id")
        .annotate(
            workers=Count("worker", distinct=True),
            unpaid=Count("worker", distinct=True, filter=Q(amount_paid__lt=F("amount_owed"))),
        )
        .values_list("case_id", "workers", "unpaid")
    )
    return {case_id: workers - unpaid for case_id, workers, unpaid in rows}


def ledger_entries(case: Case):
    """The case's entries, worker first then period, with their payments (two queries)."""
    return (
        ArrearsEntry.objects.filter(case=case)
        .select_related("worker")
        .prefetch_related("payments")
        .order_by("worker__name", "worker_id", "period_start", "id")
    )


def ledger_entry_row(entry: ArrearsEntry, *, unmasked: bool) -> dict:
    """One entry as the ledger page and the API show it (the one builder of this dict): the worker's ID
    number and phone masked unless `unmasked`; its payments in the order they were paid (paid_on, then id),
    from the prefetched payments when there are."""
    w = entry.worker
    return {
        "id": entry.pk,
        "worker_name": w.name,
        "worker_id_number": w.id_number if unmasked else mask_id(w.id_number),
        "worker_phone": w.phone if unmasked else mask_phone(w.phone),
        "period_start": entry.period_start,
        "period_end": entry.period_end,
        "amount_owed": entry.amount_owed,
        "amount_paid": entry.amount_paid,
        "outstanding": entry.amount_owed - entry.amount_paid,
        "paid_in_full": entry.amount_paid >= entry.amount_owed,
        "payments": [
            {"id": p.pk, "amount": p.amount, "paid_on": p.paid_on, "proof": p.proof_id, "source": p.source}
            for p in sorted(entry.payments.all(), key=lambda p: (p.paid_on, p.pk))
        ],
    }


def ledger_view(*, case: Case, viewer) -> dict:
    """The ledger as `viewer` may see it: ID numbers and phones masked unless scope.can_unmask.

    An unmasked view of a non-empty ledger is recorded on the case timeline
    ("personal_data.viewed", SPEC §2, PIPL). Returns summary, entries (dicts), unmasked.
    """
    unmasked = scope.can_unmask(viewer, case)
    rows = [ledger_entry_row(e, unmasked=unmasked) for e in ledger_entries(case)]
    if unmasked and rows:
        _unmasked_view_record(case=case, viewer=viewer, entries=len(rows))
    return {"summary": ledger_summary(case), "entries": rows, "unmasked": unmasked}


@transaction.atomic
def _unmasked_view_record(*, case: Case, viewer, entries: int) -> None:
    role = Role.CLERK if scope.has_role(viewer, Role.CLERK, region=case.region) else Role.INSPECTOR
    timeline.record(case, "personal_data.viewed", actor=viewer, role=role, data={"what": "ledger", "entries": entries})
