"""The services of the annual written review's campaigns: create one for a region and year, choose the employers
due to report (by industry and size, or one by one; each gets its code), open the reporting window (its clock on
the deadline engine), send reminder letters to those who have not reported, close the window (the engine's
overdue transition). Reports are in .reports, findings in .findings.

Keyword-only, `actor` explicit, one transaction each, one event per state change on the campaign's region's
timeline (the event names the campaign)."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import deadlines, timeline
from cases.actors import Actor
from cases.deadlines.times import start_of
from cases.industries import Industry
from cases.models import Deadline, Employer, Region
from cases.transitions import transition
from cases.tx import one_transaction
from cases.values import compact, in_office_language, required_text, uscc_problem
from inspections.models import Target

from .models import Campaign, Due, Reminder, Report
from .rules import SIZE_CHOICES, WINDOW, WINDOW_WARN_DAYS

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXY3456789"  # no 0/O, 1/I, 2/Z: read off a letter and typed
CODE_LENGTH = 8
NOTICE_MAX = 4000


def _fail(field: str, message: str):
    raise ValidationError({field: [message]})


def _event(campaign: Campaign, kind: str, *, actor: Actor, data: dict | None = None, at: datetime | None = None):
    timeline.record(campaign.region, kind, actor=actor, data={"campaign": campaign.pk, **(data or {})}, at=at)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


# --- the campaign ------------------------------------------------------------------------------------------


@one_transaction
def campaign_create(*, region: Region, year: int, name: str, notice: str, opens_on: date, closes_on: date,
                    actor: Actor) -> Campaign:  # fmt: skip
    """A region's written review of `year` (one per region and year): the window and the notice."""
    name = required_text(name, field="name", label=_("名称"), limit=200)
    notice = required_text(notice, field="notice", label=_("报送通知"), limit=NOTICE_MAX)
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not 2000 <= year <= this_year:
        _fail("year", _("审查年度须为 2000 年至今年之间的年份。"))
    if not opens_on or not closes_on or closes_on < opens_on:
        _fail("closes_on", _("报送截止日期不得早于报送开始日期。"))
    if Campaign.objects.filter(region=region, year=year).exists():
        _fail("year", _("该区划已有本年度的书面审查。"))
    campaign = Campaign.objects.create(region=region, year=year, name=name, notice=notice, opens_on=opens_on,
                                       closes_on=closes_on, created_by=actor)  # fmt: skip
    _event(campaign, "review.campaign_created", actor=actor, data={
        "year": year, "name": name, "opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat(),
    })  # fmt: skip
    return campaign


def _editable(campaign: Campaign) -> Campaign:
    campaign = Campaign.objects.select_for_update().select_related("region").get(pk=campaign.pk)
    if campaign.status == Campaign.Status.CLOSED:
        _fail("employers", _("报送期已截止，不能再添加应报送单位。"))
    return campaign


def employers_selectable(campaign: Campaign, *, industries: list[str], sizes: list[str]) -> QuerySet[Employer]:
    """The region's employers (its subtree) of the given GB/T 4754 sections and, when sizes are given, of those
    sizes in the double-random target pool; not already due (by record or by USCC)."""
    qs = Employer.objects.filter(region__path__startswith=campaign.region.path, industry__in=industries)
    if sizes:
        sized = Target.objects.filter(employer=OuterRef("pk"), size__in=sizes, active=True)
        qs = qs.filter(Exists(sized))
    due = Due.objects.filter(campaign=campaign)
    taken = set(due.exclude(employer__uscc="").values_list("employer__uscc", flat=True))
    qs = qs.exclude(pk__in=due.values("employer_id"))
    return qs.exclude(uscc__in=taken) if taken else qs


