"""Warning signals (欠薪预警信号) and the per-province numbers that raise them.

A signal is unique per (project, unit, rule, month) through its `key`: re-running a month's check finds the
same row (updated, kept, or resolved when its condition no longer holds). Signals of the other sources
(complaint clusters, listed units, stopped projects) use the same key scheme; a signal entered by hand has a
key of its own."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import MONEY, Case, Employer, FilingProposal, Region
from projects.models import Project, ProjectUnit


class WarningConfig(models.Model):
    """The early-warning numbers of one province (domain-rules §4.7, construction-data's rules table: all
    plausible defaults, not law, except the account's 30 days of row 50)."""

    province = models.OneToOneField(
        Region,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("省份"),
        limit_choices_to={"level": "province"},
    )
    pay_day = models.PositiveSmallIntegerField(_("工资支付日（次月几日）"), default=20)
    labour_cost_day = models.PositiveSmallIntegerField(_("人工费用拨付日（次月几日）"), default=10)
    labour_cost_red_days = models.PositiveSmallIntegerField(_("人工费用逾期转红色预警天数"), default=10)
    unpaid_red_workers = models.PositiveSmallIntegerField(_("未支付人数红色预警阈值"), default=10)
    unpaid_red_share = models.PositiveSmallIntegerField(_("未支付人数占花名册比例红色预警阈值（%）"), default=30)
    shortfall_red_amount = models.DecimalField(_("少发工资红色预警金额（元）"), default=Decimal("100000"), **MONEY)
    minimum_wage_monthly = models.DecimalField(_("最低工资标准（元/月）"), default=Decimal("2000"), **MONEY)
    account_due_days = models.PositiveSmallIntegerField(_("合同签订后开立工资专用账户期限（日）"), default=30)
    general_pays_subcontractors = models.BooleanField(_("分包单位农民工工资须由总包代发"), default=True)
    notice_board_due_days = models.PositiveSmallIntegerField(_("开工后设置维权告示牌期限（日）"), default=30)
    complaints_count = models.PositiveSmallIntegerField(_("投诉聚集预警：投诉件数"), default=3)
    complaints_days = models.PositiveSmallIntegerField(_("投诉聚集预警：统计天数"), default=30)
    explain_workdays = models.PositiveSmallIntegerField(_("要求单位说明情况期限（工作日）"), default=5)
    handle_workdays = models.PositiveSmallIntegerField(_("红色预警处置期限（工作日）"), default=5)
    # data quality (实名制): the unit's number of workers from which the finding is orange rather than yellow
    contract_missing_orange_workers = models.PositiveSmallIntegerField(
        _("有考勤无劳动合同人数橙色预警阈值"), default=10,
        help_text=_("单位当月有考勤但未登记劳动合同签订日期的人数达到此数为橙色，否则为黄色"),
    )  # fmt: skip
    double_paid_orange_workers = models.PositiveSmallIntegerField(
        _("同月在两个项目领取工资人数橙色预警阈值"), default=5,
        help_text=_("单位当月同时在其他项目领取工资的人数达到此数为橙色，否则为黄色"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("欠薪预警参数")
        verbose_name_plural = _("欠薪预警参数")

    def __str__(self) -> str:
        return str(self.province)


class ProjectPayDay(models.Model):
    """A project's own pay day (the day of the next month its wages are due), over the province's."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="+")
    pay_day = models.PositiveSmallIntegerField(_("工资支付日（次月几日）"))

    class Meta:
        verbose_name = _("项目工资支付日")
        verbose_name_plural = _("项目工资支付日")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.pay_day}"


class Signal(models.Model):
    class Level(models.TextChoices):
        YELLOW = "yellow", _("黄色")
        ORANGE = "orange", _("橙色")
        RED = "red", _("红色")

    class Source(models.TextChoices):
        CHECK = "check", _("月度工资支付检查")
        COMPLAINTS = "complaints", _("投诉聚集")
        LISTED = "listed", _("单位被列入失信名单")
        OPEN_CASES = "open_cases", _("单位在其他地区有在办案件")
        STOPPED = "stopped", _("项目停工")
        INSPECTION = "inspection", _("日常巡查")
        MEDIA = "media", _("媒体报道")
        HOTLINE = "hotline", _("热线电话")

    class Status(models.TextChoices):
        OPEN = "open", _("待研判")
        EXPLAINING = "explaining", _("待单位说明")
        INTERVIEWED = "interviewed", _("已约谈")
        CASE = "case", _("已立案查处")
        DISMISSED = "dismissed", _("已排除")
        RESOLVED = "resolved", _("情形已消除")

    OPEN_STATUSES = (Status.OPEN, Status.EXPLAINING)
    LEVEL_ORDER = {Level.YELLOW: 1, Level.ORANGE: 2, Level.RED: 3}

    key = models.CharField(max_length=120, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在区划"))
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("项目")
    )
    unit = models.ForeignKey(
        ProjectUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("参建单位")
    )
    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    source = models.CharField(_("来源"), max_length=16, choices=Source)
    rule = models.CharField(_("预警规则"), max_length=40)
    month = models.DateField(_("所属年月"), null=True, blank=True)
    level = models.CharField(_("预警等级"), max_length=8, choices=Level)
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.OPEN)
    evidence = models.JSONField(_("证据"), default=dict, blank=True)
    amount = models.DecimalField(_("涉及金额（元）"), default=Decimal("0"), **MONEY)
    workers = models.PositiveIntegerField(_("涉及人数"), default=0)
    raised_at = models.DateTimeField(_("发出时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    due_on = models.DateField(_("处置期限"), null=True, blank=True)
    explain_due_on = models.DateField(_("说明期限"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("上报负责人时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    outcome = models.TextField(_("处置意见"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filing = models.ForeignKey(FilingProposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("预警信号")
        verbose_name_plural = _("预警信号")
        indexes = [
            models.Index(fields=["region", "status"], name="signal_region_status"),
            models.Index(fields=["project", "month"], name="signal_project_month"),
            models.Index(fields=["due_on"], name="signal_red_due", condition=models.Q(escalated_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.rule} {self.key}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
