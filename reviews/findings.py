"""The reviewer's finding on a report (an inspector of the campaign's region): no problem; problems found → a
rectification order (its period on the deadline engine, the province's working days) and its verification
(corrected or not); or a proactive case through the filing flow (origin 书面审查), whose filing links the case
back to the report, names it on the case's timeline and attaches the report's files as the case's evidence.

One event per change on the region's timeline; the case's own when it is filed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import deadlines, proactive, timeline
from cases.actors import Actor
from cases.deadlines.times import start_of
from cases.evidence import evidence_upload
from cases.models import Case, Deadline, FilingProposal
from cases.tx import one_transaction
from cases.values import in_office_language, local_date, yuan, yuan_text

from . import hooks
from .models import Finding, Report, ReviewConfig
from .rules import PROBLEMS, RECTIFY, RECTIFY_WD_DEFAULT


def _fail(field: str, message: str):
    raise ValidationError({field: [message]})


def _event(report: Report, kind: str, *, actor: Actor, data: dict | None = None) -> None:
    timeline.record(report.campaign.region, kind, actor=actor,
                    data={"campaign": report.campaign_id, "report": report.pk, **(data or {})})  # fmt: skip


def rectify_wd(report: Report) -> int:
    """The province's rectification period (ReviewConfig.rectify_wd), default 10 working days."""
    region = report.campaign.region
    province_path = region.path.split("/", 1)[0] + "/"
    config = ReviewConfig.objects.filter(province__path=province_path).first()
    return config.rectify_wd if config else RECTIFY_WD_DEFAULT


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("campaign__region", "due__employer").get(pk=report.pk)


def _problems(problems: list[str]) -> list[str]:
    problems = sorted(set(problems or []))
    if any(p not in PROBLEMS for p in problems):
        _fail("problems", _("请从列表中选择发现的问题。"))
    return problems


def _amount(value) -> Decimal:
    try:
        amount = yuan(value if value not in (None, "") else 0)
    except ValueError:
        _fail("amount", _("涉及金额须为不小于 0 的金额（元）。"))
    if amount < 0:
        _fail("amount", _("涉及金额须为不小于 0 的金额（元）。"))
    return amount


def _reviewed_on(report: Report, reviewed_on: date | None) -> date:
    if not reviewed_on or reviewed_on > timezone.localdate() or reviewed_on < local_date(report.submitted_at):
        _fail("reviewed_on", _("审查日期须在报送之后且不晚于今天。"))
    return reviewed_on  # type: ignore[return-value]


@one_transaction
def finding_record(*, report: Report, outcome: str, problems: list[str], amount, note: str,
                   reviewed_on: date, actor: Actor) -> Finding:  # fmt: skip
    """No problem, or problems found and a rectification order due in the province's working days."""
    report = _locked(report)
    if Finding.objects.filter(report=report).exists():
        _fail("outcome", _("该报告已有审查结论。"))
    if outcome not in (Finding.Outcome.NO_PROBLEM, Finding.Outcome.RECTIFY):
        _fail("outcome", _("请选择审查结论。"))
    problems, amount, note = _problems(problems), _amount(amount), (note or "").strip()
    reviewed_on = _reviewed_on(report, reviewed_on)
    if outcome == Finding.Outcome.NO_PROBLEM and problems:
        _fail("outcome", _("已选择发现的问题，不能登记为未发现问题。"))
    if outcome == Finding.Outcome.RECTIFY and not (problems and note):
        _fail("note", _("责令整改须选择发现的问题并填写审查意见（整改要求）。"))
    finding = Finding(report=report, outcome=outcome, problems=problems, amount=amount, note=note,
                      reviewer=actor, reviewed_on=reviewed_on)  # fmt: skip
    kind = "review.reviewed"
    data: dict[str, object] = {"outcome": outcome}
    if outcome == Finding.Outcome.RECTIFY:
        finding.save()
        clock = deadlines.deadline_start(
            kind=RECTIFY, region=report.campaign.region, start_at=start_of(reviewed_on),
            subject_ref=deadlines.subject_ref_of(finding), length=rectify_wd(report),
        )  # fmt: skip
        finding.rectify_due = local_date(clock.due_at)
        finding.save(update_fields=["rectify_due"])
        kind = "review.rectification_ordered"
        data.update(problems=problems, amount=str(amount), rectify_due=finding.rectify_due.isoformat())
    else:
        finding.save()
    _event(report, kind, actor=actor, data={"finding": finding.pk, **data})
    return finding


def rectify_clock(finding: Finding) -> Deadline | None:
    return deadlines.deadlines_for(subject_ref=deadlines.subject_ref_of(finding)).filter(kind=RECTIFY).last()


