"""P6: the dashboard for the province, a city and a county, a year."""

from __future__ import annotations

import time
from datetime import date, timedelta

from bench.common import log, sql_log, summary_ms
from bench.measures.data import busiest_county


def p6(runs: int) -> dict:
    try:
        from cases import dashboard
    except ImportError as exc:
        return {"pending": f"cases.dashboard not importable ({exc})"}
    from django.contrib.auth import get_user_model
    from django.db import connection

    from cases.models import RegionDayStats

    out = {}
    if not RegionDayStats.objects.exists():
        import io

        from django.core.management import call_command

        log("P6: RegionDayStats empty: manage.py refresh_dashboard (full rebuild, a year per step)")
        t = time.perf_counter()
        buf = io.StringIO()
        call_command("refresh_dashboard", stdout=buf)
        out["stats_refresh_full"] = {
            "seconds": round(time.perf_counter() - t, 1),
            "output": buf.getvalue().strip().splitlines()[-1:],
        }
        log(f"  P6 stats_refresh: {out['stats_refresh_full']}")
    t = time.perf_counter()
    dashboard.stats_refresh_recent()
    out["stats_refresh_recent_s"] = round(time.perf_counter() - t, 2)
    county = busiest_county()
    User = get_user_model()
    today = date.today()
    year_ago = today - timedelta(days=365)
    for label, username, code in (
        ("province", "bench.leader1.360000", "360000"),
        ("city", f"bench.leader1.{county.parent.code}", county.parent.code),
        ("county", f"bench.leader1.{county.code}", county.code),
    ):
        lat, stmts = [], []
        for _ in range(runs):
            with sql_log(connection) as sql:
                t = time.perf_counter()
                data = dashboard.dashboard_for(
                    user=User.objects.get(username=username), region_code=code, date_from=year_ago, date_to=today
                )
                lat.append(time.perf_counter() - t)
            stmts.append(len(sql))
        out[label] = {
            **summary_ms(lat, brief=True),
            "statements": max(stmts),
            "rows": len(data["rows"]),
            "totals": {k: str(v) for k, v in data["totals"].items()},
        }
        log(f"  P6 {label}: {out[label]['median_ms']}/{out[label]['p95_ms']} ms, {out[label]['statements']} stmts")
    return out


def run(ctx) -> dict:
    return p6(ctx.args.runs)
