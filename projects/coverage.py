"""Which projects each coverage figure counts in a month (the plan's 二(一): real-name management, the wage
special account, 总包代发), as a Q over Project. ONE definition, read both by the coverage indicators (the
`indicators` app, which counts them grouped by region) and by the project list's filter (?figure=&month=&region=),
so that every figure and the list it opens are the same projects.

A month is its first day. The base of every figure is `building`: the projects under construction in the month.
Upper layers add figures of their own with `register_figure` (the deposits app: "projects with a wage deposit");
the indicators count every registered figure, the project list filters by it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import Region

from .models import PaymentLine, Project, ProjectMonth, ProjectUnit, WageAccount


def month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def building_q(month: date) -> Q:
    """Under construction in `month`: started by its end (or no start date recorded) and either still under
    construction, or completed in or after the month. Registered (not started) and stopped projects do not count."""
    end = month_end(month)
    started = Q(start_on__isnull=True) | Q(start_on__lte=end)
    still = Q(status=Project.Status.UNDER_CONSTRUCTION)
    finished_since = Q(status=Project.Status.COMPLETED, completed_on__gte=month)
    return started & (still | finished_since)


def real_name_q(month: date) -> Q:
    """Real-name management: a roster with attendance recorded for the month."""
    return Q(Exists(ProjectMonth.objects.filter(project=OuterRef("pk"), month=month, attendance_workers__gt=0)))


def account_q(month: date) -> Q:
    """A wage special account opened by the month's end and not closed before it began."""
    opened = WageAccount.objects.filter(project=OuterRef("pk"), opened_on__lte=month_end(month))
    return Q(Exists(opened.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=month))))


def on_behalf_q(month: date) -> Q:
    """总包代发: the month's wages were paid, and every payment to a worker of a subcontractor was made by the
    general contractor on its behalf (a general contractor's own workers are paid by it anyway)."""
    paid = PaymentLine.objects.filter(worker__project=OuterRef("pk"), month=month)
    not_by_general = paid.filter(on_behalf=False).exclude(worker__unit__role=ProjectUnit.Role.GENERAL)
    return Q(Exists(paid)) & ~Q(Exists(not_by_general))


def sheet_q(month: date) -> Q:
    """A wage sheet for the month (the projects behind the wages due and paid)."""
    return Q(Exists(ProjectMonth.objects.filter(project=OuterRef("pk"), month=month, sheet_workers__gt=0)))


def paid_full_q(month: date) -> Q:
    """A wage sheet for the month and payments of at least its net total."""
    rows = ProjectMonth.objects.filter(project=OuterRef("pk"), month=month, sheet_workers__gt=0)
    return Q(Exists(rows.filter(paid__gte=F("amount_net"))))


@dataclass(frozen=True)
class Figure:
    key: str
    label: Promise
    q: Callable[[date], Q]
    share: bool = True  # shown as a share of the projects under construction (and checked against a target)


FIGURES: dict[str, Figure] = {}


def register_figure(key: str, label: Promise, q: Callable[[date], Q], *, share: bool = True) -> None:
    """Add a figure (an upper layer's: deposits). Idempotent per key."""
    FIGURES[key] = Figure(key, label, q, share)


register_figure("building", _("在建项目"), building_q, share=False)
register_figure("real_name", _("实名制管理"), real_name_q)
register_figure("account", _("工资专用账户"), account_q)
register_figure("on_behalf", _("总包代发"), on_behalf_q)
register_figure("sheet", _("有工资支付表"), sheet_q, share=False)
register_figure("paid_full", _("工资足额支付"), paid_full_q, share=False)


def figure_q(key: str, month: date) -> Q:
    """The projects `key` counts in `month`: always within the projects under construction."""
    base = building_q(month)
    return base if key == "building" else base & FIGURES[key].q(month)


def list_filter(qs: QuerySet[Project], params) -> tuple[QuerySet[Project], dict, dict[str, list[str]]]:
    """The project list's coverage filter (?figure=&month=YYYY-MM&region=CODE&own=1): the projects behind a
    figure. Returns (the filtered list, what was applied, errors by field). A bad value: an error naming the
    field, and that filter not applied."""
    applied: dict = {}
    errors: dict[str, list[str]] = {}
    code = (params.get("region") or "").strip()
    if code:
        region = Region.objects.filter(code=code[:6]).only("pk", "path", "name").first()
        if region is None:
            errors["region"] = [str(_("区划代码不存在。"))]
        elif params.get("own") == "1":
            qs, applied["region"], applied["own"] = qs.filter(region=region), region, True
        else:
            qs, applied["region"] = qs.filter(region__path__startswith=region.path), region
    figure = (params.get("figure") or "").strip()
    if figure:
        month = _month(params.get("month"))
        if figure not in FIGURES:
            errors["figure"] = [str(_("未知的统计指标。"))]
        elif month is None:
            errors["month"] = [str(_("请填写有效的统计月份（例如2026-05）。"))]
        else:
            qs = qs.filter(figure_q(figure, month))
            applied.update({"figure": FIGURES[figure], "month": month})
    return qs, applied, errors


def _month(raw) -> date | None:
    parts = str(raw or "").strip().split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    year, month = int(parts[0]), int(parts[1])
    return date(year, month, 1) if 1900 < year < 2200 and 1 <= month <= 12 else None
