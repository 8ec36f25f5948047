"""The penalty procedure (APL arts 44–45, 61–64, 85) and what a penalty rests on: the legal bases with their
ranges (seeded by migration cases.0019), the causes of a case, the pre-decision notice's service, the party's
statements, a hearing, a waiver and the review of what the party said."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import MONEY, Case
from .investigation import Document


class LegalBasis(models.Model):
    """A provision that sets a penalty (or the extra compensation) and its range: yuan per case, yuan per worker
    concerned, or a percentage of the wages due. Seeded by the migration; the admin shows them."""

    class Measure(models.TextChoices):
        FINE = "fine", _("罚款（元）")
        PER_WORKER = "per_worker", _("罚款（元，按每名劳动者计）")
        PERCENT = "percent", _("加付赔偿金（应付金额的百分比）")

    class Party(models.TextChoices):
        ANY = "any", _("不限")
        UNIT = "unit", _("单位")
        PERSON = "person", _("单位责任人")

    code = models.CharField(_("代码"), max_length=32, unique=True)
    title = models.CharField(_("法律依据"), max_length=200)
    conduct = models.CharField(_("违法行为"), max_length=300)
    measure = models.CharField(_("处罚种类"), max_length=16, choices=Measure, default=Measure.FINE)
    party = models.CharField(_("适用对象"), max_length=8, choices=Party, default=Party.ANY)
    min_amount = models.DecimalField(_("下限"), **MONEY)
    max_amount = models.DecimalField(_("上限"), **MONEY)

    class Meta:
        verbose_name = _("处罚依据")
        verbose_name_plural = _("处罚依据")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(min_amount__lte=models.F("max_amount")), name="basis_range")
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.conduct}）"


LSIR = "《劳动保障监察条例》"
WPR = "《保障农民工工资支付条例》"


class Violation(models.TextChoices):
    """The violations a case can be about (domain-rules §3): arrears, and those of WPR arts 54–57."""

    ARREARS = "arrears", _("拖欠劳动者工资")
    PAID_IN_KIND = "paid_in_kind", _("以实物或者有价证券等形式代替货币支付工资")
    NO_LEDGER = "no_ledger", _("未编制工资支付台账并依法保存，或者未向农民工提供工资清单")
    CARDS_HELD = "cards_held", _("扣押或者变相扣押用于支付工资的银行账户所绑定的实体卡、签约手机号或者社会保障卡")
    NO_WAGE_ACCOUNT = "no_wage_account", _("未按规定开设或者使用农民工工资专用账户")
    NO_DEPOSIT = "no_deposit", _("未按规定存储工资保证金或者未提供金融机构保函")
    NO_REAL_NAME = "no_real_name", _("未实行劳动用工实名制管理")
    NO_MONTHLY_SHEET = "no_monthly_sheet", _("分包单位未按月考核农民工工作量、编制工资支付表并经农民工本人签字确认")
    NO_SUPERVISION = "no_supervision", _("施工总承包单位未对分包单位劳动用工实施监督管理")
    NO_NOTICE_BOARD = "no_notice_board", _("未在施工现场醒目位置设立维权信息告示牌")
    NO_PAYMENT_GUARANTEE = "no_payment_guarantee", _("建设单位未依法提供工程款支付担保")
    LABOUR_COST_NOT_TRANSFERRED = "labour_cost", _("建设单位未按约定及时足额向农民工工资专用账户拨付人工费用")
    RECORDS_NOT_PRODUCED = "records_withheld", _("建设单位或者施工总承包单位未按规定提供工程施工合同、专用账户有关资料")
    OBSTRUCTION = "obstruction", _("拒不履行处理决定或者阻挠、拒不配合劳动保障监察")


# violation → (the provision it breaks, as the order to correct cites it; the code of its penalty's LegalBasis)
VIOLATED: dict[str, tuple[str, str]] = {
    Violation.ARREARS: (f"{LSIR}第二十六条、{WPR}第三条", "lsir_26"),
    Violation.PAID_IN_KIND: (f"{WPR}第十二条", "wpr_54_unit"),
    Violation.NO_LEDGER: (f"{WPR}第十五条", "wpr_54_unit"),
    Violation.CARDS_HELD: (f"{WPR}第十二条", "wpr_54_unit"),
    Violation.NO_WAGE_ACCOUNT: (f"{WPR}第二十六条", "wpr_55"),
    Violation.NO_DEPOSIT: (f"{WPR}第三十二条", "wpr_55"),
    Violation.NO_REAL_NAME: (f"{WPR}第二十八条", "wpr_55"),
    Violation.NO_MONTHLY_SHEET: (f"{WPR}第三十一条", "wpr_56"),
    Violation.NO_SUPERVISION: (f"{WPR}第三十条", "wpr_56"),
    Violation.NO_NOTICE_BOARD: (f"{WPR}第三十四条", "wpr_56"),
    Violation.NO_PAYMENT_GUARANTEE: (f"{WPR}第二十四条", "wpr_57"),
    Violation.LABOUR_COST_NOT_TRANSFERRED: (f"{WPR}第二十四条", "wpr_57"),
    Violation.RECORDS_NOT_PRODUCED: (f"{WPR}第三十六条", "wpr_57"),
    Violation.OBSTRUCTION: (f"{LSIR}第十五条、第十八条", "lsir_30"),
}


class CaseCause(models.Model):
    """案由: a violation the case is about (arrears, or a WPR art 54–57 violation), with the basis of its penalty."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="causes")
    violation = models.CharField(_("违法行为"), max_length=32, choices=Violation)
    basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT, related_name="+", verbose_name=_("处罚依据"))
    note = models.TextField(_("说明"), blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("案由")
        verbose_name_plural = _("案由")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "violation"], condition=models.Q(removed_at__isnull=True), name="case_cause_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.violation}"


