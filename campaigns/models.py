"""Special campaigns (专项行动) and their hazard sweeps (隐患排查): the campaign a leader launches for a province's
or a city's subtree, the checks of projects and employers (排查记录), the hazards found (隐患) with their
resolution deadline, and each province's hazard settings (CampaignConfig)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.industries import Industry
from cases.models import MONEY, Employer, FilingProposal, Region
from projects.models import Project

ONE_TARGET = Q(project__isnull=False, employer__isnull=True) | Q(project__isnull=True, employer__isnull=False)


class CampaignConfig(models.Model):
    """One province's campaign numbers. No national text fixes how long a hazard may stay open: the default
    (10 working days, the same as a double-random rectification order) is declared, not cited."""

    province = models.OneToOneField(
        Region,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("省份"),
        limit_choices_to={"level": "province"},
    )
    hazard_resolve_wd = models.PositiveSmallIntegerField(
        _("隐患整改期限（工作日）"),
        default=10,
        help_text=_("自发现隐患之日起计算；默认 10 个工作日（本系统声明的默认值）。"),
    )

    class Meta:
        verbose_name = _("专项行动参数")
        verbose_name_plural = _("专项行动参数")

    def __str__(self) -> str:
        return str(self.province)


class TargetKind(models.TextChoices):
    CONSTRUCTION = "construction", _("工程建设项目")
    GOVERNMENT = "government", _("政府投资工程项目")
    EMPLOYERS = "employers", _("重点行业用人单位")


class Campaign(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("进行中")
        CLOSED = "closed", _("已结束")

    WEEKDAYS = [(0, _("星期一")), (1, _("星期二")), (2, _("星期三")), (3, _("星期四")), (4, _("星期五")),
                (5, _("星期六")), (6, _("星期日"))]  # fmt: skip

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("部署单位"))
    title = models.CharField(_("行动名称"), max_length=200)
    period_start = models.DateField(_("行动期间自"))
    period_end = models.DateField(_("行动期间至"))
    target_kinds = models.JSONField(_("排查对象"), default=list)
    industries = models.JSONField(_("重点行业"), default=list, blank=True)
    report_weekday = models.PositiveSmallIntegerField(_("每周调度日"), choices=WEEKDAYS, default=4)
    status = models.CharField(_("状态"), max_length=8, choices=Status, default=Status.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(_("总结"), blank=True)

    class Meta:
        verbose_name = _("专项行动")
        verbose_name_plural = _("专项行动")
        ordering = ["-period_start", "-id"]

    def __str__(self) -> str:
        return self.title

    def kinds_display(self) -> list[str]:
        labels = dict(TargetKind.choices)
        return [str(labels[k]) for k in self.target_kinds if k in labels]

    def industries_display(self) -> list[str]:
        labels = dict(Industry.choices)
        return [str(labels[k]) for k in self.industries if k in labels]


class CheckRecord(models.Model):
    """A project or an employer checked in the campaign (with or without hazards)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="checks")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任机构"))
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    checked_on = models.DateField(_("排查日期"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("排查情况"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("排查记录")
        verbose_name_plural = _("排查记录")
        constraints = [
            models.CheckConstraint(
                condition=ONE_TARGET,
                name="campaign_check_one_target",
            )
        ]
        indexes = [models.Index(fields=["campaign", "checked_on"])]

    def __str__(self) -> str:
        return f"{self.target_name} {self.checked_on:%Y-%m-%d}"

    @property
    def target_name(self) -> str:
        return self.project.name if self.project_id else self.employer.name  # type: ignore[union-attr]


class Hazard(models.Model):
    class Kind(models.TextChoices):
        WAGES_OWED = "wages_owed", _("拖欠工资")
        NO_ACCOUNT = "no_account", _("未开设工资专用账户")
        NO_REAL_NAME = "no_real_name", _("未实行实名制管理")
        LABOUR_COST = "labour_cost", _("人工费用未按时拨付")
        NO_DEPOSIT = "no_deposit", _("未存储工资保证金")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        OPEN = "open", _("未整改")
        RESOLVED = "resolved", _("已整改")
        CASE = "case", _("已转立案")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="hazards")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任机构"))
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("隐患类型"), max_length=16, choices=Kind)
    description = models.TextField(_("隐患情况"), blank=True)
    workers = models.PositiveIntegerField(_("涉及人数"), default=0)
    amount = models.DecimalField(_("涉及金额（元）"), default=0, **MONEY)
    found_on = models.DateField(_("发现日期"))
    found_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=8, choices=Status, default=Status.OPEN)
    overdue_at = models.DateTimeField(_("逾期时间"), null=True, blank=True)
    resolved_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    evidence_note = models.TextField(_("整改情况及证明材料"), blank=True)
    amount_paid = models.DecimalField(_("已支付金额（元）"), default=0, **MONEY)
    case_proposed_on = models.DateField(_("提出立案日期"), null=True, blank=True)
    filing = models.ForeignKey(FilingProposal, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    case_filed_on = models.DateField(_("立案日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("隐患")
        verbose_name_plural = _("隐患")
        ordering = ["-found_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=ONE_TARGET,
                name="campaign_hazard_one_target",
            )
        ]
        indexes = [models.Index(fields=["campaign", "region"]), models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.target_name} {self.get_kind_display()}"

    @property
    def target_name(self) -> str:
        return self.project.name if self.project_id else self.employer.name  # type: ignore[union-attr]

    @property
    def subject_ref(self) -> str:
        return f"campaigns.hazard:{self.pk}"
