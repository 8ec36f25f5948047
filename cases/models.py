"""Core domain: regions, staff roles, parties, employers, complaints, cases, the timeline.

No viewflow, no accountability imports here (layers point inward).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

MONEY = {"max_digits": 14, "decimal_places": 2}


class Region(models.Model):
    """An administrative division (GB/T 2260). `path` makes a subtree one prefix query."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("设区市")
        COUNTY = "county", _("县/市/区")

    code = models.CharField(_("区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=8, choices=Level)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # e.g. "36/3603/360302/"; db_index on a CharField also gives a LIKE index on PostgreSQL.
    path = models.CharField(_("路径"), max_length=64, db_index=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @staticmethod
    def path_segment(code: str, level: str) -> str:
        return {"province": code[:2], "city": code[:4]}.get(level, code)


class Role(models.TextChoices):
    CLERK = "clerk", _("受理员")
    INSPECTOR = "inspector", _("监察员")
    LEGAL = "legal", _("法制审核员")
    LEADER = "leader", _("负责人")
    AUDITOR = "auditor", _("审计/纪检")
    ADMIN = "admin", _("系统管理员")


class StaffRole(models.Model):
    """A role held by a user at a region: (user, region, role). A user may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="staff_roles")
    role = models.CharField(_("角色"), max_length=16, choices=Role)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        constraints = [models.UniqueConstraint(fields=["user", "region", "role"], name="staffrole_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region.name}"


class Party(models.Model):
    """A natural person: a complainant, a worker, a responsible person of an employer."""

    name = models.CharField(_("姓名"), max_length=64)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True, db_index=True)
    phone = models.CharField(_("手机号"), max_length=11, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")

    def __str__(self) -> str:
        return self.name


class Employer(models.Model):
    name = models.CharField(_("单位名称"), max_length=200)
    # Normalised name (no spaces or brackets variants) for grouping when the USCC is missing.
    name_key = models.CharField(max_length=200, db_index=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    uscc_override_reason = models.CharField(_("信用代码校验豁免理由"), max_length=200, blank=True)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("地址"), max_length=300, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("用人单位")
        verbose_name_plural = _("用人单位")

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    name = models.CharField(_("项目名称"), max_length=200)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("地址"), max_length=300, blank=True)
    general_contractor = models.CharField(_("总承包单位"), max_length=200, blank=True)
    government_invested = models.BooleanField(_("政府投资"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("工程项目")
        verbose_name_plural = _("工程项目")

    def __str__(self) -> str:
        return self.name


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

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        indexes = [models.Index(fields=["region", "-id"], name="complaint_region_id")]

    def __str__(self) -> str:
        return self.receipt_no


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
    parties = models.ManyToManyField(Party, through="CaseParty", related_name="cases")

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        # Serves "cases I may see", newest first: WHERE region_id = ? / IN (...) ORDER BY id DESC.
        indexes = [models.Index(fields=["region", "-id"], name="case_region_id")]
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


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("timeline events are append-only")

    def delete(self):
        raise TypeError("timeline events are append-only")


class TimelineEvent(models.Model):
    """One event of a case's (or, before filing, a complaint's) hash-chained timeline.

    Written only by cases.timeline.record(); never updated or deleted.
    """

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    complaint = models.ForeignKey(Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(_("序号"))
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    actor_role = models.CharField(_("角色"), max_length=16, blank=True)
    actor_region = models.CharField(_("机构"), max_length=6, blank=True)
    kind = models.CharField(_("事件"), max_length=48)
    data = models.JSONField(_("内容"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("时间线事件")
        verbose_name_plural = _("时间线事件")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False, complaint__isnull=True)
                | models.Q(case__isnull=True, complaint__isnull=False),
                name="timelineevent_one_subject",
            ),
            models.UniqueConstraint(
                fields=["case", "seq"], condition=models.Q(case__isnull=False), name="timelineevent_case_seq"
            ),
            models.UniqueConstraint(
                fields=["complaint", "seq"],
                condition=models.Q(complaint__isnull=False),
                name="timelineevent_complaint_seq",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("timeline events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("timeline events are append-only")


class ChainCheck(models.Model):
    """The result of one verification of every timeline chain (nightly Celery task or by hand)."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    chains = models.PositiveIntegerField()
    events = models.PositiveIntegerField()
    ok = models.BooleanField()
    first_broken = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M} {'OK' if self.ok else 'BROKEN'}"
