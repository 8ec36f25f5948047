"""What the coverage page, its API and the monthly report show for one region and month: the region's figures
(rolled up), one row per region below it (and one for the region's own office, 本级, when it has projects of
its own), the trend over twelve months, the targets, and for every figure the project list behind it.

Read from the snapshot (one query). In eager mode (settings.ZHIQIAN_DASHBOARD_LIVE: the demo, a laptop, where no
nightly job runs) the month shown is recounted first (two queries and the month's snapshot rows rewritten); the
other months of the trend are as the last refresh left them."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_FLOOR, Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Region
from projects.coverage import FIGURES

from . import extensions, scope
from .compute import ZERO, _ancestors, blank, coverage_refresh, months_back, snapshot_figures
from .targets import meets, share, targets_for

TREND_MONTHS = 12


def share_keys() -> list[str]:
    """The figures shown as shares, read at call time (an upper layer registers its own in its ready())."""
    return [key for key, figure in FIGURES.items() if figure.share]


def default_month(today: date | None = None) -> date:
    """The last whole month: a month's wages are paid and recorded in the next one."""
    first = (today or timezone.localdate()).replace(day=1)
    return (first.replace(day=1) - date.resolution).replace(day=1)


def parse_month(raw) -> tuple[date | None, dict[str, list[str]]]:
    """?month=YYYY-MM → (its first day, no errors); absent → (None, {}); bad → (None, an error naming it)."""
    text = str(raw or "").strip()
    if not text:
        return None, {}
    parts = text.split("-")
    if len(parts) == 2 and all(p.isdigit() for p in parts) and 2000 < int(parts[0]) < 2200 and 1 <= int(parts[1]) <= 12:
        return date(int(parts[0]), int(parts[1]), 1), {}
    return None, {"month": [_("统计月份应为年-月，例如2026-05。")]}


def list_url(code: str, figure: str, month: date, own: bool = False) -> str:
    """The project list behind a figure (projects.coverage.list_filter: the same conditions)."""
    params = {"region": code, "figure": figure, "month": f"{month:%Y-%m}"}
    if own:
        params["own"] = "1"
    return f"{reverse('projects:index')}?{urlencode(params)}"


def _rate(paid: Decimal, due: Decimal) -> Decimal | None:
    if not due:
        return None
    return (Decimal(paid) * 100 / Decimal(due)).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)


def decorate(data: dict, targets: dict, code: str, month: date, own: bool = False) -> dict:
    """Figures → counts, shares (% rounded down), whether each share meets its target, the list behind each."""
    counts = data["counts"]
    building = counts["building"]
    keys, shares = list(FIGURES), share_keys()
    return {
        "counts": dict(counts),
        "shares": {k: share(counts[k], building) for k in shares},
        "meets": {k: meets(counts[k], building, targets.get(k)) for k in shares},
        "wages_due": data["wages_due"],
        "wages_paid": data["wages_paid"],
        "paid_rate": _rate(data["wages_paid"], data["wages_due"]),
        "links": {k: list_url(code, k, month, own) for k in keys},
    }


def _minus(total: dict, parts: list[dict]) -> dict:
    out = blank()
    for key in FIGURES:
        out["counts"][key] = total["counts"][key] - sum(p["counts"][key] for p in parts)
    for key in ("wages_due", "wages_paid"):
        out[key] = total[key] - sum((p[key] for p in parts), ZERO)
    return out


def _province_id(region: Region) -> int | None:
    head = region.path.split("/")[0] + "/"
    return Region.objects.filter(path=head).values_list("pk", flat=True).first()


def coverage_for(*, user, region_code: str | None, month: date | None = None, live: bool | None = None) -> dict:
    """The coverage of a region the user may open (indicators.scope: 404 outside it, 403 for a wrong role)."""
    region = scope.region_for(user, region_code)
    own_only = not scope.reads_subtree(user, region)
    return coverage_of(region, month, live=live, allows=lambda r: scope.allows(user, r), own_only=own_only)


