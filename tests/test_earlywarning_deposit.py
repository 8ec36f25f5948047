"""The monthly check reads the deposit's findings (deposits.selectors.deposit_findings): a deposit not made after
its 20 working days (DEP2021; row 53) is an orange signal on the general contractor, one signal for the project
however many months it runs; made, the signal is resolved at the next check."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Role
from deposits.register import deposit_record, deposit_register
from earlywarning.checks.registry import rule_codes
from earlywarning.checks.run import project_month_check
from earlywarning.models import Signal
from tests import factories
from tests.ewkit import at, project_with_month

pytestmark = pytest.mark.django_db


def test_a_deposit_not_made_is_an_orange_signal_on_the_general_contractor_and_resolved_once_made():
    project, _unit, _w = project_with_month(71)
    clerk = factories.staff(Role.CLERK, "360302")
    deposit = deposit_register(project=project, actor=clerk, on=project.contract_signed_on)
    assert {"deposit_missing", "deposit_late", "guarantee_expiring", "topup_missed"} <= set(rule_codes())
    month = (deposit.due_on.replace(day=28) + timedelta(days=5)).replace(day=1)  # the month after the due day
    project_month_check(project=project, month=month, now=at(month + timedelta(days=40)))
    project_month_check(project=project, month=month + timedelta(days=31), now=at(month + timedelta(days=70)))
    missing = Signal.objects.filter(project=project, rule="deposit_missing")
    assert [(s.level, s.unit.role, s.status) for s in missing] == [("orange", "general", "open")]  # one, not two

    deposit_record(deposit=deposit, form="cash", bank="农行", amount=deposit.required_amount,
                   deposited_on=timezone.localdate(), account_no="6228480000001234", actor=clerk)  # fmt: skip
    project_month_check(project=project, month=month, now=at(month + timedelta(days=75)))
    assert missing.get().status == Signal.Status.RESOLVED
