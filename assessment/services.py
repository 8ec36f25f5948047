"""The assessment's services: compute (测算), adjust a figure (调整), review (复核), finalise (定等) — a grade C
opens an accountability of the region through accountability's own opening (and so its flow) — and the
circular (通报): drafted from the results, edited and published by the leader.

Every change is one event on the assessing region's timeline (cases.timeline), "assessment.*".
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.accountability import accountability_open_for_region
from accountability.models import Accountability
from cases import timeline
from cases.actors import Actor
from cases.models import Region, Role
from cases.transitions import transition
from cases.tx import one_transaction
from cases.values import in_office_language, required_text

from . import scope
from .circulars import circular_text
from .config import config_for, config_snapshot
from .indicators import INDICATORS, grade_for, points
from .models import Assessment, Circular, Grade, Score

S = Assessment.Status


def _check_leader(actor: Actor, region: Region) -> None:
    if not scope.may_assess(actor, region):
        raise PermissionDenied(_("只有本级负责人可以办理考核。"))


def _regrade(assessment: Assessment, region_ids: list[int] | None = None) -> None:
    """Each assessed region's total (the sum of its points) and grade from the assessment's boundaries: one read
    of the scores, one bulk insert and one bulk update of the grades."""
    totals: dict[int, Decimal] = {}
    scores = assessment.scores.all()
    if region_ids is not None:
        scores = scores.filter(region_id__in=region_ids)
    for region_id, pts in scores.values_list("region_id", "points"):
        totals[region_id] = totals.get(region_id, Decimal(0)) + pts
    existing = {g.region_id: g for g in assessment.grades.filter(region_id__in=list(totals))}
    new: list[Grade] = []
    changed: list[Grade] = []
    for region_id, total in totals.items():
        grade = existing.get(region_id) or Grade(assessment=assessment, region_id=region_id)
        grade.total, grade.grade = total, grade_for(total, assessment.config)
        (changed if grade.pk else new).append(grade)
    Grade.objects.bulk_create(new)
    Grade.objects.bulk_update(changed, ["total", "grade"])


@one_transaction
def assessment_compute(*, region: Region, year: int, actor: Actor) -> Assessment:
    """Count every indicator for the regions one level below `region` for `year` (one query per indicator for
    all of them) and store each figure with its numerator and denominator. A second run, while the assessment
    is still a draft, counts again; a figure the leader adjusted keeps its adjusted numbers."""
    _check_leader(actor, region)
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not 2017 <= year <= this_year:
        raise ValidationError({"year": [_("考核年度须在2017年至%(year)d年之间。") % {"year": this_year}]})
    children = list(Region.objects.filter(parent=region).order_by("code"))
    if not children:
        raise ValidationError({"region": [_("本级没有下级地区，无可考核对象。")]})
    if actor is None:
        raise PermissionDenied
    now = timezone.now()
    config = config_snapshot(config_for(region))
    assessment = Assessment.objects.filter(region=region, year=year).first()
    if assessment is None:
        assessment = Assessment.objects.create(
            region=region, year=year, config=config, computed_at=now, computed_by=actor
        )
    else:
        with transition(assessment, expect=[S.COMPUTED], event="assessment.recomputed", actor=actor,
                        role=Role.LEADER, subject=region, error_field="year",
                        message=_("该年度考核已复核或定等，不能重新测算。")) as step:  # fmt: skip
            step.set(config=config, computed_at=now, computed_by=actor)
            step.data.update({"assessment": assessment.pk, "year": year})
    existing = {(s.region_id, s.indicator): s for s in assessment.scores.all()}
    new: list[Score] = []
    for indicator in INDICATORS.values():
        counts = indicator.count(region, children, year)
        for child in children:
            num, den = counts[child.pk]
            score = existing.get((child.pk, indicator.key))
            if score is None:
                score = Score(assessment=assessment, region=child, indicator=indicator.key)
                new.append(score)
            score.computed_numerator, score.computed_denominator = num, den
            if not score.adjusted:
                score.numerator, score.denominator = num, den
            score.points = points(indicator, score.numerator, score.denominator, config)
    Score.objects.bulk_create(new)
    fields = ["numerator", "denominator", "computed_numerator", "computed_denominator", "points"]
    Score.objects.bulk_update(list(existing.values()), fields)
    _regrade(assessment)
    if len(existing) == 0:
        timeline.record(
            region, "assessment.computed", actor=actor, role=Role.LEADER,
            data={"assessment": assessment.pk, "year": year, "regions": [c.code for c in children]},
        )  # fmt: skip
    return assessment


def _number(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: [_("请填写数字。")]}) from None
    if not number.is_finite() or number < 0 or number >= Decimal("1e14"):
        raise ValidationError({field: [_("请填写不小于0的数字。")]})
    return number.quantize(Decimal("0.01"))


@one_transaction
def score_adjust(*, score: Score, numerator, denominator, reason: str, actor: Actor) -> Score:
    """The leader corrects a figure of a draft assessment (e.g. after the on-site check), with a reason: the
    computed numbers stay beside it, the points and the region's grade follow, one event records both."""
    assessment = score.assessment
    _check_leader(actor, assessment.region)
    indicator = INDICATORS[score.indicator]
    reason = required_text(reason, field="reason", label=_("调整理由"), limit=500)
    num = _number(numerator, "numerator")
    den = None
    if indicator.denominator_label is not None:
        den = _number(denominator, "denominator")
        if num > den:
            raise ValidationError({"numerator": [_("分子不能大于分母。")]})
    with transition(assessment, expect=[S.COMPUTED], event="assessment.figure_adjusted", actor=actor,
                    role=Role.LEADER, subject=assessment.region, error_field="reason",
                    message=_("考核已复核或定等，不能再调整数据。")) as step:  # fmt: skip
        old = [str(score.numerator), str(score.denominator) if score.denominator is not None else None]
        score.numerator, score.denominator, score.adjust_reason = num, den, reason
        score.points = points(indicator, num, den, assessment.config)
        score.save(update_fields=["numerator", "denominator", "adjust_reason", "points"])
        _regrade(assessment, [score.region_id])
        step.data.update({
            "assessment": assessment.pk, "region": score.region.code, "indicator": score.indicator,
            "from": old, "to": [str(num), str(den) if den is not None else None], "reason": reason,
        })  # fmt: skip
    return score


