import os
import sys

from django.core.management.base import BaseCommand, CommandError

from cases import timeline
from cases.models import Case


class Command(BaseCommand):
    help = (
        "Recompute the hash chains of the timeline and compare them with their heads and the latest keyed "
        "checkpoint; exit 1 naming the first break (subject, event number, kind)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--case", dest="case_no", help="only this case (case number)")
        parser.add_argument(
            "--jobs",
            type=int,
            default=min(os.cpu_count() or 1, 4),
            help="processes (and database connections) for a whole-database pass (default: the CPUs, at most 4)",
        )
        parser.add_argument(
            "--checkpoint-file",
            dest="checkpoint_file",
            help="also check an exported checkpoint file: its HMAC, and that every chain it lists still has "
            "the event it recorded",
        )

    def handle(self, *args, case_no=None, jobs=1, checkpoint_file=None, **options):
        if jobs < 1:
            raise CommandError("jobs: must be at least 1")
        case = None
        if case_no:
            case = Case.objects.filter(case_no=case_no).first()
            if case is None:
                raise CommandError(f"case: no case {case_no!r}")
        if checkpoint_file:
            try:
                broken = timeline.checkpoint_file_breaks(checkpoint_file)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise CommandError(f"checkpoint-file: cannot read {checkpoint_file!r}: {exc}") from exc
            if broken:
                self.stderr.write(f"BROKEN [{broken.kind}]: {broken}")
                sys.exit(1)
        result = timeline.verify(case=case, jobs=jobs)
        if result.ok:
            against = f", against checkpoint #{result.checkpoint}" if result.checkpoint else ""
            self.stdout.write(
                self.style.SUCCESS(f"OK: {result.chains} chains, {result.events} events verified{against}")
            )
            return
        self.stderr.write(
            f"BROKEN [{result.first_broken.kind}]: {result.first_broken} "
            f"(after {result.events} events in {result.chains} chains)"
        )
        sys.exit(1)
