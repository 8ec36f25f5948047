"""Precomputed dashboard figures (SPEC §7 dashboard; issue P6): per region and local day, and the
same rolled up per region and month.

Rows hold *flows* — what happened in that office on that day — so a period is a SUM over its days
(whole months from the monthly rows, the ends from the daily rows) and a subtree is a SUM over its
regions. States ("open now", "overdue now") are not stored: cases.dashboard counts them live.
cases.dashboard.stats_refresh is the only writer of both tables.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import MONEY
from .regions import Region


class StatsMeasures(models.Model):
    """What one office did in one day or month (days in Beijing time, TIME_ZONE)."""

    received = models.PositiveIntegerField(_("收到投诉"), default=0)  # complaints received (Complaint.region)
    accepted = models.PositiveIntegerField(_("受理立案"), default=0)  # cases filed (受理即立案; Case.region)
    closed = models.PositiveIntegerField(_("结案"), default=0)  # cases closed (status closed)
    overdue = models.PositiveIntegerField(_("超期"), default=0)  # deadlines that became overdue (Deadline.region)
    amount_owed = models.DecimalField(_("欠薪金额（元）"), default=0, **MONEY)  # of the cases filed then
    amount_recovered = models.DecimalField(_("追回金额（元）"), default=0, **MONEY)  # payments recorded then
    workers_paid = models.PositiveIntegerField(_("足额支付人数"), default=0)  # workers whose ledger became fully paid
    supervised = models.PositiveIntegerField(_("挂牌督办"), default=0)  # supervisions started (of cases handled here)
    referred = models.PositiveIntegerField(_("移送公安"), default=0)  # referrals transferred to the police
    refreshed_at = models.DateTimeField(_("更新时间"))

    class Meta:
        abstract = True


class RegionDayStats(StatsMeasures):
    # No index of its own: the unique (region, day) index leads with region_id.
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("机构")
    )
    day = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("区划日统计")
        verbose_name_plural = _("区划日统计")
        constraints = [
            # Also the index of the dashboard's ends of a period (WHERE region_id IN (...) AND day
            # BETWEEN ...) and the upsert's conflict target.
            models.UniqueConstraint(fields=["region", "day"], name="regiondaystats_region_day"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.day}"


class RegionMonthStats(StatsMeasures):
    """The sum of a month's RegionDayStats: a year at the province is ~1,300 rows, not ~40,000."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("机构")
    )
    month = models.DateField(_("月份"))  # its first day

    class Meta:
        verbose_name = _("区划月统计")
        verbose_name_plural = _("区划月统计")
        constraints = [
            # The index of the dashboard's whole months, and the upsert's conflict target.
            models.UniqueConstraint(fields=["region", "month"], name="regionmonthstats_region_month"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.month:%Y-%m}"
