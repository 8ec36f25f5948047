"""强制执行: what happened after a decision went unpaid or an order to correct came due (one row per case).

The facts the closure rests on: the demand notice (催告书) and its service, whether the party's remedies
(行政复议 / 行政诉讼) ran out unused or upheld the decision, the application to the court and its outcome, the
penalty executed, the transfer to the police accepted, and — for an order to correct — whether it was
corrected. Written by cases.enforcement only."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case
from .investigation import Document


class Enforcement(models.Model):
    class Remedies(models.TextChoices):
        EXPIRED = "expired", _("复议、诉讼期限届满，当事人未申请复议或提起诉讼")
        UPHELD = "upheld", _("经行政复议或行政诉讼，决定被维持")

    class CourtOutcome(models.TextChoices):
        ACCEPTED = "accepted", _("人民法院已受理")
        ENFORCED = "enforced", _("人民法院已强制执行")
        REFUSED = "refused", _("人民法院不予受理或裁定不准予执行")

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="enforcement")
    demand = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("催告书")
    )
    demand_served_at = models.DateTimeField(_("催告书送达时间"), null=True, blank=True)
    remedies = models.CharField(_("复议、诉讼情况"), max_length=16, choices=Remedies, blank=True)
    application = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("强制执行申请书")
    )
    applied_at = models.DateTimeField(_("申请强制执行时间"), null=True, blank=True)
    court_outcome = models.CharField(_("法院处理结果"), max_length=16, choices=CourtOutcome, blank=True)
    court_outcome_at = models.DateTimeField(_("法院处理结果登记时间"), null=True, blank=True)
    penalty_executed_at = models.DateTimeField(_("处罚决定执行完毕时间"), null=True, blank=True)
    transferred_at = models.DateTimeField(_("移送公安机关并被立案时间"), null=True, blank=True)
    corrected = models.BooleanField(_("已按责令改正指令改正"), null=True, blank=True)
    corrected_at = models.DateTimeField(_("整改核查时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("强制执行")
        verbose_name_plural = _("强制执行")

    def __str__(self) -> str:
        return f"{self.case_id}"
