from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.models import Region
from indicators.compute import coverage_refresh
from indicators.figures import coverage_of, parse_month
from indicators.report import report_filename, report_workbook


class Command(BaseCommand):
    help = (
        "Write the monthly coverage report of a region (XLSX, the fixed layout for the superior level); "
        "--refresh recounts the snapshot of the last 12 months first (what the nightly job does)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="six-digit region code, e.g. 360300")
        parser.add_argument("--month", required=True, help="the month reported, e.g. 2026-05")
        parser.add_argument("--output", help="file or directory (default: coverage-<region>-<month>.xlsx here)")
        parser.add_argument("--refresh", action="store_true", help="recount the snapshot before reading it")
        parser.add_argument("--live", action="store_true", help="count live instead of reading the snapshot")

    def handle(self, *args, region, month, output, refresh, live, **options):
        clean, errors = parse_month(month)
        if errors or clean is None:
            raise CommandError("--month: " + "; ".join(errors.get("month", ["YYYY-MM"])))
        place = Region.objects.filter(code=region).first()
        if place is None:
            raise CommandError(f"--region: no region {region}")
        if refresh:
            self.stdout.write("1/3 recounting the snapshot (12 months, every region) …")
            self.stdout.write(f"    {coverage_refresh()} snapshot rows written")
        else:
            self.stdout.write("1/3 snapshot not recounted (use --refresh to recount it)")
        self.stdout.write(f"2/3 reading the figures of {place.name} ({place.code}) for {clean:%Y-%m} …")
        data = coverage_of(place, clean, live=live)
        self.stdout.write(f"    {len(data['rows'])} region rows, {data['totals']['counts']['building']} projects")
        target = Path(output) if output else Path(report_filename(data))
        if target.is_dir():
            target = target / report_filename(data)
        self.stdout.write(f"3/3 writing {target} …")
        target.write_bytes(report_workbook(data))
        self.stdout.write(self.style.SUCCESS(f"{target}: written"))
