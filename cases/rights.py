"""What each role may do, as data (SPEC §2): the rights, which roles hold which, where (own region only, below
only), and what a per-case exception or an assignment gives. cases.scope applies these tables; it is the one
module that decides who may read and act on what."""

from __future__ import annotations

from enum import Enum

from .models import Role


class Right(str, Enum):
    READ_CASE = "read_case"
    READ_COMPLAINT = "read_complaint"
    READ_TIMELINE = "read_timeline"
    INTAKE = "intake"  # intake tasks: accept, refuse, supplement, transfer
    INVESTIGATE = "investigate"  # inspector steps (on cases it is assigned to)
    LEGAL_REVIEW = "legal_review"
    APPROVE = "approve"  # leader approvals for its own region
    SUPERVISE = "supervise"  # leader: supervision and accountability over regions below
    UNMASK = "unmask"  # see personal data unmasked (handling office's clerk, assigned inspectors)
    MANAGE_STAFF = "manage_staff"
    PROPOSE = "propose_filing"  # propose a proactive case (立案审批) at its own office


SUBTREE_ROLES = frozenset({Role.LEADER, Role.AUDITOR})

# SPEC §2: what each role may do within the regions it covers.
RIGHTS: dict[str, frozenset[Right]] = {
    Role.CLERK: frozenset({Right.READ_CASE, Right.READ_COMPLAINT, Right.READ_TIMELINE, Right.INTAKE, Right.UNMASK}),
    # An inspector acts on (and sees unmasked) only the cases it is assigned to: ASSIGNED_RIGHTS.
    Role.INSPECTOR: frozenset({Right.READ_CASE, Right.READ_TIMELINE, Right.PROPOSE}),
    Role.LEGAL: frozenset({Right.READ_CASE, Right.READ_TIMELINE, Right.LEGAL_REVIEW}),
    Role.LEADER: frozenset(
        {Right.READ_CASE, Right.READ_COMPLAINT, Right.READ_TIMELINE, Right.APPROVE, Right.SUPERVISE, Right.PROPOSE}
    ),
    Role.AUDITOR: frozenset({Right.READ_CASE, Right.READ_COMPLAINT, Right.READ_TIMELINE}),
    Role.ADMIN: frozenset({Right.MANAGE_STAFF}),
}
# The role in which a right is exercised (for the timeline's actor_role).
RIGHT_ROLE: dict[Right, str] = {
    Right.INTAKE: Role.CLERK,
    Right.INVESTIGATE: Role.INSPECTOR,
    Right.LEGAL_REVIEW: Role.LEGAL,
    Right.APPROVE: Role.LEADER,
    Right.SUPERVISE: Role.LEADER,
    Right.PROPOSE: Role.INSPECTOR,
}
# Rights a subtree role holds below its own region only at its own region (e.g. a
# leader approves for its own office; it supervises the offices below).
OWN_REGION_ONLY = frozenset(
    {Right.APPROVE, Right.INTAKE, Right.INVESTIGATE, Right.LEGAL_REVIEW, Right.UNMASK, Right.PROPOSE}
)
BELOW_ONLY = frozenset({Right.SUPERVISE})
# Roles that see no case data at all (SPEC §2: an administrator sees no case data by role alone).
NO_CASE_DATA = frozenset({Role.ADMIN})

# Per-case exceptions (guardian codenames on Case) and the rights they give.
EXCEPTION_RIGHTS: dict[str, frozenset[Right]] = {
    "assist_case": frozenset({Right.READ_CASE, Right.READ_TIMELINE, Right.INVESTIGATE}),
    "supervise_case": frozenset({Right.READ_CASE, Right.READ_COMPLAINT, Right.READ_TIMELINE}),
    "read_transferred_case": frozenset({Right.READ_CASE, Right.READ_TIMELINE}),
}
# What an assignment to a case (CaseInspector) gives the inspector on that case.
ASSIGNED_RIGHTS = frozenset({Right.READ_CASE, Right.READ_TIMELINE, Right.INVESTIGATE, Right.UNMASK})
