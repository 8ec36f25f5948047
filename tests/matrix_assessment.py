"""Permission-matrix entries: the yearly assessment (考核) and its circulars (通报) (issue 19 item 4). Leaders and
auditors read the assessments made at their region or below and the records behind a figure of a region they
cover (404 outside); every other role, the administrator too, 403. Only the leader of the assessing region acts
(adjusts a figure, reviews, finalises): in scope without that right 403. A published circular is read by the
bureau's staff of the issuing region and of every region below it (and by the leaders and auditors who read its
assessment); 404 outside; the administrator 403.

How the matrix's target region maps onto the objects: the assessment (with one score and one grade) and its
published circular are made AT the target region itself. The matrix's in-scope target of a leader or auditor is
安源区 (360302) at every level, so an assessment that all of them must read has to sit at 安源区 or below; the
reading rules (the assessment's region under the reader's path; a circular issued at or above the reader's
region) do not depend on the assessing region's level, so the county-level assessment is built directly on the
models (the compute service lets only a province or a city assess; that is tested in tests/test_assessment.py),
its one score on the county itself (a county has no region below it). Out of scope is then a sibling county, a
county of another city, a county of another province: no reader above it.

The same placement means no leader may act on it in scope (a county does not assess: `may_assess`), so the
acting entries check 403 in scope and 404 out of scope; the matrix cannot express "only the assessing region's
own leader" (its in-scope target for a leader is the same county at each level), and the assessing leader's
200/302 (and the province leader's 403 on a city's assessment) are in tests/test_assessment_pages.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from cases.models import Role
from tests import world
from tests.matrix import READERS, Entry, Target

YEAR = 2025
ASSESSMENT_READERS = {Role.LEADER, Role.AUDITOR}
STAFF = READERS  # every bureau role but the system administrator


@dataclass
class AssessmentTarget(Target):
    code: str = ""
    assessment_id: int = 0
    score_id: int = 0
    circular_id: int = 0


def assessment_target(code: str) -> AssessmentTarget:
    """An assessment made at `code` (one score per indicator and a grade, of `code` itself) and its published
    circular. Once per region (an assessment is unique per region and year)."""
    from assessment.config import config_for, config_snapshot
    from assessment.indicators import INDICATORS, points
    from assessment.models import Assessment, Circular, Score
    from assessment.services import _regrade, circular_draft

    region = world.region(code)
    assessment = Assessment.objects.filter(region=region, year=YEAR).first()
    if assessment is None:
        config = config_snapshot(config_for(region))
        assessment = Assessment.objects.create(region=region, year=YEAR, config=config, computed_at=timezone.now(),
                                               computed_by=world.user("leader", "360000"))  # fmt: skip
        for indicator in INDICATORS.values():
            den = None if indicator.denominator_label is None else 0
            Score.objects.create(assessment=assessment, region=region, indicator=indicator.key, numerator=0,
                                 denominator=den, computed_numerator=0, computed_denominator=den,
                                 points=points(indicator, 0, den, config))  # fmt: skip
        _regrade(assessment)
        Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.FINAL)
        circular = circular_draft(assessment=assessment, actor=None)
        Circular.objects.filter(pk=circular.pk).update(status=Circular.Status.PUBLISHED, published_at=timezone.now())
    return AssessmentTarget(code=code, assessment_id=assessment.pk,
                            score_id=assessment.scores.order_by("pk").first().pk,
                            circular_id=Circular.objects.get(assessment=assessment).pk)  # fmt: skip


def region_target(code: str) -> AssessmentTarget:
    return AssessmentTarget(code=code)


def read_list(role: str, _in_scope: bool) -> int:
    return 200 if role in ASSESSMENT_READERS else 403


def read(role: str, in_scope: bool) -> int:
    """An assessment, or the records behind a figure: leaders and auditors covering it; 404 outside; others 403."""
    if role not in ASSESSMENT_READERS:
        return 403
    return 200 if in_scope else 404


def act(role: str, in_scope: bool) -> int:
    """A leader's act on an assessment: a role that reads none 403; out of scope 404; in scope (the assessment is
    the county's, which does not assess) 403 for everyone."""
    if role not in ASSESSMENT_READERS:
        return 403
    return 403 if in_scope else 404


def staff_list(role: str, _in_scope: bool) -> int:
    return 200 if role in STAFF else 403


def circular(role: str, in_scope: bool) -> int:
    """A published circular: the staff of the issuing region and below (leaders and auditors through its
    assessment); 404 outside; the administrator, no staff role, 403."""
    if role not in STAFF:
        return 403
    return 200 if in_scope else 404


def _a(name: str, *keys: str, suffix: str = ""):
    return lambda t: reverse(f"assessment:{name}", args=[getattr(t, k) for k in keys]) + suffix


ENTRIES = {
    "assessment:index": Entry(lambda t: reverse("assessment:index"), read_list, scoped=False),
    "assessment:records": Entry(
        lambda t: reverse("assessment:records") + f"?indicator=incidents&region={t.code}&year={YEAR}",
        read,
        prepare=region_target,
    ),
    "assessment:circulars": Entry(lambda t: reverse("assessment:circulars"), staff_list, scoped=False),
    "assessment:circular": Entry(_a("circular", "circular_id"), circular, prepare=assessment_target),
    "assessment:circular-pdf": Entry(_a("circular-pdf", "circular_id"), circular, prepare=assessment_target),
    "assessment:detail": Entry(_a("detail", "assessment_id"), read, prepare=assessment_target),
    "assessment:export": Entry(_a("export", "assessment_id"), read, prepare=assessment_target),
    "assessment:adjust": Entry(_a("adjust", "assessment_id", "score_id"), act, prepare=assessment_target),
    "assessment:act": Entry(
        lambda t: reverse("assessment:act", args=[t.assessment_id, "review"]),
        act,
        method="post",
        prepare=assessment_target,
    ),
}
