"""What an investigation produces: records, evidence, the arrears ledger, documents and their service."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import MONEY, Case
from .parties import Party
from .regions import Region


class InvestigationRecord(models.Model):
    """询问笔录 / 现场检查笔录: an inquiry or a site inspection, by at least two inspectors."""

    class Kind(models.TextChoices):
        INQUIRY = "inquiry", _("询问笔录")
        SITE = "site_inspection", _("现场检查笔录")
        WRITTEN = "written_review", _("书面审查记录")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind)
    held_at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=200)
    subject = models.CharField(_("被询问人/检查对象"), max_length=200)
    content = models.TextField(_("内容"))
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("监察员"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_at:%Y-%m-%d}"


class Evidence(models.Model):
    """An uploaded file with its SHA-256, checked for type and size, downloadable only in scope."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    description = models.CharField(_("说明"), max_length=300)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("证据")
        verbose_name_plural = _("证据")

    def __str__(self) -> str:
        return self.original_name


class LiveEntries(models.Manager):
    """The ledger's lines that count: a line deleted (with its reason) is kept for the audit, never counted."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class ArrearsEntry(models.Model):
    """台账: what one worker is owed for one period, and what has been paid against it. A deleted line stays
    (deleted_at, deleted_by, delete_reason) for the audit: `objects` are the live lines, `with_deleted` all."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="ledger")
    worker = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("劳动者"))
    period_start = models.DateField(_("期间起"))
    period_end = models.DateField(_("期间止"))
    amount_owed = models.DecimalField(_("应付（元）"), **MONEY)
    amount_paid = models.DecimalField(_("已付（元）"), default=0, **MONEY)
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delete_reason = models.CharField(_("删除理由"), max_length=300, blank=True)

    with_deleted = models.Manager()
    objects = LiveEntries()

    class Meta:
        verbose_name = _("欠薪台账")
        verbose_name_plural = _("欠薪台账")
        # every line, deleted ones too (admin, merges of persons, related managers): readers use `objects`
        default_manager_name = "with_deleted"
        base_manager_name = "with_deleted"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "worker", "period_start"],
                condition=models.Q(deleted_at__isnull=True),
                name="arrears_worker_period",
            ),
            models.CheckConstraint(condition=models.Q(amount_owed__gt=0), name="arrears_owed_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.period_start}–{self.period_end}: {self.amount_owed}"

    @property
    def outstanding(self):
        return self.amount_owed - self.amount_paid


class Payment(models.Model):
    """A payment recorded against a ledger entry, with its proof and where the money came from."""

    class Source(models.TextChoices):
        EMPLOYER = "employer", _("单位支付")
        DEPOSIT = "deposit", _("保证金支付")
        FUND = "fund", _("应急周转金垫付")

    entry = models.ForeignKey(ArrearsEntry, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    paid_on = models.DateField(_("支付日期"))
    source = models.CharField(_("资金来源"), max_length=12, choices=Source, default=Source.EMPLOYER)
    proof = models.ForeignKey(Evidence, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive")]
        indexes = [models.Index(fields=["recorded_at"], name="payment_recorded_at")]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.amount} on {self.paid_on}"


class Document(models.Model):
    """文书: numbered per office, per year and per kind (文号), rendered to PDF, stored with its hash."""

    class Kind(models.TextChoices):
        ACCEPTANCE_NOTICE = "acceptance_notice", _("受理通知书")
        NON_ACCEPTANCE_NOTICE = "non_acceptance_notice", _("不予受理通知书")
        FILING_APPROVAL = "filing_approval", _("立案审批表")
        INQUIRY_NOTICE = "inquiry_notice", _("调查询问书")
        ORDER_TO_CORRECT = "order_to_correct", _("责令改正指令书")
        ORDER_TO_PAY = "order_to_pay", _("限期支付令")
        PRE_DECISION_NOTICE = "pre_decision_notice", _("行政处罚告知书")
        HANDLING_DECISION = "handling_decision", _("行政处理决定书")
        PENALTY_DECISION = "penalty_decision", _("行政处罚决定书")
        COMPENSATION_ORDER = "compensation_order", _("加付赔偿金决定书")
        WITHDRAWAL_DECISION = "withdrawal_decision", _("撤销立案决定书")
        REFERRAL_LETTER = "referral_letter", _("涉嫌犯罪案件移送书")
        LISTING_NOTICE = "listing_notice", _("列入失信联合惩戒名单告知书")
        LISTING_DECISION = "listing_decision", _("列入失信联合惩戒名单决定书")
        REMOVAL_DECISION = "removal_decision", _("移出失信联合惩戒名单决定书")
        SUPERVISION_NOTICE = "supervision_notice", _("督办通知书")
        ACCOUNTABILITY_DECISION = "accountability_decision", _("问责决定书")
        DEMAND_NOTICE = "demand_notice", _("催告书")
        ENFORCEMENT_APPLICATION = "enforcement_application", _("强制执行申请书")
        HEARING_NOTICE = "hearing_notice", _("听证通知书")
        DEPOSIT_DRAW_NOTICE = "deposit_draw_notice", _("农民工工资保证金支付通知书")
        DEPOSIT_TOPUP_ORDER = "deposit_topup_order", _("补足农民工工资保证金通知书")

    # A document of a case, or of a complaint before (or without) a case: the 受理通知书 / 不予受理告知书
    # the complainant receives (issue 13 item 10). At least one of the two is set.
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    complaint = models.ForeignKey(
        "Complaint", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("文书种类"), max_length=32, choices=Kind)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("制发机构"))
    year = models.PositiveSmallIntegerField()
    serial = models.PositiveIntegerField()
    number = models.CharField(_("文号"), max_length=64, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    data = models.JSONField(_("内容"), default=dict)
    file = models.FileField(upload_to="documents/%Y/")
    sha256 = models.CharField(max_length=64)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "kind", "serial"], name="document_number_unique"),
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | models.Q(complaint__isnull=False),
                name="document_case_or_complaint",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ServiceRecord(models.Model):
    """送达: how and when a document reached the party, with proof."""

    class Method(models.TextChoices):
        DIRECT = "direct", _("直接送达")
        LEFT = "left", _("留置送达")
        MAIL = "mail", _("邮寄送达")
        ELECTRONIC = "electronic", _("电子送达")
        POSTED = "posted", _("公告送达（张贴并拍照/录像）")
        ENTRUSTED = "entrusted", _("委托送达")

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="services")
    method = models.CharField(_("送达方式"), max_length=16, choices=Method)
    served_at = models.DateTimeField(_("送达时间"))
    recipient = models.CharField(_("受送达人"), max_length=200)
    proof = models.ForeignKey(Evidence, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.document_id} {self.get_method_display()} {self.served_at:%Y-%m-%d}"


