from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from cases.accounts import staff_create
from cases.models import Region, Role


class Command(BaseCommand):
    help = (
        "Create a staff account holding ROLE at the region CODE (or add that role to the account). An ops tool:"
        " no scope rule applies; each change is on the account's timeline with the actor 'system'."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--region", required=True, help="six-digit region code, e.g. 360302")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--password", help="without it the account cannot log in with a password")
        parser.add_argument("--name", default="", help="the person's full name")
        parser.add_argument("--token", action="store_true", help="print an API token for the account")

    def handle(self, *args, username, region, role, password=None, name="", token=False, **options):
        region_obj = Region.objects.filter(code=region).first()
        if region_obj is None:
            raise CommandError(f"region: no region with code {region!r}; run load_regions first")
        try:
            user = staff_create(username=username, region=region_obj, role=role, password=password, full_name=name)
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {', '.join(v)}" for k, v in exc.message_dict.items()))
        self.stdout.write(self.style.SUCCESS(f"{user.username}: {role} at {region_obj.name} ({region_obj.code})"))
        if token:
            self.stdout.write(Token.objects.get_or_create(user=user)[0].key)
