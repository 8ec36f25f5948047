"""The deposit register (WPR art 32, DEP2021): a project's required deposit from its rate table, then the
deposit itself — cash in a designated account, or a bank guarantee — due within 20 working days (row 53).

    deposit = deposit_register(project=project, actor=clerk)           # the ratio and its reasons
    deposit_record(deposit=deposit, form="guarantee", bank="…", guarantee_no="…", amount="…",
                   expires_on=date(…), deposited_on=date(…), actor=clerk)

Each is one transaction and one event on the timeline of the project's region (the deposit has no case)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.actors import Actor
from cases.ledger import day, money
from cases.masking import mask_id
from cases.models import Role
from cases.transitions import transition
from cases.tx import one_transaction
from cases.values import clean_text, required_text
from cases.workdays import add_working_days
from projects.models import Project, ProjectUnit

from .models import Deposit
from .ratio import deposit_ratio, rate_table

S = Deposit.Status


def general_contractor(project: Project):
    unit = project.units.filter(role=ProjectUnit.Role.GENERAL).select_related("employer").order_by("id").first()
    if unit is None:
        raise ValidationError({"project": _("该项目尚未登记施工总承包单位，不能登记工资保证金。")})
    return unit.employer


@one_transaction
def deposit_register(*, project: Project, actor: Actor, on: date | None = None) -> Deposit:
    """The project's deposit: the ratio from the province's table and the contractor's record, the amount
    (capped), the reasons; due `deposit_wd` working days after the contract (or the registration)."""
    on = on or timezone.localdate()
    if Deposit.objects.filter(project=project).exists():
        raise ValidationError({"project": _("该项目已登记工资保证金。")})
    if not project.contract_sum or project.contract_sum <= 0:
        raise ValidationError({"contract_sum": _("该项目未登记合同价，不能计算工资保证金。")})
    contractor = general_contractor(project)
    table = rate_table(project.region)
    ratio = deposit_ratio(project=project, contractor=contractor, day=on, table=table)
    start = project.contract_signed_on or on
    deposit = Deposit.objects.create(
        project=project,
        contractor=contractor,
        region=project.region,
        contract_sum=project.contract_sum,
        rate=ratio.rate,
        required_amount=ratio.amount,
        reasons=ratio.reasons,
        status=S.EXEMPT if ratio.exempt else S.REQUIRED,
        registered_on=on,
        due_on=None if ratio.exempt else add_working_days(start, table.deposit_wd),
    )
    with transition(deposit, expect=None, event="deposit.registered", actor=actor, role=Role.CLERK,
                    subject=project.region, locked=True) as step:  # fmt: skip
        step.data.update(deposit=deposit.pk, project=project.pk, project_no=project.project_no,
                         contractor=contractor.name,
                         rate=ratio.rate, required=ratio.amount, exempt=ratio.exempt, due_on=deposit.due_on,
                         reasons=ratio.reasons)  # fmt: skip
    return deposit


@one_transaction
def deposit_record(
    *,
    deposit: Deposit,
    form: str,
    bank: Any,
    amount: Any,
    deposited_on: Any,
    actor: Actor,
    account_no: Any = "",
    guarantee_no: Any = "",
    expires_on: Any = None,
) -> Deposit:
    """The deposit made: cash into the designated account (bank, account) or a bank guarantee (issuer, number,
    amount, expiry); at least the required amount. Late (after the due day) is recorded as such."""
    if form not in (Deposit.Form.CASH, Deposit.Form.GUARANTEE):
        raise ValidationError({"form": _("请选择存储方式：现金存储或银行保函。")})
    bank = required_text(bank, field="bank", label=_("银行"), limit=100)
    amount = money(amount, "amount", "金额")
    on = day(deposited_on, "deposited_on", "存储日期")
    fields: dict[str, Any] = {"form": form, "bank": bank, "amount": amount, "balance": amount, "deposited_on": on}
    if form == Deposit.Form.CASH:
        fields["account_no"] = required_text(account_no, field="account_no", label=_("保证金专用账户"), limit=40)
        fields.update(guarantee_no="", guarantee_expires_on=None)
    else:
        fields["guarantee_no"] = required_text(guarantee_no, field="guarantee_no", label=_("保函编号"), limit=60)
        expires = day(expires_on, "expires_on", "保函到期日", not_after_today=False)
        if expires <= on:
            raise ValidationError({"expires_on": _("保函到期日须晚于出具日期。")})
        fields.update(guarantee_expires_on=expires, account_no="")
    with transition(deposit, expect=[S.REQUIRED], event="deposit.deposited", actor=actor, role=Role.CLERK,
                    subject=deposit.region, error_field="form") as step:  # fmt: skip
        if amount < deposit.required_amount:
            raise ValidationError({"amount": _("金额不得少于应存金额 %(a)s 元。") % {"a": deposit.required_amount}})
        late = deposit.due_on is not None and on > deposit.due_on
        step.to(S.HELD, **fields)
        step.data.update(deposit=deposit.pk, project=deposit.project_id, form=form, bank=bank,
                         amount=amount, deposited_on=on, due_on=deposit.due_on, late=late,
                         account=mask_id(clean_text(fields.get("account_no", ""))),
                         guarantee_no=fields["guarantee_no"],
                         expires_on=fields.get("guarantee_expires_on"))  # fmt: skip
    return deposit
