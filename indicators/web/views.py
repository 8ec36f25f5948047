"""The coverage page and its monthly report download: thin views over indicators.figures.coverage_for (which
owns scope: 404 for a region outside it, 403 for a role that opens none) and indicators.report."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from projects.coverage import FIGURES

from .. import extensions
from ..figures import coverage_for, parse_month, share_keys
from ..report import report_filename, report_workbook
from .coverage_map import coverage_map

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _chart_data(data: dict) -> dict:
    keys = share_keys()

    def num(value):
        return None if value is None else float(value)

    labels = {k: str(FIGURES[k].label) for k in keys}
    chart: dict = {
        "labels": labels,
        "target_label": _("目标"),
        "targets": {k: num(data["targets"].get(k)) for k in keys},
        "trend": {
            "months": [m["month"].strftime("%Y-%m") for m in data["trend"]],
            "series": {k: [num(m["shares"][k]) for m in data["trend"]] for k in keys},
            "links": {k: [m["links"][k] for m in data["trend"]] for k in keys},
        },
        "regions": {
            "names": [row["name"] + (_("（本级）") if row["own"] else "") for row in data["rows"]],
            "series": {k: [num(row["shares"][k]) for row in data["rows"]] for k in keys},
            "links": {k: [row["links"][k] for row in data["rows"]] for k in keys},
        },
    }
    area_map = coverage_map(data, keys, labels)
    if area_map:
        chart["map"] = area_map
    return chart


@require_GET
@login_required
def coverage_page(request):
    month, errors = parse_month(request.GET.get("month"))
    region = (request.GET.get("region") or "").strip() or None
    data = coverage_for(user=request.user, region_code=region, month=month)
    month_q = f"{data['month']:%Y-%m}"
    signal_heads = [(level, label) for level, label in extensions.SIGNAL_LEVELS] if data["signals"] else []
    chart_data = _chart_data(data)
    return render(
        request,
        "indicators/coverage.html",
        {
            "data": data,
            "errors": errors,
            "month_value": month_q,
            "figures": [(k, FIGURES[k].label) for k in share_keys()],
            "counts_only": [(k, FIGURES[k].label) for k in ("sheet", "paid_full")],
            "chart_data": chart_data,
            "map_scripts": chart_data.get("map", {}).get("scripts", []),
            "signal_heads": signal_heads,
            "report_url": "report.xlsx?" + urlencode({"region": data["region"]["code"], "month": month_q}),
            "crumbs": [
                (b["name"], "?" + urlencode({"region": b["code"], "month": month_q})) for b in data["breadcrumbs"]
            ],
            "drill": {row["code"]: "?" + urlencode({"region": row["code"], "month": month_q}) for row in data["rows"]},
        },
    )


@require_GET
@login_required
def coverage_report_download(request):
    """The monthly report for the superior level (XLSX, fixed layout)."""
    month, errors = parse_month(request.GET.get("month"))
    if errors:
        return HttpResponse(errors["month"][0], status=400, content_type="text/plain; charset=utf-8")
    region = (request.GET.get("region") or "").strip() or None
    data = coverage_for(user=request.user, region_code=region, month=month)
    response = HttpResponse(report_workbook(data), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{report_filename(data)}"'
    return response
