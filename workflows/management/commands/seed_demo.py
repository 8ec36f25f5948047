from django.core.management.base import BaseCommand

from workflows.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load Jiangxi, demo staff (one per role at 360000, 360300, 360302, 360313) and cases in every state."

    def handle(self, *args, **options):
        logins = seed_demo(progress=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for username, role, region in logins:
            self.stdout.write(f"  {username:<18} {role:<10} {region}")
