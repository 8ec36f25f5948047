from django.core.management.base import BaseCommand

from projects.demo import DEMO_COUNT, industry_logins
from workflows.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = (
        "Load Jiangxi, demo staff (one per role at 360000, 360300, 360302, 360313), cases in every state, and "
        "demo construction projects with their rosters and 12 months of payroll (seed_projects --count for more)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--projects", type=int, default=DEMO_COUNT, help=f"demo construction projects (default {DEMO_COUNT})"
        )

    def handle(self, *args, projects=DEMO_COUNT, **options):
        logins = seed_demo(progress=self.stdout.write, projects=projects)
        logins += industry_logins(DEMO_PASSWORD)
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for username, role, region in logins:
            self.stdout.write(f"  {username:<18} {role:<10} {region}")
