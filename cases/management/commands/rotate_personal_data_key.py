from django.core.management.base import BaseCommand, CommandError

from cases.personal_data import PersonalDataError, current_kid
from cases.personal_data_rotate import personal_data_key_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt personal data under the first key of ZHIQIAN_DATA_KEYS, in batches (idempotent); "
        "--reindex also recomputes the blind indexes after ZHIQIAN_INDEX_KEY changed. See docs/personal-data.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reindex", action="store_true", help="recompute every blind index (new index key)")
        parser.add_argument("--batch-size", type=int, default=1000, help="rows per batch and transaction")
        parser.add_argument("--dry-run", action="store_true", help="count what would change, change nothing")

    def handle(self, *args, reindex=False, batch_size=1000, dry_run=False, verbosity=1, **options):
        if batch_size < 1:
            raise CommandError("batch-size: must be at least 1")

        def progress(line: str) -> None:
            if verbosity >= 1:
                self.stdout.write(line)

        try:
            result = personal_data_key_rotate(
                reindex=reindex, batch_size=batch_size, dry_run=dry_run, progress=progress
            )
        except PersonalDataError as exc:
            raise CommandError(str(exc)) from None
        verb = "would change" if dry_run else "changed"
        self.stdout.write(
            self.style.SUCCESS(
                f"{'DRY RUN: ' if dry_run else ''}{result.rows} rows read; key {current_kid()!r}: "
                f"{result.reencrypted} value(s) re-encrypted, {result.was_plain} plain value(s) encrypted"
                + (f"; {result.reindexed} index value(s) {verb}" if reindex else "")
            )
        )
