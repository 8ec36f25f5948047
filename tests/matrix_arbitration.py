"""Permission-matrix entries: the arbitration and legal-aid referrals (issue 19). The bureau's staff read the
referrals of the cases they read (404 out of scope) and never act on them (403: the commission's or the centre's
users do, tests/test_arbitration_pages.py); a refused complaint is referred by its office's clerk."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from cases.models import Role
from tests import world
from tests.matrix import READERS, Entry, Target, clerk_acts, reader_list, reader_page


@dataclass
class ReferralTarget(Target):
    pk: int = 0


def referral_target(code: str) -> ReferralTarget:
    """A referral to the arbitration commission of the case at `code` (the world's case of that office)."""
    from arbitration.models import Office, Referral
    from arbitration.services import referral_create
    from tests.factories import staff

    case = world.case_in(code)
    found = Referral.objects.filter(case=case, office=Office.ARBITRATION, status="referred").first()
    referral = found or referral_create(actor=staff(Role.LEADER, code), role=Role.LEADER, office=Office.ARBITRATION,
                               region=case.region, facts="矩阵", case=case)  # fmt: skip
    return ReferralTarget(case_no=case.case_no, pk=referral.pk)


def refused_complaint_target(code: str) -> ReferralTarget:
    from cases.acceptance import complaint_refuse
    from tests.factories import complaint_received, staff

    complaint = complaint_received(code)
    complaint_refuse(complaint=complaint, actor=staff(Role.CLERK, code), reason="系劳动争议")
    return ReferralTarget(receipt_no=complaint.receipt_no)


def _bureau_never_acts(role: str, in_scope: bool) -> int:
    if role not in READERS or not in_scope:
        return 404
    return 403


ENTRIES: dict[str, Entry] = {
    "arbitration:index": Entry(lambda t: reverse("arbitration:index"), reader_list, scoped=False),
    "arbitration:detail": Entry(
        lambda t: reverse("arbitration:detail", args=[t.pk]), reader_page, prepare=referral_target
    ),
    "arbitration:letter": Entry(
        lambda t: reverse("arbitration:letter", args=[t.pk]), reader_page, prepare=referral_target
    ),
    "arbitration:action": Entry(
        lambda t: reverse("arbitration:action", args=[t.pk, "accept"]),
        _bureau_never_acts,
        method="post",
        prepare=referral_target,
    ),
    "arbitration:new": Entry(
        lambda t: reverse("arbitration:new") + f"?complaint={t.receipt_no}",
        clerk_acts(200),
        prepare=refused_complaint_target,
    ),
}