@one_transaction
def assessment_review(*, assessment: Assessment, actor: Actor) -> Assessment:
    """复核: the leader confirms the figures (no more adjustments)."""
    _check_leader(actor, assessment.region)
    with transition(assessment, expect=[S.COMPUTED], event="assessment.reviewed", actor=actor, role=Role.LEADER,
                    subject=assessment.region) as step:  # fmt: skip
        step.to(S.REVIEWED, reviewed_at=timezone.now())
        step.data["assessment"] = assessment.pk
    return assessment


def _c_reason(assessment: Assessment, grade: Grade) -> str:
    return _("%(year)d年度保障农民工工资支付工作考核得分%(total)s分，评为C级") % {
        "year": assessment.year,
        "total": grade.total,
    }


@one_transaction
def assessment_finalise(*, assessment: Assessment, actor: Actor) -> Assessment:
    """定等: the grades are final; each region graded C is held to account by the assessing region (an
    accountability opened through accountability's own service, which starts its flow); the circular is drafted."""
    _check_leader(actor, assessment.region)
    with transition(assessment, expect=[S.REVIEWED], event="assessment.finalised", actor=actor, role=Role.LEADER,
                    subject=assessment.region) as step:  # fmt: skip
        step.to(S.FINAL, finalised_at=timezone.now())
        grades = list(assessment.grades.select_related("region"))
        step.data.update({"assessment": assessment.pk, "grades": {g.region.code: g.grade for g in grades}})
    for grade in grades:
        if grade.grade == Grade.Level.C:
            reason = in_office_language(partial(_c_reason, assessment, grade))
            grade.accountability = accountability_open_for_region(
                region=grade.region, deciding_region=assessment.region, trigger=Accountability.Trigger.ASSESSMENT,
                actor=actor, role=Role.LEADER, reason=reason, year=assessment.year,
            )  # fmt: skip
            grade.save(update_fields=["accountability"])
    circular_draft(assessment=assessment, actor=actor)
    return assessment


@one_transaction
def circular_draft(*, assessment: Assessment, actor: Actor) -> Circular:
    """The circular's text generated from the final results (an editable draft)."""
    title, body = in_office_language(lambda: circular_text(assessment))
    circular = Circular.objects.create(
        assessment=assessment, region=assessment.region, title=title, body=body, drafted_at=timezone.now()
    )
    timeline.record(assessment.region, "assessment.circular_drafted", actor=actor, role=Role.LEADER,
                    data={"circular": circular.pk, "title": title})  # fmt: skip
    return circular


@one_transaction
def circular_edit(*, circular: Circular, title: str, body: str, actor: Actor) -> Circular:
    _check_leader(actor, circular.region)
    title = required_text(title, field="title", label=_("标题"), limit=200)
    body = required_text(body, field="body", label=_("正文"), limit=20000)
    with transition(circular, expect=[Circular.Status.DRAFT], event="assessment.circular_edited", actor=actor,
                    role=Role.LEADER, subject=circular.region, error_field="body",
                    message=_("通报已印发，不能再修改。")) as step:  # fmt: skip
        step.set(title=title, body=body)
        step.data["circular"] = circular.pk
    return circular


@one_transaction
def circular_publish(*, circular: Circular, actor: Actor) -> Circular:
    """The leader approves and issues the circular to the staff of its region and the regions below."""
    _check_leader(actor, circular.region)
    with transition(circular, expect=[Circular.Status.DRAFT], event="assessment.circular_published", actor=actor,
                    role=Role.LEADER, subject=circular.region, error_field="body",
                    message=_("通报已印发。")) as step:  # fmt: skip
        step.to(Circular.Status.PUBLISHED, published_by=actor, published_at=timezone.now())
        step.data.update({"circular": circular.pk, "title": circular.title})
    return circular
