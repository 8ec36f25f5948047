from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workflows.sweep import sweep


class Command(BaseCommand):
    help = "Run the deadline sweep (warnings, overdue escalations, viewflow timers) now or as of --at."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="evaluate as of this moment, ISO 8601 (e.g. 2026-10-12T09:00; local time)")
        parser.add_argument(
            "--jobs", type=int, default=1, help="sweep processes working off the due deadlines together (PostgreSQL)"
        )

    def handle(self, *args, at=None, jobs=1, **options):
        if jobs < 1:
            raise CommandError("jobs: must be at least 1")
        now = None
        if at:
            try:
                now = datetime.fromisoformat(at)
            except ValueError:
                raise CommandError(f"--at: not an ISO 8601 date-time: {at!r}")
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        result = sweep(now=now, jobs=jobs)
        self.stdout.write(
            self.style.SUCCESS(
                f"sweep as of {(now or timezone.now()).isoformat()}: {result['warned']} warned, "
                f"{result['overdue']} overdue, {result['timers']} timers fired"
            )
        )
