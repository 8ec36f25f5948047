"""挂牌督办 (SPEC §4.3): the supervision flow, its forms and steps, the alert tasks, and register().

Routing only: each step maps its form to one service of cases.supervision. The process's `region` is the
office that acts on the current step — the supervising office (confirm, close_review) or the case's office
(acknowledge, report) — and each step service moves it, as IntakeFlow does on transfer:

    start (by hand) ───────────────────────────────▶ acknowledge ─▶ report ─▶ route_report
    start_proposal ─▶ confirm ─▶ route_confirm ─(confirmed)─┘                    │  ▲
                                     └─(declined)─▶ declined        apply_close  │  └─ wait_report (Timer:
                                                                         ▼       │     the next interval)
                    closed ◀─(approved)─ route_close ◀─ close_review ◀───┘       └──────(report)──┘
                                              └─(returned)─▶ report

Every human step needs Right.APPROVE (a leader, at its own office) in the process's region:
- confirm, close_review: the supervising office's leader (a city or province leader over the case).
- acknowledge, report (and the closure application, a choice of the report step): the case office's leader.
  The progress report is the office's written report to its superior (书面报告), so its leader signs it;
  the inspectors' work reaches the superior through the case itself (records, ledger, documents), which the
  supervising office reads while the supervision runs. An inspector right would also leave the step with no
  one to take it on a case not (yet) assigned.

SupervisionAlertFlow gives a leader a task when the sweep finds a supervision clock out: a missed report
(the case office's leader: 催报), still missing after one more interval (the supervising office's leader),
an overdue supervision (the next level up: the supervising office's superior, or the province itself).

A supervision is proposed by the minute sweep (workflows.sweep.PERIODIC_CHECKS): every open case whose
province's rules hold (cases.supervision.supervision_rules) and that was never proposed or supervised gets
a proposal for the leader of its office's superior. This needs no hook in the code that files cases or
changes their totals (intake, ledger), and a change by any path is picked up within a minute.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from cases import deadlines, scope
from cases import supervision as supervision_services
from cases.models import Supervision
from cases.scope import Right

from . import sweep
from .flows import ZhiqianFlow, decided
from .forms import ApprovalForm, StepForm
from .nodes import HumanStep
from .starts import Startable
from .starts import register as register_startable

logger = logging.getLogger(__name__)

# --- forms ------------------------------------------------------------------------------------------


class SupervisionStartForm(forms.Form):
    case_no = forms.CharField(label=_("案件编号"), max_length=32)
    complex = forms.BooleanField(label=_("复杂案件（适用复杂案件办结期限）"), required=False)
    requirements = forms.CharField(label=_("督办要求"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmForm(StepForm):
    """The superior's leader on a proposal: supervise (with the notice's requirements) or decline."""

    approved = forms.TypedChoiceField(
        label=_("是否挂牌督办"),
        choices=[("yes", _("同意挂牌督办")), ("no", _("不予督办"))],
        coerce=lambda v: v in (True, "yes", "true", "True", "1"),
    )
    complex = forms.BooleanField(label=_("复杂案件（适用复杂案件办结期限）"), required=False)
    requirements = forms.CharField(
        label=_("督办要求"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    opinion = forms.CharField(
        label=_("不予督办的理由"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("approved") is True and not (data.get("requirements") or "").strip():
            self.add_error("requirements", _("挂牌督办须填写督办要求。"))
        if data.get("approved") is False and not (data.get("opinion") or "").strip():
            self.add_error("opinion", _("不予督办须填写理由。"))
        return data


class AcknowledgeForm(StepForm):
    note = forms.CharField(
        label=_("签收意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportForm(StepForm):
    """A progress report for this interval, or — the case done — the closure application (销号) with results."""

    DECISIONS = [("report", _("报告办理进展")), ("apply_close", _("已办结，申请销号"))]
    decision = forms.ChoiceField(label=_("报告类型"), choices=DECISIONS)
    progress = forms.CharField(
        label=_("办理进展"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    result = forms.CharField(
        label=_("办理结果（申请销号时填写）"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "report" and not (data.get("progress") or "").strip():
            self.add_error("progress", _("请填写办理进展。"))
        if data.get("decision") == "apply_close" and not (data.get("result") or "").strip():
            self.add_error("result", _("申请销号须填写办理结果。"))
        return data


class AlertForm(StepForm):
    note = forms.CharField(label=_("督办意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


# --- steps: form data → one cases.supervision service -------------------------------------------------


def _supervision(process) -> Supervision:
    return Supervision.objects.select_related("case__region", "supervising_region").get(pk=process.artifact_object_id)


def confirm_decide(*, activation, actor, data) -> None:
    process = activation.process
    supervision = _supervision(process)
    if data["approved"]:
        supervision_services.supervision_confirm(
            supervision=supervision, actor=actor, complex=data["complex"], requirements=data["requirements"]
        )
        process.region = supervision.case.region
        process.decision = "confirmed"
    else:
        supervision_services.supervision_decline(supervision=supervision, actor=actor, opinion=data["opinion"])
        process.decision = "declined"
    process.save()


def notice_acknowledge(*, activation, actor, data) -> None:
    supervision_services.supervision_acknowledge(
        supervision=_supervision(activation.process), actor=actor, note=data.get("note", "")
    )


def progress_report(*, activation, actor, data) -> None:
    process = activation.process
    supervision = _supervision(process)
    if data["decision"] == "apply_close":
        supervision_services.supervision_apply_close(supervision=supervision, actor=actor, result=data["result"])
        process.region = supervision.supervising_region
    else:
        supervision_services.supervision_report(supervision=supervision, actor=actor, progress=data["progress"])
    process.decision = data["decision"]
    process.save()


def closure_review(*, activation, actor, data) -> None:
    process = activation.process
    supervision = _supervision(process)
    supervision_services.supervision_close(
        supervision=supervision, actor=actor, approved=data["approved"], opinion=data["opinion"]
    )
    if not data["approved"]:
        process.region = supervision.case.region
    process.decision = "approved" if data["approved"] else "returned"
    process.save()


def alert_handle(*, activation, actor, data) -> None:
    process = activation.process
    supervision_services.supervision_alert_handled(
        supervision=_supervision(process), actor=actor, kind=process.decision, note=data["note"]
    )


# --- flows --------------------------------------------------------------------------------------------


class SupervisionFlow(ZhiqianFlow):
    """挂牌督办

    A city or province leader supervises a case of an office below (or confirms a proposal made by the
    rules): the notice with its deadline (15 days, complex 30: province settings), the case office signs
    for it and reports every 5 working days, then applies for closure (销号), which the supervising
    leader approves or returns."""

    process_title = _("挂牌督办")

    start = flow.StartHandle(this.open_supervision).Next(this.acknowledge)
    start_proposal = flow.StartHandle(this.open_proposal).Next(this.confirm)
    confirm = (
        HumanStep(None, right=Right.APPROVE, form_class=ConfirmForm, service=confirm_decide)
        .Annotation(title=_("确认挂牌督办"))
        .Next(this.route_confirm)
    )
    route_confirm = flow.If(decided("confirmed")).Then(this.acknowledge).Else(this.declined)
    acknowledge = (
        HumanStep(None, right=Right.APPROVE, form_class=AcknowledgeForm, service=notice_acknowledge)
        .Annotation(title=_("签收督办通知"))
        .Next(this.report)
    )
    report = (
        HumanStep(None, right=Right.APPROVE, form_class=ReportForm, service=progress_report)
        .Annotation(title=_("报告督办进展"))
        .Next(this.route_report)
    )
    route_report = flow.If(decided("apply_close")).Then(this.close_review).Else(this.wait_report)
    wait_report = flow.Timer(this.next_report_opens).Annotation(title=_("等待下一报告期")).Next(this.report)
    close_review = (
        HumanStep(None, right=Right.APPROVE, form_class=ApprovalForm, service=closure_review)
        .Annotation(title=_("督办销号审核"))
        .Next(this.route_close)
    )
    route_close = flow.If(decided("approved")).Then(this.closed).Else(this.report)
    closed = flow.End()
    declined = flow.End()

    def open_supervision(self, activation, *, supervision: Supervision):
        """A notice just issued: the case's office signs for it."""
        process = self.start_process(activation, case=supervision.case)
        process.artifact = supervision
        return process

    def open_proposal(self, activation, *, supervision: Supervision):
        """A proposal: the supervising office (the superior of the case's office) confirms it."""
        process = self.start_process(activation, case=supervision.case, region=supervision.supervising_region)
        process.artifact = supervision
        return process

    def next_report_opens(self, activation) -> datetime:
        return supervision_services.supervision_report_opens(_supervision(activation.process))


