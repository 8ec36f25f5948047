"""People and organisations: parties, employers, projects."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .personal_fields import BlindIndexField, EncryptedCharField, PersonalDataModel
from .regions import Region


class Party(PersonalDataModel):
    """A natural person: a complainant, a worker, a responsible person of an employer.

    The ID number and phone are encrypted at rest (docs/personal-data.md); exact-match look-ups go
    through their blind indexes: Party.objects.matching(id_number=..., phone=...)."""

    name = models.CharField(_("姓名"), max_length=64)
    id_number = EncryptedCharField(_("身份证号"), max_length=18, blank=True, purpose="cases_party.id_number")
    phone = EncryptedCharField(_("手机号"), max_length=11, blank=True, purpose="cases_party.phone")
    # intake's find-or-create, the ledger's same-person check, the case search by ID number / phone
    id_number_index = BlindIndexField(source="id_number", kind="id", db_index=True)
    phone_index = BlindIndexField(source="phone", kind="phone", db_index=True)
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
        # intake's find-or-create by name within the region (bench: 1 s cold at 595k projects without it)
        indexes = [models.Index(fields=["region", "name"], name="project_region_name")]

    def __str__(self) -> str:
        return self.name
