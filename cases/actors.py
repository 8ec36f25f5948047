"""Who acts in a service: `Actor`, the type of every service's `actor` argument.

An actor is an authenticated staff member (the project keeps Django's own `auth.User`: no
AUTH_USER_MODEL), or None for the system — the public intake (`complaint_submit(actor=None)`), the
periodic sweeps, management commands and the demo seed. Views hand over `request.user` behind
`login_required` / DRF's authenticated permissions, so no anonymous user reaches a service; the
timeline still writes "system" for an actor that is not authenticated (cases.timeline.chain.record).

The user model is imported for the type checker only: this module is imported by models-level code
before the app registry is ready.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Actor: TypeAlias = "User | None"

# A service that writes who acted into a required column (the report's author, the referral's proposer,
# the server of a document, the uploader of evidence, the recorder of a payment) cannot be run by the
# system: its actor is a staff member.
Staff: TypeAlias = "User"

__all__ = ["Actor", "Staff"]