class SupervisionAlertFlow(ZhiqianFlow):
    """督办催办

    A supervision clock ran out: a missed report (the case office's leader), a report still missing after
    one more interval (the supervising office's leader), an overdue supervision (the next level up)."""

    process_title = _("督办催办")

    start = flow.StartHandle(this.open_alert).Next(this.route)
    route = (
        flow.Switch()
        .Case(this.remind, decided("reminder"))
        .Case(this.missed_report, decided("missed_report"))
        .Default(this.overdue)
    )
    remind = (
        HumanStep(None, right=Right.APPROVE, form_class=AlertForm, service=alert_handle)
        .Annotation(title=_("督办进展报告催报"))
        .Next(this.end)
    )
    missed_report = (
        HumanStep(None, right=Right.APPROVE, form_class=AlertForm, service=alert_handle)
        .Annotation(title=_("下级逾期未报告督办进展"))
        .Next(this.end)
    )
    overdue = (
        HumanStep(None, right=Right.APPROVE, form_class=AlertForm, service=alert_handle)
        .Annotation(title=_("挂牌督办超期"))
        .Next(this.end)
    )
    end = flow.End()

    ALERTS = ("reminder", "missed_report", "overdue")

    def open_alert(self, activation, *, supervision: Supervision, region, alert: str):
        if alert not in self.ALERTS:
            raise ValueError(f"unknown supervision alert {alert!r}")
        process = self.start_process(activation, case=supervision.case, region=region)
        process.artifact = supervision
        process.decision = alert
        return process


