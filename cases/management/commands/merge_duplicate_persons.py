"""Find person records that share a resident ID number and merge each group into its oldest record
(cases.persons.person_merge, as the system): the command for records stored before intake reused them."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from cases.persons import person_duplicates, person_merge

DEFAULT_REASON = "同一身份证号的重复当事人记录，批量合并"


class Command(BaseCommand):
    help = "Merge person records that share a resident ID number into the oldest one, with progress output."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list the groups, change nothing")
        parser.add_argument("--reason", default=DEFAULT_REASON, help="the reason recorded on each merge")

    def handle(self, *args, dry_run: bool = False, reason: str = DEFAULT_REASON, **options):
        groups = list(person_duplicates())
        self.stdout.write(f"{len(groups)} group(s) of duplicate person records found")
        merged = refused = 0
        for n, group in enumerate(groups, 1):
            keep, *duplicates = group
            self.stdout.write(f"[{n}/{len(groups)}] record {keep.pk}: {len(duplicates)} duplicate(s) "
                              f"{', '.join(str(d.pk) for d in duplicates)}")  # fmt: skip
            if dry_run:
                continue
            for duplicate in duplicates:
                try:
                    person_merge(keep=keep, duplicate=duplicate, actor=None, reason=reason)
                except ValidationError as exc:
                    refused += 1
                    self.stdout.write(self.style.WARNING(f"  {duplicate.pk} not merged: {'; '.join(exc.messages)}"))
                else:
                    merged += 1
        verb = "would merge" if dry_run else "merged"
        total = sum(len(g) - 1 for g in groups) if dry_run else merged
        self.stdout.write(self.style.SUCCESS(f"OK: {verb} {total} record(s); {refused} left for a person to check"))
