"""Permission-matrix entries: the leaders' escalation screen (leaders only)."""

from django.urls import reverse

from cases.models import Role
from tests.matrix import Entry


def _leaders(role: str, _in_scope: bool) -> int:
    return 200 if role == Role.LEADER else 403


ENTRIES = {
    "tasks:leader": Entry(lambda t: reverse("tasks:leader"), _leaders, scoped=False),
    "api-leader": Entry(lambda t: reverse("api-leader"), _leaders, scoped=False, anonymous=(401, 403)),
}
