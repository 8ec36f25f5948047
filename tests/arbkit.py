"""Helpers of the referral tests: a commission or legal-aid user at a region, a refused complaint or a case with
a ledger of two workers, all at a fixed moment (the clocks across a holiday)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model

from arbitration.models import Office
from arbitration.roles import office_role_grant
from cases.deadlines import TZ
from cases.models import Region


def office_user(office: str = Office.ARBITRATION, code: str = "360302", name: str = ""):
    """A user holding only the commission's (or the centre's) role at `code`."""
    username = name or f"{office}_{code}"
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = get_user_model().objects.create_user(username=username, password="pw-arb-12345")
    office_role_grant(actor=None, user=user, region=Region.objects.get(code=code), office=office)
    return user


def local(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime(y, m, d, h, 0, tzinfo=TZ)
