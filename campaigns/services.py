"""The services of the special campaigns: launch and close a campaign; record a check and a hazard (its
resolution deadline on the deadline engine, length the province's setting); resolve a hazard, or turn it into a
proactive case through the filing flow's proposal and link the case the leader files.

Keyword-only, `actor` explicit, one transaction each, one event per state change on the timeline of the
campaign's region (a campaign) or of the hazard's responsible office (a check, a hazard); the case's own
timeline names the hazard when the case is filed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import deadlines, timeline
from cases.actors import Actor
from cases.deadlines.times import start_of
from cases.industries import Industry
from cases.models import Case, Employer, FilingProposal, Region
from cases.tx import one_transaction
from cases.values import local_date, yuan_text
from projects.models import Project

from .config import config_for
from .models import Campaign, CheckRecord, Hazard, TargetKind

KIND = "campaign.hazard_resolve"
# No national text fixes the period: the province's setting (CampaignConfig.hazard_resolve_wd), default 10 WD.
RULE = deadlines.Rule(
    gettext_lazy("隐患整改期限"), 10, deadlines.Unit.WORKING_DAYS, f"专项行动方案{deadlines.PROVINCE_CONFIG}",
    "hazard.recorded", 3,
)  # fmt: skip


def _fail(field: str, message: str):
    raise ValidationError({field: [message]})


def _campaign_event(campaign: Campaign, kind: str, *, actor: Actor, data: dict | None = None) -> None:
    timeline.record(campaign.region, kind, actor=actor, data={"campaign": campaign.pk, **(data or {})})


def _hazard_event(hazard: Hazard, kind: str, *, actor: Actor, data: dict | None = None) -> None:
    timeline.record(hazard.region, kind, actor=actor,
                    data={"campaign": hazard.campaign_id, "hazard": hazard.pk, **(data or {})})  # fmt: skip


# --- the campaign ----------------------------------------------------------------------------------------


@one_transaction
def campaign_create(*, region: Region, title: str, period_start: date, period_end: date, target_kinds: list[str],
                    report_weekday: int, actor: Actor, industries: list[str] | None = None) -> Campaign:  # fmt: skip
    """A leader launches a campaign for its province's or city's subtree."""
    title = (title or "").strip() or _fail("title", _("请填写行动名称。"))
    if region.level not in (Region.Level.PROVINCE, Region.Level.CITY):
        _fail("region", _("专项行动由省级或设区市部署。"))
    if not period_start or not period_end or period_end < period_start:
        _fail("period_end", _("行动期间的结束日期不得早于开始日期。"))
    kinds = [k for k in TargetKind.values if k in set(target_kinds or [])]
    if not kinds or len(kinds) != len(set(target_kinds)):
        _fail("target_kinds", _("请选择排查对象。"))
    industries = sorted(set(industries or []))
    if any(i not in Industry.values for i in industries):
        _fail("industries", _("行业门类须为国民经济行业分类的门类之一。"))
    if TargetKind.EMPLOYERS in kinds and not industries:
        _fail("industries", _("排查重点行业用人单位时请选择行业。"))
    if report_weekday not in range(7):
        _fail("report_weekday", _("请选择每周调度日。"))
    campaign = Campaign.objects.create(
        region=region, title=title, period_start=period_start, period_end=period_end, target_kinds=kinds,
        industries=industries, report_weekday=report_weekday, created_by=actor,
    )  # fmt: skip
    _campaign_event(campaign, "campaign.launched", actor=actor, data={
        "title": title, "period": [period_start.isoformat(), period_end.isoformat()], "target_kinds": kinds,
        "industries": industries, "report_weekday": report_weekday,
    })  # fmt: skip
    return campaign


@one_transaction
def campaign_close(*, campaign: Campaign, note: str, actor: Actor) -> Campaign:
    """The campaign ends: no new checks or hazards; open hazards keep their deadlines."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != Campaign.Status.ACTIVE:
        _fail("status", _("该专项行动已结束。"))
    note = (note or "").strip() or _fail("note", _("请填写行动总结。"))
    campaign.status, campaign.closed_at, campaign.closing_note = Campaign.Status.CLOSED, timezone.now(), note
    campaign.save(update_fields=["status", "closed_at", "closing_note"])
    open_count = campaign.hazards.filter(status=Hazard.Status.OPEN).count()
    _campaign_event(campaign, "campaign.closed", actor=actor, data={"note": note, "open_hazards": open_count})
    return campaign


