"""The other sources of signals (issue 16 item 2), each idempotent like the monthly check (the same key finds
the same signal; a condition gone resolves it):

- complaint clusters: the province's number of complaints (default 3) within its days (default 30) on one
  unit of a project under construction (orange; red at twice the number), one signal per unit and month;
- a unit listed on the credit list (拖欠农民工工资失信联合惩戒对象名单): red, per unit. The list belongs to the
  accountability app above this one: the caller (workflows) hands the listed employers' ids;
- a unit with open cases in another region: yellow, per unit;
- a project that stopped (停工): orange, per project;
- a signal entered by hand (inspection, media, hotline): signal_enter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import scope as case_scope
from cases.actors import Actor
from cases.models import Case, Complaint, Region
from cases.scope import Right
from cases.tx import one_transaction
from projects.models import Project, ProjectUnit

from . import rules
from .config import ConfigCache
from .models import Signal
from .services import signal_raise, signal_resolve

OPEN_CASE_STATUSES = [s for s in Case.Status.values if s not in (Case.Status.CLOSED, Case.Status.WITHDRAWN)]
MANUAL_SOURCES = (Signal.Source.INSPECTION, Signal.Source.MEDIA, Signal.Source.HOTLINE)


def _live_units():
    return ProjectUnit.objects.filter(project__status=Project.Status.UNDER_CONSTRUCTION).select_related(
        "project__region", "employer"
    )


def _sync(rule: str, found: set[int], *, actor: Actor, now: datetime, month: date | None = None) -> int:
    """Resolve the open signals of `rule` (and `month`) not among `found`."""
    stale = Signal.objects.filter(rule=rule, status__in=Signal.OPEN_STATUSES).exclude(pk__in=found)
    if month is not None:
        stale = stale.filter(month=month)
    n = 0
    for signal in stale:
        signal_resolve(signal=signal, actor=actor, now=now)
        n += 1
    return n


@one_transaction
def complaint_clusters_check(*, now: datetime | None = None, actor: Actor = None) -> int:
    now = now or timezone.now()
    configs = ConfigCache()
    longest = 366
    counts: dict[int, list[datetime]] = defaultdict(list)
    for employer_id, received in Complaint.objects.filter(received_at__gte=now - timedelta(days=longest)).values_list(
        "employer_id", "received_at"
    ):
        counts[employer_id].append(received)
    month = timezone.localdate(now).replace(day=1)
    found: set[int] = set()
    for unit in _live_units().filter(employer_id__in=list(counts)):
        config = configs(unit.project.region)
        since = now - timedelta(days=config.complaints_days)
        n = sum(1 for at in counts[unit.employer_id] if at >= since)
        if n < config.complaints_count:
            continue
        level = Signal.Level.RED if n >= 2 * config.complaints_count else Signal.Level.ORANGE
        signal, _outcome = signal_raise(
            actor=actor, source=Signal.Source.COMPLAINTS, rule=rules.COMPLAINT_CLUSTER.code, level=level,
            project=unit.project, unit=unit, month=month, workers=0, now=now,
            evidence={"complaints": n, "days": config.complaints_days, "since": f"{timezone.localdate(since)}"},
        )  # fmt: skip
        found.add(signal.pk)
    _sync(rules.COMPLAINT_CLUSTER.code, found, actor=actor, now=now, month=month)
    return len(found)


@one_transaction
def units_listed_check(*, listed_employer_ids: Iterable[int], now: datetime | None = None, actor: Actor = None) -> int:
    now = now or timezone.now()
    found: set[int] = set()
    for unit in _live_units().filter(employer_id__in=list(listed_employer_ids)):
        signal, _outcome = signal_raise(
            actor=actor, source=Signal.Source.LISTED, rule=rules.UNIT_LISTED.code, level=Signal.Level.RED,
            project=unit.project, unit=unit, now=now, evidence={"unit": unit.employer.name},
        )  # fmt: skip
        found.add(signal.pk)
    _sync(rules.UNIT_LISTED.code, found, actor=actor, now=now)
    return len(found)


@one_transaction
def units_open_cases_check(*, now: datetime | None = None, actor: Actor = None) -> int:
    """A unit with open cases filed in a region other than the project's."""
    now = now or timezone.now()
    units = list(_live_units())
    open_cases: dict[int, list[tuple[int, str]]] = defaultdict(list)
    rows = Case.objects.filter(
        employer_id__in={u.employer_id for u in units}, status__in=OPEN_CASE_STATUSES
    ).values_list("employer_id", "region_id", "region__name")
    for employer_id, region_id, region_name in rows:
        open_cases[employer_id].append((region_id, region_name))
    found: set[int] = set()
    for unit in units:
        elsewhere = [name for rid, name in open_cases.get(unit.employer_id, []) if rid != unit.project.region_id]
        if not elsewhere:
            continue
        signal, _outcome = signal_raise(
            actor=actor, source=Signal.Source.OPEN_CASES, rule=rules.UNIT_OPEN_CASES.code, level=Signal.Level.YELLOW,
            project=unit.project, unit=unit, now=now,
            evidence={"unit": unit.employer.name, "cases": len(elsewhere), "regions": sorted(set(elsewhere))},
        )  # fmt: skip
        found.add(signal.pk)
    _sync(rules.UNIT_OPEN_CASES.code, found, actor=actor, now=now)
    return len(found)


