"""Wage special accounts (农民工工资专用账户): opened (due within the province's number of days after
the construction contract, row 50), the tripartite agreement, monthly labour-cost transfers, closure
after completion. Each service: keyword-only, `actor`, one transaction, one timeline event."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases import timeline
from cases.actors import Actor
from cases.masking import mask_id
from cases.tx import one_transaction

from . import fields, summary
from .models import LabourCostTransfer, Project, WageAccount
from .rules import wage_account_due_on


def account_number_clean(value: Any, field: str, errors: fields.Errors) -> str:
    number = fields.text(value).replace(" ", "").replace("-", "")
    if not number:
        errors.setdefault(field, []).append(_("请填写账号。"))
    elif not number.isdigit() or not 8 <= len(number) <= 32:
        errors.setdefault(field, []).append(_("账号应为8至32位数字。"))
        return ""
    return number


def mask_account(number: str) -> str:
    """6217 **** **** 1234: the first 4 and last 4 digits."""
    return mask_id(number)


def _event(project: Project, kind: str, actor: Actor, data: dict) -> None:
    timeline.record(
        project.region, kind, actor=actor, data={"project": project.pk, "project_no": project.project_no, **data}
    )


def account_late(project: Project, account: WageAccount | None, today) -> bool:
    """No account (or opened) after the due day of row 50."""
    due = wage_account_due_on(region=project.region, contract_signed_on=project.contract_signed_on)
    if due is None:
        return False
    opened = account.opened_on if account is not None else None
    return (opened or today) > due


@one_transaction
def wage_account_open(
    *, actor: Actor, project: Project, bank: Any, account_no: Any, opened_on: Any, tripartite_signed_on: Any = None
) -> WageAccount:
    errors: fields.Errors = {}
    clean_bank = fields.required(bank, "bank", _("开户银行"), errors, limit=100)
    number = account_number_clean(account_no, "account_no", errors)
    opened = fields.a_date(opened_on, "opened_on", _("开户日期"), errors, required=True)
    tripartite = fields.a_date(tripartite_signed_on, "tripartite_signed_on", _("三方协议签订日期"), errors)
    if WageAccount.objects.filter(project=project).exists():
        errors.setdefault("account_no", []).append(_("本项目已有工资专用账户。"))
    if errors:
        raise ValidationError(errors)
    assert opened is not None  # required=True: an error otherwise
    account = WageAccount.objects.create(
        project=project, bank=clean_bank, account_no=number, opened_on=opened, tripartite_signed_on=tripartite
    )
    due = wage_account_due_on(region=project.region, contract_signed_on=project.contract_signed_on)
    _event(
        project,
        "project.account_opened",
        actor,
        {
            "bank": clean_bank,
            "account": mask_account(number),
            "opened_on": opened,
            "due_on": due,
            "late": bool(due and opened and opened > due),
        },
    )
    return account


@one_transaction
def labour_cost_record(
    *, actor: Actor, project: Project, month: Any, amount: Any, received_on: Any
) -> LabourCostTransfer:
    """Labour costs (人工费用) for `month` received into the project's open account."""
    errors: fields.Errors = {}
    clean_month = fields.a_month(month, "month", _("所属年月"), errors)
    clean_amount = fields.money(amount, "amount", _("金额"), errors)
    received = fields.a_date(received_on, "received_on", _("到账日期"), errors, required=True)
    account = WageAccount.objects.filter(project=project, closed_on__isnull=True).first()
    if account is None:
        errors.setdefault("account", []).append(_("本项目尚未开设工资专用账户。"))
    if errors:
        raise ValidationError(errors)
    transfer, created = LabourCostTransfer.objects.get_or_create(
        account=account, month=clean_month, received_on=received, amount=clean_amount
    )
    if created:
        summary.refresh_months(project_ids=[project.pk], months=[transfer.month])
        _event(project, "project.labour_cost_recorded", actor, {"month": clean_month, "amount": clean_amount})
    return transfer


@one_transaction
def wage_account_close(*, actor: Actor, project: Project, closed_on: Any) -> WageAccount:
    """Closed after the project is completed (and the public notice of no arrears, row 52)."""
    errors: fields.Errors = {}
    day = fields.a_date(closed_on, "closed_on", _("销户日期"), errors, required=True)
    account = WageAccount.objects.filter(project=project, closed_on__isnull=True).first()
    if account is None:
        errors.setdefault("account", []).append(_("本项目没有未销户的工资专用账户。"))
    elif project.status != Project.Status.COMPLETED:
        errors.setdefault("closed_on", []).append(_("项目竣工后才能销户。"))
    if errors:
        raise ValidationError(errors)
    assert account is not None
    account.closed_on = day
    account.save(update_fields=["closed_on"])
    _event(project, "project.account_closed", actor, {"closed_on": day})
    return account
