"""Per-province settings (*config* in SPEC §4): thresholds and periods a province may set."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .regions import Region


class ProvinceConfig(models.Model):
    """One row per province; defaults are SPEC §4's (Jiangxi's published crime figures are unknown:
    domain-rules §3 — confirm them and tick `crime_figures_confirmed`)."""

    province = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="config", verbose_name=_("省份"))
    # 拒不支付劳动报酬罪 "数额较大" (JI2013 art 3): one worker ≥ N months and ≥ amount,
    # or ≥ M workers totalling ≥ amount
    crime_single_months = models.PositiveSmallIntegerField(_("单人欠薪月数"), default=3)
    crime_single_amount = models.DecimalField(
        _("单人欠薪金额（元）"), max_digits=14, decimal_places=2, default=Decimal("10000")
    )
    crime_group_workers = models.PositiveSmallIntegerField(_("多人欠薪人数"), default=10)
    crime_group_amount = models.DecimalField(
        _("多人欠薪累计金额（元）"), max_digits=14, decimal_places=2, default=Decimal("60000")
    )
    crime_figures_confirmed = models.BooleanField(_("数额标准已按本省高院规定确认"), default=False)
    # 挂牌督办 proposals
    supervision_min_workers = models.PositiveIntegerField(_("建议督办：人数≥"), default=100)
    supervision_min_amount = models.DecimalField(
        _("建议督办：金额≥（元）"), max_digits=14, decimal_places=2, default=Decimal("1000000")
    )
    supervision_days = models.PositiveSmallIntegerField(_("督办办结期限（日）"), default=15)
    supervision_days_complex = models.PositiveSmallIntegerField(_("复杂案件督办办结期限（日）"), default=30)
    supervision_report_wd = models.PositiveSmallIntegerField(_("督办进展报告间隔（工作日）"), default=5)
    # telling the complainants of a suspension or an extension (domain-rules §2 row 7, a provincial example)
    complainant_notice_days = models.PositiveSmallIntegerField(_("告知投诉人中止/延期调查期限（日）"), default=3)
    # credit listing and accountability
    listing_defence_wd = models.PositiveSmallIntegerField(_("失信名单陈述申辩期（工作日）"), default=5)
    # the penalty procedure (APL arts 44, 63, 64): the statement window and the hearing threshold
    penalty_statement_wd = models.PositiveSmallIntegerField(_("行政处罚陈述申辩期（工作日）"), default=3)
    hearing_threshold_unit = models.DecimalField(
        _("听证标准：对单位罚款≥（元）"), max_digits=14, decimal_places=2, default=Decimal("20000")
    )
    hearing_threshold_individual = models.DecimalField(
        _("听证标准：对个人罚款≥（元）"), max_digits=14, decimal_places=2, default=Decimal("1000")
    )
    accountability_overdue_wd = models.PositiveSmallIntegerField(_("案件超期多少工作日启动问责"), default=20)
    # 双随机一公开 (domain-rules row 61): the plan's results public within N working days of its completion;
    # a rectification order's period
    inspection_publish_wd = models.PositiveSmallIntegerField(_("双随机抽查结果公示期限（工作日）"), default=20)
    inspection_rectify_wd = models.PositiveSmallIntegerField(_("双随机抽查责令整改期限（工作日）"), default=10)

    class Meta:
        verbose_name = _("省级参数")
        verbose_name_plural = _("省级参数")

    def __str__(self) -> str:
        return str(self.province)
