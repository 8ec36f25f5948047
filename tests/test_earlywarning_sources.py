"""The other signal sources: complaint clusters (the province's count and days), listed units, units with open
cases elsewhere, stopped projects, signals entered by hand; the management command."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from cases.models import Complaint, Region, Role
from earlywarning import sources
from earlywarning.models import Signal
from projects.models import Project
from tests.ewkit import at, project_with_month
from tests.factories import staff

pytestmark = pytest.mark.django_db
NOW = at(date(2026, 6, 25))


def _complaints(employer, n, *, days_ago=1):
    base = Complaint.objects.order_by("pk").first()
    assert base is not None, "the world has complaints"
    for i in range(n):
        c = Complaint.objects.get(pk=base.pk)
        c.pk = None
        c.receipt_no = f"EW{employer.pk:05d}{i:04d}{days_ago:03d}"
        c.employer = employer
        c.received_at = NOW - timedelta(days=days_ago)
        c.save()


@pytest.mark.parametrize(("n", "days_ago", "level"), [(2, 1, None), (3, 1, "orange"), (3, 31, None), (6, 1, "red")])
def test_complaint_cluster_on_a_unit(n, days_ago, level):
    project, unit, _w = project_with_month()
    _complaints(unit.employer, n, days_ago=days_ago)
    sources.complaint_clusters_check(now=NOW)
    rows = list(Signal.objects.filter(project=project, rule="complaint_cluster").values_list("level", flat=True))
    assert rows == ([level] if level else [])


def test_listed_unit_and_resolution():
    project, unit, _w = project_with_month()
    sources.units_listed_check(listed_employer_ids=[unit.employer_id], now=NOW)
    signal = Signal.objects.get(project=project, rule="unit_listed")
    assert (signal.level, signal.status) == ("red", "open")
    sources.units_listed_check(listed_employer_ids=[unit.employer_id], now=NOW)
    assert Signal.objects.filter(project=project, rule="unit_listed").count() == 1
    sources.units_listed_check(listed_employer_ids=[], now=NOW)
    signal.refresh_from_db()
    assert signal.status == "resolved"


def test_unit_with_open_case_elsewhere():
    from tests.factories import case as make_case

    project, unit, _w = project_with_month()
    other = make_case(region="360313")
    other.employer = unit.employer
    other.save(update_fields=["employer"])
    sources.units_open_cases_check(now=NOW)
    signal = Signal.objects.get(project=project, rule="unit_open_cases")
    assert signal.level == "yellow" and signal.evidence["cases"] == 1


def test_stopped_project():
    project, _unit, _w = project_with_month()
    Project.objects.filter(pk=project.pk).update(status=Project.Status.STOPPED)
    sources.projects_stopped_check(now=NOW)
    assert Signal.objects.get(project=project, rule="project_stopped").level == "orange"


def test_signal_entered_by_hand():
    inspector = staff(Role.INSPECTOR)
    region = Region.objects.get(code="360302")
    signal = sources.signal_enter(actor=inspector, region=region, source="media", level="orange",
                                  facts="某报道称某工地拖欠工资", workers=20, amount=300000)  # fmt: skip
    other = sources.signal_enter(actor=inspector, region=region, source="media", level="orange",
                                 facts="某报道称某工地拖欠工资")  # fmt: skip
    assert signal.pk != other.pk and signal.rule == "manual" and signal.raised_by == inspector
    with pytest.raises(ValidationError) as err:
        sources.signal_enter(actor=inspector, region=region, source="check", level="pink", facts="")
    assert {"source", "level", "facts"} <= set(err.value.message_dict)


def test_check_projects_command(capsys):
    project, _unit, made = project_with_month(account=False)
    call_command("check_projects", "--month", "2026-05", "--region", "360302")
    out = capsys.readouterr().out
    assert "projects checked" in out
    assert Signal.objects.filter(project=project, rule="account_not_opened").exists()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("check_projects", "--month", "May")
