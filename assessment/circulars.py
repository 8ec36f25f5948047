"""The text of a circular (通报) drawn from a final assessment's results: the grades, the regions commended
(A) and those held to account (C), the weakest indicator of each. An editable draft."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .indicators import INDICATORS
from .models import Assessment, Grade


def circular_text(assessment: Assessment) -> tuple[str, str]:
    grades = list(assessment.grades.select_related("region").order_by("-total", "region__code"))
    weights = assessment.config["weights"]
    order = list(INDICATORS)
    lost: dict[int, list[tuple[float, int, str]]] = {}
    for score in assessment.scores.all():
        gap = weights[score.indicator] - float(score.points)
        if gap > 0:
            label = f"{INDICATORS[score.indicator].label}（{score.points}/{weights[score.indicator]}）"
            lost.setdefault(score.region_id, []).append((-gap, order.index(score.indicator), label))
    # the indicators where most points were lost first (a tie: in the sheet's order)
    shortfall = {rid: [label for *_key, label in sorted(items)] for rid, items in lost.items()}
    by = {level: [g for g in grades if g.grade == level] for level in Grade.Level.values}
    office = assessment.region.name
    title = _("%(office)s关于%(year)d年度保障农民工工资支付工作考核结果的通报") % {
        "office": office,
        "year": assessment.year,
    }
    lines = [
        _(
            "根据保障农民工工资支付工作考核办法，%(office)s对所辖%(count)d个地区%(year)d年度保障农民工工资支付工作进行了考核。"
            "考核依据本系统记录的投诉受理、案件办结、欠薪追回、实名制管理、工资专用账户、工资保证金、重大欠薪事件和挂牌督办办理情况测算，"
            "经复核定等。现将结果通报如下："
        )
        % {"office": office, "count": len(grades), "year": assessment.year},
        "",
        _("一、考核结果"),
    ]
    for i, g in enumerate(grades, 1):
        lines.append(
            _("%(n)d. %(region)s：%(total)s分，%(grade)s")
            % {"n": i, "region": g.region.name, "total": g.total, "grade": g.get_grade_display()}
        )
    lines += ["", _("二、有关要求")]
    if by["A"]:
        lines.append(_("对考核为A级的%(names)s予以通报表扬。") % {"names": "、".join(g.region.name for g in by["A"])})
    for g in by["C"]:
        weak = "；".join(shortfall.get(g.region_id, [])) or _("无")
        lines.append(
            _(
                "%(region)s考核为C级，主要失分指标：%(weak)s。依照考核办法启动问责，约谈其政府有关负责人，限期整改，"
                "并于一个月内书面报告整改情况。"
            )
            % {"region": g.region.name, "weak": weak}
        )
    lines.append(_("各地要对照考核发现的问题认真整改，切实保障农民工工资支付。"))
    return title, "\n".join(lines)
