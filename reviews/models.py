"""年度书面审查 (the annual written review of employers' wage payment, JX2017 二(二)): a campaign per region and
year, the employers due to report with their per-campaign codes, their reports (online or entered from paper)
with attachments, reminder letters, and the reviewer's finding on each report (no problem; a rectification
order and its verification; or a proactive case)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import MONEY, Case, Employer, FilingProposal, Region


class ReviewConfig(models.Model):
    """The written review's numbers of one province, edited by the province administrator beside the province
    parameters."""

    province = models.OneToOneField(
        Region,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("省份"),
        limit_choices_to={"level": "province"},
    )
    rectify_wd = models.PositiveSmallIntegerField(_("书面审查责令整改期限（工作日）"), default=10)

    class Meta:
        verbose_name = _("书面审查参数")
        verbose_name_plural = _("书面审查参数")

    def __str__(self) -> str:
        return str(self.province)


class Campaign(models.Model):
    """One region's written review of one year: who must report, the reporting window, the notice."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("准备中")
        OPEN = "open", _("报送中")
        CLOSED = "closed", _("报送期已截止")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("区划"))
    year = models.PositiveSmallIntegerField(_("审查年度"))
    name = models.CharField(_("名称"), max_length=200)
    notice = models.TextField(_("报送通知"))
    opens_on = models.DateField(_("报送开始日期"))
    closes_on = models.DateField(_("报送截止日期"))
    status = models.CharField(_("状态"), max_length=8, choices=Status, default=Status.DRAFT)
    opened_at = models.DateTimeField(_("开始报送时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("年度书面审查")
        verbose_name_plural = _("年度书面审查")
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="review_campaign_region_year")]

    def __str__(self) -> str:
        return self.name


class Due(models.Model):
    """An employer due to report in a campaign, with the code the bureau gives it (so nobody files for another
    firm)."""

    class Source(models.TextChoices):
        SELECTED = "selected", _("按行业和规模选定")
        ADDED = "added", _("逐户添加")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="dues")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="+", verbose_name=_("用人单位"))
    code = models.CharField(_("报送码"), max_length=12)
    source = models.CharField(_("来源"), max_length=8, choices=Source)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("应报送单位")
        verbose_name_plural = _("应报送单位")
        ordering = ["campaign", "employer__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "employer"], name="review_due_once")]

    def __str__(self) -> str:
        return self.employer.name


class Report(models.Model):
    """An employer's wage-payment report of the year: one per due (online, or entered by staff from paper)."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("网上报送")
        PAPER = "paper", _("书面报送（工作人员录入）")

    due = models.OneToOneField(Due, on_delete=models.PROTECT, related_name="report")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="reports")
    receipt_no = models.CharField(_("回执号"), max_length=32, unique=True)
    channel = models.CharField(_("报送方式"), max_length=8, choices=Channel)
    headcount = models.PositiveIntegerField(_("年末职工人数"))
    migrant_workers = models.PositiveIntegerField(_("其中农民工人数"))
    contracts_signed = models.PositiveIntegerField(_("签订劳动合同人数"))
    wages_due = models.DecimalField(_("全年应发工资（元）"), **MONEY)
    wages_paid = models.DecimalField(_("全年实发工资（元）"), **MONEY)
    arrears_year_end = models.DecimalField(_("年末拖欠工资（元）"), **MONEY)
    construction = models.BooleanField(_("工程建设领域"), default=False)
    wage_account = models.BooleanField(_("开立农民工工资专用账户"), null=True, blank=True)
    real_name = models.BooleanField(_("实行实名制管理"), null=True, blank=True)
    contact_name = models.CharField(_("填报人"), max_length=64)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    late = models.BooleanField(_("逾期报送"), default=False)
    submitted_at = models.DateTimeField(_("报送时间"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("工资支付情况报告")
        verbose_name_plural = _("工资支付情况报告")

    def __str__(self) -> str:
        return self.receipt_no


class Attachment(models.Model):
    """A file sent with a report, checked by content and extension as evidence is (cases.evidence)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("说明"), max_length=300)

    def __str__(self) -> str:
        return self.original_name


class Reminder(models.Model):
    """A reminder letter (催报通知书) to an employer that has not reported yet: by hand or, before the window
    closes, by the deadline engine's warning."""

    due = models.ForeignKey(Due, on_delete=models.PROTECT, related_name="reminders")
    text = models.TextField(_("通知内容"))
    automatic = models.BooleanField(_("系统自动催报"), default=False)
    sent_at = models.DateTimeField(_("催报时间"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("催报通知")
        verbose_name_plural = _("催报通知")

    def __str__(self) -> str:
        return f"{self.due_id}: {self.sent_at:%Y-%m-%d}"


class Finding(models.Model):
    """The reviewer's finding on a report: no problem; problems → a rectification order (its clock on the
    deadline engine, then its verification) or a proactive case (the filing flow's proposal, then the case)."""

    class Outcome(models.TextChoices):
        NO_PROBLEM = "no_problem", _("未发现问题")
        RECTIFY = "rectify", _("责令整改")
        CASE = "case", _("立案查处")

    report = models.OneToOneField(Report, on_delete=models.PROTECT, related_name="finding")
    outcome = models.CharField(_("审查结论"), max_length=12, choices=Outcome)
    problems = models.JSONField(_("发现的问题"), default=list, blank=True)
    amount = models.DecimalField(_("涉及金额（元）"), default=0, **MONEY)
    note = models.TextField(_("审查意见"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField(_("审查日期"))
    rectify_due = models.DateField(_("整改期限"), null=True, blank=True)
    verified_on = models.DateField(_("整改核查日期"), null=True, blank=True)
    corrected = models.BooleanField(_("已整改"), null=True, blank=True)
    verify_note = models.CharField(_("整改核查情况"), max_length=300, blank=True)
    filing = models.ForeignKey(FilingProposal, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("审查结论")
        verbose_name_plural = _("审查结论")

    def __str__(self) -> str:
        return self.get_outcome_display()