# --- checks and hazards ----------------------------------------------------------------------------------


def _target_check(campaign: Campaign, region: Region, project: Project | None, employer: Employer | None) -> None:
    status = Campaign.objects.filter(pk=campaign.pk).values_list("status", flat=True).first()  # as it is now
    if status != Campaign.Status.ACTIVE:
        _fail("campaign", _("该专项行动已结束，不能再登记。"))
    if not region.path.startswith(campaign.region.path):
        _fail("region", _("责任机构不在本次专项行动的范围内。"))
    if (project is None) == (employer is None):
        _fail("project", _("请选择一个工程项目或一个用人单位。"))
    kinds = set(campaign.target_kinds)
    if project is not None:
        if not project.region.path.startswith(campaign.region.path):
            _fail("project", _("该项目不在本次专项行动的范围内。"))
        if TargetKind.CONSTRUCTION not in kinds and not (
            TargetKind.GOVERNMENT in kinds and project.government_invested
        ):
            _fail("project", _("本次专项行动只排查政府投资工程项目。"))
    elif TargetKind.EMPLOYERS not in kinds:
        _fail("employer", _("本次专项行动不排查用人单位。"))
    elif employer is not None and campaign.industries and employer.industry not in campaign.industries:
        _fail("employer", _("该单位不属于本次专项行动的重点行业。"))


def _day(value: date | None, field: str, campaign: Campaign) -> date:
    if not value:
        _fail(field, _("请填写日期。"))
    assert value is not None
    if value > timezone.localdate():
        _fail(field, _("日期不得晚于今天。"))
    if value < campaign.period_start:
        _fail(field, _("日期不得早于专项行动开始日期。"))
    return value


@one_transaction
def check_record(*, campaign: Campaign, region: Region, checked_on: date, actor: Actor, note: str = "",
                 project: Project | None = None, employer: Employer | None = None) -> CheckRecord:  # fmt: skip
    """A project or an employer checked (排查): one record, the hazards it found are recorded on their own."""
    _target_check(campaign, region, project, employer)
    checked_on = _day(checked_on, "checked_on", campaign)
    check = CheckRecord.objects.create(
        campaign=campaign, region=region, project=project, employer=employer, checked_on=checked_on,
        checked_by=actor, note=(note or "").strip()[:500],
    )  # fmt: skip
    timeline.record(region, "campaign.checked", actor=actor, data={
        "campaign": campaign.pk, "check": check.pk, "checked_on": checked_on.isoformat(),
        "project_no": project.project_no if project else "", "employer": employer.name if employer else "",
    })  # fmt: skip
    return check