@one_transaction
def finding_verify(*, finding: Finding, corrected: bool, verified_on: date, note: str, actor: Actor) -> Finding:
    """The rectification checked: corrected or not (then a case may be proposed). The clock closes: met, or
    closed late when the check came after the period."""
    finding = Finding.objects.select_for_update().select_related("report__campaign__region").get(pk=finding.pk)
    if finding.outcome != Finding.Outcome.RECTIFY or finding.verified_on is not None:
        _fail("verified_on", _("该报告没有待核查的整改。"))
    note = (note or "").strip() or _fail("note", _("请填写整改核查情况。"))
    if not verified_on or verified_on < finding.reviewed_on or verified_on > timezone.localdate():
        _fail("verified_on", _("核查日期须在审查日期之后且不晚于今天。"))
    finding.verified_on, finding.corrected, finding.verify_note = verified_on, bool(corrected), note[:300]
    finding.save(update_fields=["verified_on", "corrected", "verify_note"])
    clock = rectify_clock(finding)
    if clock is not None and clock.state in (Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.OVERDUE):
        deadlines.deadline_close(deadline=clock)
    _event(finding.report, "review.rectification_verified", actor=actor, data={
        "finding": finding.pk, "corrected": bool(corrected), "verified_on": verified_on.isoformat(),
        "late": bool(finding.rectify_due and verified_on > finding.rectify_due),
    })  # fmt: skip
    return finding


def case_proposal(report: Report, *, problems: list[str], amount: Decimal, facts: str, workers_count: int) -> dict:
    """The proactive case's proposal (立案审批表) from the report: the employer, the problems, the report's
    figures as the basic facts."""
    employer = report.due.employer
    summary = in_office_language(lambda: _("%(year)s年度书面审查（%(campaign)s，回执号%(receipt)s）："
                "年末职工%(headcount)d人，其中农民工%(migrants)d人；"
                "全年应发工资%(due)s，实发%(paid)s，年末拖欠%(arrears)s。发现的问题：%(problems)s。") % {
        "year": report.campaign.year, "campaign": report.campaign.name, "receipt": report.receipt_no,
        "headcount": report.headcount, "migrants": report.migrant_workers, "due": yuan_text(report.wages_due),
        "paid": yuan_text(report.wages_paid), "arrears": yuan_text(report.arrears_year_end),
        "problems": "、".join(str(PROBLEMS[p]) for p in problems),
    })  # fmt: skip
    return proactive.filing_proposal_validate({
        "origin": Case.Origin.WRITTEN_REVIEW,
        "employer": {"name": employer.name, "uscc": employer.uscc, "address": employer.address},
        "project": {},
        "workers_count": workers_count,
        "amount_owed": str(amount),
        "facts": "\n".join(x for x in [summary, (facts or "").strip()] if x),
    })  # fmt: skip


@one_transaction
def finding_case_propose(*, report: Report, problems: list[str], amount, facts: str, workers_count: int,
                         reviewed_on: date, actor: Actor) -> Finding:  # fmt: skip
    """Problems that need a case: the filing flow's proposal (origin 书面审查) is started and linked; the
    leader's approval files the case (review_case_filed). Also after a rectification found not corrected."""
    report = _locked(report)
    finding = Finding.objects.select_for_update().filter(report=report).first()
    if finding is not None and not (finding.outcome == Finding.Outcome.RECTIFY and finding.corrected is False):
        _fail("outcome", _("该报告已有审查结论。"))
    problems, amount = _problems(problems), _amount(amount)
    if not problems:
        _fail("problems", _("请选择发现的问题。"))
    reviewed_on = _reviewed_on(report, reviewed_on) if finding is None else finding.reviewed_on
    try:
        workers = int(workers_count)
    except (TypeError, ValueError):
        workers = 0
    proposal = case_proposal(report, problems=problems, amount=amount, facts=facts, workers_count=workers)
    if hooks.filing_start is None:
        raise RuntimeError("reviews.hooks.filing_start is not wired (workflows.wiring)")
    filing = hooks.filing_start(region=report.campaign.region, proposal=proposal, proposer=actor)
    if finding is None:
        finding = Finding(report=report, reviewer=actor, reviewed_on=reviewed_on)
    finding.outcome, finding.problems, finding.amount, finding.filing = Finding.Outcome.CASE, problems, amount, filing
    finding.note = "\n".join(x for x in [finding.note, (facts or "").strip()] if x)
    finding.save()
    _event(report, "review.case_proposed", actor=actor,
           data={"finding": finding.pk, "filing": filing.pk, "problems": problems, "amount": str(amount)})  # fmt: skip
    return finding


@one_transaction
def review_case_filed(*, filing: FilingProposal, case: Case, actor: Actor) -> list[Finding]:
    """The leader filed the case proposed from a report: the finding links the case, the case's timeline names
    the report ("review.case_linked") and the report's files become the case's evidence. No finding: nothing."""
    findings = list(
        Finding.objects.select_for_update(of=("self",)).select_related("report__campaign", "report__due__employer")
        .filter(filing=filing)
    )  # fmt: skip
    for finding in findings:
        finding.case = case
        finding.save(update_fields=["case"])
        report = finding.report
        timeline.record(case, "review.case_linked", actor=actor, data={
            "campaign": report.campaign_id, "report": report.pk, "receipt_no": report.receipt_no,
            "year": report.campaign.year, "problems": finding.problems, "amount": str(finding.amount),
        })  # fmt: skip
        for attachment in report.attachments.all():
            with default_storage.open(attachment.file.name, "rb") as handle:
                upload = UploadedFile(handle, name=attachment.original_name, content_type=attachment.content_type,
                                      size=attachment.size)  # fmt: skip
                evidence_upload(case=case, upload=upload,
                                description=f"书面审查报送材料：{attachment.description}",
                                actor=finding.reviewer)  # fmt: skip
    return findings