@one_transaction
def campaign_select(*, campaign: Campaign, industries: list[str], sizes: list[str], actor: Actor) -> list[Due]:
    """Every employer of the region of the given industries (and sizes) becomes due to report, with its code."""
    campaign = _editable(campaign)
    industries, sizes = sorted(set(industries or [])), sorted(set(sizes or []))
    if not industries or any(i not in Industry.values for i in industries):
        _fail("industries", _("请选择行业门类（国民经济行业分类的门类）。"))
    if any(s not in dict(SIZE_CHOICES) for s in sizes):
        _fail("sizes", _("请选择企业规模。"))
    seen: set[str] = set()
    dues = []
    for employer in employers_selectable(campaign, industries=industries, sizes=sizes).order_by("pk"):
        if employer.uscc and employer.uscc in seen:
            continue  # two records of one firm: one is due
        seen.add(employer.uscc)
        dues.append(Due(campaign=campaign, employer=employer, code=new_code(), source=Due.Source.SELECTED))
    Due.objects.bulk_create(dues)
    _event(campaign, "review.employers_selected", actor=actor,
           data={"industries": industries, "sizes": sizes, "count": len(dues)})  # fmt: skip
    return dues


@one_transaction
def due_add(*, campaign: Campaign, employer: Employer, actor: Actor) -> Due:
    """One employer added by hand (a firm the selection missed)."""
    campaign = _editable(campaign)
    if Due.objects.filter(campaign=campaign, employer=employer).exists() or (
        employer.uscc and Due.objects.filter(campaign=campaign, employer__uscc=employer.uscc).exists()
    ):
        _fail("employer", _("该单位已在应报送名单中。"))
    due = Due.objects.create(campaign=campaign, employer=employer, code=new_code(), source=Due.Source.ADDED)
    _event(campaign, "review.employer_added", actor=actor, data={"due": due.pk, "employer": employer.pk})
    return due


def employer_by_uscc(*, region: Region, uscc: str) -> Employer:
    """The employer of the region (or below) with this USCC; errors on the "uscc" field."""
    code = compact(uscc)
    if not code:
        _fail("uscc", _("请填写统一社会信用代码。"))
    if problem := uscc_problem(code):
        _fail("uscc", problem)
    employer = Employer.objects.filter(uscc=code, region__path__startswith=region.path).order_by("pk").first()
    if employer is None:
        _fail("uscc", _("本区划的用人单位中没有该统一社会信用代码。"))
    return employer  # type: ignore[return-value]  # _fail raised


@one_transaction
def campaign_open(*, campaign: Campaign, actor: Actor, now: datetime | None = None) -> Campaign:
    """The window opens: the employers may report from its first day to the end of its last (the engine's
    clock ``review.window``)."""
    now = now or timezone.now()
    with transition(campaign, expect=[Campaign.Status.DRAFT], event="review.opened", actor=actor,
                    subject=campaign.region, data={"campaign": campaign.pk}, at=now) as step:  # fmt: skip
        if not campaign.dues.exists():
            _fail("status", _("请先确定应报送单位。"))
        if campaign.closes_on < timezone.localdate(now):
            _fail("closes_on", _("报送截止日期已过，请修改后再开始报送。"))
        clock = deadlines.deadline_start(
            kind=WINDOW, region=campaign.region, start_at=start_of(campaign.opens_on),
            subject_ref=deadlines.subject_ref_of(campaign), length=(campaign.closes_on - campaign.opens_on).days,
        )  # fmt: skip
        step.to(Campaign.Status.OPEN, opened_at=now)
        step.data.update(dues=campaign.dues.count(), closes_at=clock.due_at.isoformat())
    return campaign


def window_clock(campaign: Campaign) -> Deadline | None:
    if campaign.status == Campaign.Status.DRAFT:
        return None
    return deadlines.deadlines_for(subject_ref=deadlines.subject_ref_of(campaign)).filter(kind=WINDOW).last()


def window_is_open(campaign: Campaign, now: datetime | None = None) -> bool:
    """Reports are taken online: the campaign is open, its first day has come and its clock has not run out."""
    now = now or timezone.now()
    if campaign.status != Campaign.Status.OPEN or timezone.localdate(now) < campaign.opens_on:
        return False
    clock = window_clock(campaign)
    return clock is not None and clock.state == Deadline.State.RUNNING and now <= clock.due_at


def dues_missing(campaign: Campaign) -> QuerySet[Due]:
    """The employers due to report that have not (online or on paper)."""
    return (
        Due.objects.filter(campaign=campaign)
        .exclude(Exists(Report.objects.filter(due=OuterRef("pk"))))
        .select_related("employer")
        .order_by("employer__name", "pk")
    )


