"""People and organisations: parties, employers, projects."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..industries import Industry
from .personal_fields import BlindIndexField, EncryptedCharField, PersonalDataModel
from .regions import Region


class Party(PersonalDataModel):
    """A natural person: a complainant, a worker, a responsible person of an employer.

    The ID number and phone are encrypted at rest (docs/personal-data.md); exact-match look-ups go
    through their blind indexes: Party.objects.matching(id_number=..., phone=...)."""

    name = models.CharField(_("姓名"), max_length=64)
    id_number = EncryptedCharField(_("身份证号"), max_length=18, blank=True, purpose="cases_party.id_number")
    phone = EncryptedCharField(_("手机号"), max_length=11, blank=True, purpose="cases_party.phone")
    # intake's find-or-create, the ledger's same-person check, the case search by ID number / phone: exact
    # matches only, so plain B-tree indexes (Meta.indexes); db_index=True would add on PostgreSQL a second,
    # never used varchar_pattern_ops ("_like") index beside each, written for every new person. The ID
    # number's carries the id: "the oldest record of this number" (ORDER BY id LIMIT 1, the rosters'
    # person_for) is one probe even for a new number, where PostgreSQL otherwise walks the primary key
    id_number_index = BlindIndexField(source="id_number", kind="id")
    phone_index = BlindIndexField(source="phone", kind="phone")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        indexes = [
            models.Index(fields=["id_number_index", "id"], name="party_id_number_index"),
            models.Index(fields=["phone_index"], name="party_phone_index"),
        ]

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
    # GB/T 4754 section (cases.industries.Industry); blank when not classified yet
    industry = models.CharField(_("行业门类"), max_length=1, choices=Industry, blank=True)
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
    # the construction-project registry's number (项目编号), when a complaint gives it
    project_no = models.CharField(_("项目编号"), max_length=40, blank=True, db_index=True)
    general_contractor = models.CharField(_("总承包单位"), max_length=200, blank=True)
    government_invested = models.BooleanField(_("政府投资"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("工程项目")
        verbose_name_plural = _("工程项目")
        # intake's find-or-create by name within the region (bench: 1 s cold at 595k projects without it)
        indexes = [models.Index(fields=["region", "name"], name="project_region_name")]

    def __str__(self) -> str:
        return self.name


CORRECTABLE_FIELDS = ("uscc", "name", "legal_representative", "address")  # what employer_correct may change


class EmployerChange(models.Model):
    """What was corrected on an employer's record (one row per field), or which case was moved onto or
    off it (replacement): the employer page's history. The same facts are events on each case's timeline."""

    class Kind(models.TextChoices):
        CORRECTED = "corrected", _("更正信息")
        REPLACED = "replaced", _("更换案件用人单位")

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(_("类别"), max_length=16, choices=Kind)
    field = models.CharField(_("更正项目"), max_length=32, blank=True)
    old_value = models.CharField(_("原内容"), max_length=300, blank=True)
    new_value = models.CharField(_("新内容"), max_length=300, blank=True)
    # replacement: the case, and the employer it was moved from (employer = the one it was moved to)
    case = models.ForeignKey("Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    previous_employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_changes"
    )
    reason = models.TextField(_("理由"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("用人单位信息变更")
        verbose_name_plural = _("用人单位信息变更")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.kind} {self.field}"

    @property
    def field_label(self) -> str:
        """The corrected field as people name it."""
        if self.field not in CORRECTABLE_FIELDS:
            return ""
        return str(getattr(Employer._meta.get_field(self.field), "verbose_name", self.field))


class PersonMerge(models.Model):
    """One duplicate person record merged into the record kept (same resident ID number)."""

    kept = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="merges")
    merged_party_id = models.PositiveIntegerField(_("被合并记录编号"))
    merged_name = models.CharField(_("被合并记录姓名"), max_length=64)
    moved = models.JSONField(_("转移的关联记录"), default=dict)
    reason = models.TextField(_("理由"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("当事人记录合并")
        verbose_name_plural = _("当事人记录合并")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.merged_party_id} → {self.kept_id}"
