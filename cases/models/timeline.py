"""The append-only, hash-chained timeline (written only by cases.timeline)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case, Complaint


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("timeline events are append-only")

    def delete(self):
        raise TypeError("timeline events are append-only")


class TimelineEvent(models.Model):
    """One event of a case's (or, before filing, a complaint's) hash-chained timeline.

    Written only by cases.timeline.record(); never updated or deleted.
    """

    # No index of their own: the unique (case, seq) and (complaint, seq) indexes below serve every look-up
    # by subject, and each index more is paid on every append (bench P5: 10,000 events per sweep batch).
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    seq = models.PositiveIntegerField(_("序号"))
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    actor_role = models.CharField(_("角色"), max_length=16, blank=True)
    actor_region = models.CharField(_("机构"), max_length=6, blank=True)
    kind = models.CharField(_("事件"), max_length=48)
    data = models.JSONField(_("内容"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("时间线事件")
        verbose_name_plural = _("时间线事件")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False, complaint__isnull=True)
                | models.Q(case__isnull=True, complaint__isnull=False),
                name="timelineevent_one_subject",
            ),
            models.UniqueConstraint(
                fields=["case", "seq"], condition=models.Q(case__isnull=False), name="timelineevent_case_seq"
            ),
            models.UniqueConstraint(
                fields=["complaint", "seq"],
                condition=models.Q(complaint__isnull=False),
                name="timelineevent_complaint_seq",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("timeline events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("timeline events are append-only")


class ChainCheck(models.Model):
    """The result of one verification of every timeline chain (nightly Celery task or by hand)."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    chains = models.PositiveIntegerField()
    events = models.PositiveIntegerField()
    ok = models.BooleanField()
    first_broken = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M} {'OK' if self.ok else 'BROKEN'}"
