"""Monthly payroll of one project: the wage sheet (工资支付表) per unit and month, and the bank's payment
lines (代发明细) from the wage account. Every line is matched to a roster worker; a line that matches
none, repeats another, or carries a negative amount is reported on its row and written nowhere."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.actors import Actor
from cases.masking import mask_id
from cases.tx import one_transaction

from .. import fields
from ..accounts import account_number_clean
from ..models import PaymentLine, Project, WageAccount, WageSheetLine, Worker
from . import table
from .rosters import _summary, worker_by_id

WAGE_SHEET_COLUMNS: dict[str, str] = {
    "姓名": "name",
    "身份证号": "id_number",
    "身份证号码": "id_number",
    "年月": "month",
    "工资年月": "month",
    "出勤天数": "days",
    "应发工资": "amount_due",
    "扣款": "deduction",
    "实发工资": "amount_net",
    "本人签字": "signed",
    "签字确认": "signed",
}
PAYMENT_COLUMNS: dict[str, str] = {
    "付款账号": "payer_account",
    "收款人姓名": "name",
    "收款人": "name",
    "收款账号": "payee_account",
    "身份证号": "id_number",
    "金额": "amount",
    "交易金额": "amount",
    "交易日期": "paid_on",
    "用途": "memo",
    "摘要": "memo",
    "用途/摘要": "memo",
    "代发": "on_behalf",
    "是否代发": "on_behalf",
    "总包代发": "on_behalf",
    "年月": "month",
    "工资年月": "month",
}


def _month(row: dict, default: date | None, errors: fields.Errors) -> date | None:
    if fields.text(row.get("month")) or default is None:
        return fields.a_month(row.get("month"), "month", _("年月"), errors)
    return default


def _wage_row(project: Project, row: dict, default_month: date | None, seen: set) -> tuple[str, str]:
    errors: fields.Errors = {}
    number = fields.resident_id(row.get("id_number"), "id_number", errors)
    month = _month(row, default_month, errors)
    days = fields.days(row.get("days"), "days", _("出勤天数"), errors, required=False) or 0
    due = fields.money(row.get("amount_due"), "amount_due", _("应发工资"), errors)
    net = fields.money(row.get("amount_net"), "amount_net", _("实发工资"), errors)
    signed_text = fields.text(row.get("signed"))
    signed = bool(signed_text) and signed_text.lower() not in ("否", "未签", "未签字", "0", "n", "no", "false")
    worker = worker_by_id(project, number) if number else None
    if number and worker is None:
        errors.setdefault("id_number", []).append(_("该人员不在本项目花名册中。"))
    elif worker is not None and fields.text(row.get("name")) and worker.person.name != fields.text(row.get("name")):
        errors.setdefault("name", []).append(_("姓名与花名册不符。"))
    if due is not None and net is not None and net > due:
        errors.setdefault("amount_net", []).append(_("实发工资不能高于应发工资。"))
    if number and (number, month) in seen:
        errors.setdefault("id_number", []).append(_("同一文件中该人员该月工资重复出现。"))
    if errors:
        raise ValidationError(errors)
    seen.add((number, month))
    assert worker is not None and month is not None
    values = {"unit": worker.unit, "days": days, "amount_due": due, "amount_net": net, "signed": signed}
    line = WageSheetLine.objects.filter(worker=worker, month=month).first()
    if line is None:
        WageSheetLine.objects.create(worker=worker, month=month, **values)
        return table.CREATED, mask_id(number)
    changed = [k for k, v in values.items() if getattr(line, k) != v]
    for key in changed:
        setattr(line, key, values[key])
    if changed:
        line.save()
    return (table.UPDATED if changed else table.UNCHANGED), mask_id(number)


@one_transaction
def wage_sheet_import(*, actor: Actor, project: Project, file, filename: str, month: Any = None) -> table.ImportReport:
    """The signed wage sheet: one line per worker and month (年月 from the file, else `month`)."""
    default = _default_month(month)
    seen: set = set()
    required = ("id_number", "amount_due", "amount_net") + (() if default else ("month",))
    report = table.run(
        file=file,
        filename=filename,
        columns=WAGE_SHEET_COLUMNS,
        required=required,
        handle=lambda row: _wage_row(project, row, default, seen),
    )
    _summary(project, "project.wage_sheet_imported", report, actor)
    return report


def _default_month(month: Any) -> date | None:
    if month in (None, ""):
        return None
    errors: fields.Errors = {}
    clean = fields.a_month(month, "month", _("年月"), errors)
    if errors:
        raise ValidationError(errors)
    return clean


class _Roster:
    """The project's workers by ID number and by bank card (cards decrypted once per import)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.by_card: dict[str, list[Worker]] = {}
        for worker in Worker.objects.filter(project=project).select_related("person"):
            if worker.bank_card:
                self.by_card.setdefault(worker.bank_card, []).append(worker)

    def find(self, number: str, card: str, name: str) -> Worker | None:
        if number:
            return worker_by_id(self.project, number)
        matches = [w for w in self.by_card.get(card, []) if not name or w.person.name == name]
        return matches[0] if len(matches) == 1 else None


