"""The liable units of a case (责任单位): the direct employer and, where the law makes them liable, the
general contractor (WPR art. 30 先行清偿; art. 36 illegal subcontracting), the construction unit (labour costs
not paid in, WPR art. 29) or a subcontracting unit. Orders and listings can be addressed to one of them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case
from .parties import Employer


class LiableRole(models.TextChoices):
    DIRECT_EMPLOYER = "direct", _("直接用工单位")
    GENERAL_CONTRACTOR = "general", _("施工总承包单位")
    CONSTRUCTION_UNIT = "construction", _("建设单位")
    SUBCONTRACTING_UNIT = "subcontracting", _("分包单位")


class LiableBasis(models.TextChoices):
    EMPLOYER = "wpr_3", _("《保障农民工工资支付条例》第三条（用人单位支付工资）")
    WPR_29 = "wpr_29", _("《保障农民工工资支付条例》第二十九条（建设单位未按约定拨付人工费用）")
    WPR_30 = "wpr_30", _("《保障农民工工资支付条例》第三十条（施工总承包单位先行清偿）")
    WPR_36 = "wpr_36", _("《保障农民工工资支付条例》第三十六条（违法分包、转包）")


class CaseLiableUnit(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="liable_units")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任单位"))
    role = models.CharField(_("责任角色"), max_length=16, choices=LiableRole)
    basis = models.CharField(_("法律依据"), max_length=16, choices=LiableBasis)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("案件责任单位")
        verbose_name_plural = _("案件责任单位")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "employer", "role"], name="caseliableunit_unique")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.employer.name}"
