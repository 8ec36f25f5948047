from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand

# The migration's own code (workflows.0003), run on the current models: one definition of the copy.
backfill = import_module("workflows.migrations.0003_task_office_and_case").backfill


class Command(BaseCommand):
    help = (
        "Fill in the office and case of open tasks created without them (by code older than migration "
        "workflows.0003, e.g. during a rolling deploy), so that they show in the queues. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="copy them again onto every open task")

    def handle(self, *args, all=False, **options):
        placed = backfill(apps, None, only_missing=not all)
        self.stdout.write(self.style.SUCCESS(f"OK: {placed} open tasks placed"))