def _payment_row(
    project, roster: _Roster, account: WageAccount | None, row: dict, default_month, seen
) -> tuple[str, str]:
    errors: fields.Errors = {}
    name = fields.required(row.get("name"), "name", _("收款人姓名"), errors, limit=64)
    card = fields.text(row.get("payee_account")).replace(" ", "")
    number = ""
    if fields.text(row.get("id_number")):
        number = fields.resident_id(row.get("id_number"), "id_number", errors)
    elif not card:
        errors.setdefault("payee_account", []).append(_("请填写收款账号或身份证号。"))
    amount = fields.money(row.get("amount"), "amount", _("金额"), errors)
    if amount is not None and amount == 0:
        errors.setdefault("amount", []).append(_("金额应大于0。"))
    paid_on = fields.a_date(row.get("paid_on"), "paid_on", _("交易日期"), errors, required=True)
    month = _month(row, default_month or (paid_on.replace(day=1) if paid_on else None), errors)
    payer: str = ""
    if fields.text(row.get("payer_account")):
        payer = account_number_clean(row.get("payer_account"), "payer_account", errors)
    on_behalf = fields.boolean(row.get("on_behalf"), "on_behalf", _("代发"), errors)
    worker = None
    if not errors.get("id_number") and (number or card):
        worker = roster.find(number, card, name)
        if worker is None:
            field = "id_number" if number else "payee_account"
            errors.setdefault(field, []).append(_("未在本项目花名册中找到该收款人。"))
        elif worker.person.name != name:
            errors.setdefault("name", []).append(_("收款人姓名与花名册不符。"))
    key = (worker.pk if worker else None, paid_on, amount, month)
    if worker is not None and key in seen:
        errors.setdefault("amount", []).append(_("与本文件第%(row)d行重复的付款记录。") % {"row": seen[key]})
    if errors:
        raise ValidationError(errors)
    assert worker is not None and month is not None and amount is not None and paid_on is not None
    seen[key] = row["__row__"]
    via = bool(account is not None and payer and payer == account.account_no)
    memo = fields.text(row.get("memo"))[:100]
    line = PaymentLine.objects.filter(worker=worker, month=month, paid_on=paid_on, amount=amount).first()
    if line is None:
        PaymentLine.objects.create(
            worker=worker, month=month, paid_on=paid_on, amount=amount, via_account=via, on_behalf=on_behalf, memo=memo
        )
        return table.CREATED, mask_id(worker.person.id_number)
    if (line.via_account, line.on_behalf, line.memo) != (via, on_behalf, memo):
        line.via_account, line.on_behalf, line.memo = via, on_behalf, memo
        line.save(update_fields=["via_account", "on_behalf", "memo"])
        return table.UPDATED, mask_id(worker.person.id_number)
    return table.UNCHANGED, mask_id(worker.person.id_number)


@one_transaction
def payments_import(*, actor: Actor, project: Project, file, filename: str, month: Any = None) -> table.ImportReport:
    """The bank's payment lines from the wage account. The month a line pays for: 年月 in the file, else
    `month`, else the month of the transaction date."""
    default = _default_month(month)
    roster = _Roster(project)
    account = WageAccount.objects.filter(project=project).first()
    seen: dict = {}
    report = table.run(
        file=file,
        filename=filename,
        columns=PAYMENT_COLUMNS,
        required=("name", "amount", "paid_on"),
        handle=lambda row: _payment_row(project, roster, account, row, default, seen),
    )
    _summary(project, "project.payments_imported", report, actor)
    return report
