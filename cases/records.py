"""Investigation records (询问笔录 / 现场检查笔录 / 书面审查记录), each by at least two inspectors (LSIR art 16).

    record_add(case=case, kind="inquiry", held_at=now, place="项目部", subject="王五（班组长）",
               content="…", inspectors=[inspector, colleague], actor=inspector)

The inspectors must be able to investigate this case: its active assigned inspectors
(CaseInspector) or inspectors of another office holding an assistance exception (assist_case).
The recording inspector is one of them.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .actors import Actor
from .models import Case, CaseGroupObjectPermission, CaseInspector, CaseUserObjectPermission, InvestigationRecord, Role
from .transitions import expect_status, lock, transition
from .values import required_text

MIN_INSPECTORS = 2  # LSIR art 16: at least two inspectors per action
TEXT_MAX = 200
CONTENT_MAX = 20000
CLOSED = (Case.Status.CLOSED, Case.Status.WITHDRAWN)
OPEN_STATUSES = [s for s in Case.Status.values if s not in CLOSED]


def case_investigators(case: Case) -> QuerySet:
    """Users who may take part in this case's investigation actions: the active assigned inspectors
    and the holders (directly or through an office group) of an assist_case exception."""
    assigned = CaseInspector.objects.filter(case=case, active=True).values("inspector_id")
    assisting = CaseUserObjectPermission.objects.filter(content_object=case, permission__codename="assist_case").values(
        "user_id"
    )
    assisting_groups = CaseGroupObjectPermission.objects.filter(
        content_object=case, permission__codename="assist_case"
    ).values("group_id")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(pk__in=assigned) | Q(pk__in=assisting) | Q(groups__in=assisting_groups))
        .distinct()
        .order_by("username")
    )


def _held_at(value: Any) -> datetime:
    field = "held_at"
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError({field: "请填写时间（例如 2026-05-01 09:30）。"})
    if isinstance(value, str):
        try:
            value = parse_datetime(value.strip())
        except ValueError:  # well-formed but not a real date or time
            value = None
    if not isinstance(value, datetime):
        raise ValidationError({field: "时间格式错误，应为 YYYY-MM-DD HH:MM（例如 2026-05-01 09:30）。"})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now():
        raise ValidationError({field: "时间不能晚于现在。"})
    return value


@transaction.atomic
def record_add(
    *,
    case: Case,
    kind: str,
    held_at: Any,
    place: str,
    subject: str,
    content: str,
    inspectors: list,
    actor: Actor,
) -> InvestigationRecord:
    """Add an inquiry / site-inspection / written-review record; one timeline event "record.added"."""
    lock(case)  # serialised with the case's closure: no record is added to a case closed meanwhile
    expect_status(case, OPEN_STATUSES, error_field="case", message="案件%(status)s，不能再添加调查记录。")
    if kind not in InvestigationRecord.Kind.values:
        raise ValidationError({"kind": "请选择记录类型（询问笔录、现场检查笔录或书面审查记录）。"})
    held_at = _held_at(held_at)
    place = required_text(place, field="place", label="地点", limit=TEXT_MAX)
    subject = required_text(subject, field="subject", label="被询问人或检查对象", limit=TEXT_MAX)
    content = required_text(content, field="content", label="记录内容", limit=CONTENT_MAX)
    chosen = {u.pk: u for u in inspectors or []}
    if len(chosen) < MIN_INSPECTORS:
        raise ValidationError({"inspectors": "调查须由至少两名监察员进行，请选择参与的监察员。"})
    eligible = set(case_investigators(case).filter(pk__in=list(chosen)).values_list("pk", flat=True))
    outsiders = sorted(u.get_username() for pk, u in chosen.items() if pk not in eligible)
    if outsiders:
        raise ValidationError({"inspectors": f"以下人员不是本案的承办或协查监察员：{'、'.join(outsiders)}。"})
    if actor is None or actor.pk not in chosen:
        raise ValidationError({"inspectors": "记录人须为参与调查的监察员之一。"})
    with transition(case, expect=None, locked=True, event="record.added", actor=actor, role=Role.INSPECTOR) as step:
        record = InvestigationRecord.objects.create(
            case=case, kind=kind, held_at=held_at, place=place, subject=subject, content=content, recorded_by=actor
        )
        record.inspectors.set(list(chosen.values()))
        step.data.update(
            record=record.pk,
            kind=kind,
            held_at=held_at,
            place=place,
            inspectors=sorted(u.get_username() for u in chosen.values()),
            # The content is not copied into the timeline; its hash makes a later change detectable.
            content_sha256=hashlib.sha256(content.encode("utf-8")).hexdigest(),
        )
    return record


def case_records(case: Case) -> QuerySet[InvestigationRecord]:
    return (
        InvestigationRecord.objects.filter(case=case)
        .select_related("recorded_by")
        .prefetch_related("inspectors")
        .order_by("-held_at", "-id")
    )
