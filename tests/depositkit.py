"""Deposits' test helpers: a project with its general contractor's record set as a test needs it."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cases import timeline
from cases.models import Case, Employer, Party, Role
from cases.values import LOCAL_TZ
from projects.models import Project, ProjectUnit, WageAccount, Worker
from tests import world
from tests.factories import person_id
from tests.projectkit import make_project


def gc_of(project: Project) -> Employer:
    return project.units.get(role=ProjectUnit.Role.GENERAL).employer


def project_with(n: int, *, contract_sum: str = "12000000.00", since: date = date(2020, 1, 1), region: str = "360302",
                 real_name: bool = False, account: bool = False) -> Project:  # fmt: skip
    """A registered project whose general contractor has been in the system since `since`."""
    project = make_project(n, region=region)
    Project.objects.filter(pk=project.pk).update(contract_sum=Decimal(contract_sum), start_on=since)
    project.refresh_from_db()
    gc = gc_of(project)
    Employer.objects.filter(pk=gc.pk).update(created_at=datetime.combine(since, time(9), tzinfo=LOCAL_TZ))
    if real_name:
        unit = project.units.get(role=ProjectUnit.Role.GENERAL)
        person = Party.objects.create(name=f"实名{n}", id_number=person_id(900 + n, prefix="36030219800101"))
        Worker.objects.create(project=project, person=person, unit=unit)
    if account:
        WageAccount.objects.create(project=project, bank="工商银行萍乡分行", account_no="6222000011112222",
                                   opened_on=since)  # fmt: skip
    return project


def arrears_case(project: Project, filed_on: date | None = None, *, workers: int = 5, amount: str = "50000.00") -> Case:
    """A case against the project's general contractor, filed on `filed_on` (today by default)."""
    case = world.make_case(project.region.code, workers=workers, amount=amount)
    fields: dict = {"employer": gc_of(project)}
    if filed_on is not None:
        fields["filed_at"] = datetime.combine(filed_on, time(10), tzinfo=LOCAL_TZ)
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


def listed(case: Case, on: date) -> None:
    """The "listing.listed" fact on the case's timeline (the credit list's decision), on `on`."""
    with transaction.atomic():
        timeline.record(case, "listing.listed", role=Role.LEADER, data={"test": True},
                        at=datetime.combine(on, time(11), tzinfo=LOCAL_TZ))  # fmt: skip


def now_local() -> date:
    return timezone.localdate()
