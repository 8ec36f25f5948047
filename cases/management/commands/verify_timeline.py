import os
import sys

from django.core.management.base import BaseCommand, CommandError

from cases import timeline
from cases.models import Case


class Command(BaseCommand):
    help = "Recompute the hash chains of the timeline; exit 1 naming the first broken event."

    def add_arguments(self, parser):
        parser.add_argument("--case", dest="case_no", help="only this case (case number)")
        parser.add_argument(
            "--jobs",
            type=int,
            default=min(os.cpu_count() or 1, 4),
            help="processes (and database connections) for a whole-database pass (default: the CPUs, at most 4)",
        )

    def handle(self, *args, case_no=None, jobs=1, **options):
        if jobs < 1:
            raise CommandError("jobs: must be at least 1")
        case = None
        if case_no:
            case = Case.objects.filter(case_no=case_no).first()
            if case is None:
                raise CommandError(f"case: no case {case_no!r}")
        result = timeline.verify(case=case, jobs=jobs)
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"OK: {result.chains} chains, {result.events} events verified"))
            return
        self.stderr.write(f"BROKEN: {result.first_broken} (after {result.events} events in {result.chains} chains)")
        sys.exit(1)