class PenaltyProcedure(models.Model):
    """One proposed penalty: its 行政处罚告知书, served; the statement window and, at or above the hearing
    threshold, the hearing-request window; statements, a hearing or a waiver; the review of what was said."""

    class Outcome(models.TextChoices):
        PENDING = "", _("待复核")
        ADOPTED = "adopted", _("采纳")
        PARTLY = "partly", _("部分采纳")
        NOT_ADOPTED = "not_adopted", _("不予采纳")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="penalty_procedures")
    notice = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="+", verbose_name=_("告知书"))
    basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT, related_name="+", verbose_name=_("处罚依据"))
    proposed_amount = models.DecimalField(_("拟罚款金额（元）"), **MONEY)
    workers_concerned = models.PositiveIntegerField(_("涉及劳动者人数"), default=1)
    party_is_unit = models.BooleanField(_("当事人为单位"), default=True)
    hearing_threshold = models.DecimalField(_("听证标准（元）"), **MONEY)
    hearing_right = models.BooleanField(_("有权要求听证"), default=False)
    statement_wd = models.PositiveSmallIntegerField(_("陈述申辩期（工作日）"))
    served_at = models.DateTimeField(_("告知书送达时间"), null=True, blank=True)
    statement_due = models.DateTimeField(_("陈述申辩期届满"), null=True, blank=True)
    hearing_request_due = models.DateTimeField(_("听证申请期届满"), null=True, blank=True)
    hearing_requested_on = models.DateField(_("要求听证日期"), null=True, blank=True)
    waived_on = models.DateField(_("书面放弃日期"), null=True, blank=True)
    waiver_note = models.TextField(_("放弃说明"), blank=True)
    outcome = models.CharField(_("复核结果"), max_length=16, choices=Outcome, blank=True)
    outcome_reasons = models.TextField(_("复核理由"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    decided = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("行政处罚告知程序")
        verbose_name_plural = _("行政处罚告知程序")

    def __str__(self) -> str:
        return f"{self.case_id} {self.notice_id}"


class PartyStatement(models.Model):
    """陈述、申辩: what the party said, in writing or recorded by the inspectors."""

    procedure = models.ForeignKey(PenaltyProcedure, on_delete=models.PROTECT, related_name="statements")
    text = models.TextField(_("陈述申辩内容"))
    made_on = models.DateField(_("提出日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("陈述申辩")
        verbose_name_plural = _("陈述申辩")

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.made_on}"


class Hearing(models.Model):
    """听证: its notice (served ≥7 working days before), date and place, and the record once held."""

    procedure = models.OneToOneField(PenaltyProcedure, on_delete=models.PROTECT, related_name="hearing")
    notice = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="+", verbose_name=_("听证通知书"))
    scheduled_at = models.DateTimeField(_("听证时间"))
    place = models.CharField(_("听证地点"), max_length=200)
    held_at = models.DateTimeField(_("举行时间"), null=True, blank=True)
    record = models.TextField(_("听证笔录"), blank=True)

    class Meta:
        verbose_name = _("听证")
        verbose_name_plural = _("听证")

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.scheduled_at:%Y-%m-%d}"