@one_transaction
def projects_stopped_check(*, now: datetime | None = None, actor: Actor = None) -> int:
    now = now or timezone.now()
    found: set[int] = set()
    for project in Project.objects.filter(status=Project.Status.STOPPED).select_related("region"):
        workers = project.workers.filter(Q(exited_on__isnull=True)).count()
        signal, _outcome = signal_raise(
            actor=actor, source=Signal.Source.STOPPED, rule=rules.PROJECT_STOPPED.code, level=Signal.Level.ORANGE,
            project=project, now=now, workers=workers, evidence={"workers_on_roster": workers},
        )  # fmt: skip
        found.add(signal.pk)
    _sync(rules.PROJECT_STOPPED.code, found, actor=actor, now=now)
    return len(found)


def sources_check(*, listed_employer_ids: Iterable[int] = (), now: datetime | None = None) -> dict[str, int]:
    """Every source above once (the daily run)."""
    return {
        "complaints": complaint_clusters_check(now=now),
        "listed": units_listed_check(listed_employer_ids=listed_employer_ids, now=now),
        "open_cases": units_open_cases_check(now=now),
        "stopped": projects_stopped_check(now=now),
    }


@one_transaction
def signal_enter(
    *,
    actor: Actor,
    region: Region,
    source: str,
    level: str,
    facts: str,
    project: Project | None = None,
    unit: ProjectUnit | None = None,
    workers: int = 0,
    amount=0,
) -> Signal:
    """A signal entered by hand (inspection, media, hotline): never merged with another (a key of its own)."""
    errors: dict[str, list[str]] = {}
    if source not in MANUAL_SOURCES:
        errors["source"] = [_("来源须为日常巡查、媒体报道或热线电话。")]
    if level not in Signal.Level.values:
        errors["level"] = [_("预警等级无效。")]
    facts = (facts or "").strip()
    if not facts:
        errors["facts"] = [_("请填写预警线索的基本情况。")]
    if project is not None and project.region_id != region.pk and not project.region.path.startswith(region.path):
        errors["project_no"] = [_("该项目不在本机构管辖区域内。")]
    if unit is not None and (project is None or unit.project_id != project.pk):
        errors["unit"] = [_("该单位不是本项目的参建单位。")]
    if errors:
        raise ValidationError(errors)
    signal, _outcome = signal_raise(
        actor=actor, source=source, rule=rules.MANUAL.code, level=level, region=project.region if project else region,
        project=project, unit=unit, workers=workers, amount=amount, key="manual",
        evidence={"facts": facts},
    )  # fmt: skip
    return signal


def signal_enter_for(actor, cleaned: dict) -> Signal:
    """A signal entered by hand: at the project's office (its number) or at an office the user handles."""
    offices = case_scope.regions_with(actor, Right.PROPOSE)
    if not offices:
        raise PermissionDenied
    project = unit = None
    if cleaned.get("project_no"):
        project = Project.objects.select_related("region").filter(project_no=cleaned["project_no"].strip()).first()
        if project is None or not case_scope.can(actor, Right.PROPOSE, region=project.region):
            raise ValidationError({"project_no": [_("没有该项目，或该项目不在本人所在机构管辖区域内。")]})
        region = project.region
        unit = project.units.filter(role=ProjectUnit.Role.GENERAL).first()
    else:
        code = (cleaned.get("region_code") or "").strip()
        found = Region.objects.filter(code=code).first() if code else None
        if code and (found is None or found.pk not in offices):
            raise ValidationError({"region_code": [_("只能在本人所在机构录入预警线索。")]})
        region = found or Region.objects.get(pk=offices[0])
    return signal_enter(
        actor=actor, region=region, source=cleaned["source"], level=cleaned["level"], facts=cleaned["facts"],
        project=project, unit=unit, workers=cleaned.get("workers") or 0, amount=cleaned.get("amount") or 0,
    )  # fmt: skip
