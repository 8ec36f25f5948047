"""Complaints, cases, the parties of a case, office number sequences, per-case exceptions."""

from typing import TypedDict

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .parties import Employer, Party, Project
from .regions import Region


class MoneyDigits(TypedDict):
    """The digits of every amount in yuan: `models.DecimalField(..., **MONEY)`."""

    max_digits: int
    decimal_places: int


MONEY: MoneyDigits = {"max_digits": 14, "decimal_places": 2}


class Channel(models.TextChoices):
    WEB = "web", _("网上投诉")
    HOTLINE = "hotline_12333", _("12333热线")
    TRANSFER_12345 = "transfer_12345", _("12345转办")
    WALK_IN = "walk_in", _("来访")
    LETTER = "letter", _("来信")
    NATIONAL = "national_platform", _("全国根治欠薪线索反映平台")
    EARLY_WARNING = "early_warning", _("欠薪预警")
    INSPECTION = "inspection", _("日常巡查")


class Complaint(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("已接收")
        ACCEPTED = "accepted", _("已受理")
        REFUSED = "refused", _("不予受理")
        SUPPLEMENT_REQUESTED = "supplement_requested", _("待补正")
        TRANSFERRED = "transferred", _("已移送")
        INVESTIGATING = "investigating", _("调查中")
        CLOSED = "closed", _("已结案")

    receipt_no = models.CharField(_("回执号"), max_length=20, unique=True)
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel)
    complainant = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="complaints")
    # The blind index of the complainant's ID number (or phone when no ID), for the duplicate check.
    complainant_key = models.CharField(max_length=32, blank=True)
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="complaints")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="complaints")
    workers_count = models.PositiveIntegerField(_("涉及人数"))
    amount_owed = models.DecimalField(_("欠薪金额（元）"), **MONEY)
    period_start = models.DateField(_("欠薪起始"))
    period_end = models.DateField(_("欠薪截止"))
    description = models.TextField(_("情况说明"))
    status = models.CharField(_("状态"), max_length=24, choices=Status, default=Status.RECEIVED)
    received_at = models.DateTimeField(_("接收时间"))
    case = models.ForeignKey("Case", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints")
    # How the region was found: region_code, project_address, employer_address, or an intake pool.
    route_basis = models.CharField(_("管辖依据"), max_length=20, blank=True)
    possible_duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("疑似重复投诉")
    )
    stale = models.BooleanField(_("超过两年"), default=False)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    # 移送管辖: the office that sent it here (while the receiving office may dispute it; cleared on designation).
    transferred_from = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("移送机关")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("录入人"),
    )
    # Idempotency-Key of a public submission, and a hash of its body (same key + other body → refused).
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    request_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        indexes = [
            models.Index(fields=["region", "-id"], name="complaint_region_id"),
            # Duplicate check: the same complainant against the same employer within 30 days.
            models.Index(fields=["complainant_key", "employer", "received_at"], name="complaint_dup"),
            # the dashboard's day-by-day refresh (cases.dashboard.stats_refresh)
            models.Index(fields=["received_at"], name="complaint_received_at"),
        ]

    def __str__(self) -> str:
        return self.receipt_no


class Decision(models.TextChoices):
    WITHDRAW = "withdraw", _("撤销立案")
    ORDER_TO_PAY = "order_to_pay", _("责令限期支付")
    ORDER_TO_CORRECT = "order_to_correct", _("责令改正")
    PENALTY = "penalty", _("行政处罚")


class ClosureCode(models.TextChoices):
    PAID_IN_FULL = "paid_in_full", _("已全额支付")
    CORRECTED = "corrected", _("已整改")
    WITHDRAWN = "withdrawn", _("撤销立案")
    PENALTY_EXECUTED = "penalty_executed", _("处罚决定已执行")
    COURT_ENFORCEMENT = "court_enforcement", _("已申请法院强制执行")
    TRANSFERRED = "transferred", _("已移送并被受理")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    UNREACHABLE = "unreachable", _("无法联系")


