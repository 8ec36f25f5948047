"""Running the monthly check: one project and month (project_month_check, one transaction: the project
page's button and the API), and a SET of projects at once (month_set_check: every project under construction
of a region for a month — projects_check, the management command and the demo — and the daily Celery run over
the projects whose pay day passed, projects_check_due). The set-based run reads each rule in one statement for
every project (.monthset, .setrules, .quality) and writes the signals in bulk (.sync): its statements do not
grow with the projects. Both give the same findings (tests/test_earlywarning_setbased.py).

Idempotent: each finding raises or finds again its signal (earlywarning.services.signal_raise, unique per
project, unit, rule and month); an open signal of the check for that project and month (or of the project's
month-less rules) that no finding names any more is resolved."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases.actors import Actor
from projects.models import Project

from ..config import ConfigCache
from ..models import ProjectPayDay, Signal, WarningConfig
from ..services import signal_raise, signal_resolve
from .base import load_month
from .monthset import Found, MonthSet, found_of
from .registry import CHECKS, rule_codes, set_checks
from .sync import signals_sync


@dataclass
class CheckResult:
    projects: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: str, n: int = 1) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + n

    def merge(self, other: CheckResult) -> None:
        self.projects += other.projects
        for k, v in other.outcomes.items():
            self.add(k, v)


def month_of(value: str | date) -> date:
    """ "YYYY-MM" or a date → the month's first day (ValueError for anything else)."""
    if isinstance(value, date):
        return value.replace(day=1)
    year, month = str(value).strip().split("-")[:2]
    return date(int(year), int(month), 1)


def project_month_check(
    *, project: Project, month: date, actor: Actor = None, now: datetime | None = None, configs=None
) -> CheckResult:
    """Apply every rule to the project's month and bring its signals in line with the findings."""
    now = now or timezone.now()
    month = month_of(month)
    config = (configs or ConfigCache())(project.region)
    data = load_month(project, month, today=timezone.localdate(now), config=config)
    result = CheckResult(projects=1)
    with transaction.atomic():
        found: set[int] = set()
        for _code, rule in CHECKS:
            for finding in rule(data):
                evidence = {"month": f"{month:%Y-%m}", **finding.evidence} if finding.monthly else finding.evidence
                signal, outcome = signal_raise(
                    actor=actor, source=Signal.Source.CHECK, rule=finding.rule, level=finding.level,
                    project=project, unit=finding.unit, month=month if finding.monthly else None,
                    evidence=evidence, amount=finding.amount, workers=finding.workers, now=now,
                )  # fmt: skip
                found.add(signal.pk)
                result.add(outcome)
        stale = Signal.objects.filter(
            Q(month=month) | Q(month__isnull=True),
            project=project, source=Signal.Source.CHECK, rule__in=rule_codes(), status__in=Signal.OPEN_STATUSES,
        ).exclude(pk__in=found)  # fmt: skip
        for signal in stale:
            signal_resolve(signal=signal, actor=actor, now=now)
            result.add("resolved")
    return result


def projects_under_construction(region_code: str | None = None):
    qs = Project.objects.filter(status=Project.Status.UNDER_CONSTRUCTION).select_related("region").order_by("pk")
    if region_code:
        qs = qs.filter(region__path__startswith=_path_of(region_code))
    return qs


def _path_of(code: str) -> str:
    from cases.models import Region

    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValueError(code)
    return region.path


def project_findings(*, project: Project, month: date, today: date, config: WarningConfig) -> list[Found]:
    """The per-project path's findings, as the set-based run's (for comparing the two)."""
    data = load_month(project, month_of(month), today=today, config=config)
    return [found_of(project.pk, finding) for _code, rule in CHECKS for finding in rule(data)]


def month_set_findings(ms: MonthSet) -> list[Found]:
    """Every rule's set-based form over the set, the workers' names filled in (one query)."""
    found = [f for _code, rule in set_checks() for f in rule(ms)]
    ms.name_all(found)
    return found


def month_set_check(*, projects, month: date, actor: Actor = None, now: datetime | None = None) -> CheckResult:
    """The month's check of every project of the queryset `projects` at once, in one transaction: a fixed
    number of statements whatever the number of projects."""
    now = now or timezone.now()
    month = month_of(month)
    with transaction.atomic():
        ms = MonthSet(projects, month, today=timezone.localdate(now))
        try:
            found = month_set_findings(ms)
        finally:
            ms.close()
        outcomes = signals_sync(ms=ms, found=found, rules=rule_codes(), actor=actor, now=now)
    return CheckResult(projects=len(ms.info), outcomes=outcomes)


def projects_check(
    *,
    month: date,
    region_code: str | None = None,
    actor: Actor = None,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    projects=None,
) -> CheckResult:
    """The month's check of every project under construction (of `region_code` and below), set-based;
    `progress(done, total)` once at the end."""
    qs = projects if projects is not None else projects_under_construction(region_code)
    result = month_set_check(projects=qs, month=month, actor=actor, now=now)
    if progress is not None:
        progress(result.projects, result.projects)
    return result


def projects_check_loop(
    *, month: date, region_code: str | None = None, actor: Actor = None, now: datetime | None = None, projects=None
) -> CheckResult:
    """The per-project loop (one transaction and some twenty statements per project): what the set-based run
    replaced, kept for the benchmark's side-by-side figures (bench/earlywarning_check.py)."""
    qs = projects if projects is not None else projects_under_construction(region_code)
    configs = ConfigCache()
    result = CheckResult()
    for project in qs.iterator(chunk_size=500):
        result.merge(project_month_check(project=project, month=month, actor=actor, now=now, configs=configs))
    return result


def previous_month(day: date) -> date:
    return (day.replace(day=1) - date.resolution).replace(day=1)


def projects_due(today: date):
    """The projects under construction whose pay day (their own, else their province's) has passed this month,
    as ONE queryset: a pay day past the month's last day falls on the last day."""
    last_day = calendar.monthrange(today.year, today.month)[1]
    qs = projects_under_construction()
    if today.day >= last_day:
        return qs  # every pay day is due by the month's last day
    own = ProjectPayDay.objects.values("project_id")
    own_due = Q(pk__in=ProjectPayDay.objects.filter(pay_day__lte=today.day).values("project_id"))
    configured = {row.province.code[:2]: row.pay_day for row in WarningConfig.objects.select_related("province")}
    province_due = Q()
    for prefix, pay_day in configured.items():
        if pay_day <= today.day:
            province_due |= Q(region__code__startswith=prefix)
    if WarningConfig().pay_day <= today.day:  # the provinces without a row: the default
        others = Q()
        for prefix in configured:
            others &= ~Q(region__code__startswith=prefix)
        province_due |= others if configured else Q(pk__isnull=False)
    if not province_due:
        return qs.filter(own_due)
    return qs.filter(own_due | (~Q(pk__in=own) & province_due))


def projects_check_due(*, now: datetime | None = None) -> CheckResult:
    """Celery beat, daily: last month's check of each project under construction whose pay day (its own, else
    its province's) has passed this month, set-based. Re-running on later days is harmless (idempotent) and
    catches payroll imported late."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return month_set_check(projects=projects_due(today), month=previous_month(today), now=now)
