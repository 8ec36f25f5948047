"""Wage guarantee deposits (工资保证金: WPR arts 32-33, DEP2021) per construction project, their drawdowns
on a case, their return after completion, and the emergency wage fund (欠薪应急周转金, WPR art 63) per
county-or-above region. On top of projects and cases; never imported by them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import MONEY, ArrearsEntry, Case, Document, Employer, Payment, Region
from cases.models.personal_fields import EncryptedCharField
from projects.models import Project

RATE: dict[str, Any] = {"max_digits": 5, "decimal_places": 2}


class DepositRateTable(models.Model):
    """The province's deposit rates (DEP2021 art 11 ff.; domain-rules §3 "Wage guarantee deposit ratio"): a
    base of 1-3 % of the contract sum, lower after 2 clean years, exempt after 3 clean years with real-name
    management and a wage account, higher after arrears and higher still after a credit listing; small
    contracts without arrears in the prior year exempt; a cap per project. Edited by the province's admin."""

    province = models.OneToOneField(
        Region, on_delete=models.PROTECT, related_name="deposit_rates", verbose_name=_("省份")
    )
    base_rate = models.DecimalField(_("基准比例（%）"), default=Decimal("2.00"), **RATE)
    reduced_rate = models.DecimalField(_("连续2年无拖欠的下浮比例（%）"), default=Decimal("1.00"), **RATE)
    arrears_rate = models.DecimalField(_("近2年有拖欠的上浮比例（%）"), default=Decimal("2.50"), **RATE)
    listed_rate = models.DecimalField(_("近2年被列入失信名单的上浮比例（%）"), default=Decimal("3.00"), **RATE)
    cap_amount = models.DecimalField(_("单个项目存储上限（元）"), default=Decimal("5000000.00"), **MONEY)
    small_contract_limit = models.DecimalField(
        _("免存的小额合同上限（元，不含）"), default=Decimal("3000000.00"), **MONEY
    )
    clean_years_reduce = models.PositiveSmallIntegerField(_("下浮所需连续无拖欠年数"), default=2)
    clean_years_exempt = models.PositiveSmallIntegerField(_("免存所需连续无拖欠年数"), default=3)
    arrears_lookback_years = models.PositiveSmallIntegerField(_("上浮的拖欠回溯年数"), default=2)
    deposit_wd = models.PositiveSmallIntegerField(_("存储期限（工作日）"), default=20)  # row 53
    bank_pay_wd = models.PositiveSmallIntegerField(_("银行支付期限（工作日）"), default=5)  # row 54
    topup_wd = models.PositiveSmallIntegerField(_("补足期限（工作日）"), default=10)  # row 55
    return_notice_days = models.PositiveSmallIntegerField(_("返还前公示期（日）"), default=30)  # row 56
    guarantee_warn_days = models.PositiveSmallIntegerField(_("保函到期预警（日）"), default=30)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("工资保证金比例表")
        verbose_name_plural = _("工资保证金比例表")
        constraints = [
            models.CheckConstraint(condition=models.Q(base_rate__gte=1, base_rate__lte=3), name="depositrate_base_1_3"),
        ]

    def __str__(self) -> str:
        return f"{self.province.name}"


