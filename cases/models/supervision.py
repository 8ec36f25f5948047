"""挂牌督办 (SPEC §4.3) and 涉嫌犯罪移送 (SPEC §4.4): the records their flows keep."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case
from .investigation import Document, Evidence
from .regions import Region

if TYPE_CHECKING:
    from .deadlines import Deadline


class Supervision(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("建议督办")
        DECLINED = "declined", _("不予督办")
        ACTIVE = "active", _("督办中")
        CLOSING = "closing", _("申请销号")
        CLOSED = "closed", _("已销号")
        OVERDUE = "overdue", _("督办超期")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="supervisions")
    supervising_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("督办机构")
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.PROPOSED)
    rule_reasons = models.JSONField(_("建议督办的情形"), default=list, blank=True)
    complex = models.BooleanField(_("复杂案件"), default=False)
    days = models.PositiveSmallIntegerField(_("办结期限（日）"), null=True, blank=True)
    report_interval_wd = models.PositiveSmallIntegerField(_("报告间隔（工作日）"), null=True, blank=True)
    notice = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requirements = models.TextField(_("督办要求"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    # Not columns: set on the rows cases.supervision.selectors.supervisions_for() returns.
    complete_deadline: "Deadline | None"
    report_deadline: "Deadline | None"

    class Meta:
        verbose_name = _("挂牌督办")
        verbose_name_plural = _("挂牌督办")
        indexes = [models.Index(fields=["supervising_region", "status"], name="supervision_region_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status__in=["proposed", "active", "closing", "overdue"]),
                name="supervision_one_open_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.get_status_display()}"


class SupervisionReport(models.Model):
    supervision = models.ForeignKey(Supervision, on_delete=models.PROTECT, related_name="reports")
    seq = models.PositiveSmallIntegerField()
    progress = models.TextField(_("进展"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    late = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["supervision", "seq"], name="supervisionreport_seq")]

    def __str__(self) -> str:
        return f"{self.supervision_id} #{self.seq}"


class Referral(models.Model):
    """涉嫌拒不支付劳动报酬犯罪案件移送 (R310; LINK2014)."""

    class Status(models.TextChoices):
        REVIEW = "review", _("法制审核")
        APPROVAL = "approval", _("负责人审批")
        NOT_APPROVED = "not_approved", _("不予批准移送")
        TRANSFER = "transfer", _("待移送公安")
        TRANSFERRED = "transferred", _("已移送，待公安决定")
        FILED = "filed", _("公安已立案")
        HANDED_OVER = "handed_over", _("已移交材料")
        NOT_FILED = "not_filed", _("公安不予立案")
        RECONSIDERATION = "reconsideration", _("已申请复议")
        SUPERVISION_REQUESTED = "supervision_requested", _("已提请检察监督")
        CONCLUDED = "concluded", _("已办结")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(_("状态"), max_length=24, choices=Status, default=Status.REVIEW)
    eligibility = models.JSONField(_("移送条件"), default=dict)
    package = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    approved_at = models.DateTimeField(null=True, blank=True)
    police = models.CharField(_("接收公安机关"), max_length=100, blank=True)
    procuratorate = models.CharField(_("抄送检察院"), max_length=100, blank=True)
    transferred_at = models.DateTimeField(null=True, blank=True)
    police_decision = models.CharField(_("公安决定"), max_length=16, blank=True)
    police_decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(_("起诉、审判结果"), blank=True)

    class Meta:
        verbose_name = _("涉嫌犯罪移送")
        verbose_name_plural = _("涉嫌犯罪移送")

    def __str__(self) -> str:
        return f"{self.case_id} · {self.get_status_display()}"


class CrimeGround(models.Model):
    """涉嫌拒不支付劳动报酬罪的情形 (CL 276-1), recorded with its evidence before a referral may be proposed:
    flight / concealment of assets ("flight") or able to pay and not paying ("refusal").

    Written by cases.referral.referral_grounds_record() together with its "case.crime_ground_recorded"
    timeline event (the audit trail); referral eligibility reads this table. `evidence_sha256` is the
    evidence's hash when the ground was recorded: a ground whose evidence no longer matches does not count."""

    class Ground(models.TextChoices):
        FLIGHT = "flight", _("逃匿、隐匿财产等方法逃避支付")
        REFUSAL = "refusal", _("有能力支付而不支付")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="crime_grounds")
    ground = models.CharField(_("情形"), max_length=16, choices=Ground)
    evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("证据")
    )
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    description = models.CharField(_("证据说明"), max_length=300, blank=True)
    note = models.TextField(_("备注"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("涉嫌犯罪情形")
        verbose_name_plural = _("涉嫌犯罪情形")
        indexes = [models.Index(fields=["case", "recorded_at"], name="crimeground_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.get_ground_display()}"
