"""Notices to complainants (SPEC §4.1 step 6): an outbox row in the state change's transaction,
sent through a pluggable SMS backend (setting ZHIQIAN_SMS_BACKEND) by the relay — never published to a
broker on the request thread, so a broker outage neither slows nor fails a request.

    complainant_notify(complaint=complaint, event="accepted")   # inside the service's transaction
    notifications_relay()                                        # beat task cases.tasks.notifications_relay
    notification_send(notification=n)                           # claim, send once, record

Embedded mode (eager Celery, no broker): the row is also sent right after commit, in-process (no broker
needed); a failure there is logged and never reaches the request, the relay retries it.
Exactly once: a sender claims the row first (PENDING → SENDING, attempts + 1, one conditional UPDATE);
only the claim's winner calls the gateway. A row stuck in SENDING past SENDING_TIMEOUT (the sender died
mid-send: was the SMS sent?) becomes UNKNOWN for a person (notification_requeue), never re-sent alone.

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
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .actors import Actor
from .models import Complaint, Notification

logger = logging.getLogger("zhiqian.sms")

DEFAULT_SMS_BACKEND = "cases.notifications.ConsoleSMSBackend"
MAX_ATTEMPTS = 5  # then FAILED: a person looks at it
RETRY_BACKOFF = timedelta(seconds=30)  # after the n-th failed attempt: 30 s × 2^(n-1), at most RETRY_BACKOFF_MAX
RETRY_BACKOFF_MAX = timedelta(hours=1)
SENDING_TIMEOUT = timedelta(minutes=10)  # a claim older than this without an outcome: the sender died
RELAY_BATCH = 200
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
    "closed": "您的投诉（回执号{receipt_no}）已办结，办结结果：{reason}。感谢您的信任与监督，如有疑问请拨打12333。",
    # the case of the complaint (issue 13 item 10): {reason} carries the decision's reason or date
    "suspended": "您的投诉（回执号{receipt_no}）所涉案件已中止调查，理由：{reason}。恢复调查后将继续办理并告知您。",
    "resumed": "您的投诉（回执号{receipt_no}）所涉案件已恢复调查。",
    "extended": "您的投诉（回执号{receipt_no}）所涉案件情况复杂，经批准延长调查期限，延长后的期限至{reason}。",
    "order_issued": "您的投诉（回执号{receipt_no}）所涉用人单位已被责令限期履行，期限至{reason}。"
    "可凭回执号在网上查询追回情况。",
}
EVENTS = tuple(TEXTS)


def texts_register(texts: dict[str, str]) -> None:
    """Add the texts of an upper layer's events (the arbitration and legal-aid referrals): cases never imports
    it. An event is defined once; its text may use {receipt_no} and {reason}."""
    global EVENTS
    clash = {k for k in texts if k in TEXTS and TEXTS[k] != texts[k]}
    if clash:
        raise ValueError(f"notification events defined twice: {sorted(clash)}")
    TEXTS.update(texts)
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
    transaction, sent by the relay. `reason` defaults to the complaint's decision_reason
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
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        # Embedded mode: no broker, no relay process; send in-process after commit. robust: a failure is
        # logged and the row stays PENDING for the relay — the committed change is never turned into an error.
        notification_id = notification.pk
        transaction.on_commit(lambda: _send_after_commit(notification_id), robust=True)
    return notification


def _send_after_commit(notification_id: int) -> None:
    try:
        notification_send(notification=Notification(pk=notification_id))
    except NotificationSendError:
        pass  # recorded on the row; the relay retries it after the backoff


def notification_claim(*, notification_id: int, now=None) -> bool:
    """Take a PENDING row for one send attempt: PENDING → SENDING, attempts + 1, claimed_at = now, in one
    conditional UPDATE. True only for the one caller whose UPDATE changed the row."""
    now = now or timezone.now()
    return bool(
        Notification.objects.filter(pk=notification_id, status=Notification.Status.PENDING).update(
            status=Notification.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
        )
    )


def notification_send(*, notification: Notification, now=None) -> Notification:
    """Send one pending notification at most once. The row is claimed first; a row that is not PENDING
    (sent, being sent by another worker, given up, unknown) is returned as it is, unsent. SENT on
    success; on failure the error is recorded and the row goes back to PENDING with
    NotificationSendError raised (the relay retries after RETRY_BACKOFF), or FAILED after MAX_ATTEMPTS."""
    if not notification_claim(notification_id=notification.pk, now=now):
        notification.refresh_from_db()
        return notification
    notification.refresh_from_db()  # the claimed row: attempts as the database counted them
    try:
        sms_backend().send(to=notification.to, body=notification.body)
    except Exception as exc:
        notification.last_error = f"{type(exc).__name__}: {exc}"[:300]
        notification.status = (
            Notification.Status.FAILED if notification.attempts >= MAX_ATTEMPTS else Notification.Status.PENDING
        )
        _settle(notification, "status", "last_error")
        logger.warning("SMS %s attempt %s failed: %s", notification.pk, notification.attempts, exc)
        if notification.status == Notification.Status.FAILED:
            return notification
        raise NotificationSendError(notification.last_error) from exc
    notification.status = Notification.Status.SENT
    notification.sent_at = timezone.now()
    _settle(notification, "status", "sent_at")
    return notification


def _settle(notification: Notification, *fields: str) -> None:
    """Record the outcome of this sender's claim (only while the row is still SENDING: a row a person
    has meanwhile marked otherwise keeps that mark)."""
    changed = Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING).update(
        **{f: getattr(notification, f) for f in fields}
    )
    if not changed:
        logger.warning(
            "SMS %s: outcome %s not recorded, the row changed meanwhile", notification.pk, notification.status
        )


def retry_delay(attempts: int) -> timedelta:
    """How long a row waits after its `attempts`-th failed attempt before the next one."""
    return min(RETRY_BACKOFF * (2 ** max(attempts - 1, 0)), RETRY_BACKOFF_MAX)


def notifications_due(*, now=None, limit: int = RELAY_BATCH) -> list[int]:
    """Ids of PENDING rows due for an attempt: never tried, or past the backoff of their last attempt."""
    now = now or timezone.now()
    rows = (
        Notification.objects.filter(status=Notification.Status.PENDING)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lte=now - RETRY_BACKOFF))
        .order_by(F("claimed_at").asc(nulls_first=True), "created_at", "id")  # never tried first
        .values_list("pk", "attempts", "claimed_at")[: limit * 4]
    )
    due = [pk for pk, attempts, claimed in rows if claimed is None or claimed <= now - retry_delay(attempts)]
    return due[:limit]


def notifications_mark_stuck(*, now=None) -> int:
    """Rows claimed more than SENDING_TIMEOUT ago and still SENDING: the sender died between the claim
    and the outcome, so nobody knows whether the SMS left. UNKNOWN, for a person — never re-sent alone."""
    now = now or timezone.now()
    stuck = Notification.objects.filter(status=Notification.Status.SENDING, claimed_at__lte=now - SENDING_TIMEOUT)
    count = stuck.update(
        status=Notification.Status.UNKNOWN, last_error="发送中断，是否已发出不明：请向短信网关核实后再决定是否重发"
    )
    if count:
        logger.error("SMS: %s notification(s) stuck in sending marked unknown", count)
    return count


def notifications_relay(*, now=None, limit: int = RELAY_BATCH) -> dict:
    """The outbox relay (beat task cases.tasks.notifications_relay, or `manage.py notifications_relay`):
    flags stuck rows, then claims and sends every due PENDING row. Safe to run concurrently with itself and
    with any other sender: each row is claimed before it is sent."""
    now = now or timezone.now()
    result = {"sent": 0, "failed": 0, "retry": 0, "skipped": 0, "unknown": notifications_mark_stuck(now=now)}
    for notification_id in notifications_due(now=now, limit=limit):
        try:
            notification = notification_send(notification=Notification(pk=notification_id), now=now)
        except NotificationSendError:
            result["retry"] += 1
            continue
        outcomes: dict[str, str] = {Notification.Status.SENT: "sent", Notification.Status.FAILED: "failed"}
        key = outcomes.get(notification.status)
        result[key or "skipped"] += 1
    return result


def notification_requeue(*, notification: Notification, actor: Actor) -> Notification:
    """A person decided (after checking the gateway) that an UNKNOWN or FAILED row should be sent again:
    back to PENDING for the relay. `actor` is recorded in the log."""
    changed = Notification.objects.filter(
        pk=notification.pk, status__in=[Notification.Status.UNKNOWN, Notification.Status.FAILED]
    ).update(status=Notification.Status.PENDING, claimed_at=None)
    if not changed:
        raise ValidationError({"status": ["只有发送失败或结果不明的通知可以重新发送"]})
    logger.warning("SMS %s requeued by %s", notification.pk, getattr(actor, "username", actor))
    notification.refresh_from_db()
    return notification