class Deposit(models.Model):
    """The general contractor's deposit for one project: what is required and why, how it is held (cash in a
    designated account, or a bank guarantee), what is left of it, and its return."""

    class Status(models.TextChoices):
        REQUIRED = "required", _("待存储")
        EXEMPT = "exempt", _("免存")
        HELD = "held", _("已存储")
        RETURN_APPLIED = "return_applied", _("已申请返还")
        NOTICED = "noticed", _("返还公示中")
        RETURNED = "returned", _("已返还")

    class Form(models.TextChoices):
        NONE = "", _("未存储")
        CASH = "cash", _("现金存储（专用账户）")
        GUARANTEE = "guarantee", _("银行保函")

    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="deposit")
    contractor = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="+", verbose_name=_("施工总承包单位")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在区划"))
    contract_sum = models.DecimalField(_("合同价（元）"), **MONEY)
    rate = models.DecimalField(_("存储比例（%）"), **RATE)
    required_amount = models.DecimalField(_("应存金额（元）"), **MONEY)
    reasons = models.JSONField(_("比例依据"), default=list)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.REQUIRED)
    registered_on = models.DateField(_("登记日期"))
    due_on = models.DateField(_("存储期限"), null=True, blank=True)
    form = models.CharField(_("存储方式"), max_length=12, choices=Form, blank=True, default=Form.NONE)
    deposited_on = models.DateField(_("存储日期"), null=True, blank=True)
    bank = models.CharField(_("存储银行/出具保函银行"), max_length=100, blank=True)
    account_no = EncryptedCharField(
        _("保证金专用账户"), max_length=40, blank=True, purpose="deposits_deposit.account_no"
    )
    guarantee_no = models.CharField(_("保函编号"), max_length=60, blank=True)
    guarantee_expires_on = models.DateField(_("保函到期日"), null=True, blank=True)
    amount = models.DecimalField(_("存储/保函金额（元）"), default=0, **MONEY)
    balance = models.DecimalField(_("可用余额（元）"), default=0, **MONEY)
    drawn_total = models.DecimalField(_("累计动用（元）"), default=0, **MONEY)
    return_applied_on = models.DateField(_("申请返还日期"), null=True, blank=True)
    notice_start = models.DateField(_("公示开始"), null=True, blank=True)
    notice_end = models.DateField(_("公示截止"), null=True, blank=True)
    returned_on = models.DateField(_("返还/解除日期"), null=True, blank=True)
    returned_amount = models.DecimalField(_("返还金额（元）"), default=0, **MONEY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("工资保证金")
        verbose_name_plural = _("工资保证金")
        indexes = [models.Index(fields=["region", "status"], name="deposit_region_status")]
        constraints = [
            models.CheckConstraint(condition=models.Q(balance__gte=0), name="deposit_balance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_status_display()}"


class DepositDraw(models.Model):
    """A drawdown (动用) of the deposit on a case whose order to pay is overdue: the notice to the bank, its
    payment, the order to top up and whether it was."""

    class Status(models.TextChoices):
        NOTIFIED = "notified", _("已通知银行支付")
        PAID = "paid", _("银行已支付，待补足")
        TOPPED_UP = "topped_up", _("已补足")
        MISSED = "missed", _("逾期未补足")

    deposit = models.ForeignKey(Deposit, on_delete=models.PROTECT, related_name="draws")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("动用金额（元）"), **MONEY)
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.NOTIFIED)
    notice = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+", verbose_name=_("支付通知书"))
    bank_due = models.DateField(_("银行支付期限"))
    paid_on = models.DateField(_("银行支付日期"), null=True, blank=True)
    topup_order = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("补足通知书")
    )
    topup_due = models.DateField(_("补足期限"), null=True, blank=True)
    topped_up_on = models.DateField(_("补足日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("保证金动用")
        verbose_name_plural = _("保证金动用")

    def __str__(self) -> str:
        return f"{self.deposit_id} {self.amount}"


class DrawLine(models.Model):
    """What the bank pays one worker of the case (one ledger entry) from the deposit."""

    draw = models.ForeignKey(DepositDraw, on_delete=models.PROTECT, related_name="lines")
    entry = models.ForeignKey(ArrearsEntry, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    payment = models.OneToOneField(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.amount}"


class DepositDocument(models.Model):
    """A document of a deposit's return (no case): the receipt of the application, the public notice, the
    return (or release of the guarantee). Numbered per office and year (文号), rendered to PDF."""

    class Kind(models.TextChoices):
        APPLICATION = "return_application", _("工资保证金返还申请受理通知书")
        NOTICE = "return_notice", _("工资保证金返还公示")
        RETURN = "return_decision", _("工资保证金返还（保函解除）通知书")

    deposit = models.ForeignKey(Deposit, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("文书种类"), max_length=24, choices=Kind)
    number = models.CharField(_("文号"), max_length=64, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    lines = models.JSONField(_("正文"), default=list)
    file = models.FileField(upload_to="deposits/%Y/")
    sha256 = models.CharField(max_length=64)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.number


class EmergencyFund(models.Model):
    """The emergency wage fund (欠薪应急周转金) of a county-or-above government: its balance is never negative."""

    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="wage_fund", verbose_name=_("区划"))
    balance = models.DecimalField(_("余额（元）"), default=0, **MONEY)
    advanced_total = models.DecimalField(_("累计垫付（元）"), default=0, **MONEY)
    recovered_total = models.DecimalField(_("累计追回（元）"), default=0, **MONEY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("欠薪应急周转金")
        verbose_name_plural = _("欠薪应急周转金")
        constraints = [models.CheckConstraint(condition=models.Q(balance__gte=0), name="fund_balance_not_negative")]

    def __str__(self) -> str:
        return f"{self.region.name}"


class FundAdvance(models.Model):
    """An advance (垫付) of wages or living costs to the workers of a case, on the leader's approval, then
    recovered (追偿) from the employer until nothing is left."""

    class Purpose(models.TextChoices):
        WAGES = "wages", _("垫付工资")
        LIVING = "living", _("垫付基本生活费")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待负责人审批")
        REFUSED = "refused", _("不予垫付")
        PAID = "paid", _("已垫付，待追偿")
        RECOVERED = "recovered", _("已全额追回")

    fund = models.ForeignKey(EmergencyFund, on_delete=models.PROTECT, related_name="advances")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("用途"), max_length=8, choices=Purpose)
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.REQUESTED)
    amount = models.DecimalField(_("垫付金额（元）"), **MONEY)
    recovered = models.DecimalField(_("已追回（元）"), default=0, **MONEY)
    reason = models.TextField(_("理由"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    opinion = models.TextField(_("审批意见"), blank=True)
    paid_on = models.DateField(_("垫付日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("应急周转金垫付")
        verbose_name_plural = _("应急周转金垫付")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="advance_positive"),
            models.CheckConstraint(condition=models.Q(recovered__lte=models.F("amount")), name="advance_recovered_le"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.amount}"

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.recovered


class AdvanceLine(models.Model):
    """What the fund advances to one worker (one ledger entry)."""

    advance = models.ForeignKey(FundAdvance, on_delete=models.PROTECT, related_name="lines")
    entry = models.ForeignKey(ArrearsEntry, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    payment = models.OneToOneField(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.amount}"


class FundMovement(models.Model):
    """The fund's own ledger: money put in, advanced, recovered; the balance after each movement."""

    class Kind(models.TextChoices):
        ALLOCATION = "allocation", _("财政拨入")
        ADVANCE = "advance", _("垫付支出")
        RECOVERY = "recovery", _("追偿收回")

    fund = models.ForeignKey(EmergencyFund, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    balance_after = models.DecimalField(_("余额（元）"), **MONEY)
    advance = models.ForeignKey(FundAdvance, null=True, blank=True, on_delete=models.PROTECT, related_name="movements")
    on = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="fundmovement_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"
