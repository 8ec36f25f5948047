import sys

from django.core.management.base import BaseCommand

from cases.timeline import CheckpointRefused, timeline_checkpoint_take


class Command(BaseCommand):
    help = (
        "Take a keyed checkpoint (HMAC-SHA256, key ZHIQIAN_TIMELINE_KEY) of every timeline head: a row in the "
        "database and a JSON file for the auditors (and a POST to ZHIQIAN_CHECKPOINT_URL when set). Refused, "
        "exit 1, when the previous checkpoint does not verify or a chain it signed was changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", dest="out_dir", help="folder of the exported file (default ZHIQIAN_CHECKPOINT_DIR)"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="sign the heads even though the previous checkpoint does not verify or a chain it signed was "
            "changed (after a key rotation, or once the break has been investigated)",
        )

    def handle(self, *args, out_dir=None, force=False, **options):
        try:
            taken = timeline_checkpoint_take(out_dir=out_dir, force=force)
        except CheckpointRefused as refused:
            self.stderr.write(f"REFUSED [{refused.broken.kind}]: {refused.broken} (nothing written; see --force)")
            sys.exit(1)
        checkpoint = taken.checkpoint
        self.stdout.write(
            f"checkpoint #{checkpoint.pk}: {checkpoint.heads} chains, {checkpoint.events} events, "
            f"{checkpoint.changed} changed since the previous one; mac {checkpoint.mac}; file {taken.path}"
            + ("; pushed" if taken.pushed else "")
        )
