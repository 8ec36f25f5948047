from django.core.management.base import BaseCommand

from projects.demo import industry_logins, projects_seed


class Command(BaseCommand):
    help = (
        "Demo construction projects across Jiangxi (chains, rosters, 12 months of payroll; some late, some short, "
        "some without a wage account) and the industry-department demo logins. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=300, help="projects in all (default 300)")
        parser.add_argument("--password", default="", help="password of the industry-department demo logins")

    def handle(self, *args, count, password, **options):
        self.stdout.write(f"Construction projects (up to {count}):")
        projects_seed(count=count, progress=self.stdout.write)
        for username, role, region in industry_logins(password or None):
            self.stdout.write(f"  {username:<18} {role:<18} {region}")
