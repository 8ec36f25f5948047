"""Referrals of wage claims to the labour-dispute arbitration commission (劳动人事争议仲裁委员会) and to the
legal-aid centre (法律援助中心) of a region, their claimants, the offices' users and the province's numbers.

A referral starts from a complaint refused as a labour dispute or from a case; its timeline events are written
on that complaint's or case's chain (cases.timeline) and its clocks are cases.deadlines' (subject: the same
complaint or case; the referral keeps the ones it started)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import MONEY, Case, Complaint, Deadline, Employer, Party, Region


class Office(models.TextChoices):
    ARBITRATION = "arbitration", _("劳动人事争议仲裁委员会")
    LEGAL_AID = "legal_aid", _("法律援助中心")


class OfficeRole(models.Model):
    """A user of the arbitration commission or the legal-aid centre of a region: sees and handles the referrals
    sent to that office of that region, and no case data of the labour bureau."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_roles")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("区划"))
    office = models.CharField(_("机构"), max_length=16, choices=Office)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("仲裁委/法律援助中心岗位")
        verbose_name_plural = _("仲裁委/法律援助中心岗位")
        constraints = [models.UniqueConstraint(fields=["user", "region", "office"], name="officerole_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.region.name}{self.get_office_display()}"


class ArbitrationConfig(models.Model):
    """One row per province: the numbers of arbitration and legal aid that a province may set (the defaults are
    the national law's). The monthly minimum wage itself is the early-warning parameters' (one place)."""

    province = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("省份"),
        limit_choices_to={"level": "province"},
    )
    # LDMAL art 47: a wage claim not above 12 months of the local monthly minimum wage → final award (终局裁决)
    final_award_months = models.PositiveSmallIntegerField(_("终局裁决标准：月最低工资标准的倍数（月）"), default=12)
    # HX2019 green channel (护薪行动 / 速裁): wage arbitration decided within 30 days (a target, not a legal limit)
    green_channel_days = models.PositiveSmallIntegerField(_("绿色通道结案目标（日）"), default=30)
    # Legal Aid Law art 43: decide within 7 days of the application, appoint a lawyer within 3 days of deciding
    legal_aid_review_days = models.PositiveSmallIntegerField(_("法律援助审查决定期限（日）"), default=7)
    legal_aid_assign_days = models.PositiveSmallIntegerField(_("法律援助指派律师期限（日）"), default=3)

    class Meta:
        verbose_name = _("仲裁与法律援助参数")
        verbose_name_plural = _("仲裁与法律援助参数")
        constraints = [models.UniqueConstraint(fields=["province"], name="arbitrationconfig_province")]

    def __str__(self) -> str:
        return str(self.province)


class Referral(models.Model):
    class Status(models.TextChoices):
        REFERRED = "referred", _("已转介，待受理")
        ACCEPTED = "accepted", _("已受理")
        HEARING = "hearing", _("仲裁庭已组成，审理中")
        AWARDED = "awarded", _("已裁决")
        MEDIATED = "mediated", _("调解结案")
        WITHDRAWN = "withdrawn", _("申请人撤回")
        AID_ASSIGNED = "aid_assigned", _("已指派律师")
        AID_CLOSED = "aid_closed", _("援助结案")
        REJECTED = "rejected", _("不予受理")

    class AidOutcome(models.TextChoices):
        MEDIATED = "mediated", _("调解解决")
        ARBITRATION = "arbitration", _("经仲裁解决")
        LITIGATION = "litigation", _("经诉讼解决")
        ENDED = "ended", _("终止援助")

    number = models.CharField(_("转介编号"), max_length=40, unique=True)
    office = models.CharField(_("接收机构"), max_length=16, choices=Office)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("接收机构所在区划"))
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("投诉")
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("案件")
    )
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="+", verbose_name=_("用人单位"))
    green_channel = models.BooleanField(_("绿色通道（优先受理、优先开庭、优先裁决）"), default=True)
    facts = models.TextField(_("转介事由"))
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.REFERRED)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("转介人")
    )
    referred_at = models.DateTimeField(_("转介时间"))
    decided_at = models.DateTimeField(_("受理决定时间"), null=True, blank=True)
    reject_reason = models.TextField(_("不予受理理由"), blank=True)
    tribunal = models.CharField(_("仲裁庭组成"), max_length=200, blank=True)
    tribunal_at = models.DateTimeField(_("通知仲裁庭组成时间"), null=True, blank=True)
    green_target_at = models.DateTimeField(_("绿色通道目标结案日期"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    result_note = models.TextField(_("结果说明"), blank=True)
    # the award's final-award threshold as it stood when decided (LDMAL art 47)
    final_threshold = models.DecimalField(_("终局裁决标准（元）"), null=True, blank=True, **MONEY)
    # legal aid: the lawyer is staff-only data
    lawyer_name = models.CharField(_("承办律师"), max_length=64, blank=True)
    lawyer_firm = models.CharField(_("律师事务所"), max_length=200, blank=True)
    lawyer_licence = models.CharField(_("律师执业证号"), max_length=32, blank=True)
    aid_outcome = models.CharField(_("援助结果"), max_length=16, choices=AidOutcome, blank=True)
    amount_recovered = models.DecimalField(_("追回金额（元）"), null=True, blank=True, **MONEY)
    accept_deadline = models.ForeignKey(Deadline, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    second_deadline = models.ForeignKey(Deadline, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    award_deadline = models.ForeignKey(Deadline, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("转介")
        verbose_name_plural = _("转介")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(complaint__isnull=False) | models.Q(case__isnull=False), name="referral_has_subject"
            ),
        ]
        indexes = [models.Index(fields=["office", "region", "status"], name="referral_office_region")]

    def __str__(self) -> str:
        return self.number

    @property
    def subject(self) -> Case | Complaint:
        """The chain its events are written on and the subject of its clocks."""
        subject = self.case if self.case_id else self.complaint
        assert subject is not None  # referral_has_subject
        return subject

    @property
    def is_arbitration(self) -> bool:
        return self.office == Office.ARBITRATION

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


OPEN_STATUSES = frozenset(
    {Referral.Status.REFERRED, Referral.Status.ACCEPTED, Referral.Status.HEARING, Referral.Status.AID_ASSIGNED}
)


class Claimant(models.Model):
    """A worker of the referral and what is claimed; what the award or the legal aid obtained for them."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="claimants")
    worker = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("劳动者"))
    amount_claimed = models.DecimalField(_("请求金额（元）"), **MONEY)
    amount_awarded = models.DecimalField(_("裁决/调解金额（元）"), null=True, blank=True, **MONEY)
    final = models.BooleanField(_("终局裁决"), null=True, blank=True)

    class Meta:
        verbose_name = _("申请人")
        verbose_name_plural = _("申请人")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_claimed__gte=Decimal("0")), name="claimant_amount_ge0"),
        ]

    def __str__(self) -> str:
        return self.worker.name
