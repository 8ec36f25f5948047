"""The deposits' flows: routing only (the steps in .steps, the forms in .forms)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from cases.scope import Right
from deposits.models import DepositDraw, FundAdvance

from ..nodes import HumanStep, ZhiqianFlow
from . import forms, steps


class DepositDrawFlow(ZhiqianFlow):
    """动用工资保证金

    The order to pay is overdue on a project holding a deposit: the bank notified (pays within 5 WD), its
    payment recorded per worker into the ledger, the contractor ordered to top up within 10 WD, the top-up."""

    process_title = _("动用工资保证金")

    start = flow.StartHandle(this.start_draw).Next(this.bank_paid)
    bank_paid = (
        HumanStep(None, right=Right.INVESTIGATE, form_class=forms.BankPaidForm, service=steps.bank_paid)
        .Annotation(title=_("登记银行支付"))
        .Next(this.topped_up)
    )
    topped_up = (
        HumanStep(None, right=Right.INVESTIGATE, form_class=forms.ToppedUpForm, service=steps.topped_up)
        .Annotation(title=_("登记补足保证金"))
        .Next(this.end)
    )
    end = flow.End()

    def start_draw(self, activation, *, draw: DepositDraw):
        return self.start_process(activation, case=draw.case, region=draw.case.region, artifact=draw)


class FundAdvanceFlow(ZhiqianFlow):
    """应急周转金垫付

    The inspector asks for an advance to workers of the case; the leader of the case's office approves (the
    fund pays each worker, recorded in the ledger) or refuses. Recoveries are recorded on the case's page."""

    process_title = _("应急周转金垫付")

    start = flow.StartHandle(this.start_advance).Next(this.approve)
    approve = (
        HumanStep(None, right=Right.APPROVE, form_class=forms.AdvanceApprovalForm, service=steps.advance_decide)
        .Annotation(title=_("审批应急周转金垫付"))
        .Next(this.end)
    )
    end = flow.End()

    def start_advance(self, activation, *, advance: FundAdvance):
        return self.start_process(activation, case=advance.case, region=advance.case.region, artifact=advance)
