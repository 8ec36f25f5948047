"""The demo's winter campaign in Pingxiang: hazards in each state, fast, made once."""

from __future__ import annotations

import time

import pytest
from django.utils import timezone

from campaigns.demo import campaigns_seed
from campaigns.models import Campaign, Hazard
from cases.deadlines import deadlines_for, subject_ref_of
from tests.projectkit import make_project

pytestmark = pytest.mark.django_db


def test_the_demo_campaign_has_hazards_in_each_state_and_is_made_once():
    make_project(81, region="360302")
    started = time.monotonic()
    campaign = campaigns_seed(progress=lambda s: None)
    assert time.monotonic() - started < 3
    assert campaign is not None and campaign.region.code == "360300"
    today = timezone.localdate()
    hazards = list(campaign.hazards.all())
    assert {h.status for h in hazards} == {"open", "resolved", "case"}
    assert any(h.status == "open" and h.due_on < today for h in hazards)  # past its deadline
    assert any(h.status == "open" and h.due_on >= today for h in hazards)
    clocks = {deadlines_for(subject_ref=subject_ref_of(h)).get().state for h in hazards if h.status == "resolved"}
    assert clocks == {"met", "closed_late"}
    assert campaign.checks.filter(project__isnull=False).exists()
    assert campaigns_seed(progress=lambda s: None) is None
    assert Campaign.objects.filter(title=campaign.title).count() == 1
    assert Hazard.objects.filter(campaign=campaign).count() == len(hazards)
