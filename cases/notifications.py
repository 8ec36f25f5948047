"""Notices to complainants (SPEC §4.1 step 6): an outbox row in the state change's transaction,
sent by Celery after commit through a pluggable SMS backend (setting ZHIQIAN_SMS_BACKEND).

    complainant_notify(complaint=complaint, event="accepted")   # inside the service's transaction
    notification_send(notification=n)                           # from cases.tasks.notification_send

A backend is any class with `send(self, *, to: str, body: str) -> None` that raises on failure.
"""

from __future__ import annotations

import logging
import sys
from datetime import timedelta
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Complaint, Notification

logger = logging.getLogger("zhiqian.sms")

DEFAULT_SMS_BACKEND = "cases.notifications.ConsoleSMSBackend"
MAX_ATTEMPTS = 5  # then FAILED: a person looks at it
SIGNATURE = "【劳动保障监察】"

# One text per complaint status (SPEC §7 status values). Placeholders: receipt_no, reason, region.
TEXTS: dict[str, str] = {
    "received": (
        "您的欠薪投诉已收到，回执号{receipt_no}。我们将在5个工作日内决定是否受理。"
        "您可凭回执号和本手机号后4位在网上查询办理进度{status_url}，或拨打12333咨询。"
    ),
    "accepted": "您的投诉（回执号{receipt_no}）已受理，我们将依法调查处理，结果将通知您。",
    "refused": "您的投诉（回执号{receipt_no}）不予受理，理由：{reason}。如有异议，可依法申请行政复议或提起行政诉讼。",
    "supplement_requested": "您的投诉（回执号{receipt_no}）需要补充材料：{reason}。请尽快补充，补齐后我们继续办理。",
    "transferred": "您的投诉（回执号{receipt_no}）已移送{region}人力资源社会保障部门办理，可继续凭回执号查询进度。",
    "investigating": "您的投诉（回执号{receipt_no}）已立案调查，监察员将与您联系核实情况。",
    "closed": "您的投诉（回执号{receipt_no}）已办结。感谢您的信任与监督，如有疑问请拨打12333。",
}
EVENTS = tuple(TEXTS)


class SMSBackend(Protocol):
    def send(self, *, to: str, body: str) -> None: ...


class ConsoleSMSBackend:
    """The embedded default: writes each SMS to stdout and to the "zhiqian.sms" log."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stdout

    def send(self, *, to: str, body: str) -> None:
        logger.info("SMS to %s: %s", to, body)
        self.stream.write(f"[SMS → {to}] {body}\n")
        self.stream.flush()


class NotificationSendError(Exception):
    """A send failed and will be retried (the task retries with backoff)."""


def sms_backend() -> SMSBackend:
    return import_string(getattr(settings, "ZHIQIAN_SMS_BACKEND", DEFAULT_SMS_BACKEND))()


def _body(complaint: Complaint, event: str, reason: str) -> str:
    status_url = getattr(settings, "ZHIQIAN_PUBLIC_STATUS_URL", "")
    region = complaint.region.name if event == "transferred" else ""
    text = TEXTS[event].format(
        receipt_no=complaint.receipt_no,
        reason=reason or "详见书面通知",
        region=region,
        status_url=f"（{status_url}）" if status_url else "",
    )
    return SIGNATURE + text


def complainant_notify(*, complaint: Complaint, event: str, reason: str | None = None) -> Notification | None:
    """Queue an SMS to the complainant about a status change: an outbox row in the caller's
    transaction, sent after commit. `reason` defaults to the complaint's decision_reason
    (refused, supplement_requested). Returns None when the complainant gave no phone."""
    if event not in TEXTS:
        raise ValidationError({"event": [f"未知的通知事件：{event}（可选：{'、'.join(EVENTS)}）"]})
    phone = complaint.complainant.phone
    if not phone:
        return None
    notification = Notification.objects.create(
        complaint=complaint,
        channel=Notification.Channel.SMS,
        to=phone,
        event=event,
        body=_body(complaint, event, complaint.decision_reason if reason is None else reason),
    )
    notification_id = notification.pk

    def enqueue() -> None:
        from .tasks import notification_send

        notification_send.delay(notification_id)

    # robust: a broker hiccup must not turn a committed complaint into an error page; the row stays
    # PENDING (index notification_pending) for a resend.
    transaction.on_commit(enqueue, robust=True)
    return notification


def notification_send(*, notification: Notification) -> Notification:
    """Send one pending notification. SENT on success; on failure the error and attempt are recorded
    and NotificationSendError raised for a retry, or FAILED after MAX_ATTEMPTS (no raise)."""
    if notification.status != Notification.Status.PENDING:
        return notification  # already sent, or given up: sending is at most once per success
    notification.attempts += 1
    try:
        sms_backend().send(to=notification.to, body=notification.body)
    except Exception as exc:
        notification.last_error = f"{type(exc).__name__}: {exc}"[:300]
        if notification.attempts >= MAX_ATTEMPTS:
            notification.status = Notification.Status.FAILED
        notification.save(update_fields=["attempts", "last_error", "status"])
        logger.warning("SMS %s attempt %s failed: %s", notification.pk, notification.attempts, exc)
        if notification.status == Notification.Status.FAILED:
            return notification
        raise NotificationSendError(notification.last_error) from exc
    notification.status = Notification.Status.SENT
    notification.sent_at = timezone.now()
    notification.save(update_fields=["attempts", "status", "sent_at"])
    return notification


def notifications_resend_pending(*, now=None, older_than_minutes: int = 5, limit: int = 500) -> int:
    """Re-enqueue outbox rows still PENDING after a while (broker down at commit, eager mode
    failure, a worker lost): the outbox guarantees every status change reaches the complainant."""
    from .tasks import notification_send as task

    now = now or timezone.now()
    cutoff = now - timedelta(minutes=older_than_minutes)
    ids = list(
        Notification.objects.filter(status=Notification.Status.PENDING, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for notification_id in ids:
        task.delay(notification_id)
    return len(ids)