def _amount(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0")).quantize(Decimal("0.01"))
    except ArithmeticError:
        _fail(field, _("金额须为不小于 0 的数字。"))
    if amount < 0:
        _fail(field, _("金额须为不小于 0 的数字。"))
    return amount


def hazard_clean(*, campaign: Campaign, region: Region, kind: str, found_on: date, workers, amount,
                 description: str, project: Project | None, employer: Employer | None) -> dict:  # fmt: skip
    """The hazard's values checked (errors name their field); shared by the form and the import."""
    _target_check(campaign, region, project, employer)
    if kind not in Hazard.Kind.values:
        _fail("kind", _("请选择隐患类型。"))
    description = (description or "").strip()
    if kind == Hazard.Kind.OTHER and not description:
        _fail("description", _("隐患类型为“其他”时请填写隐患情况。"))
    try:
        workers = int(workers or 0)
        if workers < 0:
            raise ValueError
    except (TypeError, ValueError):
        _fail("workers", _("涉及人数须为不小于 0 的整数。"))
    amount = _amount(amount, "amount")
    if kind == Hazard.Kind.WAGES_OWED and (workers < 1 or amount <= 0):
        _fail("amount", _("拖欠工资的隐患须填写涉及人数和金额。"))
    found_on = _day(found_on, "found_on", campaign)
    return {"campaign": campaign, "region": region, "kind": kind, "found_on": found_on, "workers": workers,
            "amount": amount, "description": description, "project": project, "employer": employer}  # fmt: skip


def _hazard_create(clean: dict, actor: Actor) -> Hazard:
    region: Region = clean["region"]
    days = config_for(region).hazard_resolve_wd
    hazard = Hazard(**clean, found_by=actor if getattr(actor, "is_authenticated", False) else None,
                    due_on=clean["found_on"])  # fmt: skip
    hazard.save(force_insert=True)
    deadline = deadlines.deadline_start(
        kind=KIND, region=region, start_at=start_of(clean["found_on"]), length=days,
        subject_ref=deadlines.subject_ref_of(hazard),
    )  # fmt: skip
    hazard.due_on = local_date(deadline.due_at)
    hazard.save(update_fields=["due_on"])
    CheckRecord.objects.get_or_create(
        campaign=hazard.campaign, region=region, project=hazard.project, employer=hazard.employer,
        checked_on=hazard.found_on, defaults={"checked_by": hazard.found_by, "note": "发现隐患"},
    )  # fmt: skip
    _hazard_event(hazard, "hazard.recorded", actor=actor, data={
        "kind": hazard.kind, "target": hazard.target_name,
        "project_no": hazard.project.project_no if hazard.project else "",
        "workers": hazard.workers, "amount": str(hazard.amount), "found_on": hazard.found_on.isoformat(),
        "due_on": hazard.due_on.isoformat(), "resolve_wd": days,
    })  # fmt: skip
    return hazard


@one_transaction
def hazard_record(*, campaign: Campaign, region: Region, kind: str, found_on: date, actor: Actor, workers=0,
                  amount="0", description: str = "", project: Project | None = None,
                  employer: Employer | None = None) -> Hazard:  # fmt: skip
    """A hazard found: its resolution clock starts (the province's working days from the day found), and the
    project or employer counts as checked that day."""
    clean = hazard_clean(campaign=campaign, region=region, kind=kind, found_on=found_on, workers=workers,
                         amount=amount, description=description, project=project, employer=employer)  # fmt: skip
    return _hazard_create(clean, actor)


@one_transaction
def hazards_create(*, cleaned: list[dict], actor: Actor) -> list[Hazard]:
    """Many cleaned hazards (an import) in one transaction: all of them or none."""
    return [_hazard_create(clean, actor) for clean in cleaned]


def _open_deadline(hazard: Hazard):
    return (
        deadlines.deadlines_for(subject_ref=deadlines.subject_ref_of(hazard))
        .filter(kind=KIND, state__in=[deadlines.State.RUNNING, deadlines.State.PAUSED, deadlines.State.OVERDUE])
        .first()
    )


def _locked_open(hazard: Hazard) -> Hazard:
    hazard = (
        Hazard.objects.select_for_update(of=("self",)).select_related("campaign", "region", "project").get(pk=hazard.pk)
    )
    if hazard.status != Hazard.Status.OPEN:
        _fail("status", _("该隐患已处理。"))
    return hazard


def _close_clock(hazard: Hazard, on: date) -> str:
    """Close the resolution clock at the end of the day it was done: "met" or "closed_late"."""
    deadline = _open_deadline(hazard)
    if deadline is None:
        return ""
    moment = min(timezone.now(), datetime.combine(on, datetime.max.time().replace(microsecond=0), tzinfo=deadlines.TZ))
    return deadlines.deadline_close(deadline=deadline, at=moment).state


@one_transaction
def hazard_resolve(*, hazard: Hazard, resolved_on: date, evidence_note: str, actor: Actor, amount_paid="0") -> Hazard:
    """The hazard is put right: the evidence noted (and the wages paid, if any); the clock met or late."""
    hazard = _locked_open(hazard)
    evidence_note = (evidence_note or "").strip() or _fail("evidence_note", _("请填写整改情况及证明材料。"))
    paid = _amount(amount_paid, "amount_paid")
    if hazard.kind == Hazard.Kind.WAGES_OWED and paid <= 0:
        _fail("amount_paid", _("拖欠工资的隐患整改须填写已支付金额。"))
    if not resolved_on or resolved_on < hazard.found_on or resolved_on > timezone.localdate():
        _fail("resolved_on", _("整改完成日期须在发现日期之后且不晚于今天。"))
    state = _close_clock(hazard, resolved_on)
    hazard.status, hazard.resolved_on, hazard.evidence_note, hazard.amount_paid = (
        Hazard.Status.RESOLVED, resolved_on, evidence_note, paid)  # fmt: skip
    hazard.save(update_fields=["status", "resolved_on", "evidence_note", "amount_paid"])
    _hazard_event(hazard, "hazard.resolved", actor=actor, data={
        "resolved_on": resolved_on.isoformat(), "amount_paid": str(paid), "evidence_note": evidence_note,
        "late": state == deadlines.State.CLOSED_LATE,
    })  # fmt: skip
    return hazard


def proposal_for(hazard: Hazard, facts: str) -> dict:
    """The filing proposal (立案审批表) of a hazard turned into a case: the employer (the project's general
    contractor when the hazard is a project's), the project, workers, amount and the hazard's facts."""
    from cases.models import Case as CaseModel
    from cases.proactive import filing_proposal_validate

    employer = hazard.employer
    if employer is None and hazard.project is not None:
        unit = hazard.project.units.filter(role="general").select_related("employer").first()
        employer = unit.employer if unit else None
    if employer is None:
        _fail("facts", _("该项目没有登记施工总承包单位，无法提出立案。"))
    assert employer is not None
    with translation.override(settings.LANGUAGE_CODE):  # the proposal is a document: in the site's language
        kind = str(hazard.get_kind_display())
    summary = (f"专项行动“{hazard.campaign.title}”排查发现：{kind}，涉及 {hazard.workers} 人、"
               f"{yuan_text(hazard.amount)}。")  # fmt: skip
    body = {
        "origin": CaseModel.Origin.INSPECTION,
        "employer": {"name": employer.name, "uscc": employer.uscc, "address": employer.address},
        "project": {"name": hazard.project.name, "address": hazard.project.address} if hazard.project else {},
        "workers_count": max(hazard.workers, 1),
        "amount_owed": str(hazard.amount),
        "facts": "\n".join(x for x in [summary, hazard.description, (facts or "").strip()] if x),
    }
    return filing_proposal_validate(body)


@one_transaction
def hazard_case_propose(*, hazard: Hazard, filing: FilingProposal, actor: Actor) -> Hazard:
    """The hazard goes to a proactive case (the filing flow's proposal, leader's approval pending): the
    clock is closed on the day of the proposal."""
    hazard = _locked_open(hazard)
    today = timezone.localdate()
    state = _close_clock(hazard, today)
    hazard.status, hazard.filing, hazard.case_proposed_on = Hazard.Status.CASE, filing, today
    hazard.save(update_fields=["status", "filing", "case_proposed_on"])
    _hazard_event(hazard, "hazard.case_proposed", actor=actor,
                  data={"filing": filing.pk, "late": state == deadlines.State.CLOSED_LATE})  # fmt: skip
    return hazard


@one_transaction
def hazard_case_filed(*, filing: FilingProposal, case: Case, actor: Actor) -> list[Hazard]:
    """The leader filed the case proposed from hazards: the case's timeline names each hazard
    ("hazard.case_linked"). No hazard for this filing: nothing."""
    hazards = list(Hazard.objects.select_for_update(of=("self",)).select_related("campaign").filter(filing=filing))
    for hazard in hazards:
        hazard.case_filed_on = local_date(case.filed_at) if case.filed_at else timezone.localdate()
        hazard.save(update_fields=["case_filed_on"])
        timeline.record(case, "hazard.case_linked", actor=actor, data={
            "hazard": hazard.pk, "campaign": hazard.campaign.title, "kind": hazard.kind,
            "workers": hazard.workers, "amount": str(hazard.amount), "found_on": hazard.found_on.isoformat(),
        })  # fmt: skip
    return hazards


def hazard_of(deadline) -> Hazard | None:
    ref = getattr(deadline, "subject_ref", "") or ""
    if not ref.startswith("campaigns.hazard:"):
        return None
    return Hazard.objects.filter(pk=int(ref.split(":", 1)[1])).first()


def hazard_overdue(deadline, now: datetime) -> None:
    """The sweep's overdue handler: the hazard is marked overdue (the sweep wrote "deadline.overdue" on the
    office's chain; this is no state change of its own)."""
    hazard = hazard_of(deadline)
    if hazard is not None and hazard.overdue_at is None:
        Hazard.objects.filter(pk=hazard.pk).update(overdue_at=now)


def hazard_subject_link(pk: int) -> tuple[str, str] | None:
    """How the leader's overdue list names a hazard's clock: words and the hazard's page."""
    from django.urls import reverse

    hazard = Hazard.objects.select_related("project", "employer").filter(pk=pk).first()
    if hazard is None:
        return None
    words = _("隐患整改：%(target)s（%(kind)s）") % {"target": hazard.target_name, "kind": hazard.get_kind_display()}
    return words, reverse("campaigns:hazard", args=[pk])
