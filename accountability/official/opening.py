"""Opening an accountability: by an automatic trigger (a supervision overdue, a group incident, a case
overdue — see .overdue) or by a city or province leader on a case of an office below."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import scope, timeline
from cases.deadlines import PROVINCE_CONFIG, Rule, rules_register
from cases.models import Case, Deadline, ProvinceConfig, Region, Role, Supervision
from cases.tx import one_transaction
from cases.values import LOCAL_TZ, in_office_language, moment, required_text

from ..models import Accountability

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


@one_transaction
def accountability_open_for_region(
    *,
    region: Region,
    deciding_region: Region,
    trigger: str,
    actor=None,
    role: str = "",
    reason: str = "",
    year: int | None = None,
    at: datetime | None = None,
) -> Accountability:
    """Open an accountability of a whole office (`region`, no case) before a region above it: a grade C in the
    yearly assessment (assessment.services). The event is on the office's own timeline, in the deciding
    office's name; the flow starts through the same `on_accountability_opened` hooks as a case's."""
    at = moment(at)
    if trigger not in T.values:
        raise ValidationError({"trigger": _("未知的问责启动情形。")})
    if deciding_region.pk == region.pk or not region.path.startswith(deciding_region.path):
        raise ValidationError({"region": _("问责须由被问责机构的上级机构决定。")})
    reason = required_text(reason, field="reason", label=_("启动问责的事由"))
    accountability = Accountability.objects.create(
        region=region,
        deciding_region=deciding_region,
        case=None,
        trigger=trigger,
        status=Accountability.Status.OPEN,
        opened_at=at,
        year=year or timezone.localtime(at, LOCAL_TZ).year,
    )
    timeline.record(
        region,
        "accountability.opened",
        actor=actor,
        role=role,
        region_code=deciding_region.code,
        at=at,
        data={
            "accountability": accountability.pk,
            "trigger": trigger,
            "office": region.code,
            "deciding_office": deciding_region.code,
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


@one_transaction
def accountability_start_by_leader(*, case: Case, actor, reason: str, at: datetime | None = None) -> Accountability:
    """A city or province leader opens an accountability of an office below (Right.SUPERVISE on its case).

    The deciding office is the starting leader's own: the nearest office where it is a leader above the case.
    """
    reason = required_text(reason, field="reason", label=_("启动问责的事由"))
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
