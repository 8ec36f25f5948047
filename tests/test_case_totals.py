"""Case totals (issue 13 item 13): the sum of the complainants' claims until a ledger exists, each person once;
once a ledger exists it wins; supervision's ≥100-worker rule reads the corrected headcount."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cases.models import Case, ProvinceConfig, Role
from cases.services import case_file
from cases.supervision import supervision_candidates, supervision_rules
from tests import factories, world
from tests.flowkit import claim_and_complete, submit

pytestmark = pytest.mark.django_db

OTHER = {"complainant": {"name": "李四", "id_number": factories.person_id(7), "phone": factories.mobile(7)}}


def _accepted_case(**over) -> tuple[str, Case]:
    receipt = submit(**over)["receipt_no"]
    claim_and_complete("clerk_360302", receipt, decision="accept")
    return receipt, Case.objects.get(complaints__receipt_no=receipt)


def test_grouping_a_second_complaint_of_the_same_person_never_double_counts_their_workers():
    _, case = _accepted_case()  # 张三: 12 workers, 86,000 yuan
    submit()  # the same person again, same employer and project: grouped onto the open case at receipt
    case.refresh_from_db()
    assert case.complaints.count() == 2
    assert (case.workers_count, case.amount_owed) == (12, Decimal("86000.00"))


def test_grouping_another_persons_complaint_adds_their_claim():
    _, case = _accepted_case()
    submit(workers_count=3, amount_owed="9000.00", **OTHER)
    case.refresh_from_db()
    assert (case.workers_count, case.amount_owed) == (15, Decimal("95000.00"))


def test_filing_two_complaints_of_one_person_counts_them_once():
    first = factories.complaint_received("360302", workers=5, amount="50000.00")
    second = factories.complaint_received("360302", workers=5, amount="50000.00")  # same resident ID
    case = case_file(actor=None, role="", region=first.region, complaints=[first, second])
    assert (case.workers_count, case.amount_owed) == (5, Decimal("50000.00"))


def test_once_a_ledger_exists_it_wins_over_a_grouped_complaint():
    _, case = _accepted_case()
    factories.ledger(case, workers=3, amount="30000.00")
    case.refresh_from_db()
    assert (case.workers_count, case.amount_owed) == (3, Decimal("30000.00"))
    submit(workers_count=50, amount_owed="500000.00", **OTHER)  # grouped after the ledger
    case.refresh_from_db()
    assert case.complaints.count() == 2
    assert (case.workers_count, case.amount_owed) == (3, Decimal("30000.00"))


def test_refusing_a_grouped_complaint_takes_its_claim_out_once():
    from cases.acceptance import complaint_refuse

    _, case = _accepted_case()
    other = submit(workers_count=3, amount_owed="9000.00", **OTHER)["receipt_no"]
    complaint = case.complaints.get(receipt_no=other)
    complaint_refuse(complaint=complaint, actor=world.user(Role.CLERK, "360302"), reason="已在仲裁中")
    case.refresh_from_db()
    assert (case.workers_count, case.amount_owed) == (12, Decimal("86000.00"))


def test_supervision_100_worker_rule_reads_the_corrected_headcount():
    assert ProvinceConfig().supervision_min_workers == 100
    _, case = _accepted_case(workers_count=60, amount_owed="60000.00")
    submit(workers_count=60, amount_owed="60000.00")  # the same person restating the claim
    case.refresh_from_db()
    assert case.workers_count == 60
    assert "workers" not in supervision_rules(case)
    assert case.pk not in {c.pk for c in supervision_candidates()}
    # a second person's 40 workers reach the rule: 100
    submit(workers_count=40, amount_owed="40000.00", **OTHER)
    case.refresh_from_db()
    assert case.workers_count == 100 and "workers" in supervision_rules(case)
