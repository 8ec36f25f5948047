"""Running the monthly check: one project and month (project_month_check, one transaction), every project
under construction for a month (projects_check: the management command and the on-demand run), and the
daily Celery run for the projects whose pay day passed (projects_check_due).

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
from ..models import ProjectPayDay, Signal
from ..services import signal_raise, signal_resolve
from .base import load_month
from .registry import CHECKS, rule_codes


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


def projects_check(
    *,
    month: date,
    region_code: str | None = None,
    actor: Actor = None,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    projects=None,
) -> CheckResult:
    """The month's check of every project under construction (of `region_code` and below), one transaction
    per project; `progress(done, total)` after each."""
    qs = projects if projects is not None else projects_under_construction(region_code)
    total = qs.count()
    configs = ConfigCache()
    result = CheckResult()
    for i, project in enumerate(qs.iterator(chunk_size=500), start=1):
        result.merge(project_month_check(project=project, month=month, actor=actor, now=now, configs=configs))
        if progress is not None:
            progress(i, total)
    return result


def previous_month(day: date) -> date:
    return (day.replace(day=1) - date.resolution).replace(day=1)


def projects_check_due(*, now: datetime | None = None) -> CheckResult:
    """Celery beat, daily: last month's check of each project under construction whose pay day (its own, else
    its province's) has passed this month. Re-running on later days is harmless (idempotent) and catches
    payroll imported late."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    month = previous_month(today)
    own = dict(ProjectPayDay.objects.values_list("project_id", "pay_day"))
    configs = ConfigCache()
    last_day = calendar.monthrange(today.year, today.month)[1]
    result = CheckResult()
    for project in projects_under_construction().iterator(chunk_size=500):
        pay_day = own.get(project.pk) or configs(project.region).pay_day
        if today.day >= min(pay_day, last_day):
            result.merge(project_month_check(project=project, month=month, now=now, configs=configs))
    return result
