"""Users and things of the joint meeting for the tests: department users without a bureau role, a referral
transferred to the police (the rows as the referral services leave them), a matter issued by an office."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.utils import timezone

from cases.deadlines import deadline_start
from cases.models import Referral
from jointmeeting import services
from jointmeeting.roles import member_role_grant
from projects.registry import industry_role_grant
from tests import factories, world

INDUSTRY = {"housing", "transport", "water"}


def department_user(department: str, code: str = "360302", *, password: str = "x-Joint-19", full_name: str = ""):
    """`<department>_<code>`: a user holding only that department's seat at `code`."""
    name = f"{department}_{code}"
    user = get_user_model().objects.filter(username=name).first()
    if user is None:
        user = get_user_model().objects.create_user(username=name, password=password, first_name=full_name)
        if department in INDUSTRY:
            industry_role_grant(actor=None, user=user, region=world.region(code), department=department)
        else:
            member_role_grant(actor=None, user=user, region=world.region(code), department=department)
    return get_user_model().objects.get(pk=user.pk)  # no cached seats


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def transferred(code: str = "360302", *, at=None) -> Referral:
    """A referral of a new case at `code` transferred to the police `at` (now), its 3-day clock running."""
    at = at or timezone.now()
    case = world.make_case(code)
    with transaction.atomic():
        referral = Referral.objects.create(
            case=case, status=Referral.Status.TRANSFERRED, proposed_by=factories.staff("inspector", code),
            proposed_at=at, approved_at=at, police=f"{case.region.name}公安机关",
            procuratorate=f"{case.region.name}人民检察院", transferred_at=at,
        )  # fmt: skip
        deadline_start(kind="police.decide", region=case.region, start_at=at, case=case)
    return referral


def matter(*, office: str = "360302", department: str = "housing", to: str = "360302", kind: str = "supervision",
           actor=None, **extra):  # fmt: skip
    return services.matter_issue(
        actor=actor or world.user("leader", office), office_region=world.region(office), kind=kind,
        subject=extra.pop("subject", "督促解决某项目拖欠农民工工资问题"), addressee_department=department,
        addressee_region=world.region(to), **extra,
    )  # fmt: skip
