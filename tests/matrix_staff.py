"""Permission matrix: the staff site's own pages (issue 14): account management (the admin role), the credit
list inside the staff site (the staff who read cases), bulk assignment from the queue (a leader)."""

from __future__ import annotations

from django.urls import reverse

from cases.models import Role
from tests.matrix import Entry, reader_list


def admin_only(role: str, _in_scope: bool) -> int:
    return 200 if role == Role.ADMIN else 403


def leader_assigns(role: str, _in_scope: bool) -> int:
    return 302 if role == Role.LEADER else 403


ENTRIES = {
    "staff-admin:accounts": Entry(lambda t: reverse("staff-admin:accounts"), admin_only, scoped=False),
    "accountability-staff:credit-list": Entry(
        lambda t: reverse("accountability-staff:credit-list"), reader_list, scoped=False
    ),
    "tasks:queue-assign": Entry(lambda t: reverse("tasks:queue-assign"), leader_assigns, method="post", scoped=False),
}
