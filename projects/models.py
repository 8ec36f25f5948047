"""Construction projects (农民工工资实名制信息化监管): the registry and its contractor chain, real-name
rosters, wage special accounts and monthly payroll. On top of cases (regions, employers, persons)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import MONEY, Employer, Party, Region
from cases.models.personal_fields import EncryptedCharField


class Department(models.TextChoices):
    """The industry department (行业主管部门) of the joint meeting a project answers to."""

    HOUSING = "housing", _("住房城乡建设")
    TRANSPORT = "transport", _("交通运输")
    WATER = "water", _("水利")
    OTHER = "other", _("其他")


class IndustryRole(models.Model):
    """The industry-department role: a user of a department (housing, transport, water) at a region sees
    and manages the projects of its industry in that region and below, and no case data."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="industry_roles")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    department = models.CharField(_("行业主管部门"), max_length=16, choices=Department)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("行业主管部门岗位")
        verbose_name_plural = _("行业主管部门岗位")
        constraints = [
            models.UniqueConstraint(fields=["user", "region", "department"], name="industryrole_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_department_display()} · {self.region.name}"


class Project(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("已登记")
        UNDER_CONSTRUCTION = "building", _("在建")
        STOPPED = "stopped", _("停工")
        COMPLETED = "completed", _("已竣工")

    project_no = models.CharField(_("项目编号"), max_length=40, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在区划"))
    address = models.CharField(_("项目地址"), max_length=300, blank=True)
    department = models.CharField(_("行业主管部门"), max_length=16, choices=Department)
    government_invested = models.BooleanField(_("政府投资"), default=False)
    funding_source = models.CharField(_("资金来源"), max_length=100, blank=True)
    permit_no = models.CharField(_("施工许可证号"), max_length=60, blank=True)
    contract_sum = models.DecimalField(_("合同价（元）"), null=True, blank=True, **MONEY)
    contract_signed_on = models.DateField(_("施工合同签订日期"), null=True, blank=True)
    start_on = models.DateField(_("开工日期"), null=True, blank=True)
    planned_completion_on = models.DateField(_("计划竣工日期"), null=True, blank=True)
    completed_on = models.DateField(_("竣工日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.REGISTERED)
    # 维权信息告示牌 (WPR art. 34): posted on site, and when
    notice_board_posted_on = models.DateField(_("维权信息告示牌设置日期"), null=True, blank=True)
    notice_board_note = models.CharField(_("告示牌内容说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("在建工程项目")
        verbose_name_plural = _("在建工程项目")
        indexes = [models.Index(fields=["region", "department"], name="projects_region_dept")]

    def __str__(self) -> str:
        return self.name


class ProjectUnit(models.Model):
    """A unit of the project's chain, with its role; a subcontractor hangs under the unit it contracts with."""

    class Role(models.TextChoices):
        CONSTRUCTION = "construction", _("建设单位")
        GENERAL = "general", _("施工总承包")
        SPECIALIST = "specialist", _("专业分包")
        LABOUR = "labour", _("劳务分包")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="units")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    role = models.CharField(_("角色"), max_length=16, choices=Role)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级单位")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("项目参建单位")
        verbose_name_plural = _("项目参建单位")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["project", "employer", "role"], name="projectunit_unique")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.employer.name}"


class Worker(models.Model):
    """A roster entry (实名制登记): a person (the same cases.Party record across projects and cases) on a project."""

    # indexed by the unique (project, person) and by (project, id): no index of its own, one less per insert
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="workers", db_index=False)
    person = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(ProjectUnit, on_delete=models.PROTECT, related_name="workers")
    team = models.CharField(_("班组"), max_length=60, blank=True)
    trade = models.CharField(_("工种"), max_length=60, blank=True)
    contract_signed_on = models.DateField(_("劳动合同签订日期"), null=True, blank=True)
    entered_on = models.DateField(_("进场日期"), null=True, blank=True)
    exited_on = models.DateField(_("退场日期"), null=True, blank=True)
    bank = models.CharField(_("开户银行"), max_length=60, blank=True)
    bank_card = EncryptedCharField(_("银行卡号"), max_length=30, blank=True, purpose="projects_worker.bank_card")

    class Meta:
        verbose_name = _("实名制人员")
        verbose_name_plural = _("实名制人员")
        constraints = [models.UniqueConstraint(fields=["project", "person"], name="worker_project_person")]
        # the project page's roster in id order (without it PostgreSQL walks the primary key of every worker)
        indexes = [models.Index(fields=["project", "id"], name="worker_project_id")]

    def __str__(self) -> str:
        return self.person.name


class Attendance(models.Model):
    """Monthly attendance (考勤汇总): the days a worker worked in a month (the month's first day)."""

    # indexed by the unique constraint, which starts with the worker: no index of its own
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="attendance", db_index=False)
    month = models.DateField(_("年月"))
    days = models.PositiveSmallIntegerField(_("出勤天数"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["worker", "month"], name="attendance_worker_month")]

    def __str__(self) -> str:
        return f"{self.worker} {self.month:%Y-%m} {self.days}"


class WageAccount(models.Model):
    """The project's wage special account (农民工工资专用账户)."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="wage_account")
    bank = models.CharField(_("开户银行"), max_length=100)
    account_no = EncryptedCharField(_("账号"), max_length=40, purpose="projects_wageaccount.account_no")
    opened_on = models.DateField(_("开户日期"))
    tripartite_signed_on = models.DateField(_("三方协议签订日期"), null=True, blank=True)
    closed_on = models.DateField(_("销户日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("农民工工资专用账户")
        verbose_name_plural = _("农民工工资专用账户")

    def __str__(self) -> str:
        return f"{self.bank} ({self.project})"


class LabourCostTransfer(models.Model):
    """Labour costs (人工费用) paid into the account by the construction unit for a month."""

    account = models.ForeignKey(WageAccount, on_delete=models.CASCADE, related_name="transfers")
    month = models.DateField(_("所属年月"))
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    received_on = models.DateField(_("到账日期"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "month", "received_on", "amount"], name="transfer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.amount}"


class WageSheetLine(models.Model):
    """A line of the wage sheet (工资支付表) of a unit for a month, signed (or e-confirmed) by the worker."""

    # indexed by the unique constraint, which starts with the worker: no index of its own
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="wage_lines", db_index=False)
    unit = models.ForeignKey(ProjectUnit, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("年月"))
    days = models.PositiveSmallIntegerField(_("出勤天数"), default=0)
    amount_due = models.DecimalField(_("应发工资"), **MONEY)
    amount_net = models.DecimalField(_("实发工资"), **MONEY)
    signed = models.BooleanField(_("本人签字"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["worker", "month"], name="wagesheet_worker_month")]

    def __str__(self) -> str:
        return f"{self.worker} {self.month:%Y-%m} {self.amount_net}"


class PaymentLine(models.Model):
    """A line of the bank's payment file (代发明细): what the worker was paid, when, and from where."""

    # indexed by the unique constraint, which starts with the worker: no index of its own
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="payments", db_index=False)
    month = models.DateField(_("所属年月"))
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    paid_on = models.DateField(_("交易日期"))
    via_account = models.BooleanField(_("经工资专用账户"), default=False)
    on_behalf = models.BooleanField(_("总包代发"), default=False)
    memo = models.CharField(_("用途/摘要"), max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["worker", "month", "paid_on", "amount"], name="paymentline_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.paid_on} {self.amount}"


class ProjectMonth(models.Model):
    """The project page's monthly payroll summary (one row per project and month), refreshed by every import
    and record of attendance, wage sheets, payment lines and labour costs in the same transaction
    (`projects.summary.refresh_months`): the page reads 24 small rows instead of aggregating the month tables."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("年月"))
    attendance_workers = models.PositiveIntegerField(default=0)
    sheet_workers = models.PositiveIntegerField(default=0)
    amount_due = models.DecimalField(default=0, **MONEY)
    amount_net = models.DecimalField(default=0, **MONEY)
    paid_lines = models.PositiveIntegerField(default=0)
    paid = models.DecimalField(default=0, **MONEY)
    paid_via_account = models.PositiveIntegerField(default=0)
    paid_on_behalf = models.PositiveIntegerField(default=0)
    labour_cost = models.DecimalField(default=0, **MONEY)

    class Meta:
        verbose_name = _("项目月度工资汇总")
        verbose_name_plural = _("项目月度工资汇总")
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="projectmonth_project_month")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.month:%Y-%m}"
