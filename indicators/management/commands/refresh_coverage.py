from django.core.management.base import BaseCommand

from indicators.compute import coverage_refresh


class Command(BaseCommand):
    help = "Recount the coverage indicators' snapshot (every region) for the last N months (default 12)."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=12)

    def handle(self, *args, months, **options):
        rows = coverage_refresh(count=max(1, min(months, 120)))
        self.stdout.write(self.style.SUCCESS(f"{rows} snapshot rows written"))
