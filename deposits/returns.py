"""Returning the deposit after completion (WPR art 32; DEP2021; row 56): the contractor applies, a 30-day public
notice (公示) asks for arrears claims, and with none the deposit is returned — or the guarantee released. Each
step one transaction, one event on the region's timeline and one document (deposits.documents)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from cases.actors import Staff
from cases.ledger import day
from cases.models import Case, Role
from cases.transitions import transition
from cases.tx import one_transaction
from cases.values import local_date, moment
from projects.links import cases_on
from projects.models import Project

from .documents import deposit_document_write
from .models import Deposit, DepositDocument, DepositDraw
from .ratio import rate_table

S = Deposit.Status
DK = DepositDocument.Kind


def arrears_claims(deposit: Deposit):
    """Open cases on the deposit's project with wages still owed."""
    return (
        Case.objects.filter(cases_on(deposit.project))
        .exclude(status__in=[Case.Status.CLOSED, Case.Status.WITHDRAWN])
        .filter(amount_owed__gt=0, amount_paid__lt=F("amount_owed"))
    )


@one_transaction
def deposit_return_apply(*, deposit: Deposit, on: Any, actor: Staff, at: Any = None) -> Deposit:
    """The contractor's application after completion; refused before completion or with a drawdown still open."""
    at = moment(at)
    on = day(on, "on", "申请日期")
    if deposit.project.status != Project.Status.COMPLETED:
        raise ValidationError({"on": _("项目尚未竣工，不能申请返还工资保证金。")})
    if deposit.draws.exclude(status=DepositDraw.Status.TOPPED_UP).exists():
        raise ValidationError({"on": _("该保证金尚有未补足的动用，不能申请返还。")})
    with transition(deposit, expect=[S.HELD], event="deposit.return_applied", actor=actor, role=Role.CLERK,
                    subject=deposit.region, error_field="on") as step:  # fmt: skip
        doc = deposit_document_write(deposit=deposit, kind=DK.APPLICATION, actor=actor, at=at, lines=[
            f"{deposit.contractor.name}：",
            f"你单位于{on:%Y年%m月%d日}就“{deposit.project.name}”项目（{deposit.project.project_no}）"
            f"申请返还农民工工资保证金（{deposit.get_form_display()}，{deposit.balance:,.2f}元），本局已受理。",
            "本局将对该项目是否存在拖欠农民工工资情况进行公示，公示期满无异议的，予以返还（解除保函）。",
        ])  # fmt: skip
        step.to(S.RETURN_APPLIED, return_applied_on=on)
        step.data.update(deposit=deposit.pk, project=deposit.project_id, on=on, document=doc.number)
    return deposit


@one_transaction
def deposit_return_notice(*, deposit: Deposit, actor: Staff, at: Any = None) -> Deposit:
    """The public notice (公示) for `return_notice_days` days: listed on the public page."""
    at = moment(at)
    start = local_date(at)
    end = start + timedelta(days=rate_table(deposit.region).return_notice_days)
    with transition(deposit, expect=[S.RETURN_APPLIED], event="deposit.return_noticed", actor=actor,
                    role=Role.CLERK, subject=deposit.region) as step:  # fmt: skip
        doc = deposit_document_write(deposit=deposit, kind=DK.NOTICE, actor=actor, at=at, lines=[
            f"“{deposit.project.name}”项目（{deposit.project.project_no}）已竣工，施工总承包单位"
            f"{deposit.contractor.name}申请返还农民工工资保证金。",
            f"公示期自{start:%Y年%m月%d日}至{end:%Y年%m月%d日}。该项目农民工如有被拖欠工资的，"
            "请在公示期内向本局投诉举报；公示期满无拖欠工资投诉的，本局将予以返还（解除保函）。",
        ])  # fmt: skip
        step.to(S.NOTICED, notice_start=start, notice_end=end)
        step.data.update(deposit=deposit.pk, project=deposit.project_id, notice_start=start, notice_end=end,
                         document=doc.number)
    return deposit


@one_transaction
def deposit_return(*, deposit: Deposit, actor: Staff, at: Any = None) -> Deposit:
    """After the notice period with no arrears claims: the cash returned, or the guarantee released."""
    at = moment(at)
    today = local_date(at)
    with transition(deposit, expect=[S.NOTICED], event="deposit.returned", actor=actor, role=Role.CLERK,
                    subject=deposit.region) as step:  # fmt: skip
        if deposit.notice_end is None or today <= deposit.notice_end:
            raise ValidationError({"status": _("公示期尚未届满（至%(d)s），不能返还。") % {"d": deposit.notice_end}})
        claims = list(arrears_claims(deposit).values_list("case_no", flat=True)[:5])
        if claims:
            raise ValidationError(
                {"status": _("该项目尚有拖欠工资案件未办结（%(c)s），不能返还。") % {"c": "、".join(claims)}}
            )
        what = "解除银行保函" if deposit.form == Deposit.Form.GUARANTEE else f"返还保证金{deposit.balance:,.2f}元"
        doc = deposit_document_write(deposit=deposit, kind=DK.RETURN, actor=actor, at=at, lines=[
            f"{deposit.bank}、{deposit.contractor.name}：",
            f"“{deposit.project.name}”项目已竣工，返还公示期（{deposit.notice_start:%Y年%m月%d日}至"
            f"{deposit.notice_end:%Y年%m月%d日}）内未收到拖欠农民工工资的投诉，经核查无拖欠。",
            f"本局同意{what}{('（保函编号：' + deposit.guarantee_no + '）') if deposit.guarantee_no else ''}。",
        ])  # fmt: skip
        returned = deposit.balance
        step.to(S.RETURNED, returned_on=today, returned_amount=returned, balance=0)
        step.data.update(deposit=deposit.pk, project=deposit.project_id, returned=returned, form=deposit.form,
                         document=doc.number)
    return deposit
