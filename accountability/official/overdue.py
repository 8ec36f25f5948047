"""Case deadlines of the office's own duty overdue for longer than the province allows, and group incidents:
the watches, the checks, the periodic job."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.deadlines import deadline_close, deadline_start, deadline_start_many, due_times
from cases.models import Case, Deadline, ProvinceConfig, Region
from cases.provinces import province_config, province_of
from cases.values import LOCAL_TZ, in_office_language, moment
from cases.workdays import Calendar

from ..models import Accountability
from .opening import CASE_DUTY_KINDS, DEFAULT_OVERDUE_WD, WATCH, T, _auto_open, accountability_for_group_incident

logger = logging.getLogger(__name__)


def overdue_limit(
    deadline: Deadline, config: ProvinceConfig | None = None, *, calendar: Calendar | None = None
) -> datetime:
    """When a deadline OVERDUE since `overdue_at` has been so for the province's working days (23:59:59)."""
    cfg = config or province_config(deadline.region)
    return due_times(WATCH, deadline.overdue_at, length=cfg.accountability_overdue_wd, calendar=calendar)[0]


def _duty_overdue(now: datetime, case: Case | None = None) -> QuerySet[Deadline]:
    fewest = min(
        [DEFAULT_OVERDUE_WD, *ProvinceConfig.objects.values_list("accountability_overdue_wd", flat=True)], default=0
    )
    qs = Deadline.objects.filter(
        case__isnull=False,
        kind__in=CASE_DUTY_KINDS,
        state=Deadline.State.OVERDUE,
        # N working days are at least N calendar days: a cheap first cut before the calendar
        overdue_at__lte=now - timedelta(days=fewest),
    )
    if case is not None:
        qs = qs.filter(case=case)
    return qs.exclude(case__accountabilities__trigger=T.CASE_OVERDUE).select_related("case__region", "region")


def accountability_case_overdue_check(now: datetime | None = None, *, case: Case | None = None) -> int:
    """Open an accountability for each case (or this case) with a duty deadline OVERDUE for longer than
    the province's accountability_overdue_wd working days. Idempotent; returns how many were opened."""
    now = moment(now)
    configs: dict[int, ProvinceConfig] = {}
    opened: set[int] = set()
    for deadline in _duty_overdue(now, case).order_by("overdue_at", "id"):
        if deadline.case_id in opened:
            continue
        province = province_of(deadline.region)
        cfg = configs.setdefault(province.pk, province_config(province))
        limit = overdue_limit(deadline, cfg)
        if now < limit:
            continue
        reason = in_office_language(
            lambda d=deadline, n=cfg.accountability_overdue_wd: _("“%(title)s”于%(due)s到期，超期已逾%(n)d个工作日")
            % {"title": d.title, "due": timezone.localtime(d.due_at, LOCAL_TZ).strftime("%Y-%m-%d"), "n": n}
        )
        try:
            with transaction.atomic():
                if _auto_open(case=deadline.case, trigger=T.CASE_OVERDUE, reason=reason, at=now) is not None:
                    opened.add(deadline.case_id)
        except Exception:
            logger.exception("case %s: accountability for an overdue deadline failed", deadline.case_id)
    return len(opened)


def _watch(deadline: Deadline, now: datetime) -> Deadline | None:
    """Start the watch of an overdue duty deadline, unless one runs, the case has its accountability,
    the office has no superior, or the limit has already passed (the check opens it now instead)."""
    case = deadline.case
    if case.region.parent_id is None or deadline.overdue_at is None:
        return None
    if Accountability.objects.filter(case=case, trigger=T.CASE_OVERDUE).exists():
        return None
    if Deadline.objects.filter(
        case=case, kind=WATCH, state__in=[Deadline.State.RUNNING, Deadline.State.PAUSED]
    ).exists():
        return None
    cfg = province_config(deadline.region)
    if overdue_limit(deadline, cfg) <= now:
        accountability_case_overdue_check(now, case=case)
        return None
    return deadline_start(
        kind=WATCH,
        region=deadline.region,
        start_at=deadline.overdue_at,
        case=case,
        length=cfg.accountability_overdue_wd,
    )


