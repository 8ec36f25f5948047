"""Credit listing (失信联合惩戒名单), official accountability (问责) and the publication of
major violations (重大劳动保障违法行为社会公布): SPEC §4.5. Depends on cases, never the reverse."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import MONEY, Case, Document, Employer, Region, Supervision
from cases.models.personal_fields import EncryptedCharField


class CreditListing(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("拟列入")
        NOTICED = "noticed", _("已告知，陈述申辩期")
        REVIEW = "review", _("法制审核")
        DECISION = "decision", _("待负责人决定")
        REJECTED = "rejected", _("决定不予列入")
        LISTED = "listed", _("已列入并公布")
        REMOVAL_APPLIED = "removal_applied", _("申请信用修复")
        REMOVED_EARLY = "removed_early", _("提前移出")
        EXPIRED = "expired", _("期满移出")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="listings")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="listings")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("作出决定的机构"))
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.PROPOSED)
    reasons = models.JSONField(_("列入依据"), default=list)
    amount_owed = models.DecimalField(_("拖欠金额（元）"), **MONEY)
    notice = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    removal_decision = models.ForeignKey(  # 移出决定书 of an early removal
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    defence = models.TextField(_("陈述申辩"), blank=True)
    defence_at = models.DateTimeField(null=True, blank=True)
    listed_at = models.DateTimeField(_("列入时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("期满时间"), null=True, blank=True)
    corrected_on = models.DateField(_("改正日期"), null=True, blank=True)
    removed_at = models.DateTimeField(_("移出时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("失信联合惩戒名单")
        verbose_name_plural = _("失信联合惩戒名单")
        indexes = [
            # the public list: listed entries, newest first; the expiry sweep
            models.Index(fields=["status", "-listed_at"], name="listing_status_listed"),
            models.Index(fields=["expires_at"], name="listing_expiry", condition=models.Q(status="listed")),
        ]

    def __str__(self) -> str:
        return f"{self.employer} · {self.get_status_display()}"


class ListedPerson(models.Model):
    """The legal representative or person in charge, and directly responsible persons (DL2021 art 5)."""

    listing = models.ForeignKey(CreditListing, on_delete=models.PROTECT, related_name="persons")
    name = models.CharField(_("姓名"), max_length=64)
    id_number = EncryptedCharField(_("身份证号"), max_length=18, purpose="accountability_listedperson.id_number")
    role = models.CharField(_("身份"), max_length=32)

    def __str__(self) -> str:
        return self.name


class ListingHistory(models.Model):
    """The credit list's own history (besides the case timeline)."""

    listing = models.ForeignKey(CreditListing, on_delete=models.PROTECT, related_name="history")
    at = models.DateTimeField()
    kind = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.listing_id} {self.kind}"


class RemovalApplication(models.Model):
    """信用修复: early removal ≥ 6 months after correction, with a written pledge."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        GRANTED = "granted", _("准予移出")
        REFUSED = "refused", _("不予移出")

    listing = models.ForeignKey(CreditListing, on_delete=models.PROTECT, related_name="removal_applications")
    corrected_on = models.DateField(_("改正（支付完毕）日期"))
    pledge = models.TextField(_("信用承诺书"))
    applied_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    opinion = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.listing_id} {self.status}"


class Accountability(models.Model):
    """问责: an office held to account by the superior level's leader."""

    class Trigger(models.TextChoices):
        SUPERVISION_OVERDUE = "supervision_overdue", _("挂牌督办超期")
        CASE_OVERDUE = "case_overdue", _("案件超期")
        GROUP_INCIDENT = "group_incident", _("群体性事件")
        LEADER = "leader", _("领导启动")
        ASSESSMENT = "assessment", _("年度考核评为C级")

    class Measure(models.TextChoices):
        TALK = "talk", _("约谈")
        CRITICISM = "criticism", _("通报批评")
        SELF_EXAMINATION = "self_examination", _("责令检查")
        DISCIPLINE = "discipline", _("移送纪检监察机关")
        NONE = "none", _("不予问责")

    class Status(models.TextChoices):
        OPEN = "open", _("调查核实")
        DECISION = "decision", _("待决定")
        DECIDED = "decided", _("已决定")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("被问责机构"))
    deciding_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("决定机构"))
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="accountabilities")
    supervision = models.ForeignKey(Supervision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    trigger = models.CharField(_("启动情形"), max_length=24, choices=Trigger)
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.OPEN)
    facts = models.TextField(_("核实情况"), blank=True)
    measure = models.CharField(_("问责方式"), max_length=20, choices=Measure, blank=True)
    decision = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    year = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("问责")
        verbose_name_plural = _("问责")
        indexes = [models.Index(fields=["region", "year"], name="accountability_region_year")]

    def __str__(self) -> str:
        return f"{self.region} · {self.get_trigger_display()}"


class Publication(models.Model):
    """A period's list of major violations, compiled, approved and published (PUB2016)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已公布")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("公布机构"))
    period = models.CharField(_("期次"), max_length=8)  # 2026Q3 / 2026H2
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT)
    compiled_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("重大违法行为社会公布")
        verbose_name_plural = _("重大违法行为社会公布")
        constraints = [models.UniqueConstraint(fields=["region", "period"], name="publication_region_period")]

    def __str__(self) -> str:
        return f"{self.region} {self.period}"


class PublicationEntry(models.Model):
    """The prescribed fields only (PUB2016): no personal data."""

    class Category(models.TextChoices):
        WAGE_ARREARS = (
            "wage_arrears",
            _("克扣、无故拖欠劳动者劳动报酬，数额较大的，或拒不支付劳动报酬依法移送司法机关追究刑事责任的"),
        )
        SOCIAL_IMPACT = "social_impact", _("因劳动保障违法行为造成严重不良社会影响的")
        OTHER = "other", _("其他重大劳动保障违法行为")

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="entries")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=16, choices=Category)
    employer_name = models.CharField(_("违法单位名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    legal_representative = models.CharField(_("法定代表人或负责人"), max_length=64, blank=True)
    facts = models.TextField(_("主要违法事实"))
    handling = models.TextField(_("查处情况"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["publication", "case"], name="publicationentry_unique")]

    def __str__(self) -> str:
        return self.employer_name
