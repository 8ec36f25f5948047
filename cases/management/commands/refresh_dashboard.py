import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from cases import dashboard


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}")


class Command(BaseCommand):
    help = (
        "Recompute the dashboard's precomputed figures (RegionDayStats, RegionMonthStats) one calendar "
        "year at a time: every day (a full rebuild), or the days from --since on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", type=_date, help="first local day to recompute (YYYY-MM-DD)")

    def handle(self, *args, since: date | None = None, **options):
        started = time.monotonic()
        written = dashboard.stats_rebuild(since=since, progress=self.stdout.write)
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"OK: {written:,} day rows written in {elapsed:.1f} s"))
