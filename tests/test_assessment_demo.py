"""The assessment demo (make demo): 萍乡市's counties assessed for last year, 湘东区 graded C with its
accountability opened and the circular drafted; fast and idempotent."""

from __future__ import annotations

import time

import pytest
from django.utils import timezone

from accountability.models import Accountability
from assessment.demo import assessment_demo
from assessment.models import Assessment, Circular

pytestmark = pytest.mark.django_db


def test_the_demo_grades_xiangdong_c_opens_its_accountability_and_drafts_the_circular():
    started = time.monotonic()
    assessment_demo(progress=lambda _m: None)
    assert time.monotonic() - started < 3
    assessment = Assessment.objects.get(region__code="360300", year=timezone.localdate().year - 1)
    assert assessment.status == Assessment.Status.FINAL
    grades = {g.region.code: g.grade for g in assessment.grades.select_related("region")}
    assert grades["360313"] == "C" and list(grades.values()).count("C") == 1
    assert Accountability.objects.get(trigger=Accountability.Trigger.ASSESSMENT).region.code == "360313"
    assert Circular.objects.get(assessment=assessment).status == Circular.Status.DRAFT
    assessment_demo(progress=lambda _m: None)  # again: nothing more
    assert Assessment.objects.count() == 1 and Accountability.objects.filter(trigger="assessment").count() == 1
