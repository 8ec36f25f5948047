"""The data-quality rules of the monthly check (实名制, WPR art. 28), each through both paths (the project page's
per-project check and the set-based run) with its boundary and a compliant case producing none:

- contract_missing: workers with attendance and no labour-contract date; yellow, orange from the province's
  `contract_missing_orange_workers` (default 10) in a unit;
- double_paid: the same person paid on two projects in the same month; yellow, orange from the province's
  `double_paid_orange_workers` (default 5) in a unit; the evidence names the other project and both amounts."""

from datetime import date
from decimal import Decimal

import pytest

from cases.models import Region
from earlywarning.checks.run import month_set_check, project_month_check
from earlywarning.models import Signal, WarningConfig
from earlywarning.selectors import evidence_rows
from projects.models import Attendance, PaymentLine, Project, Worker
from tests.ewkit import MAY, at, project_with_month

pytestmark = pytest.mark.django_db

JUNE_25 = at(date(2026, 6, 25))


@pytest.fixture(params=["per_project", "set_based"])
def check(request):
    def run(*projects):
        ids = [p.pk for p in projects]
        Project.objects.filter(pk__in=ids).update(status=Project.Status.UNDER_CONSTRUCTION)
        if request.param == "per_project":
            for p in Project.objects.filter(pk__in=ids):
                project_month_check(project=p, month=MAY, now=JUNE_25)
        else:
            month_set_check(projects=Project.objects.filter(pk__in=ids), month=MAY, now=JUNE_25)

    return run


def _rule(project, rule):
    return list(Signal.objects.filter(project=project, rule=rule).values_list("level", "workers"))


# --- contract_missing ---


@pytest.mark.parametrize(("missing", "level"), [(0, None), (1, "yellow"), (9, "yellow"), (10, "orange")])
def test_workers_with_attendance_and_no_labour_contract(check, missing, level):
    project, _unit, made = project_with_month(301, workers=12)
    Worker.objects.filter(pk__in=[w.pk for w in made[:missing]]).update(contract_signed_on=None)
    check(project)
    assert _rule(project, "contract_missing") == ([(level, missing)] if level else [])
    if level:
        signal = Signal.objects.get(project=project, rule="contract_missing")
        assert signal.evidence["attended"] == 12 and len(signal.evidence["workers"]) == missing


def test_no_attendance_no_contract_finding(check):
    # a worker on the roster without a contract who did not work that month is not this rule's
    project, _unit, made = project_with_month(302, workers=3)
    Worker.objects.filter(pk=made[0].pk).update(contract_signed_on=None)
    Attendance.objects.filter(worker=made[0]).update(days=0)
    check(project)
    assert _rule(project, "contract_missing") == []


@pytest.mark.parametrize(("missing", "level"), [(2, "yellow"), (3, "orange")])
def test_contract_threshold_is_per_province(check, missing, level):
    project, _unit, made = project_with_month(303, workers=5)
    WarningConfig.objects.create(province=Region.objects.get(code="360000"), contract_missing_orange_workers=3)
    Worker.objects.filter(pk__in=[w.pk for w in made[:missing]]).update(contract_signed_on=None)
    check(project)
    assert _rule(project, "contract_missing") == [(level, missing)]


# --- double_paid ---


def _twins(here, there, workers, *, month=MAY, amount="1500.00"):
    """The first `workers` persons of `here` rostered and paid on `there` too, in `month`."""
    unit = there.units.get(role="labour")
    for w in Worker.objects.filter(project=here).order_by("id")[:workers]:
        twin = Worker.objects.create(project=there, person=w.person, unit=unit, contract_signed_on=there.start_on)
        PaymentLine.objects.create(worker=twin, month=month, amount=Decimal(amount), paid_on=date(2026, 6, 15),
                                   via_account=True, on_behalf=True)  # fmt: skip


@pytest.mark.parametrize(("workers", "level"), [(1, "yellow"), (4, "yellow"), (5, "orange")])
def test_the_same_person_paid_on_two_projects_in_the_month(check, workers, level):
    here, _u, _m = project_with_month(311, workers=6)
    there, _u2, _m2 = project_with_month(312, workers=1)
    _twins(here, there, workers)
    check(here, there)
    assert _rule(here, "double_paid") == [(level, workers)]
    assert _rule(there, "double_paid") == [(level, workers)]  # the other side sees them too
    signal = Signal.objects.get(project=here, rule="double_paid")
    assert signal.amount == Decimal("3000.00") * workers
    first = signal.evidence["elsewhere"][0]
    assert first.endswith(f"本项目3000.00元，项目{there.project_no}1500.00元") and first.startswith("工人")
    rows = dict(evidence_rows(signal))
    assert there.project_no in rows["同月在其他项目领取工资"]


def test_paid_on_two_projects_in_different_months_or_rostered_without_pay_is_none(check):
    here, _u, _m = project_with_month(321, workers=2)
    there, _u2, _m2 = project_with_month(322, workers=1)
    _twins(here, there, 1, month=date(2026, 4, 1))  # April on the other project, May here
    unit = there.units.get(role="labour")
    person = Worker.objects.filter(project=here).order_by("id")[1].person
    Worker.objects.create(project=there, person=person, unit=unit)  # rostered there, not paid there
    check(here, there)
    assert _rule(here, "double_paid") == [] and _rule(there, "double_paid") == []


@pytest.mark.parametrize(("workers", "level"), [(1, "yellow"), (2, "orange")])
def test_double_paid_threshold_is_per_province(check, workers, level):
    here, _u, _m = project_with_month(331, workers=3)
    there, _u2, _m2 = project_with_month(332, workers=1)
    WarningConfig.objects.create(province=Region.objects.get(code="360000"), double_paid_orange_workers=2)
    _twins(here, there, workers)
    check(here, there)
    assert _rule(here, "double_paid") == [(level, workers)]


def test_a_compliant_month_has_no_data_quality_finding(check):
    here, _u, _m = project_with_month(341)
    there, _u2, _m2 = project_with_month(342)
    check(here, there)
    assert not Signal.objects.filter(rule__in=["contract_missing", "double_paid"]).exists()