def reminder_text(due: Due) -> str:
    campaign = due.campaign
    return in_office_language(lambda: _(
        "%(employer)s：\n根据%(region)s劳动保障监察机构《%(name)s》的通知，贵单位应于%(closes)s前报送%(year)s年度"
        "工资支付情况书面材料。截至目前尚未收到贵单位的报送材料，请登录网上报送页面，凭统一社会信用代码和报送码"
        "（%(code)s）报送，或向劳动保障监察机构书面报送。逾期不报送的，劳动保障监察机构将依法进行检查。"
    ) % {
        "employer": due.employer.name, "region": campaign.region.name, "name": campaign.name,
        "closes": f"{campaign.closes_on:%Y年%m月%d日}", "year": campaign.year, "code": due.code,
    })  # fmt: skip


@one_transaction
def campaign_remind(*, campaign: Campaign, actor: Actor, automatic: bool = False,
                    now: datetime | None = None) -> list[Reminder]:  # fmt: skip
    """A reminder letter to every employer still missing; one event for the batch."""
    now = now or timezone.now()
    campaign = Campaign.objects.select_for_update().select_related("region").get(pk=campaign.pk)
    if campaign.status != Campaign.Status.OPEN:
        _fail("status", _("报送期间才能催报。"))
    reminders = [
        Reminder(due=due, text=reminder_text(due), automatic=automatic, sent_at=now, actor=actor)
        for due in dues_missing(campaign).select_related("campaign__region")
    ]
    Reminder.objects.bulk_create(reminders)
    _event(campaign, "review.reminded", actor=actor, at=now,
           data={"count": len(reminders), "automatic": automatic, "dues": [r.due_id for r in reminders]})  # fmt: skip
    return reminders


@one_transaction
def campaign_close(*, campaign: Campaign, now: datetime | None = None) -> Campaign:
    """The window ran out (the engine's overdue transition): no more online reports; the missing are known."""
    now = now or timezone.now()
    with transition(campaign, expect=[Campaign.Status.OPEN], event="review.window_closed", actor=None,
                    subject=campaign.region, data={"campaign": campaign.pk}, at=now) as step:  # fmt: skip
        step.to(Campaign.Status.CLOSED, closed_at=now)
        step.data.update(dues=campaign.dues.count(), missing=dues_missing(campaign).count())
    return campaign


# --- the engine's handlers and subject links (registered in reviews.apps) -------------------------------------


def campaign_link(pk: int) -> tuple[str, str] | None:
    campaign = Campaign.objects.filter(pk=pk).first()
    if campaign is None:
        return None
    return _("年度书面审查：%(name)s") % {"name": campaign.name}, reverse("reviews:detail", args=[pk])


def finding_link(pk: int) -> tuple[str, str] | None:
    from .models import Finding

    finding = Finding.objects.select_related("report__due__employer").filter(pk=pk).first()
    if finding is None:
        return None
    words = _("书面审查整改：%(employer)s") % {"employer": finding.report.due.employer.name}
    return words, reverse("reviews:report", args=[finding.report_id])


def _campaign_of(deadline: Deadline) -> Campaign | None:
    parsed = deadlines.subject_parse(deadline.subject_ref)
    if parsed is None or parsed[0] != "reviews.campaign":
        return None
    return Campaign.objects.select_related("region").filter(pk=parsed[1]).first()


def window_warned(deadline: Deadline, now: datetime) -> None:
    """Days before the close: a reminder letter to every employer that has not reported. A window no longer
    than the warning (WINDOW_WARN_DAYS) is warned as it opens: no letters then, only those sent by hand."""
    if deadline.length <= WINDOW_WARN_DAYS:
        return
    campaign = _campaign_of(deadline)
    if campaign is not None and campaign.status == Campaign.Status.OPEN:
        campaign_remind(campaign=campaign, actor=None, automatic=True, now=now)


def window_overdue(deadline: Deadline, now: datetime) -> None:
    campaign = _campaign_of(deadline)
    if campaign is not None and campaign.status == Campaign.Status.OPEN:
        campaign_close(campaign=campaign, now=now)
