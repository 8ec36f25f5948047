"""Re-run a plan's draw from its recorded seed and pools and compare (复核), without recording anything:
`manage.py draw_verify <plan id>`; exit status 1 on a mismatch."""

from django.core.management.base import BaseCommand, CommandError

from inspections.models import Plan
from inspections.services import draw_recompute


class Command(BaseCommand):
    help = "Re-run a double-random draw from its recorded seed and pools and compare it with the recorded result."

    def add_arguments(self, parser):
        parser.add_argument("plan", type=int)

    def handle(self, *args, plan: int, **options):
        found = Plan.objects.filter(pk=plan).first()
        if found is None or not found.seed:
            raise CommandError(f"plan {plan}: not found or not drawn")
        if not draw_recompute(found):
            raise CommandError(f"plan {plan}: MISMATCH (seed {found.seed}, pools {found.snapshot_hash})")
        self.stdout.write(f"plan {plan}: OK (seed {found.seed}, method {found.method}, pools {found.snapshot_hash})")