class Decided(models.TextChoices):
    PENDING = "", _("待审批")
    APPROVED = "approved", _("批准")
    REFUSED = "refused", _("不批准")


class FilingProposal(models.Model):
    """立案审批表 of a proactive case: the inspector's proposal, the leader's decision, the case filed from it."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("承办机构"))
    # As cases.proactive.filing_proposal_validate returns it: origin, employer, project, workers_count, amount_owed,
    # facts.
    proposal = models.JSONField(_("立案审批表"))
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("提出时间"))
    decision = models.CharField(_("审批结果"), max_length=16, choices=Decided, blank=True)
    opinion = models.TextField(_("审批意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    case = models.OneToOneField(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="filing_proposal")

    class Meta:
        verbose_name = _("立案审批")
        verbose_name_plural = _("立案审批")

    def __str__(self) -> str:
        return f"{self.proposal.get('origin', '')} {self.proposed_at:%Y-%m-%d}"


class ExtensionRequest(models.Model):
    """延长调查期限: an assigned inspector's request (one per case: LSIR art 17) and the leader's decision."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="extension_requests")
    reason = models.TextField(_("理由"))
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"))
    decision = models.CharField(_("审批结果"), max_length=16, choices=Decided, blank=True)
    opinion = models.TextField(_("审批意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")

    def __str__(self) -> str:
        return f"{self.case_id} {self.requested_at:%Y-%m-%d}"
