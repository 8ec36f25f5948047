"""The notification outbox: rows written in the state change's transaction and sent by the relay
(cases.notifications.notifications_relay) — never published to a broker on the request thread.

A row is sent at most once: a sender first claims it (PENDING → SENDING in one conditional UPDATE,
attempts + 1), then marks it SENT, back to PENDING for a retry, or FAILED. A row left in SENDING
(the sender died mid-send) becomes UNKNOWN for a person to check: it is never re-sent on its own.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Complaint
from .personal_fields import EncryptedCharField


class Notification(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", _("短信")
        EMAIL = "email", _("电子邮件")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        UNKNOWN = "unknown", _("发送结果不明")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="notifications")
    channel = models.CharField(max_length=8, choices=Channel)
    to = EncryptedCharField(max_length=200, purpose="cases_notification.to")  # a phone: encrypted at rest
    event = models.CharField(max_length=48)
    body = models.TextField()
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    # real send attempts: incremented by the claim that precedes each call to the SMS gateway
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # when the last attempt was claimed: the retry backoff and the stuck-sender check count from it
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # the relay: pending rows, oldest first
            models.Index(fields=["created_at"], name="notification_pending", condition=models.Q(status="pending")),
            # the stuck-sender check: rows in SENDING by claim time
            models.Index(fields=["claimed_at"], name="notification_sending", condition=models.Q(status="sending")),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.to} ({self.status})"
