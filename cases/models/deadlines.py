"""Deadlines in Chinese working days, calendar days or hours (SPEC §5)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case, Complaint
from .regions import Region


class WorkdayOverride(models.Model):
    """An admin correction of the holiday calendar: this date is (not) a working day."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'workday' if self.is_workday else 'day off'}"


class Deadline(models.Model):
    class Unit(models.TextChoices):
        WORKING_DAYS = "working_days", _("工作日")
        DAYS = "days", _("日")
        HOURS = "hours", _("小时")

    class State(models.TextChoices):
        RUNNING = "running", _("计时中")
        PAUSED = "paused", _("已暂停")
        MET = "met", _("已按期办结")
        OVERDUE = "overdue", _("已超期")
        CLOSED_LATE = "closed_late", _("超期后办结")
        CANCELLED = "cancelled", _("已取消")

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines")
    complaint = models.ForeignKey(Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines")
    # A clock of something that is neither a case nor a complaint (an app above cases: a warning signal's
    # explanation, an inspection's rectification, a 督办 to a department): "<app_label>.<model>:<pk>", built by
    # cases.deadlines.subject_ref_of(). Its timeline events go to the chain of its region. "" for a case/complaint.
    subject_ref = models.CharField(_("办理事项"), max_length=64, blank=True, default="")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任机构"))
    kind = models.CharField(_("时限"), max_length=48)
    title = models.CharField(_("名称"), max_length=100)
    legal_basis = models.CharField(_("法律依据"), max_length=200)
    start_event = models.CharField(_("起算事件"), max_length=48)
    start_at = models.DateTimeField(_("起算时间"))
    length = models.PositiveIntegerField(_("期限"))
    unit = models.CharField(_("单位"), max_length=16, choices=Unit)
    extended_by = models.PositiveIntegerField(_("延长"), default=0)
    due_at = models.DateTimeField(_("到期时间"))
    warn_at = models.DateTimeField(_("预警时间"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=State, default=State.RUNNING)
    paused_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The viewflow task this deadline watches (a plain id: cases does not import viewflow).
    task_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        indexes = [
            # The sweep: running deadlines due or to be warned, oldest first.
            models.Index(fields=["due_at"], name="deadline_running_due", condition=models.Q(state="running")),
            models.Index(
                fields=["warn_at"], name="deadline_running_warn", condition=models.Q(state="running", warned_at=None)
            ),
            # Overdue flags on the dashboards of the superior levels.
            models.Index(fields=["region", "state"], name="deadline_region_state"),
            # the dashboard's refresh of overdue transitions per day
            models.Index(
                fields=["overdue_at"], name="deadline_overdue_at", condition=models.Q(overdue_at__isnull=False)
            ),
            # "does the case have an open clock of this kind?" for a whole sweep batch of cases at once
            # (accountability's watch; bench P5), without reading the cases' other deadlines
            models.Index(
                fields=["case", "kind"],
                name="deadline_open_case_kind",
                condition=models.Q(state__in=["running", "paused"]),
            ),
            # the clocks of one subject of an app above cases (deadlines_for(subject_ref=...))
            models.Index(fields=["subject_ref"], name="deadline_subject_ref", condition=~models.Q(subject_ref="")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | models.Q(complaint__isnull=False) | ~models.Q(subject_ref=""),
                name="deadline_has_subject",
            )
        ]

    # The kinds that are the party's own windows (statement, hearing request, fine payment, remedies, the
    # demand's 10 days): filled by cases.deadlines.rules_register from Rule.party. Such a window that runs out
    # has "ended" (已届满): the sweep never makes it overdue — it is no failure of the bureau.
    PARTY_KINDS: set[str] = set()

    def __str__(self) -> str:
        return f"{self.title} → {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.state in {self.State.RUNNING, self.State.PAUSED, self.State.OVERDUE}

    @property
    def is_party_window(self) -> bool:
        return self.kind in self.PARTY_KINDS

    def get_state_display(self) -> str:  # type: ignore[no-redef]  # (django-stubs declares the generated one)
        """The state as people read it; a party's window that has run out is "已届满" (ended), never overdue."""
        if self.is_party_window and self.state in (self.State.MET, self.State.OVERDUE, self.State.CLOSED_LATE):
            if self.closed_at is None or self.closed_at >= self.due_at:
                return str(_("已届满"))
            return str(_("已结束"))
        return str(self.State(self.state).label)


class DeadlinePause(models.Model):
    deadline = models.ForeignKey(Deadline, on_delete=models.PROTECT, related_name="pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("暂停理由"), max_length=200)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.deadline_id}: {self.started_at:%Y-%m-%d} – {self.ended_at or '…'}"


class DeadlineExtension(models.Model):
    deadline = models.ForeignKey(Deadline, on_delete=models.PROTECT, related_name="extensions")
    length = models.PositiveIntegerField(_("延长期限"))
    reason = models.CharField(_("延长理由"), max_length=200)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.deadline_id}: +{self.length}"
