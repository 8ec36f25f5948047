"""双随机一公开: the two pools (inspection targets, certified inspectors), the plans and their reproducible
draws, the inspections they give and the publication of their results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.industries import Industry
from cases.models import Employer, FilingProposal, Region
from projects.models import Project


class Inspector(models.Model):
    """The inspector pool of a region: a staff account with its enforcement certificate (执法证). Without a
    certificate number (or inactive), never drawn (seed 三(三))."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区划"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=64)
    certificate_no = models.CharField(_("执法证号"), max_length=40, blank=True)
    # the certificate's last day of validity; blank when not entered (then the number alone is checked)
    certificate_valid_until = models.DateField(_("执法证有效期至"), null=True, blank=True)
    active = models.BooleanField(_("在库"), default=True)
    removed_reason = models.CharField(_("移出理由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("检查人员")
        verbose_name_plural = _("检查人员库")
        constraints = [models.UniqueConstraint(fields=["region", "user"], name="inspector_region_user")]

    def __str__(self) -> str:
        return self.name

    @property
    def drawable(self) -> bool:
        return not self.undrawable_reason

    @property
    def undrawable_reason(self) -> str:
        """Why the draw never picks this inspector ("" when it may): out of the pool, no certificate, expired."""
        if not self.active:
            return str(_("已移出检查人员库"))
        if not self.certificate_no.strip():
            return str(_("未登记执法证号"))
        if self.certificate_valid_until is not None and self.certificate_valid_until < timezone.localdate():
            return str(_("执法证已过有效期"))
        return ""


class Target(models.Model):
    """The target pool of a region: an employer or a construction project, with its industry and size."""

    class Size(models.TextChoices):
        LARGE = "large", _("大型")
        MEDIUM = "medium", _("中型")
        SMALL = "small", _("小型")
        MICRO = "micro", _("微型")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区划"))
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    industry = models.CharField(_("行业门类"), max_length=1, choices=Industry)
    size = models.CharField(_("规模"), max_length=8, choices=Size, default=Size.SMALL)
    active = models.BooleanField(_("在库"), default=True)
    removed_reason = models.CharField(_("移出理由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("检查对象")
        verbose_name_plural = _("检查对象库")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(employer__isnull=False) | models.Q(project__isnull=False), name="target_has_subject"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.project.name if self.project_id else self.employer.name  # type: ignore[union-attr]


class Conflict(models.Model):
    """An inspector linked to a target (kin, former employment, an earlier case of the same employer): the
    inspector is never drawn for it (recusal, 回避)."""

    inspector = models.ForeignKey(Inspector, on_delete=models.CASCADE, related_name="conflicts")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("回避理由"), max_length=200)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("回避关系")
        verbose_name_plural = _("回避关系")
        constraints = [models.UniqueConstraint(fields=["inspector", "target"], name="conflict_once")]

    def __str__(self) -> str:
        return self.reason


class Plan(models.Model):
    """A sampling plan: region, period, share or count of targets, filters. Drawn once with a recorded seed
    over a recorded snapshot of both pools (ids and hash), so that the draw can be recomputed by anyone."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("已制定")
        DRAWN = "drawn", _("已抽取")
        COMPLETED = "completed", _("检查完毕")
        PUBLISHED = "published", _("已公示")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("区划"))
    name = models.CharField(_("计划名称"), max_length=200)
    period_start = models.DateField(_("检查期间自"))
    period_end = models.DateField(_("检查期间至"))
    share_percent = models.PositiveSmallIntegerField(_("抽取比例（%）"), null=True, blank=True)
    count = models.PositiveIntegerField(_("抽取户数"), null=True, blank=True)
    industries = models.JSONField(_("行业门类"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.PLANNED)
    seed = models.CharField(_("随机种子"), max_length=64, blank=True)
    method = models.CharField(_("抽取方法"), max_length=64, blank=True)
    snapshot = models.JSONField(_("抽取时的名录"), default=dict, blank=True)
    snapshot_hash = models.CharField(_("名录摘要"), max_length=64, blank=True)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    completed_on = models.DateField(_("检查完毕日期"), null=True, blank=True)
    publish_due = models.DateField(_("公示截止日期"), null=True, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("抽查计划")
        verbose_name_plural = _("抽查计划")

    def __str__(self) -> str:
        return self.name


class RectifyResult(models.TextChoices):
    CORRECTED = "corrected", _("已整改")
    NOT_CORRECTED = "not_corrected", _("逾期未整改")


class Inspection(models.Model):
    """A drawn target's inspection by its two inspectors: the checklist, the findings, the outcome."""

    class Outcome(models.TextChoices):
        PENDING = "", _("未检查")
        NO_PROBLEM = "no_problem", _("未发现问题")
        RECTIFY = "rectify", _("责令整改")
        CASE = "case", _("立案查处")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="inspections")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="+")
    inspectors = models.ManyToManyField(Inspector, related_name="inspections")
    drawn_inspectors = models.JSONField(_("抽取的检查人员"), default=list)
    checklist = models.JSONField(_("检查事项"), default=dict, blank=True)
    findings = models.TextField(_("检查发现"), blank=True)
    outcome = models.CharField(_("检查结果"), max_length=12, choices=Outcome, default=Outcome.PENDING, blank=True)
    inspected_on = models.DateField(_("检查日期"), null=True, blank=True)
    rectify_due = models.DateField(_("整改期限"), null=True, blank=True)
    # the order's period in working days (the province's default unless the inspector set another within bounds)
    rectify_wd = models.PositiveSmallIntegerField(_("整改期限（工作日）"), null=True, blank=True)
    rectify_result = models.CharField(_("整改核查结论"), max_length=16, choices=RectifyResult, blank=True)
    rectified_on = models.DateField(_("整改核查日期"), null=True, blank=True)
    rectify_note = models.CharField(_("整改核查情况"), max_length=300, blank=True)
    filing = models.ForeignKey(FilingProposal, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("抽查检查")
        verbose_name_plural = _("抽查检查")
        ordering = ["plan", "target_id"]
        constraints = [models.UniqueConstraint(fields=["plan", "target"], name="inspection_plan_target")]

    def __str__(self) -> str:
        return str(self.target)

    @property
    def done(self) -> bool:
        if self.outcome == self.Outcome.RECTIFY:
            return self.rectified_on is not None
        return self.outcome in (self.Outcome.NO_PROBLEM, self.Outcome.CASE)


class Redraw(models.Model):
    """A logged redraw: an inspector recused after the draw, replaced by a draw from a recorded seed."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="redraws")
    removed = models.ForeignKey(Inspector, on_delete=models.PROTECT, related_name="+")
    added = models.ForeignKey(Inspector, on_delete=models.PROTECT, related_name="+")
    seed = models.CharField(_("随机种子"), max_length=80)
    reason = models.CharField(_("回避理由"), max_length=200)
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.seed
