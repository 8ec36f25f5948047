"""The coverage indicators' tables: a snapshot per region and month (every region, rolled up from its
subtree), and the province's current targets."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import MONEY, Region


class CoverageSnapshot(models.Model):
    """The coverage figures of a region (its whole subtree) in a month, as `indicators.compute` counts them.
    `counts`: figure key (projects.coverage.FIGURES) → number of projects. Refreshed nightly and on demand."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("年月"))
    counts = models.JSONField(default=dict)
    wages_due = models.DecimalField(_("工资表实发金额"), default=0, **MONEY)
    wages_paid = models.DecimalField(_("已支付金额"), default=0, **MONEY)
    refreshed_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("覆盖率月度快照")
        verbose_name_plural = _("覆盖率月度快照")
        constraints = [models.UniqueConstraint(fields=["region", "month"], name="coverage_region_month")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.month:%Y-%m}"


class CoverageTarget(models.Model):
    """A province's targets (%) from a year on (until a later row): the plan's are 80 % by end-2017, 90 % by
    end-2018, all projects from 2019 (indicators.targets.PLAN); a row here replaces them for its province."""

    province = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("省份"),
        limit_choices_to={"level": "province"},
    )
    year = models.PositiveSmallIntegerField(_("起始年度"))
    real_name = models.DecimalField(_("实名制管理目标（%）"), max_digits=4, decimal_places=1)
    account = models.DecimalField(_("工资专用账户目标（%）"), max_digits=4, decimal_places=1)
    on_behalf = models.DecimalField(_("总包代发目标（%）"), max_digits=4, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("覆盖率目标")
        verbose_name_plural = _("覆盖率目标")
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="coveragetarget_province_year")]

    def __str__(self) -> str:
        return f"{self.province.name} {self.year}"
