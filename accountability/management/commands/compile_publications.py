from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError

from accountability.publication import CADENCE_LEVELS, publications_compile_due
from cases.values import LOCAL_TZ


class Command(BaseCommand):
    help = (
        "Compile the draft publications of major violations for the period that ended before --at "
        "(default today): quarterly for county and city offices, half-yearly for province offices. "
        "Idempotent per office and period; published lists are never changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--at", help="as of this date (YYYY-MM-DD, Asia/Shanghai); default: today")
        parser.add_argument("--cadence", choices=[*sorted(CADENCE_LEVELS), "all"], default="all")

    def handle(self, *args, at=None, cadence="all", **options):
        moment = None
        if at:
            try:
                day = date.fromisoformat(at[:10])
            except ValueError:
                raise CommandError(f"--at: not a date (YYYY-MM-DD): {at!r}")
            moment = datetime.combine(day, time(1, 0), tzinfo=LOCAL_TZ)
        cadences = sorted(CADENCE_LEVELS) if cadence == "all" else [cadence]
        for name in cadences:
            for publication in publications_compile_due(cadence=name, at=moment):
                self.stdout.write(
                    f"{name}: {publication.region.code} {publication.period} {publication.get_status_display()} "
                    f"({publication.entries.count()} entries)"
                )
        self.stdout.write(self.style.SUCCESS("done"))
