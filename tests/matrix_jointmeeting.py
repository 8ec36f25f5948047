"""Permission-matrix entries: the joint meeting (issue 19 item 3). The labour bureau's leader acts for the joint
meeting's office of its region (it reads its own and the lower offices' matters); no other bureau role holds a
joint-meeting seat: its lists answer 403, a matter or referral of a region it covers 403, elsewhere 404. The
department roles (MemberRole, IndustryRole) are checked role by role in tests/test_jointmeeting*.py."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from cases.models import Role
from tests.matrix import Entry, Target


@dataclass
class JointTarget(Target):
    pk: int = 0


def matter_target(code: str) -> JointTarget:
    from tests import factories
    from tests.jointkit import matter

    m = matter(office=code, to=code, department="finance", actor=factories.staff(Role.LEADER, code))
    return JointTarget(pk=m.pk)


def referral_target(code: str) -> JointTarget:
    from tests.jointkit import transferred

    return JointTarget(pk=transferred(code).pk)


def office_list(role: str, _in_scope: bool) -> int:
    return 200 if role == Role.LEADER else 403


def nobody(_role: str, _in_scope: bool) -> int:
    return 403


def office_reads(role: str, in_scope: bool) -> int:
    if role == Role.ADMIN or not in_scope:
        return 404
    return 200 if role == Role.LEADER else 403


def no_right(role: str, in_scope: bool) -> int:
    return 404 if role == Role.ADMIN or not in_scope else 403


ENTRIES: dict[str, Entry] = {
    "jointmeeting:home": Entry(lambda t: reverse("jointmeeting:home"), office_list, scoped=False),
    "jointmeeting:matters": Entry(lambda t: reverse("jointmeeting:matters"), office_list, scoped=False),
    "jointmeeting:matter-new": Entry(lambda t: reverse("jointmeeting:matter-new"), office_list, scoped=False),
    "jointmeeting:matter": Entry(lambda t: reverse("jointmeeting:matter", args=[t.pk]), office_reads,
                                 prepare=matter_target),  # fmt: skip
    # reporting progress is the addressee's: the office (the leader) may not (403)
    "jointmeeting:matter-action": Entry(
        lambda t: reverse("jointmeeting:matter-action", args=[t.pk, "report"]), no_right, method="post",
        prepare=matter_target, data={"text": "矩阵"},
    ),  # fmt: skip
    "jointmeeting:referrals": Entry(lambda t: reverse("jointmeeting:referrals"), nobody, scoped=False),
    "jointmeeting:referral": Entry(lambda t: reverse("jointmeeting:referral", args=[t.pk]), no_right,
                                   prepare=referral_target),  # fmt: skip
    "jointmeeting:referral-action": Entry(
        lambda t: reverse("jointmeeting:referral-action", args=[t.pk, "acknowledge"]), no_right, method="post",
        prepare=referral_target,
    ),  # fmt: skip
    "jointmeeting:funding": Entry(lambda t: reverse("jointmeeting:funding"), nobody, scoped=False),
}
