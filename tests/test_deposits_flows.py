"""Issue 17: the drawdown as steps of the case (DepositDrawFlow: the bank's payment, then the top-up, by the
case's assigned inspector) and the fund's advance approved by the leader (FundAdvanceFlow); the periodic check
marks a top-up past its day as missed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task

from cases.investigation import case_assign_inspectors
from cases.models import Payment, Role, TimelineEvent
from deposits.drawdown import deposit_draw
from deposits.fund import fund_advance_request, fund_allocate
from deposits.models import DepositDraw, EmergencyFund, FundAdvance
from deposits.register import deposit_record, deposit_register
from tests import factories, world
from tests.depositkit import arrears_case, project_with
from workflows.deposits.starts import topups_check

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _assigned(case):
    leader = world.user(Role.LEADER, "360302")
    inspector = world.user(Role.INSPECTOR, "360302")
    case_assign_inspectors(case=case, inspectors=[inspector, world.second_inspector("360302")], actor=leader,
                           conflict_declared=True)  # fmt: skip
    return inspector, leader


def _open(case, node: str):
    return Task.objects.filter(process__caseprocess__case=case, flow_task_type="HUMAN",
                               flow_task__endswith=node).exclude(status__in=["DONE", "CANCELED"])  # fmt: skip


def test_the_drawdown_flow_bank_paid_then_topped_up():
    project = project_with(801, since=date(2025, 6, 1))
    clerk = world.user(Role.CLERK, "360302")
    deposit = deposit_register(project=project, actor=clerk)
    deposit_record(deposit=deposit, form="cash", bank="农行", amount=deposit.required_amount,
                   deposited_on=timezone.localdate(), account_no="6228480000001234", actor=clerk)  # fmt: skip
    case = arrears_case(project, workers=2, amount="20000.00")
    inspector, _ = _assigned(case)
    factories.ledger(case)
    case = factories.order_served_and_due(case)
    draw = deposit_draw(case=case, actor=inspector)
    assert _open(case, "DepositDrawFlow.bank_paid").count() == 1
    factories.step(case, inspector, paid_on=str(timezone.localdate()))
    draw.refresh_from_db()
    assert draw.status == "paid" and Payment.objects.filter(entry__case=case, source="deposit").count() == 2
    assert _open(case, "DepositDrawFlow.topped_up").count() == 1
    topups_check(now=timezone.now() + timedelta(days=30))  # past the top-up day: missed, a case fact
    draw.refresh_from_db()
    assert draw.status == "missed" and TimelineEvent.objects.filter(case=case, kind="deposit.topup_missed").exists()
    factories.step(case, inspector, amount="20000.00", on=str(timezone.localdate()))
    assert DepositDraw.objects.get(pk=draw.pk).status == "topped_up"
    assert not _open(case, "DepositDrawFlow.topped_up").exists()


def test_the_advance_flow_is_the_leaders_approval():
    leader = world.user(Role.LEADER, "360302")
    fund_allocate(region=world.region("360302"), amount="20000.00", on=timezone.localdate(), actor=leader)
    case = world.make_case("360302", workers=5, amount="25000.00")
    inspector, leader = _assigned(case)
    entries = factories.ledger(case)
    advance = fund_advance_request(case=case, purpose="wages", amounts={str(e.pk): "2000.00" for e in entries},
                                   reason="工人返乡", actor=inspector)  # fmt: skip
    task = _open(case, "FundAdvanceFlow.approve").get()
    from workflows.nodes import HumanStep

    node = task.flow_task
    assert isinstance(node, HumanStep) and not node.allowed(inspector, task) and node.allowed(leader, task)
    factories.step(case, leader, approved="yes", opinion="同意垫付", paid_on=str(timezone.localdate()))
    advance.refresh_from_db()
    assert advance.status == FundAdvance.Status.PAID
    assert EmergencyFund.objects.get(region__code="360302").balance == Decimal("10000.00")
