"""Demo warning signals: the seeded projects (projects.demo) checked for their last two months, with a few of
the demo county's projects (360302) arranged so that every kind of signal appears — a wage sheet missing, a
payment below the minimum wage, a payment outside the account, a stopped project, a complaint cluster on a
unit and a unit with open cases elsewhere (both arranged by workflows.earlywarning.demo, which files the
complaints and the case through their flows), a listed unit, signals entered by hand; the random payroll of the
projects demo gives late labour costs, unpaid and short-paid workers, subcontractors paying themselves and
projects without an account. Most projects get their rights notice board recorded (one in five does not).

Idempotent: the check and the sources find their signals again; the arrangements are made once (marked by
the demo's hand-entered signals). The flows open at the sweep's next run (workflows.earlywarning.starts)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone

from cases.models import Employer, Region
from projects import summary
from projects.models import PaymentLine, Project, ProjectUnit, WageSheetLine, Worker
from projects.registry import project_notice_board_record, project_status_set, project_unit_add

from .checks.run import previous_month, projects_check
from .models import Signal
from .sources import signal_enter, sources_check

MARK = "（演示）"
DEMO_COUNTY = "360302"


def _add_unit(project: Project, employer: Employer | None) -> bool:
    if employer is None or not employer.uscc:
        return False
    if project.units.filter(employer=employer).exists():
        return True
    try:
        project_unit_add(actor=None, project=project, name=employer.name, uscc=employer.uscc,
                         role=ProjectUnit.Role.LABOUR)  # fmt: skip
    except ValidationError:
        return False
    return True


def _arrange(projects: list[Project], month, listed_employer_ids: Iterable[int], progress) -> None:
    for i, project in enumerate(Project.objects.filter(project_no__startswith="DEMO-").order_by("pk")):
        if i % 5 and project.notice_board_posted_on is None and project.start_on:
            project_notice_board_record(actor=None, project=project, posted_on=project.start_on + timedelta(days=5))
    p = projects
    touched = []
    sheet = WageSheetLine.objects.filter(worker__project=p[0], month=month).order_by("pk").first()
    if sheet is not None:  # a wage sheet missing for a worker who worked
        sheet.delete()
        touched.append(p[0].pk)
    pay = PaymentLine.objects.filter(worker__project=p[1], month=month).order_by("pk").first()
    if pay is not None:  # paid below the minimum wage for the days worked
        PaymentLine.objects.filter(pk=pay.pk).update(amount=Decimal("500.00"))
        touched.append(p[1].pk)
    PaymentLine.objects.filter(pk__in=PaymentLine.objects.filter(worker__project=p[2], month=month).values("pk")[:3]
                               ).update(via_account=False)  # fmt: skip
    touched.append(p[2].pk)
    twin = Worker.objects.filter(project=p[4], payments__month=month).order_by("pk").first()
    there = p[5].units.filter(role=ProjectUnit.Role.GENERAL).order_by("pk").first()
    if twin is not None and there is not None:  # the same person paid on a second project that month
        worker, _new = Worker.objects.get_or_create(
            project=p[5], person=twin.person,
            defaults={"unit": there, "contract_signed_on": twin.contract_signed_on, "entered_on": twin.entered_on},
        )  # fmt: skip
        PaymentLine.objects.get_or_create(
            worker=worker, month=month, paid_on=month + timedelta(days=45), amount=Decimal("2800.00"),
            defaults={"via_account": True, "on_behalf": True},
        )  # fmt: skip
        touched.append(p[5].pk)
    summary.refresh_months(project_ids=touched, months=[month])
    project_status_set(actor=None, project=p[3], status=Project.Status.STOPPED)
    listed = list(listed_employer_ids)
    if listed:
        _add_unit(p[6], Employer.objects.filter(pk__in=listed).exclude(uscc="").first())
    region = Region.objects.get(code=DEMO_COUNTY)
    signal_enter(actor=None, region=region, source=Signal.Source.HOTLINE, level=Signal.Level.ORANGE, project=p[7],
                 facts=f"12333热线反映该项目钢筋班组二十余人两个月未发工资{MARK}", workers=22,
                 amount=Decimal("180000"))  # fmt: skip
    signal_enter(actor=None, region=region, source=Signal.Source.MEDIA, level=Signal.Level.YELLOW,
                 facts=f"本地新闻报道某工地农民工聚集讨薪{MARK}")  # fmt: skip
    progress("  signals: demo projects arranged (each kind of signal)")


def signals_seed(*, listed_employer_ids: Iterable[int] = (), progress: Callable[[str], object] = print) -> dict:
    """Check the demo projects' last two months and run the other sources; returns the signals by rule."""
    month = previous_month(timezone.localdate())
    county = list(Project.objects.filter(project_no__startswith="DEMO-", region__code=DEMO_COUNTY).order_by("pk")[:8])
    if len(county) == 8 and not Signal.objects.filter(rule="manual", evidence__facts__endswith=MARK).exists():
        _arrange(county, month, listed_employer_ids, progress)
    demo = Project.objects.filter(project_no__startswith="DEMO-", status=Project.Status.UNDER_CONSTRUCTION)
    for m in (previous_month(month), month):
        result = projects_check(month=m, projects=demo.select_related("region").order_by("pk"))
        progress(f"  signals: {m:%Y-%m} checked on {result.projects} projects: {result.outcomes}")
    found = sources_check(listed_employer_ids=listed_employer_ids)
    progress(f"  signals: other sources {found}")
    counts = dict(Signal.objects.values("rule").annotate(n=Count("id")).values_list("rule", "n"))
    progress(f"  signals: {sum(counts.values())} in all")
    return counts
