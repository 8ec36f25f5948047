"""The demo: the seeded projects produce signals of each kind (idempotent on a second run)."""

from __future__ import annotations

import pytest

from earlywarning.models import Signal
from projects.demo import projects_seed
from workflows.earlywarning.demo import signals_demo

pytestmark = pytest.mark.django_db

KINDS = {
    "labour_cost_late", "wage_sheet_missing", "unpaid_workers", "below_minimum_wage", "not_via_account",
    "account_not_opened", "notice_board_missing", "project_stopped", "complaint_cluster", "unit_open_cases",
    "manual", "contract_missing", "double_paid",
}  # fmt: skip


def test_demo_signals_of_each_kind():
    projects_seed(count=14, progress=lambda s: None)
    counts = signals_demo(progress=lambda s: None)
    assert KINDS <= set(counts), KINDS - set(counts)
    total = Signal.objects.count()
    again = signals_demo(progress=lambda s: None)
    assert Signal.objects.count() == total and again == counts
    from django.contrib.contenttypes.models import ContentType

    from workflows.models import CaseProcess

    ct = ContentType.objects.get_for_model(Signal)
    with_flow = set(CaseProcess.objects.filter(artifact_content_type=ct).values_list("artifact_object_id", flat=True))
    assert set(Signal.objects.filter(status="open").values_list("pk", flat=True)) <= with_flow