class Case(models.Model):
    class Status(models.TextChoices):
        FILED = "filed", _("已立案")
        INVESTIGATING = "investigating", _("调查中")
        SUSPENDED = "suspended", _("中止调查")
        DECIDING = "deciding", _("待决定")
        ENFORCING = "enforcing", _("督促履行")
        CLOSED = "closed", _("已结案")
        WITHDRAWN = "withdrawn", _("已撤销")

    class Origin(models.TextChoices):
        COMPLAINT = "complaint", _("投诉")
        INSPECTION = "inspection", _("日常巡查")
        WRITTEN_REVIEW = "written_review", _("书面审查")
        DOUBLE_RANDOM = "double_random", _("双随机抽查")
        EARLY_WARNING = "early_warning", _("欠薪预警")

    case_no = models.CharField(_("案件编号"), max_length=32, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="cases", verbose_name=_("承办机构"))
    origin = models.CharField(_("案件来源"), max_length=16, choices=Origin, default=Origin.COMPLAINT)
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="cases")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.FILED)
    filed_at = models.DateTimeField(_("立案时间"))
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    workers_count = models.PositiveIntegerField(_("涉及人数"), default=0)
    amount_owed = models.DecimalField(_("欠薪金额（元）"), default=0, **MONEY)
    amount_paid = models.DecimalField(_("已追回金额（元）"), default=0, **MONEY)
    group_incident = models.BooleanField(_("群体性事件"), default=False)
    media_reported = models.BooleanField(_("媒体报道"), default=False)
    leader_instructed = models.BooleanField(_("领导批示"), default=False)
    government_invested = models.BooleanField(_("政府投资项目"), default=False)
    superior_supervised = models.BooleanField(_("上级督办"), default=False)
    parties: "models.ManyToManyField[Party, CaseParty]" = models.ManyToManyField(
        Party, through="CaseParty", related_name="cases"
    )
    # What the investigation decided, and how the case ended (SPEC §4.2 steps 4–5).
    decision = models.CharField(_("处理决定"), max_length=24, choices=Decision, blank=True)
    order_due = models.DateField(_("限期支付/整改期限"), null=True, blank=True)
    penalty_amount = models.DecimalField(_("罚款（元）"), null=True, blank=True, **MONEY)
    compensation_rate = models.PositiveSmallIntegerField(_("加付赔偿金比例（%）"), null=True, blank=True)
    unpaid_after_order = models.BooleanField(_("逾期未支付"), default=False)
    withdraw_reason = models.TextField(_("撤销立案理由"), blank=True)  # proposed by the inspector, for approval
    closure_code = models.CharField(_("结案方式"), max_length=24, choices=ClosureCode, blank=True)
    satisfaction = models.CharField(_("投诉人满意度回访"), max_length=16, choices=Satisfaction, blank=True)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        # Serves "cases I may see", newest first: WHERE region_id = ? / IN (...) ORDER BY id DESC.
        indexes = [
            models.Index(fields=["region", "-id"], name="case_region_id"),
            # The case list filtered by status within a region subtree (bench: 46 ms → 0.5 ms at 1M).
            models.Index(fields=["region", "status", "-id"], name="case_region_status_id"),
            # the dashboard's day-by-day refresh
            models.Index(fields=["filed_at"], name="case_filed_at"),
            models.Index(fields=["closed_at"], name="case_closed_at", condition=models.Q(closed_at__isnull=False)),
        ]
        permissions = [
            ("assist_case", _("协查（跨地区协助调查）")),
            ("supervise_case", _("督办机构查看")),
            ("read_transferred_case", _("原承办机构查看（移送后只读）")),
        ]

    def __str__(self) -> str:
        return self.case_no


class CaseParty(models.Model):
    """A person in a case: each complainant of a group case, and responsible persons."""

    class Kind(models.TextChoices):
        COMPLAINANT = "complainant", _("投诉人")
        WORKER = "worker", _("劳动者")
        RESPONSIBLE = "responsible", _("责任人")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="case_parties")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="case_roles")
    kind = models.CharField(_("身份"), max_length=16, choices=Kind)
    complaint = models.ForeignKey(Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "party", "kind"], name="caseparty_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.party_id} ({self.kind})"


class OfficeSequence(models.Model):
    """Per office, per year, per kind: the last number issued (case numbers, 文号)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=24)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "year", "kind"], name="officesequence_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class CaseUserObjectPermission(UserObjectPermissionBase):
    """Per-case exceptions granted to one user (e.g. assistance by an inspector of another region)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """Per-case exceptions granted to an office group (supervising office, previous office)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseInspector(models.Model):
    """An inspector assigned to a case (LSIR art 16: at least two per action)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="inspectors")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()
    conflict_declared = models.BooleanField(_("已声明无利害关系"), default=False)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "inspector"], condition=models.Q(active=True), name="caseinspector_active_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.inspector_id}"
