"""Telling a case's complainants what happened to their case (issue 13 item 10).

- Suspension (中止调查) and extension (延长调查期限): the complainants are told within the province's
  `complainant_notice_days` (default 3 days, domain-rules §2 row 7 — a provincial rule, ZJ art 30). The
  clock "complainant.notice" starts with the decision. Each complainant with a phone gets an SMS queued in the
  same transaction (cases.notifications: the outbox row is the record of the notice); when every
  complainant was reached that way the clock closes at once. A complainant without a phone must be told
  another way (phone call, letter, in person): the clock runs until an inspector records it
  (`case_complainants_notice_record`), and becomes overdue otherwise.
- Resumption, an order issued (with its due date) and closure (with its outcome) are told by SMS as well.

Each telling is one case event, "case.complainants_notified", naming which complaints were told by SMS and
which were not reachable; the record of a notice given otherwise is "case.complainants_notice_recorded".
Refused complaints are never told about the case.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import timeline
from .actors import Actor
from .deadlines import PROVINCE_CONFIG, Rule, deadline_close, deadline_start, rules_register
from .models import Case, Complaint, Deadline, Role
from .notifications import complainant_notify
from .provinces import province_config
from .tx import one_transaction
from .values import required_text

NOTICE = "complainant.notice"
ZJ30 = "《浙江省劳动保障监察条例》第三十条"
DEFAULT_NOTICE_DAYS = 3  # domain-rules §2 row 7; ProvinceConfig.complainant_notice_days overrides it

rules_register(
    {
        NOTICE: Rule(
            gettext_lazy("告知投诉人中止/延期调查期限"),
            DEFAULT_NOTICE_DAYS,
            Deadline.Unit.DAYS,
            f"{ZJ30}{PROVINCE_CONFIG}",
            "case.suspended",
            1,
        )
    }
)

OPEN = [Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.OVERDUE]
CLOCKED = ("suspended", "extended")  # the events the complainants must be told of within the period
METHODS = {
    "phone": gettext_lazy("电话告知"),
    "letter": gettext_lazy("书面告知"),
    "in_person": gettext_lazy("当面告知"),
}


def told_complaints(case: Case) -> QuerySet[Complaint]:
    """The complaints whose complainants are told about the case: all but refused ones."""
    return case.complaints.exclude(status=Complaint.Status.REFUSED).select_related("complainant").order_by("id")


def notice_clock(case: Case) -> Deadline | None:
    return case.deadlines.filter(kind=NOTICE, state__in=OPEN).order_by("-id").first()


def case_complainants_tell(
    *, case: Case, event: str, actor: Actor, role: str, reason: str = "", at: datetime | None = None
) -> dict:
    """Queue the SMS of `event` to each complainant of the case and record the notice (one case event); for a
    suspension or an extension, start the notice clock. In the caller's transaction (the deciding service's).
    Returns the event's data."""
    at = at or timezone.now()
    told: list[str] = []
    unreachable: list[str] = []
    for complaint in told_complaints(case):
        notification = complainant_notify(complaint=complaint, event=event, reason=reason)
        (told if notification is not None else unreachable).append(complaint.receipt_no)
    data: dict = {"event": event, "sms": told, "not_reachable": unreachable}
    if event in CLOCKED and (told or unreachable):
        days = province_config(case.region).complainant_notice_days
        clock = notice_clock(case)
        if clock is None:
            clock = deadline_start(kind=NOTICE, region=case.region, start_at=at, case=case, length=days)
        data["notice_due"] = clock.due_at
        if not unreachable:
            deadline_close(deadline=clock, at=at)
    timeline.record(case, "case.complainants_notified", actor=actor, role=role, data=data, at=at)
    return data


@one_transaction
def case_complainants_notice_record(*, case: Case, actor: Actor, method: str, note: str) -> Case:
    """An inspector records that the complainants without a phone were told another way (phone call,
    letter, in person): the notice clock closes. Refused when no notice is awaited."""
    errors = {}
    if method not in METHODS:
        errors["method"] = [_("请选择告知方式。")]
    if not (note or "").strip():
        errors["note"] = [_("请填写告知情况（告知对象、时间、内容）。")]
    if errors:
        raise ValidationError(errors)
    note = required_text(note, field="note")
    clock = notice_clock(case)
    if clock is None:
        raise ValidationError({"case": [_("该案件没有待告知投诉人的事项。")]})
    now = timezone.now()
    deadline_close(deadline=clock, at=now)
    timeline.record(
        case,
        "case.complainants_notice_recorded",
        actor=actor,
        role=Role.INSPECTOR,
        data={"method": method, "note": note, "on_time": now <= clock.due_at},
    )
    return case
