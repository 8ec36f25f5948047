"""The monthly check: each rule with its boundaries (the province's numbers), exactly one signal of the right
level, none for a compliant month; idempotent re-runs; resolution when the condition no longer holds."""

from datetime import date
from decimal import Decimal

import pytest

from earlywarning.checks.run import project_month_check
from earlywarning.models import Signal, WarningConfig
from projects.models import PaymentLine, WageAccount
from tests.ewkit import MAY, at, project_with_month

pytestmark = pytest.mark.django_db

JUNE_25 = at(date(2026, 6, 25))


def _check(project, now=JUNE_25):
    return project_month_check(project=project, month=MAY, now=now)


def _signals(project):
    return list(Signal.objects.filter(project=project).values_list("rule", "level"))


def test_compliant_month_raises_nothing():
    project, _unit, _w = project_with_month()
    _check(project)
    assert _signals(project) == []


@pytest.mark.parametrize(
    ("received", "level"),
    [(date(2026, 6, 10), None), (date(2026, 6, 11), "orange"), (date(2026, 6, 20), "orange"),
     (date(2026, 6, 21), "red"), (None, "red")],
)  # fmt: skip
def test_labour_costs_paid_late(received, level):
    project, _unit, _w = project_with_month(labour_cost_on=received)
    _check(project)
    assert _signals(project) == ([("labour_cost_late", level)] if level else [])


def test_labour_costs_not_due_yet_before_the_day():
    project, _unit, _w = project_with_month(labour_cost_on=None)
    _check(project, now=at(date(2026, 6, 10)))
    assert _signals(project) == []
    _check(project, now=at(date(2026, 6, 11)))
    assert _signals(project) == [("labour_cost_late", "orange")]


@pytest.mark.parametrize(("workers", "unpaid", "level"), [(10, 2, "orange"), (10, 3, "red"), (40, 9, "orange"),
                                                            (40, 10, "red")])  # fmt: skip
def test_worker_with_attendance_and_no_payment(workers, unpaid, level):
    project, _unit, made = project_with_month(workers=workers)
    PaymentLine.objects.filter(worker__in=made[:unpaid]).delete()
    _check(project)
    signal = Signal.objects.get(project=project)
    assert (signal.rule, signal.level, signal.workers) == ("unpaid_workers", level, unpaid)
    assert signal.evidence["month"] == "2026-05" and len(signal.evidence["workers"]) == unpaid


@pytest.mark.parametrize(("paid", "level"), [("102000.00", None), ("2000.01", "orange"), ("2000.00", "red")])
def test_payment_below_the_sheet(paid, level):
    # shortfall 99,999.99 → orange; 100,000.00 (the province's amount) → red
    project, _unit, _w = project_with_month(workers=1, due="102000.00", paid=paid)
    _check(project)
    assert _signals(project) == ([("paid_below_sheet", level)] if level else [])


@pytest.mark.parametrize(("paid", "found"), [("1839.00", False), ("1838.99", True)])
def test_below_minimum_wage_times_days(paid, found):
    # 2,000 yuan a month ÷ 21.75 = 91.95 a day; 20 days → 1,839.00 (the sheet says the same: no shortfall)
    project, _unit, _w = project_with_month(workers=1, due=paid, paid=paid)
    _check(project)
    assert _signals(project) == ([("below_minimum_wage", "orange")] if found else [])


def test_minimum_wage_is_per_province():
    project, _unit, _w = project_with_month(workers=1, due="1839.00", paid="1839.00")
    WarningConfig.objects.create(province=project.region.parent.parent, minimum_wage_monthly=Decimal("2100"))
    _check(project)
    assert _signals(project) == [("below_minimum_wage", "orange")]


def test_payment_not_through_the_account():
    project, _unit, _w = project_with_month(via_account=False)
    _check(project)
    assert _signals(project) == [("not_via_account", "yellow")]


def test_subcontractor_paying_itself_where_general_contractor_pays():
    project, _unit, _w = project_with_month(on_behalf=False)
    _check(project)
    assert _signals(project) == [("not_by_general", "yellow")]


@pytest.mark.parametrize(("day", "found"), [(date(2026, 2, 4), False), (date(2026, 2, 5), True)])
def test_no_account_30_days_after_the_contract(day, found):
    # the contract signed 2026-01-05: the account is due by 2026-02-04
    project, _unit, _w = project_with_month(account=False, month=date(2026, 1, 1))
    project_month_check(project=project, month=date(2026, 1, 1), now=at(day))
    rows = list(Signal.objects.filter(project=project).values_list("rule", "level", "month"))
    assert rows == ([("account_not_opened", "red", None)] if found else [])


def test_notice_board_not_recorded():
    project, _unit, _w = project_with_month()
    project.notice_board_posted_on = None
    project.save(update_fields=["notice_board_posted_on"])
    _check(project)
    assert _signals(project) == [("notice_board_missing", "yellow")]


def test_wage_sheet_missing():
    project, _unit, made = project_with_month(paid=None)
    from projects.models import WageSheetLine

    WageSheetLine.objects.filter(worker=made[0]).delete()
    _check(project)
    assert sorted(_signals(project)) == [("unpaid_workers", "red"), ("wage_sheet_missing", "orange")]


def test_rerun_is_idempotent_and_resolves():
    project, _unit, made = project_with_month(account=False, month=date(2026, 5, 1))
    PaymentLine.objects.filter(worker=made[0]).delete()
    first = _check(project)
    assert first.outcomes == {"raised": 2}
    again = _check(project)
    assert again.outcomes == {"unchanged": 2} and Signal.objects.filter(project=project).count() == 2
    account = WageAccount.objects.create(project=project, bank="建设银行", account_no="6227000011112222",
                                         opened_on=date(2026, 2, 1))  # fmt: skip
    account.transfers.create(month=MAY, amount=Decimal("9000"), received_on=date(2026, 5, 8))
    PaymentLine.objects.create(worker=made[0], month=MAY, amount=Decimal("3000"), paid_on=date(2026, 6, 15),
                               via_account=True, on_behalf=True)  # fmt: skip
    third = _check(project)
    assert third.outcomes.get("resolved") == 2
    assert set(Signal.objects.filter(project=project).values_list("status", flat=True)) == {"resolved"}


@pytest.mark.parametrize(("day", "found"), [(date(2026, 2, 19), False), (date(2026, 2, 20), True)])
def test_notice_board_due_30_days_after_the_start(day, found):
    # works started 2026-01-20: the board is due by 2026-02-19
    project, _unit, _w = project_with_month(month=date(2026, 1, 1))
    project.notice_board_posted_on = None
    project.save(update_fields=["notice_board_posted_on"])
    project_month_check(project=project, month=date(2026, 1, 1), now=at(day))
    rows = list(Signal.objects.filter(project=project, rule="notice_board_missing").values_list("level", flat=True))
    assert rows == (["yellow"] if found else [])
