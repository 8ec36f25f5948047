"""Official accountability (问责, SPEC §4.5b; domain-rules §4.5, §7): services and selectors.

An accountability holds an office (`region`) to account before the superior level (`deciding_region`),
which finds the facts, decides (约谈 / 通报批评 / 责令检查 / 移送纪检监察 / 不予问责), issues the
ACCOUNTABILITY_DECISION under its own name and records the notice.

How one opens:
- a supervision runs overdue — `accountability_for_supervision_overdue(supervision, now)`, registered with
  cases.supervision's `on_supervision_overdue` (accountability/apps.py); the supervising office decides;
- a case deadline of the office's own duty (CASE_DUTY_KINDS) stays OVERDUE for the province's
  `accountability_overdue_wd` working days — the deadline's overdue transition starts an
  "accountability.case_overdue" watch of that length (`case_deadlines_overdue`), whose own end runs
  `accountability_case_overdue_check` for the case (`case_overdue_watch_due`). The same check over every
  case is the periodic job (`accountability_checks_run`): it also covers deadlines that went overdue
  before any watch existed;
- a group-incident case (`case.group_incident`): `accountability_for_group_incident`, and the periodic job;
- a city or province leader, by hand, on a case of an office below (the "accountability" startable).

Opened automatically, one accountability per case and trigger (per supervision for supervisions).
The workflow side registers `on_accountability_opened` to start the AccountabilityFlow: this module
never imports workflows. Every change writes one case timeline event ("accountability.*").
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import scope, timeline
from cases.deadlines import (
    PROVINCE_CONFIG,
    Rule,
    deadline_close,
    deadline_start,
    deadline_start_many,
    due_times,
    rules_register,
)
from cases.documents import document_issue, document_serve, office_name
from cases.models import Case, Deadline, Document, ProvinceConfig, Region, Role, ServiceRecord, Supervision
from cases.provinces import province_config, province_of
from cases.values import LOCAL_TZ, in_office_language, moment
from cases.workdays import Calendar

from .models import Accountability

logger = logging.getLogger(__name__)

T = Accountability.Trigger
M = Accountability.Measure
WATCH = "accountability.case_overdue"
DEFAULT_OVERDUE_WD = ProvinceConfig._meta.get_field("accountability_overdue_wd").default

rules_register(
    {
        # SPEC §4.5b "a case overdue past config limits": a per-province setting with this default.
        WATCH: Rule(gettext_lazy("超期问责观察期"), DEFAULT_OVERDUE_WD, Deadline.Unit.WORKING_DAYS,
                    f"超期办理问责{PROVINCE_CONFIG}", "deadline.overdue", 0),
    }
)  # fmt: skip

# The deadlines that are the handling office's own duty on a case (not the employer's defence window,
# not the police's 3 days, not a listing's term; supervisions have their own trigger).
CASE_DUTY_KINDS = frozenset({"investigation.complete", "investigation.decide", "referral.approve", "referral.transfer"})
# Triggers opened automatically: at most one per case (per supervision for SUPERVISION_OVERDUE).
AUTO_TRIGGERS = frozenset({T.SUPERVISION_OVERDUE, T.CASE_OVERDUE, T.GROUP_INCIDENT})

_opened_hooks: list[Callable[[Accountability], None]] = []


def on_accountability_opened(fn: Callable[[Accountability], None]) -> Callable:
    """Call fn(accountability) in the opening transaction (workflows starts the AccountabilityFlow)."""
    if fn not in _opened_hooks:
        _opened_hooks.append(fn)
    return fn


def _lock(accountability: Accountability) -> None:
    accountability.refresh_from_db(from_queryset=Accountability.objects.select_for_update())


# --- opening ------------------------------------------------------------------------------------------


@transaction.atomic
def accountability_open(
    *,
    case: Case,
    trigger: str,
    actor=None,
    role: str = "",
    deciding_region: Region | None = None,
    supervision: Supervision | None = None,
    reason: str = "",
    at: datetime | None = None,
) -> Accountability | None:
    """Open an accountability of the case's handling office before `deciding_region` (default: the
    level above it). Automatic triggers are idempotent: a second one for the same case (supervision)
    returns None and changes nothing."""
    at = moment(at)
    if trigger not in T.values:
        raise ValidationError({"trigger": _("未知的问责启动情形。")})
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").get()
    region = case.region
    deciding = deciding_region or region.parent
    if deciding is None:
        raise ValidationError({"case_no": _("该机构没有上级机构，不能在本系统中启动问责。")})
    if deciding.pk == region.pk or not region.path.startswith(deciding.path):
        raise ValidationError({"case_no": _("问责须由被问责机构的上级机构决定。")})
    if trigger in AUTO_TRIGGERS:
        existing = Accountability.objects.filter(case=case, trigger=trigger)
        if trigger == T.SUPERVISION_OVERDUE and supervision is not None:
            existing = existing.filter(supervision=supervision)
        if existing.exists():
            return None
    accountability = Accountability.objects.create(
        region=region,
        deciding_region=deciding,
        case=case,
        supervision=supervision,
        trigger=trigger,
        status=Accountability.Status.OPEN,
        opened_at=at,
        year=timezone.localtime(at, LOCAL_TZ).year,
    )
    timeline.record(
        case,
        "accountability.opened",
        actor=actor,
        role=role,
        at=at,
        data={
            "accountability": accountability.pk,
            "trigger": trigger,
            "office": region.code,
            "deciding_office": deciding.code,
            "supervision": supervision.pk if supervision is not None else None,
            "reason": reason,
        },
    )
    for fn in _opened_hooks:
        fn(accountability)
    return accountability


def _auto_open(**kwargs) -> Accountability | None:
    """An automatic opening: a case with no office above (a province's own case) is skipped, not an error."""
    case = kwargs["case"]
    if kwargs.get("deciding_region") is None and case.region.parent_id is None:
        logger.info("case %s: no superior office, accountability not opened", case.case_no)
        return None
    return accountability_open(**kwargs)


def accountability_for_supervision_overdue(supervision: Supervision, now: datetime | None = None) -> None:
    """cases.supervision's on_supervision_overdue hook: the supervising office holds the handling office
    to account (its supervision notice said so: "逾期未办结的，本局将……启动问责程序")."""
    case = supervision.case
    _auto_open(
        case=case,
        trigger=T.SUPERVISION_OVERDUE,
        deciding_region=supervision.supervising_region,
        supervision=supervision,
        reason=in_office_language(lambda: _("挂牌督办逾期未办结")),
        at=now,
    )


def accountability_for_group_incident(*, case: Case, actor=None, at: datetime | None = None) -> Accountability | None:
    """A case flagged as a group (mass or extreme) incident: the level above examines the office's handling."""
    if not case.group_incident:
        return None
    return _auto_open(
        case=case,
        trigger=T.GROUP_INCIDENT,
        actor=actor,
        role=Role.LEADER if actor is not None else "",
        reason=in_office_language(lambda: _("案件引发群体性事件")),
        at=at,
    )


@transaction.atomic
def accountability_start_by_leader(*, case: Case, actor, reason: str, at: datetime | None = None) -> Accountability:
    """A city or province leader opens an accountability of an office below (Right.SUPERVISE on its case).

    The deciding office is the starting leader's own: the nearest office where it is a leader above the case.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写启动问责的事由。")})
    offices = [
        g
        for g in scope.grants(actor)
        if g.role == Role.LEADER and case.region.path.startswith(g.path) and g.region_id != case.region_id
    ]
    if not offices:
        raise ValidationError({"case_no": _("只能对下级机构启动问责。")})
    nearest = max(offices, key=lambda g: len(g.path))
    return accountability_open(
        case=case,
        trigger=T.LEADER,
        actor=actor,
        role=Role.LEADER,
        deciding_region=Region.objects.get(pk=nearest.region_id),
        reason=reason,
        at=at,
    )


# --- case deadlines overdue for longer than the province allows -------------------------------------------


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


# --- fact-finding, decision, notice ---------------------------------------------------------------------


@transaction.atomic
def accountability_facts_record(*, accountability: Accountability, actor, facts: str) -> Accountability:
    """调查核实 by the deciding office's leader."""
    facts = (facts or "").strip()
    if not facts:
        raise ValidationError({"facts": _("请填写核实情况。")})
    _lock(accountability)
    if accountability.status != Accountability.Status.OPEN:
        raise ValidationError(_("该问责当前不在调查核实阶段。"))
    accountability.facts, accountability.status = facts, Accountability.Status.DECISION
    accountability.save(update_fields=["facts", "status"])
    timeline.record(
        accountability.case,
        "accountability.facts_found",
        actor=actor,
        role=Role.LEADER,
        region_code=accountability.deciding_region.code,
        data={"accountability": accountability.pk, "facts": facts},
    )
    return accountability


@transaction.atomic
def accountability_decide(*, accountability: Accountability, actor, measure: str, reason: str) -> Document:
    """The superior level's leader decides; the ACCOUNTABILITY_DECISION is issued in the deciding office's name."""
    reason = (reason or "").strip()
    if measure not in M.values:
        raise ValidationError({"measure": _("请选择问责方式。")})
    if not reason:
        raise ValidationError({"reason": _("请填写决定理由。")})
    _lock(accountability)
    if accountability.status != Accountability.Status.DECISION:
        raise ValidationError(_("该问责当前不在待决定阶段。"))
    now = timezone.now()
    label = in_office_language(lambda: str(M(measure).label))
    document = in_office_language(
        lambda: document_issue(
            case=accountability.case,
            kind=Document.Kind.ACCOUNTABILITY_DECISION,
            actor=actor,
            role=Role.LEADER,
            office=accountability.deciding_region,
            data={
                "addressee": office_name(accountability.region),
                "measure": label,
                "reason": "。".join(t.rstrip("。") for t in (accountability.facts, reason)) + "。",
            },
            at=now,
        )
    )
    accountability.measure, accountability.decision = measure, document
    accountability.status, accountability.decided_at = Accountability.Status.DECIDED, now
    accountability.save(update_fields=["measure", "decision", "status", "decided_at"])
    timeline.record(
        accountability.case,
        "accountability.decided",
        actor=actor,
        role=Role.LEADER,
        region_code=accountability.deciding_region.code,
        data={"accountability": accountability.pk, "measure": measure, "reason": reason, "document": document.number},
    )
    return document


@transaction.atomic
def accountability_notice_record(
    *, accountability: Accountability, actor, method: str, served_at: datetime, recipient: str
) -> ServiceRecord:
    """The decision's notice to the office held to account (送达): one "document.served" event."""
    if accountability.decision_id is None:
        raise ValidationError(_("尚未作出问责决定。"))
    return document_serve(
        document=accountability.decision,
        method=method,
        served_at=served_at,
        recipient=recipient,
        actor=actor,
        role=Role.LEADER,
    )


# --- the register: by region and year, scoped --------------------------------------------------------------


def register_regions(user) -> list[int] | None:
    """Ids of the regions whose accountabilities `user` may read: a leader's or an auditor's region and
    every region below it (SPEC §2). None: the user holds neither role (403)."""
    paths = [g.path for g in scope.grants(user) if g.subtree]
    if not paths:
        return None
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    return list(Region.objects.filter(q).values_list("pk", flat=True))


def accountability_register(user, *, region: str = "", year: int | None = None) -> QuerySet[Accountability]:
    """The register (问责台账): accountabilities of the offices in the user's scope, newest first;
    `region`: a six-digit code (that office and those below it); `year`: the year it was opened."""
    ids = register_regions(user)
    if ids is None:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    qs = Accountability.objects.filter(region_id__in=ids)
    if region:
        target = Region.objects.filter(code=region.strip()).only("path").first()
        qs = qs.filter(region__path__startswith=target.path) if target else qs.none()
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("region", "deciding_region", "case", "decision").order_by("-opened_at", "-id")
