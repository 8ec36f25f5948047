"""The demo projects command: chains, rosters, 12 months of payroll, idempotent, with progress output."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from projects.models import PaymentLine, Project, WageSheetLine

pytestmark = pytest.mark.django_db


def test_seed_projects_builds_chains_rosters_and_twelve_months(capsys):
    call_command("seed_projects", "--count", "14", "--password", "x-demo-password")
    out = capsys.readouterr().out
    assert "projects: 14 added" in out and "housing_360302" in out
    projects = Project.objects.filter(project_no__startswith="DEMO-")
    assert projects.count() == 14
    assert {p.department for p in projects} >= {"housing", "transport", "water"}
    for project in projects:
        assert project.units.filter(role="general").exists() and project.workers.exists()
        months = WageSheetLine.objects.filter(worker__project=project).values("month").distinct().count()
        assert months == 12
    assert PaymentLine.objects.filter(worker__project__in=projects).exists()
    call_command("seed_projects", "--count", "14")
    assert Project.objects.filter(project_no__startswith="DEMO-").count() == 14


def test_seed_demo_seeds_projects_and_the_industry_logins(client, capsys):
    call_command("seed_demo", "--projects", "3")
    out = capsys.readouterr().out
    assert "projects: 3 added" in out and "housing_360302" in out
    projects = Project.objects.filter(project_no__regex=r"^DEMO-[0-9]{6}-0[0-9]{3}$")  # seed_projects' own
    assert projects.count() == 3 and PaymentLine.objects.filter(worker__project__in=projects).exists()
    assert client.login(username="housing_360302", password="zhiqian-demo-2026")
    assert client.get("/projects/").status_code == 200


def test_the_demo_seeds_sixty_projects_by_default():
    from projects.demo import DEMO_COUNT

    assert DEMO_COUNT == 60
