"""The region dashboard (SPEC §7; issue P6): per region and period — received, accepted, closed,
overdue, amounts owed and recovered, workers paid, supervised and referred cases.

Two kinds of figure:

- **Flows** (what happened in a period) come from `RegionDayStats`, one row per office and local
  day, and `RegionMonthStats`, their monthly sums, written only by `stats_refresh`: a few GROUP BY
  queries over the source tables (one per measure), upserted on (region, day), then the months
  those days are in. A period × subtree is one SUM over its whole months plus one over the days at
  its ends: a few thousand rows at most, whatever the number of cases. Celery refreshes yesterday
  and today (`cases.tasks.dashboard_refresh`); `manage.py refresh_dashboard` rebuilds everything.
  A figure of an older day moves only when its source changes after the fact (a complaint grouped
  onto an old case or a ledger entered later changes that case's amount owed; an extension takes
  back an overdue): the next full rebuild puts it right.
- **States** (open cases, overdue deadlines, open supervisions *now*) are counted live: one indexed
  query each, grouped by region.

`dashboard_for` answers for one region of the user's scope (cases.scope, READ_CASE) and its
children: 404 for a region outside the scope, 403 for a user who reads no cases (the administrator).
"""

from .figures import FIGURE_FILTERS, dashboard_for, figure_q
from .stats import (
    AMOUNTS,
    COUNTS,
    LIVE,
    MEASURES,
    OPEN_CASE,
    OPEN_SUPERVISION,
    stats_first_day,
    stats_rebuild,
    stats_refresh,
    stats_refresh_recent,
)

__all__ = [
    "FIGURE_FILTERS",
    "figure_q",
    "AMOUNTS",
    "COUNTS",
    "LIVE",
    "MEASURES",
    "OPEN_CASE",
    "OPEN_SUPERVISION",
    "dashboard_for",
    "stats_first_day",
    "stats_rebuild",
    "stats_refresh",
    "stats_refresh_recent",
]
