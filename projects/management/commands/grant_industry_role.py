from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cases.models import Region
from projects.models import Department
from projects.registry import industry_role_grant


class Command(BaseCommand):
    help = "Give a user the industry-department role (housing, transport, water, other) at a region."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--region", required=True, help="six-digit region code")
        parser.add_argument("--department", required=True, choices=Department.values)

    def handle(self, *args, username, region, department, **options):
        user = get_user_model().objects.filter(username=username).first()
        place = Region.objects.filter(code=region).first()
        if user is None or place is None:
            raise CommandError("unknown user or region")
        try:
            industry_role_grant(actor=None, user=user, region=place, department=department)
        except ValidationError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{username}: {department} at {region}")
