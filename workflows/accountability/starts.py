"""What starts the accountability flows: the manual starts (listed in workflows.wiring.STARTABLE) and the hooks
connected there (an accountability opened, a removal applied for). The flows' steps are in .steps.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accountability import accountability as acc
from accountability import listing as lst
from accountability.models import Accountability, RemovalApplication
from cases import scope
from cases.models import CaseLiableUnit
from cases.scope import Right

from .flow import AccountabilityFlow, ListingFlow, RemovalFlow
from .steps import process_for


def _liable_unit(case, unit_id) -> CaseLiableUnit | None:
    if not unit_id:
        return None
    unit = CaseLiableUnit.objects.filter(case=case, pk=unit_id).select_related("employer").first()
    if unit is None:
        raise ValidationError({"case_no": [_("请选择本案已列明的责任单位。")]})
    return unit


def listing_start(actor, form):
    d = form.cleaned_data
    case = scope.case_for_user(actor, d["case_no"].strip(), Right.INVESTIGATE)
    listing = lst.listing_propose(
        case=case,
        actor=actor,
        legal_representative=d.get("legal_representative", ""),
        legal_representative_id=d["legal_representative_id"],
        persons=d.get("persons") or [],
        liable_unit=_liable_unit(case, d.get("liable_unit")),
    )
    lst.listing_notice(listing=listing, actor=actor)
    return ListingFlow.start.run(listing=listing)


def accountability_start(actor, form):
    case = scope.case_for_user(actor, form.cleaned_data["case_no"].strip(), Right.SUPERVISE)
    accountability = acc.accountability_start_by_leader(case=case, actor=actor, reason=form.cleaned_data["reason"])
    return process_for(accountability)


def accountability_flow_start(accountability: Accountability) -> None:
    AccountabilityFlow.start.run(accountability=accountability)


def removal_flow_start(application: RemovalApplication) -> None:
    RemovalFlow.start.run(application=application)


def listing_may_start(user) -> bool:
    return scope.has_exception(user, Right.INVESTIGATE)


def accountability_may_start(user) -> bool:
    return bool(scope.region_ids(user, Right.SUPERVISE))
