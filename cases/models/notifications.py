"""The notification outbox: rows written in the state change's transaction, sent by Celery after commit."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Complaint
from .personal_fields import EncryptedCharField
from .personal_fields import EncryptedCharField
from .personal_fields import EncryptedCharField


class Notification(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", _("短信")
        EMAIL = "email", _("电子邮件")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="notifications")
    channel = models.CharField(max_length=8, choices=Channel)
    to = EncryptedCharField(max_length=200, purpose="cases_notification.to")  # a phone: encrypted at rest
    event = models.CharField(max_length=48)
    body = models.TextField()
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], name="notification_pending", condition=models.Q(status="pending"))
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.to} ({self.status})"
