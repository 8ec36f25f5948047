"""The append-only, hash-chained timeline (written only by cases.timeline)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case, Complaint
from .regions import Region

# The subjects a chain can belong to, in verification (and lock) order: the field of TimelineEvent
# that points at it, which is also the prefix of the subject's canonical key ("case:12").
SUBJECT_FIELDS = ("case", "complaint", "account", "region")


def _exactly_one_subject() -> models.Q:
    condition = models.Q()
    for field in SUBJECT_FIELDS:
        condition |= models.Q(**{f"{other}__isnull": other != field for other in SUBJECT_FIELDS})
    return condition


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("timeline events are append-only")

    def delete(self):
        raise TypeError("timeline events are append-only")


class TimelineEvent(models.Model):
    """One event of a hash-chained timeline: a case's (or, before filing, a complaint's), a staff
    account's (roles, password, flags) or a region's administration (province parameters, working-day
    overrides, names). Exactly one of the four subject fields is set.

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
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account_events",
        db_index=False,
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="admin_events", db_index=False
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
            models.CheckConstraint(condition=_exactly_one_subject(), name="timelineevent_one_subject"),
            models.UniqueConstraint(
                fields=["case", "seq"], condition=models.Q(case__isnull=False), name="timelineevent_case_seq"
            ),
            models.UniqueConstraint(
                fields=["complaint", "seq"],
                condition=models.Q(complaint__isnull=False),
                name="timelineevent_complaint_seq",
            ),
            models.UniqueConstraint(
                fields=["account", "seq"], condition=models.Q(account__isnull=False), name="timelineevent_account_seq"
            ),
            models.UniqueConstraint(
                fields=["region", "seq"], condition=models.Q(region__isnull=False), name="timelineevent_region_seq"
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
    # which kind of break (cases.timeline.verify's Break.kind: content, gap, missing_tail, rewritten, ...)
    break_kind = models.CharField(max_length=24, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M} {'OK' if self.ok else 'BROKEN'}"


class TimelineHead(models.Model):
    """The anchor of one subject's chain: how many events it has and the hash of the last, written by
    cases.timeline in the transaction of every append. Never deleted, its count only grows (on
    PostgreSQL a trigger refuses anything else, migration 0013). See docs/timeline.md."""

    subject_kind = models.CharField(max_length=9, choices=[(f, f) for f in SUBJECT_FIELDS])
    subject_id = models.BigIntegerField()
    count = models.PositiveIntegerField()
    last_hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("时间线链头")
        verbose_name_plural = _("时间线链头")
        constraints = [
            models.UniqueConstraint(fields=["subject_kind", "subject_id"], name="timelinehead_subject"),
            models.CheckConstraint(condition=models.Q(subject_kind__in=SUBJECT_FIELDS), name="timelinehead_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_kind}:{self.subject_id} #{self.count}"

    def delete(self, *args, **kwargs):
        raise TypeError("timeline heads are never deleted")


class TimelineCheckpoint(models.Model):
    """A keyed checkpoint over every head: HMAC-SHA256 (key from the environment, not the database) of
    the canonical list (subject, count, last hash), exported as a file for the auditors. The rows of
    TimelineCheckpointEntry hold the heads that changed since the previous checkpoint."""

    taken_at = models.DateTimeField()
    heads = models.PositiveIntegerField()
    events = models.BigIntegerField()
    changed = models.PositiveIntegerField()
    mac = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("时间线检查点")
        verbose_name_plural = _("时间线检查点")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.taken_at:%Y-%m-%d %H:%M} ({self.heads})"


class TimelineCheckpointEntry(models.Model):
    """A head as a checkpoint saw it, written when it differs from that subject's previous entry: the
    state of every head at checkpoint K is each subject's latest entry with checkpoint <= K."""

    checkpoint = models.ForeignKey(TimelineCheckpoint, on_delete=models.PROTECT, related_name="entries")
    subject_kind = models.CharField(max_length=9)
    subject_id = models.BigIntegerField()
    count = models.PositiveIntegerField()
    last_hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject_kind", "subject_id", "checkpoint"], name="timelinecheckpointentry_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_kind}:{self.subject_id} #{self.count} @{self.checkpoint_id}"
