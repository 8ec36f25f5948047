"""What starts the referral flow: the manual start (listed in workflows.wiring.STARTABLE). Its steps are in .steps."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases import referral as referrals
from cases import scope
from cases.models import Evidence, Role
from cases.scope import Right

from .flow import ReferralFlow

# --- the manual start (listed in workflows.wiring.STARTABLE) ------------------------------------------


def referral_may_start(user) -> bool:
    # Any inspector sees the entry: a case outside its scope then answers 404, an unassigned one 403.
    return Role.INSPECTOR in scope.roles(user) or scope.has_exception(user, Right.INVESTIGATE)


def referral_start(actor, form) -> object:
    data = form.cleaned_data
    case = scope.case_for_user(actor, data["case_no"].strip(), Right.INVESTIGATE)
    if data.get("ground"):
        evidence = Evidence.objects.filter(pk=data["ground_evidence"], case=case).first()
        if evidence is None:
            raise ValidationError({"ground_evidence": [_("本案没有该编号的证据。")]})
        referrals.referral_grounds_record(
            case=case, actor=actor, ground=data["ground"], evidence=evidence, note=data.get("ground_note", "")
        )
    referral = referrals.referral_propose(case=case, actor=actor, facts=data.get("facts", ""))
    return ReferralFlow.start.run(case=case, referral=referral)
