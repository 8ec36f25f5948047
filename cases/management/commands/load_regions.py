from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cases.regions import regions_load


class Command(BaseCommand):
    help = "Load China's administrative divisions (province / city / county) from the shipped data."

    def add_arguments(self, parser):
        parser.add_argument("--province", help="only this province, by its six-digit code (e.g. 360000)")

    def handle(self, *args, province=None, **options):
        def progress(done: int, total: int) -> None:
            self.stdout.write(f"\r  regions {done}/{total}", ending="")
            self.stdout.flush()

        try:
            created, updated = regions_load(province=province, progress=progress)
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {', '.join(v)}" for k, v in exc.message_dict.items()))
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"regions: {created} created, {updated} updated"))
