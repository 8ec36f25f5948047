from django.core.management.base import BaseCommand

from cases.timeline import timeline_checkpoint_take


class Command(BaseCommand):
    help = (
        "Take a keyed checkpoint (HMAC-SHA256, key ZHIQIAN_TIMELINE_KEY) of every timeline head: a row in the "
        "database and a JSON file for the auditors (and a POST to ZHIQIAN_CHECKPOINT_URL when set)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", dest="out_dir", help="folder of the exported file (default ZHIQIAN_CHECKPOINT_DIR)"
        )

    def handle(self, *args, out_dir=None, **options):
        taken = timeline_checkpoint_take(out_dir=out_dir)
        checkpoint = taken.checkpoint
        self.stdout.write(
            f"checkpoint #{checkpoint.pk}: {checkpoint.heads} chains, {checkpoint.events} events, "
            f"{checkpoint.changed} changed since the previous one; mac {checkpoint.mac}; file {taken.path}"
            + ("; pushed" if taken.pushed else "")
        )
