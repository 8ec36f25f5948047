"""The set-based monthly check (issue 16): the same findings as the per-project path over a seeded set of
projects covering every rule (two provinces with different numbers), the same signals and events written in
bulk, idempotent re-runs and resolution, and a number of statements that does not grow with the projects."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Region, Role, TimelineEvent
from deposits.register import deposit_register
from earlywarning.checks.monthset import MonthSet
from earlywarning.checks.registry import CHECKS, SET_CHECKS, rule_codes
from earlywarning.checks.run import (
    month_set_check,
    month_set_findings,
    project_findings,
    projects_check_due,
    projects_check_loop,
    projects_due,
)
from earlywarning.config import config_for
from earlywarning.models import ProjectPayDay, Signal, WarningConfig
from projects.models import PaymentLine, Project, WageSheetLine, Worker
from tests import factories
from tests.ewkit import MAY, at, project_with_month

pytestmark = pytest.mark.django_db

JUNE_25 = at(date(2026, 6, 25))


def _under_construction(projects):
    Project.objects.filter(pk__in=[p.pk for p in projects]).update(status=Project.Status.UNDER_CONSTRUCTION)
    return Project.objects.filter(pk__in=[p.pk for p in projects])


def _seed():
    """One project per rule (and a compliant one), in Jiangxi and in Hunan (whose minimum wage is higher)."""
    out = {"compliant": project_with_month(201)[0]}
    out["labour_orange"] = project_with_month(202, labour_cost_on=date(2026, 6, 15))[0]
    out["labour_red"] = project_with_month(203, labour_cost_on=None)[0]
    p, _u, made = project_with_month(204, workers=10)
    PaymentLine.objects.filter(worker__in=made[:3]).delete()
    out["unpaid_red"] = p
    p, _u, made = project_with_month(205, workers=10)
    PaymentLine.objects.filter(worker__in=made[:2]).delete()
    out["unpaid_orange"] = p
    out["below_sheet_orange"] = project_with_month(206, workers=1, due="102000.00", paid="2000.01")[0]
    out["below_sheet_red"] = project_with_month(207, workers=2, due="52000.00", paid="2000.00")[0]
    out["minimum_wage"] = project_with_month(208, workers=2, due="1838.99", paid="1838.99")[0]
    out["not_via_account"] = project_with_month(209, via_account=False)[0]
    out["not_by_general"] = project_with_month(210, on_behalf=False)[0]
    out["no_account"] = project_with_month(211, account=False)[0]
    p = project_with_month(212)[0]
    p.notice_board_posted_on = None
    p.save(update_fields=["notice_board_posted_on"])
    out["notice_board"] = p
    p, _u, made = project_with_month(213, paid=None)
    WageSheetLine.objects.filter(worker=made[0]).delete()
    out["sheet_missing"] = p
    out["contract_missing"] = project_with_month(214, contract=False)[0]
    p, _u, made = project_with_month(215)
    q, q_unit, _m = project_with_month(216)
    twin = Worker.objects.create(project=q, person=made[0].person, unit=q_unit, contract_signed_on=q.start_on)
    PaymentLine.objects.create(
        worker=twin, month=MAY, amount=Decimal("1500"), paid_on=date(2026, 6, 15), via_account=True, on_behalf=True
    )
    out["double_paid"], out["double_paid_other"] = p, q
    p = project_with_month(217)[0]
    deposit_register(project=p, actor=factories.staff(Role.CLERK, "360302"), on=p.contract_signed_on)
    out["deposit_missing"] = p
    hunan = project_with_month(218, workers=1, due="1839.00", paid="1839.00", region="430102")[0]
    WarningConfig.objects.create(
        province=Region.objects.get(code="430000"),
        minimum_wage_monthly=Decimal("2100"),
        general_pays_subcontractors=False,
    )
    out["hunan_minimum_wage"] = hunan
    out["hunan_no_general_rule"] = project_with_month(219, on_behalf=False, region="430102")[0]
    return out


def _norm(found):
    return sorted(
        (f.project_id, f.unit_id or 0, f.rule, f.level, f.monthly, str(f.amount), f.workers, sorted(f.evidence.items()))
        for f in found
    )


def test_set_based_findings_equal_the_per_project_findings_for_every_rule():
    seeded = _seed()
    qs = _under_construction(seeded.values())
    today = timezone.localdate(JUNE_25)
    ms = MonthSet(qs, MAY, today=today)
    by_set = month_set_findings(ms)
    by_project = [
        f
        for p in qs.select_related("region")
        for f in project_findings(project=p, month=MAY, today=today, config=config_for(p.region))
    ]
    assert _norm(by_set) == _norm(by_project)
    rules = {f.rule for f in by_set}
    # every rule of the check is exercised (the deposit's other findings have their own tests)
    assert rules >= {code for code, _fn in CHECKS if code != "deposit"} | {"deposit_missing"}
    levels = {(f.project_id, f.rule): f.level for f in by_set}
    assert levels[(seeded["labour_orange"].pk, "labour_cost_late")] == "orange"
    assert levels[(seeded["labour_red"].pk, "labour_cost_late")] == "red"
    assert levels[(seeded["unpaid_red"].pk, "unpaid_workers")] == "red"
    assert levels[(seeded["unpaid_orange"].pk, "unpaid_workers")] == "orange"
    assert levels[(seeded["below_sheet_orange"].pk, "paid_below_sheet")] == "orange"
    assert levels[(seeded["below_sheet_red"].pk, "paid_below_sheet")] == "red"
    assert (seeded["compliant"].pk, "below_minimum_wage") not in levels
    # 1,839.00 for 20 days: enough in Jiangxi (2,000 a month), not in Hunan (2,100); Hunan pays itself
    assert levels[(seeded["hunan_minimum_wage"].pk, "below_minimum_wage")] == "orange"
    assert not [f for f in by_set if f.project_id == seeded["hunan_no_general_rule"].pk]
    assert not [f for f in by_set if f.project_id == seeded["compliant"].pk]
    twice = next(f for f in by_set if f.rule == "double_paid" and f.project_id == seeded["double_paid"].pk)
    assert twice.evidence["elsewhere"][0].endswith(
        f"本项目3000.00元，项目{seeded['double_paid_other'].project_no}1500.00元"
    )


def _snapshot():
    return sorted(
        (
            s.key,
            s.level,
            s.status,
            str(s.amount),
            s.workers,
            sorted(s.evidence.items()),
            s.unit_id,
            s.employer_id,
            s.region_id,
            s.due_on,
        )
        for s in Signal.objects.all()
    )


def test_set_based_run_writes_the_signals_and_events_the_per_project_loop_writes():
    seeded = _seed()
    qs = _under_construction(seeded.values())
    events_before = TimelineEvent.objects.filter(kind="signal.raised").count()
    first = month_set_check(projects=qs, month=MAY, now=JUNE_25)
    by_set = _snapshot()
    raised = TimelineEvent.objects.filter(kind="signal.raised").count() - events_before
    assert first.outcomes == {"raised": len(by_set)} and raised == len(by_set)
    event = TimelineEvent.objects.filter(kind="signal.raised").order_by("-id").first()
    assert event.region_id and {"signal", "rule", "level", "project_no"} <= set(event.data)
    Signal.objects.all().delete()
    loop = projects_check_loop(projects=qs, month=MAY, now=JUNE_25)
    assert loop.outcomes == {"raised": len(by_set)}
    assert _snapshot() == by_set


def test_rerun_changes_nothing_then_level_change_reopen_and_resolution_in_bulk():
    seeded = _seed()
    qs = _under_construction(seeded.values())
    first = month_set_check(projects=qs, month=MAY, now=JUNE_25)
    n = first.outcomes["raised"]
    events = TimelineEvent.objects.count()
    assert month_set_check(projects=qs, month=MAY, now=JUNE_25).outcomes == {"unchanged": n}
    assert TimelineEvent.objects.count() == events  # nothing changed, nothing written
    # orange → red (one more unpaid worker), not_via_account fixed (resolved), a dismissed signal kept
    PaymentLine.objects.filter(worker__project=seeded["unpaid_orange"], month=MAY).order_by("id").first().delete()
    PaymentLine.objects.filter(worker__project=seeded["not_via_account"]).update(via_account=True)
    dismissed = Signal.objects.get(project=seeded["not_by_general"])
    Signal.objects.filter(pk=dismissed.pk).update(status=Signal.Status.DISMISSED)
    third = month_set_check(projects=qs, month=MAY, now=JUNE_25)
    assert third.outcomes == {"updated": 1, "resolved": 1, "unchanged": n - 2}
    unpaid = Signal.objects.get(project=seeded["unpaid_orange"], rule="unpaid_workers")
    assert (unpaid.level, unpaid.workers) == ("red", 3) and unpaid.due_on is not None
    assert Signal.objects.get(project=seeded["not_via_account"]).status == Signal.Status.RESOLVED
    assert TimelineEvent.objects.filter(kind="signal.level_changed").count() == 1
    assert TimelineEvent.objects.filter(kind="signal.resolved").count() == 1
    # broken again: reopened
    PaymentLine.objects.filter(worker__project=seeded["not_via_account"]).update(via_account=False)
    fourth = month_set_check(projects=qs, month=MAY, now=JUNE_25)
    assert fourth.outcomes == {"reopened": 1, "unchanged": n - 1}
    assert Signal.objects.get(project=seeded["not_via_account"]).status == Signal.Status.OPEN


def _faulty(n0: int, count: int):
    """`count` projects, each with one defect in turn: an unpaid worker, payments outside the account, a
    worker without a labour contract. (One signal a project: SQLite splits an INSERT of more than 999
    parameters into batches — about 45 signals — which PostgreSQL's COPY never does; the benchmark counts the
    statements on PostgreSQL at 20,000 projects.)"""
    made = []
    for i in range(count):
        p, _u, workers = project_with_month(n0 + i, via_account=i % 3 != 1)
        if i % 3 == 0:
            PaymentLine.objects.filter(worker=workers[0]).delete()
        elif i % 3 == 2:
            Worker.objects.filter(pk=workers[1].pk).update(contract_signed_on=None)
        made.append(p)
    return _under_construction(made)


def _statements(qs, **kwargs) -> int:
    with CaptureQueriesContext(connection) as ctx:
        month_set_check(projects=qs, month=MAY, now=JUNE_25, **kwargs)
    return len(ctx.captured_queries)


def test_the_number_of_statements_does_not_grow_with_the_projects():
    small, large = _faulty(300, 3), _faulty(400, 30)
    counts = {}
    for name, qs in (("small", small), ("large", large)):
        raised = _statements(qs)
        again = _statements(qs)
        PaymentLine.objects.filter(worker__project__in=qs).update(via_account=True)  # fixed: resolved
        resolved = _statements(qs)
        counts[name] = (raised, again, resolved)
    assert counts["small"] == counts["large"], counts
    assert Signal.objects.filter(project__in=large, rule="not_via_account", status="resolved").count() == 10
    assert Signal.objects.filter(project__in=large, status="open").count() == 20


def test_every_registered_rule_has_a_set_based_form():
    assert {code for code, _fn in CHECKS} <= set(SET_CHECKS)
    assert {"contract_missing", "double_paid"} <= set(rule_codes())


def test_the_daily_run_checks_the_projects_whose_pay_day_passed_set_based():
    early = project_with_month(231, labour_cost_on=None)[0]  # the province's day: the 20th
    own = project_with_month(232, labour_cost_on=None)[0]
    ProjectPayDay.objects.create(project=own, pay_day=25)
    _under_construction([early, own])
    assert set(projects_due(date(2026, 6, 19))) == set()
    assert set(projects_due(date(2026, 6, 20))) == {early}
    assert set(projects_due(date(2026, 6, 25))) == {early, own}
    result = projects_check_due(now=at(date(2026, 6, 20)))
    assert result.projects == 1
    assert set(Signal.objects.values_list("project_id", "rule")) == {(early.pk, "labour_cost_late")}
    assert set(projects_due(date(2026, 6, 30))) == {early, own}  # the month's last day: every pay day


def test_a_province_pay_day_set_later_holds_its_projects_back():
    p = project_with_month(241)[0]
    _under_construction([p])
    WarningConfig.objects.create(province=Region.objects.get(code="360000"), pay_day=27)
    assert set(projects_due(date(2026, 6, 26))) == set()
    assert set(projects_due(date(2026, 6, 27))) == {p}
    assert projects_due(date(2026, 6, 27) - timedelta(days=1)).count() == 0