def case_deadlines_overdue(deadlines: list[Deadline], now: datetime) -> None:
    """on_overdue_many("*"): duty deadlines of cases went overdue → watch each case for the province's
    accountability_overdue_wd working days (one watch per case at a time). What _watch() decides for one
    deadline, for a sweep batch at once: three look-ups for the whole batch, one INSERT of the watches."""
    duty = [d for d in deadlines if d.case_id is not None and d.kind in CASE_DUTY_KINDS and d.overdue_at]
    if not duty:
        return
    case_ids = {d.case_id for d in duty}
    # the case's office has a superior (nobody above the province holds it to account)
    under_superior = set(
        Case.objects.filter(pk__in=case_ids, region__parent__isnull=False).values_list("pk", flat=True)
    )
    held = set(
        Accountability.objects.filter(case_id__in=under_superior, trigger=T.CASE_OVERDUE).values_list(
            "case_id", flat=True
        )
    )
    watched = set(
        Deadline.objects.filter(
            case_id__in=under_superior, kind=WATCH, state__in=[Deadline.State.RUNNING, Deadline.State.PAUSED]
        ).values_list("case_id", flat=True)
    )
    regions = Region.objects.in_bulk({d.region_id for d in duty})
    configs: dict[str, ProvinceConfig] = {}
    cal = Calendar()
    starts = []
    for deadline in duty:  # in the sweep's subject order: the first duty deadline of a case is watched
        if deadline.case_id not in under_superior or deadline.case_id in held or deadline.case_id in watched:
            continue
        region = regions[deadline.region_id]
        province = region.path.split("/", 1)[0]
        cfg = configs.get(province) or configs.setdefault(province, province_config(region))
        if overdue_limit(deadline, cfg, calendar=cal) <= now:
            # the limit has passed already (rare: a clock overdue before the sweep saw it): the check now,
            # as _watch() does; if it opens nothing, the case's next duty deadline is still considered
            case = Case.objects.select_related("region").get(pk=deadline.case_id)
            if accountability_case_overdue_check(now, case=case):
                held.add(deadline.case_id)
            continue
        watched.add(deadline.case_id)
        starts.append(
            {
                "kind": WATCH,
                "region": region,
                "start_at": deadline.overdue_at,
                "case": Case(pk=deadline.case_id),
                "length": cfg.accountability_overdue_wd,
            }
        )
    deadline_start_many(starts=starts)


def case_overdue_watch_due(deadline: Deadline, now: datetime) -> None:
    """on_overdue(WATCH): the watch ran its length → the check for its case; then keep watching a duty
    deadline of the case that is overdue but not yet for long enough (its limit is still ahead)."""
    deadline_close(deadline=deadline, at=deadline.due_at)
    if deadline.case_id is None or accountability_case_overdue_check(now, case=deadline.case):
        return
    for other in (
        Deadline.objects.filter(case_id=deadline.case_id, kind__in=CASE_DUTY_KINDS, state=Deadline.State.OVERDUE)
        .select_related("case__region", "region")
        .order_by("overdue_at")
    ):
        if _watch(other, now) is not None:
            return


def accountability_group_incident_check(now: datetime | None = None) -> int:
    """Group-incident cases without an accountability of that trigger (a periodic job, not the minute sweep:
    Case.group_incident has no index)."""
    now = moment(now)
    done = 0
    qs = Case.objects.filter(group_incident=True, region__parent__isnull=False).exclude(
        accountabilities__trigger=T.GROUP_INCIDENT
    )
    for case in qs.select_related("region").order_by("id").iterator(chunk_size=500):
        try:
            with transaction.atomic():
                done += accountability_for_group_incident(case=case, at=now) is not None
        except Exception:
            logger.exception("case %s: accountability for a group incident failed", case.pk)
    return done


def accountability_checks_run(now: datetime | None = None, **_kwargs) -> dict:
    """The periodic job (daily beat, or `python manage.py shell`): overdue cases and group incidents."""
    now = moment(now)
    return {
        "case_overdue": accountability_case_overdue_check(now),
        "group_incident": accountability_group_incident_check(now),
    }
