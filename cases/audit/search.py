"""The auditors' search (issue 14 item 3): timeline events across every case and complaint in the user's
scope (cases.scope.events_visible — auditors and leaders, their subtree; any other role 403), filtered by event
type, actor (username or name), date range and case number; newest first. Reads only.

    events = events_search(user=request.user, kind="document.issued", actor="张", date_from=..., case_no="")
    xlsx = events_xlsx(events)
"""

from __future__ import annotations

import io
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .. import scope
from ..models import TimelineEvent
from ..timeline.labels import EVENT_LABELS, SUBJECT_LABELS, event_label
from ..values import LOCAL_TZ
from ..xlsx import safe_row
from .sentences import sentences_attach

EXPORT_LIMIT = 10000  # rows in one XLSX export (narrow the filters for more)


def kind_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The event types for a select: grouped under their subject's label, each by its own label."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for kind, label in EVENT_LABELS.items():
        groups.setdefault(kind.split(".", 1)[0], []).append((kind, str(label)))
    return [(str(SUBJECT_LABELS.get(subject, _("其他事项"))), items) for subject, items in groups.items()]


def events_search(
    *,
    user,
    kind: str = "",
    actor: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    case_no: str = "",
) -> QuerySet[TimelineEvent]:
    """The events in `user`'s scope matching every filter given, newest first (403 for a role without it)."""
    qs = scope.events_visible(user)
    if kind:
        qs = qs.filter(kind=kind)
    if actor:
        qs = qs.filter(
            Q(actor_name__icontains=actor)
            | Q(actor__first_name__icontains=actor)
            | Q(actor__last_name__icontains=actor)
        )
    if date_from:
        qs = qs.filter(at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(at__lt=_day_start(date_to, after=True))
    if case_no:
        number = case_no.strip()
        qs = qs.filter(Q(case__case_no=number) | Q(complaint__case__case_no=number) | Q(complaint__receipt_no=number))
    return qs.select_related("case", "complaint", "complaint__case").order_by("-at", "-id")


def _day_start(day: date, *, after: bool = False):
    from datetime import datetime, time, timedelta

    if after:
        day = day + timedelta(days=1)
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


def case_no_of(event: TimelineEvent) -> str:
    if event.case_id and event.case:
        return event.case.case_no
    if event.complaint_id and event.complaint and event.complaint.case_id and event.complaint.case:
        return event.complaint.case.case_no
    return ""


def events_xlsx(events: QuerySet[TimelineEvent]) -> bytes:
    """The search's result as an XLSX workbook (at most EXPORT_LIMIT rows), each event as its sentence."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("审计查询"))
    ws.append(safe_row(ws, [_("时间"), _("案件编号"), _("投诉编号"), _("事件"), _("经过"), _("操作人"), _("机构")]))
    for event in sentences_attach(events[:EXPORT_LIMIT]):
        ws.append(
            safe_row(
                ws,
                [
                    timezone.localtime(event.at, LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S"),
                    case_no_of(event),
                    event.complaint.receipt_no if event.complaint_id and event.complaint else "",
                    event_label(event.kind),
                    event.sentence,
                    event.actor_name or _("系统"),
                    event.office,
                ],
            )
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_filename() -> str:
    return f"审计查询-{timezone.localdate():%Y%m%d}.xlsx"