def coverage_of(
    region: Region, month: date | None, *, live: bool | None = None, allows=None, own_only: bool = False
) -> dict:
    """The coverage of `region` (no scope check: the callers' — coverage_for, the report command). `allows`:
    which regions may be drilled into and shown in the breadcrumbs (default: all). `own_only`: the figures of
    the region's own office only (本级: what an own-office role reads), not of the regions below."""
    allows = allows or (lambda r: True)
    month = (month or default_month()).replace(day=1)
    months = months_back(month, TREND_MONTHS)
    children = list(Region.objects.filter(parent=region).order_by("code").only("code", "name", "path"))
    live = getattr(settings, "ZHIQIAN_DASHBOARD_LIVE", False) if live is None else live
    if live:  # no nightly job in eager mode: the month shown is recounted (every region) before it is read
        coverage_refresh(months=[month])
    figures, refreshed = snapshot_figures([region.pk, *[c.pk for c in children]], months)
    targets = targets_for(_province_id(region), month.year)

    def fig(region_id: int, m: date) -> dict:
        return figures.get((region_id, m)) or blank()

    if own_only:  # the region's own office: its total less the regions below, month by month
        whole = fig
        figures = {(region.pk, m): _minus(whole(region.pk, m), [whole(c.pk, m) for c in children]) for m in months}
        children = []
    rows = []
    for child in children:
        data = fig(child.pk, month)
        if data["counts"]["building"] or data["wages_due"]:
            row = decorate(data, targets, child.code, month)
            drill = allows(child)
            rows.append({"code": child.code, "name": child.name, "own": False, "drill": drill, **row})
    own = _minus(fig(region.pk, month), [fig(c.pk, month) for c in children])
    if own["counts"]["building"] or own["wages_due"]:
        rows.insert(0, {"code": region.code, "name": region.name, "own": True, "drill": False,
                        **decorate(own, targets, region.code, month, own=True)})  # fmt: skip
    crumbs = Region.objects.filter(path__in=_ancestors(region.path)[:-1]).order_by("path")
    return {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "month": month,
        "targets": targets,
        "own_only": own_only,
        "totals": decorate(fig(region.pk, month), targets, region.code, month, own=own_only),
        "rows": rows,
        "trend": [{"month": m, **decorate(fig(region.pk, m), targets, region.code, m, own=own_only)} for m in months],
        "breadcrumbs": [{"code": r.code, "name": r.name} for r in crumbs if allows(r)],
        "signals": _signals(region, children, own_only),
        "refreshed_at": refreshed,
        "live": live,
    }


def _signals(region: Region, children: list[Region], own_only: bool) -> dict | None:
    """Open warning signals by level (extension point, indicators.extensions), per row of the page (the region's
    own office under its code, each region below rolled up under its code) and in all, each with the list behind
    it when extensions.signal_list_url is set; None until wired."""
    if extensions.open_signals is None:
        return None
    regions = Region.objects.filter(pk=region.pk) if own_only else Region.objects.filter(path__startswith=region.path)
    subtree = list(regions.values_list("pk", "path"))
    counts = extensions.open_signals([pk for pk, _ in subtree])
    levels = [level for level, _label in extensions.SIGNAL_LEVELS]
    per: dict[str, dict[str, int]] = {}
    for pk, path in subtree:
        child = next((c.code for c in children if path.startswith(c.path)), region.code)
        for level in levels:
            per.setdefault(child, dict.fromkeys(levels, 0))[level] += counts.get(pk, {}).get(level, 0)
    totals = {level: sum(p[level] for p in per.values()) for level in levels}
    url = extensions.signal_list_url

    def cells(code: str, values: dict[str, int], own: bool) -> list[tuple[str, int, str]]:
        return [(level, values.get(level, 0), url(code, level, own) if url else "") for level in levels]

    return {
        "totals": totals,
        "by_region": per,
        "cells": {code: cells(code, values, code == region.code) for code, values in per.items()},
        "total_cells": cells(region.code, totals, own_only),
    }
