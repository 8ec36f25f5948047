"""The assessment demo: 萍乡市 assesses its counties for last year (called by one line of workflows.demo.seed_demo).

The demo's cases and complaints are of this year, so last year's scores come from the projects (building in
December) and the on-site check (实地核查): the city's leader records what the check found in 湘东区 and had not
been entered in the system — complaints decided on late, cases closed late and wages left unpaid among the cases
it handled on paper before it went online, a mass incident — each a corrected figure with its reason. The figures
are reviewed and the grades made final: 湘东区 is graded C, which opens its accountability before the city; the
circular is left as a draft for the city's leader to edit and publish. Idempotent (an assessment already there
is left alone); well under a second.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cases.models import Region

from . import services
from .models import Assessment

CITY, COUNTY = "360300", "360313"
ON_SITE = [
    ("complaints", "20", "13", "实地核查：湘东区2025年纸质台账登记投诉20件，其中7件超过5个工作日才作出受理决定。"),
    ("cases", "12", "7", "实地核查：湘东区2025年线下结案12件，其中5件超过60个工作日办结且未批准延期。"),
    ("wages", "1200000", "600000", "实地核查：湘东区2025年线下办结案件应付工资120万元，实际追回60万元。"),
    ("incidents", None, "2", "实地核查：2025年8月湘东区某安置房项目发生60余人聚集讨薪事件，系统未作标记。"),
]


@transaction.atomic
def assessment_demo(*, progress: Callable[[str], object] = print, leader_username: str = "leader_360300") -> None:
    city = Region.objects.filter(code=CITY).first()
    leader = get_user_model().objects.filter(username=leader_username).first()
    if city is None or leader is None:
        return
    year = timezone.localdate().year - 1
    if Assessment.objects.filter(region=city, year=year).exists():
        return
    assessment = services.assessment_compute(region=city, year=year, actor=leader)
    for indicator, denominator, numerator, reason in ON_SITE:
        score = assessment.scores.get(region__code=COUNTY, indicator=indicator)
        services.score_adjust(score=score, numerator=numerator, denominator=denominator, reason=reason, actor=leader)
    services.assessment_review(assessment=assessment, actor=leader)
    services.assessment_finalise(assessment=assessment, actor=leader)
    grades = ", ".join(f"{g.region.name} {g.total} {g.grade}" for g in assessment.grades.select_related("region"))
    progress(f"  assessment demo: 萍乡市's counties for {year}: {grades}")
