"""The joint meeting on wage protection (根治拖欠农民工工资工作领导小组/联席会议): its member departments at each
level, and what its office sends them — 督办 (supervision of a matter, with a deadline and progress reports)
and 约谈 (a summons talk, with its record and a follow-up deadline).

Housing, transport and water users keep their projects.IndustryRole (their projects, in their region and
below); the other departments — development, finance, public security, the people's government of a region
and the joint-meeting office — hold a MemberRole here. The office is also every labour-bureau leader of the
region (cases.StaffRole leader)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Region
from earlywarning.models import Signal
from projects.models import Project


class Department(models.TextChoices):
    """The member units of the joint meeting (the human-resources department leads; its office is the
    joint-meeting office) and the people's government of a region, as addressees of 督办 and 约谈."""

    HOUSING = "housing", _("住房城乡建设")
    TRANSPORT = "transport", _("交通运输")
    WATER = "water", _("水利")
    DEVELOPMENT = "development", _("发展改革")
    FINANCE = "finance", _("财政")
    POLICE = "police", _("公安")
    GOVERNMENT = "government", _("人民政府")
    OFFICE = "office", _("联席会议办公室")


# the departments whose users hold a projects.IndustryRole (their projects), not a MemberRole
INDUSTRY = frozenset({Department.HOUSING, Department.TRANSPORT, Department.WATER})
MEMBER = frozenset({Department.DEVELOPMENT, Department.FINANCE, Department.POLICE, Department.GOVERNMENT,
                    Department.OFFICE})  # fmt: skip


class MemberRole(models.Model):
    """A member department's role at a region: development, finance, public security, the government of a
    region, or the joint-meeting office (acting for the joint meeting at that level)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_roles")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("区划"))
    department = models.CharField(
        _("成员单位"), max_length=16, choices=[(d.value, d.label) for d in Department if d in MEMBER]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联席会议成员单位岗位")
        verbose_name_plural = _("联席会议成员单位岗位")
        constraints = [models.UniqueConstraint(fields=["user", "region", "department"], name="memberrole_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_department_display()} · {self.region.name}"


class JointMeetingConfig(models.Model):
    """A province's numbers for 督办 and 约谈 (no national rule: domain-rules §4.5, stored as configuration)."""

    province = models.OneToOneField(
        Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("省份"),
        limit_choices_to={"level": "province"},
    )  # fmt: skip
    matter_days = models.PositiveSmallIntegerField(_("督办办结期限（日）"), default=15)
    followup_days = models.PositiveSmallIntegerField(_("约谈后整改落实期限（日）"), default=15)

    class Meta:
        verbose_name = _("督办约谈参数")
        verbose_name_plural = _("督办约谈参数")

    def __str__(self) -> str:
        return str(self.province.name) if self.province_id else "—"


class Matter(models.Model):
    """A 督办 or 约谈 of the joint-meeting office at `office_region`, addressed to a department at a region
    (or the people's government of a lower region)."""

    class Kind(models.TextChoices):
        SUPERVISION = "supervision", _("督办")
        INTERVIEW = "interview", _("约谈")

    class Status(models.TextChoices):
        ISSUED = "issued", _("已交办")
        IN_PROGRESS = "in_progress", _("办理中")
        OVERDUE = "overdue", _("已超期")
        CLOSED = "closed", _("已办结")

    kind = models.CharField(_("类别"), max_length=12, choices=Kind)
    office_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("交办层级"))
    subject = models.CharField(_("事项"), max_length=200)
    description = models.TextField(_("具体要求"), blank=True)
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("关联项目")
    )
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("关联案件"))  # fmt: skip
    signal = models.ForeignKey(
        Signal, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("关联预警")
    )
    addressee_department = models.CharField(_("承办单位"), max_length=16, choices=Department)
    addressee_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("承办单位所在区划"))  # fmt: skip
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.ISSUED)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("交办时间"))
    due_at = models.DateTimeField(_("办结期限"))
    last_report_at = models.DateTimeField(_("最近报告时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result = models.TextField(_("办结情况"), blank=True)

    class Meta:
        verbose_name = _("督办约谈事项")
        verbose_name_plural = _("督办约谈事项")
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["addressee_region", "addressee_department"], name="matter_addressee"),
            models.Index(fields=["office_region", "status"], name="matter_office_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.subject}"

    @property
    def addressee(self) -> str:
        return f"{self.addressee_region.name}{self.get_addressee_department_display()}"


class MatterReport(models.Model):
    """A progress report (进展报告) by a user of the addressee."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("报告时间"))
    text = models.TextField(_("进展情况"))
    completed = models.BooleanField(_("报告已办结"), default=False)

    class Meta:
        ordering = ["reported_at", "id"]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.reported_at:%Y-%m-%d}"


class Interview(models.Model):
    """The record of a 约谈: when, who attended, what was committed, and by when it must be done."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="interviews")
    held_on = models.DateField(_("约谈日期"))
    attendees = models.TextField(_("参加人员"))
    commitments = models.TextField(_("整改承诺"))
    followup_due_at = models.DateTimeField(_("整改落实期限"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.held_on:%Y-%m-%d}"


class PoliceReceipt(models.Model):
    """The police's acknowledgement of receipt of a criminal referral (签收), by a public-security user."""

    referral = models.OneToOneField("cases.Referral", on_delete=models.CASCADE, related_name="police_receipt")
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(_("签收时间"))
    within_clock = models.BooleanField(_("在立案审查期限内签收"))
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("移送签收")
        verbose_name_plural = _("移送签收")

    def __str__(self) -> str:
        return f"{self.referral_id} {self.acknowledged_at:%Y-%m-%d %H:%M}"
