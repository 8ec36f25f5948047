"""The yearly assessment (考核) of local governments' wage-payment work and the circulars (通报) drawn from it.

- `AssessmentConfig`: one row per province — the weight of each indicator and the grade boundaries.
- `Assessment`: one region (the province or a city) assessing the regions one level below it for a year;
  computed (draft) → reviewed → final.
- `Score`: one figure of one assessed region — the numerator and denominator counted from the system's data
  (kept as computed) and, when the leader adjusted it, the adjusted numbers and the reason.
- `Grade`: each assessed region's total and grade (A/B/C), and the accountability a grade C opened.
- `Circular`: the 通报 of the results, drafted from the scores, edited and published by the leader.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accountability.models import Accountability
from cases.models import Region

POINTS: dict[str, Any] = {"max_digits": 6, "decimal_places": 2}
FIGURE: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}


class AssessmentConfig(models.Model):
    """The assessment numbers of one province. The national and Jiangxi assessment rules leave the weights to
    the assessing government: every weight below is our default. The C boundary (below 70 points) follows a
    published provincial example; the A boundary (90 points) is our default."""

    province = models.OneToOneField(
        Region,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("省份"),
        limit_choices_to={"level": "province"},
    )
    weight_complaints = models.PositiveSmallIntegerField(_("权重：投诉按期受理率（分）"), default=15)
    weight_cases = models.PositiveSmallIntegerField(_("权重：案件按期办结率（分）"), default=20)
    weight_wages = models.PositiveSmallIntegerField(_("权重：欠薪追回率（分）"), default=20)
    weight_real_name = models.PositiveSmallIntegerField(_("权重：实名制管理覆盖率（分）"), default=10)
    weight_account = models.PositiveSmallIntegerField(_("权重：工资专用账户覆盖率（分）"), default=10)
    weight_deposit = models.PositiveSmallIntegerField(_("权重：工资保证金覆盖率（分）"), default=10)
    weight_incidents = models.PositiveSmallIntegerField(_("权重：重大欠薪事件（分）"), default=10)
    weight_supervision = models.PositiveSmallIntegerField(_("权重：挂牌督办按期办结率（分）"), default=5)
    incident_deduction = models.DecimalField(_("每起重大欠薪事件扣分"), default=Decimal("5"), **POINTS)
    grade_a_min = models.DecimalField(_("A级最低分"), default=Decimal("90"), **POINTS)
    grade_b_min = models.DecimalField(_("B级最低分（低于此分为C级）"), default=Decimal("70"), **POINTS)

    class Meta:
        verbose_name = _("考核参数")
        verbose_name_plural = _("考核参数")

    def __str__(self) -> str:
        return str(self.province)

    def clean(self) -> None:
        if sum(self.weights().values()) != 100:
            raise ValidationError({"weight_complaints": [_("各项指标权重之和须为100分。")]})
        if not (0 < self.grade_b_min < self.grade_a_min <= 100):
            raise ValidationError({"grade_a_min": [_("须满足：0 < B级最低分 < A级最低分 ≤ 100。")]})

    def weights(self) -> dict[str, int]:
        """The weight of each indicator (assessment.indicators' keys)."""
        return {
            "complaints": self.weight_complaints,
            "cases": self.weight_cases,
            "wages": self.weight_wages,
            "real_name": self.weight_real_name,
            "account": self.weight_account,
            "deposit": self.weight_deposit,
            "incidents": self.weight_incidents,
            "supervision": self.weight_supervision,
        }


class Assessment(models.Model):
    class Status(models.TextChoices):
        COMPUTED = "computed", _("已测算（草稿）")
        REVIEWED = "reviewed", _("已复核")
        FINAL = "final", _("已定等")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("考核机构"))
    year = models.PositiveSmallIntegerField(_("考核年度"))
    status = models.CharField(_("状态"), max_length=10, choices=Status, default=Status.COMPUTED)
    # the numbers it was computed with (a later change of the settings does not move a final result)
    config = models.JSONField(_("考核参数"), default=dict)
    computed_at = models.DateTimeField(_("测算时间"))
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("定等时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="assessment_region_year")]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("被考核地区"))
    indicator = models.CharField(_("指标"), max_length=16)
    numerator = models.DecimalField(_("分子"), **FIGURE)
    denominator = models.DecimalField(_("分母"), null=True, blank=True, **FIGURE)
    computed_numerator = models.DecimalField(_("系统测算分子"), **FIGURE)
    computed_denominator = models.DecimalField(_("系统测算分母"), null=True, blank=True, **FIGURE)
    points = models.DecimalField(_("得分"), **POINTS)
    adjust_reason = models.TextField(_("调整理由"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "region", "indicator"], name="score_assessment_region_ind")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.indicator}"

    @property
    def adjusted(self) -> bool:
        return bool(self.adjust_reason)


class Grade(models.Model):
    class Level(models.TextChoices):
        A = "A", _("A级（好）")
        B = "B", _("B级（较好）")
        C = "C", _("C级（差）")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="grades")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("被考核地区"))
    total = models.DecimalField(_("总分"), **POINTS)
    grade = models.CharField(_("等级"), max_length=1, choices=Level)
    accountability = models.ForeignKey(
        Accountability, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("问责")
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "region"], name="grade_assessment_region")]
        ordering = ["-total", "region__code"]

    def __str__(self) -> str:
        return f"{self.region} {self.grade}"


class Circular(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已印发")

    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="circular")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("印发机构"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    status = models.CharField(_("状态"), max_length=10, choices=Status, default=Status.DRAFT)
    drafted_at = models.DateTimeField(_("起草时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("印发时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考核通报")
        verbose_name_plural = _("考核通报")
        indexes = [models.Index(fields=["status", "-published_at"], name="circular_status_published")]

    def __str__(self) -> str:
        return self.title
