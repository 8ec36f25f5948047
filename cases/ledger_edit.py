"""Correcting the arrears ledger (台账, SPEC §3): edit a line, delete a line with its reason, import many lines.

    ledger_line_update(entry=entry, worker={"name": "李四", "id_number": "…", "phone": ""},
                       period_start="2026-05-01", period_end="2026-10-31", amount_owed="7000.00", actor=inspector)
    ledger_line_delete(entry=entry, reason="重复登记", actor=inspector)
    ledger_lines_import(case=case, rows=[{"row": 2, "name": …, "id_number": …, "phone": …,
                        "period_start": …, "period_end": …, "amount_owed": …}, …], actor=inspector)

Like cases.ledger: keyword-only, one transaction, the case locked through the transition kernel, the case's
totals updated from its live lines, ONE timeline event per change (an import is one event with its count).
A deleted line is never destroyed: it keeps its values and gains deleted_at / deleted_by / delete_reason, and
no longer counts (ArrearsEntry.objects are the live lines). A line with payments cannot be deleted. Every field's
error is reported at once; an import reports every row's errors ("第3行【身份证号】…") and writes nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .actors import Actor
from .ledger import _ledger_step, _names_match, _totals_update, _worker_party, line_clean
from .masking import mask_id, mask_name
from .models import ArrearsEntry, Case, CaseParty, Party
from .values import required_text

REASON_MAX = 300  # the model's delete_reason
IMPORT_MAX_ROWS = 1000  # one import, one request: a larger roster is imported in parts
FIELD_LABELS = {
    "worker": "劳动者",
    "worker.name": "姓名",
    "worker.id_number": "身份证号",
    "worker.phone": "手机号",
    "period_start": "期间起",
    "period_end": "期间止",
    "amount_owed": "应付金额",
}


def _live(case: Case, entry: ArrearsEntry, verb: str) -> ArrearsEntry:
    """The entry re-read under the case lock, if it is a live line of `case`."""
    current = ArrearsEntry.objects.select_related("worker").filter(pk=entry.pk, case=case).first()
    if current is None:
        raise ValidationError({"entry": f"该笔台账已删除，不能{verb}。"})
    return current


def _worker_party_drop(case: Case, party_id: int) -> None:
    """The worker stops being a party of the case (劳动者) when none of its live lines remain and the ledger
    made it one (a complainant's record, linked to its complaint, stays)."""
    if not ArrearsEntry.objects.filter(case=case, worker_id=party_id).exists():
        CaseParty.objects.filter(
            case=case, party_id=party_id, kind=CaseParty.Kind.WORKER, complaint__isnull=True
        ).delete()


def _party_for_edit(case: Case, current: Party, name: str, id_number: str, phone: str) -> Party:
    """The worker of an edited line: the same ID number keeps the same person, whose name may be corrected
    while this case is the only one that names it; another ID number is another (or a new) person."""
    if current.id_number == id_number:
        if not _names_match(current.name, name):
            elsewhere = (
                CaseParty.objects.filter(party=current).exclude(case=case).exists()
                or ArrearsEntry.with_deleted.filter(worker=current).exclude(case=case).exists()
            )
            if elsewhere:
                raise ValidationError({"worker.name": "该劳动者已在其他案件中登记，姓名不能在此修改，请核对身份证号。"})
            current.name = name
        if phone != current.phone:
            current.phone = phone
        current.save(update_fields=["name", "phone"])
        return current
    return _worker_party(name, id_number, phone)


@transaction.atomic
def ledger_line_update(
    *, entry: ArrearsEntry, worker: dict, period_start: Any, period_end: Any, amount_owed: Any, actor: Actor
) -> ArrearsEntry:
    """Correct one live line: its worker, period or amount owed (never below what has been paid)."""
    name, id_number, phone, start, end, amount = line_clean(
        worker=worker, period_start=period_start, period_end=period_end, amount_owed=amount_owed
    )
    case = entry.case
    with _ledger_step(case, "ledger.entry_updated", actor=actor) as step:
        current = _live(case, entry, "修改")
        if amount < current.amount_paid:
            raise ValidationError({"amount_owed": f"应付金额不能少于该笔已付金额 {current.amount_paid} 元。"})
        old_worker = current.worker
        before = (old_worker.name, old_worker.id_number, old_worker.phone, current.period_start,
                  current.period_end, current.amount_owed)  # fmt: skip
        party = _party_for_edit(case, old_worker, name, id_number, phone)
        clash = ArrearsEntry.objects.filter(case=case, worker=party, period_start=start).exclude(pk=current.pk)
        if clash.exists():
            raise ValidationError({"period_start": f"该劳动者自 {start:%Y-%m-%d} 起的台账已登记，请修改期间起。"})
        after = (party.name, party.id_number, party.phone, start, end, amount)
        changed = [label for label, a, b in zip(("姓名", "身份证号", "手机号", "期间起", "期间止", "应付金额"),
                                                before, after) if a != b]  # fmt: skip
        if not changed:
            raise ValidationError("没有修改任何内容。")
        ArrearsEntry.objects.filter(pk=current.pk).update(
            worker=party, period_start=start, period_end=end, amount_owed=amount
        )
        entry.worker, entry.period_start, entry.period_end, entry.amount_owed = party, start, end, amount
        CaseParty.objects.get_or_create(case=case, party=party, kind=CaseParty.Kind.WORKER)
        if party.pk != old_worker.pk:
            _worker_party_drop(case, old_worker.pk)
        _totals_update(case)
        step.data.update(
            entry=current.pk,
            worker=mask_name(party.name),
            worker_id=mask_id(party.id_number),
            changed="、".join(changed),
            period_start=start,
            period_end=end,
            amount_owed=amount,
            case_owed=case.amount_owed,
            case_paid=case.amount_paid,
            workers=case.workers_count,
        )
    return entry


@transaction.atomic
def ledger_line_delete(*, entry: ArrearsEntry, reason: Any, actor: Actor) -> ArrearsEntry:
    """Delete one live line without payments, with its reason: kept as deleted for the audit, no longer counted."""
    reason = required_text(reason, field="reason", label="删除理由", limit=REASON_MAX)
    case = entry.case
    with _ledger_step(case, "ledger.entry_deleted", actor=actor) as step:
        current = _live(case, entry, "删除")
        if current.payments.exists():
            raise ValidationError({"entry": "该笔台账已登记支付，不能删除；如金额有误，请修改应付金额。"})
        now = timezone.now()
        ArrearsEntry.with_deleted.filter(pk=current.pk).update(deleted_at=now, deleted_by=actor, delete_reason=reason)
        entry.deleted_at, entry.deleted_by, entry.delete_reason = now, actor, reason
        _worker_party_drop(case, current.worker_id)
        _totals_update(case)
        step.data.update(
            entry=current.pk,
            worker=mask_name(current.worker.name),
            worker_id=mask_id(current.worker.id_number),
            period_start=current.period_start,
            period_end=current.period_end,
            amount_owed=current.amount_owed,
            reason=reason,
            case_owed=case.amount_owed,
            case_paid=case.amount_paid,
            workers=case.workers_count,
        )
    return entry


def _row_errors(number: int, exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return [f"第{number}行：{m}" for m in exc.messages]
    return [
        f"第{number}行【{FIELD_LABELS.get(field, '台账')}】{m}"
        for field, messages in exc.message_dict.items()
        for m in messages
    ]


@transaction.atomic
def ledger_lines_import(*, case: Case, rows: list[dict], actor: Actor) -> list[ArrearsEntry]:
    """Add many lines at once (a pasted or uploaded roster): all of them, or — with every row's errors, each
    naming its row and field — none. Each row: name, id_number, phone, period_start, period_end, amount_owed,
    and `row`, its number as the user sees it (default: its place in the list, from 1)."""
    if not rows:
        raise ValidationError({"rows": ["没有可导入的台账行。"]})
    if len(rows) > IMPORT_MAX_ROWS:
        raise ValidationError({"rows": [f"一次最多导入{IMPORT_MAX_ROWS}行，本次{len(rows)}行，请分批导入。"]})
    errors: list[str] = []
    cleaned: list[tuple[int, tuple]] = []
    seen: dict[tuple[str, Any], int] = {}
    for place, row in enumerate(rows, start=1):
        number = int(row.get("row") or place)
        worker = {"name": row.get("name"), "id_number": row.get("id_number"), "phone": row.get("phone")}
        try:
            values = line_clean(worker=worker, period_start=row.get("period_start"),
                                period_end=row.get("period_end"), amount_owed=row.get("amount_owed"))  # fmt: skip
        except ValidationError as exc:
            errors.extend(_row_errors(number, exc))
            continue
        key = (values[1], values[3])
        if key in seen:
            errors.append(f"第{number}行【期间起】与第{seen[key]}行是同一劳动者、同一期间起，重复登记。")
            continue
        seen[key] = number
        cleaned.append((number, values))
    if errors:
        raise ValidationError({"rows": errors})
    entries: list[ArrearsEntry] = []
    with _ledger_step(case, "ledger.entries_imported", actor=actor) as step:
        for number, (name, id_number, phone, start, end, amount) in cleaned:
            try:
                party = _worker_party(name, id_number, phone)
            except ValidationError as exc:
                errors.extend(_row_errors(number, exc))
                continue
            if ArrearsEntry.objects.filter(case=case, worker=party, period_start=start).exists():
                errors.append(f"第{number}行【期间起】该劳动者自 {start:%Y-%m-%d} 起的台账已登记。")
                continue
            entries.append(ArrearsEntry(case=case, worker=party, period_start=start, period_end=end,
                                        amount_owed=amount))  # fmt: skip
        if errors:
            raise ValidationError({"rows": errors})  # the whole import rolls back
        ArrearsEntry.objects.bulk_create(entries)
        workers = {e.worker_id for e in entries}
        known = set(
            CaseParty.objects.filter(case=case, kind=CaseParty.Kind.WORKER, party_id__in=workers).values_list(
                "party_id", flat=True
            )
        )
        CaseParty.objects.bulk_create(
            [CaseParty(case=case, party_id=w, kind=CaseParty.Kind.WORKER) for w in sorted(workers - known)]
        )
        _totals_update(case)
        step.data.update(
            count=len(entries),
            amount_owed=sum((e.amount_owed for e in entries), Decimal("0.00")),
            case_owed=case.amount_owed,
            case_paid=case.amount_paid,
            workers=case.workers_count,
        )
    return entries