# --- the manual start ---------------------------------------------------------------------------------


def _start(actor, form):
    case = scope.case_for_user(actor, form.cleaned_data["case_no"].strip(), Right.SUPERVISE)
    office = supervision_services.supervising_office_for(actor, case)
    supervision = supervision_services.supervision_start(
        case=case,
        supervising_region=office,
        actor=actor,
        complex=form.cleaned_data["complex"],
        requirements=form.cleaned_data["requirements"],
    )
    return SupervisionFlow.start.run(supervision=supervision)


# --- the sweep: proposals, missed reports, overdue supervisions ----------------------------------------


def proposals_check(*, now: datetime) -> int:
    """PERIODIC_CHECKS entry: propose a supervision for each case the rules now cover (one transaction each)."""
    proposed = 0
    for case in supervision_services.supervision_candidates():
        try:
            with transaction.atomic():
                supervision = supervision_services.supervision_propose_if_due(case, now=now)
                if supervision is not None:
                    SupervisionFlow.start_proposal.run(supervision=supervision)
                    proposed += 1
        except Exception:
            logger.exception("supervision proposal for case %s failed; retried next sweep", case.pk)
    return proposed


def report_missed(deadline, now, *, supervision=None) -> None:
    """A report interval ran out: a reminder, and a task for the case office's leader."""
    supervision = supervision or supervision_services.supervision_for_deadline(deadline)
    if supervision is None:
        return
    if supervision_services.supervision_remind(supervision=supervision, now=now) is not None:
        SupervisionAlertFlow.start.run(supervision=supervision, region=supervision.case.region, alert="reminder")


def report_still_missing(deadline, now, *, supervision=None) -> None:
    """One more interval and still no report: escalated to the supervising office's leader."""
    supervision = supervision or supervision_services.supervision_for_deadline(deadline)
    if supervision is None:
        return
    if supervision_services.supervision_escalate_missed_report(supervision=supervision, now=now):
        SupervisionAlertFlow.start.run(
            supervision=supervision, region=supervision.supervising_region, alert="missed_report"
        )


def reports_missed(deadlines, now) -> None:
    """on_overdue_many("supervision.report"): report_missed() for a sweep batch, one look-up in all."""
    supervision_services.each_supervised(report_missed, deadlines, now)


def reports_still_missing(deadlines, now) -> None:
    """on_overdue_many("supervision.report_grace"): report_still_missing() for a sweep batch."""
    supervision_services.each_supervised(report_still_missing, deadlines, now)


def next_level_notify(supervision: Supervision, now) -> None:
    """on_supervision_overdue hook: a task for the leader of the next level up."""
    SupervisionAlertFlow.start.run(
        supervision=supervision, region=supervision_services.supervision_next_level(supervision), alert="overdue"
    )


def register() -> None:
    register_startable(
        Startable("supervision", _("挂牌督办"), SupervisionStartForm, supervision_services.may_supervise, _start)
    )
    deadlines.on_overdue_many(supervision_services.COMPLETE, supervision_services.supervisions_overdue)
    deadlines.on_overdue_many(supervision_services.REPORT, reports_missed)
    deadlines.on_overdue_many(supervision_services.GRACE, reports_still_missing)
    supervision_services.on_supervision_overdue(next_level_notify)
    if proposals_check not in sweep.PERIODIC_CHECKS:
        sweep.PERIODIC_CHECKS.append(proposals_check)
