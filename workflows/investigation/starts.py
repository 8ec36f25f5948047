"""What starts the investigation package's flows from outside a step: the manual starts a user may make
(listed in workflows.wiring.STARTABLE) — a proactive filing proposal and the request for the one extension.
The flows' steps are in .steps."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases import investigation, scope
from cases.models import FilingProposal, Region

from .flow import ExtensionFlow, FilingFlow


def filing_start(actor, form):
    body = form.body()
    offices = scope.regions_with(actor, scope.Right.PROPOSE)
    code = body.pop("region_code")
    region = Region.objects.filter(code=code).first() if code else None
    if code and (region is None or region.pk not in offices):
        raise ValidationError({"region_code": [_("只能在本人所在机构提出立案。")]})
    region = region or Region.objects.get(pk=offices[0])
    proposal = investigation.filing_proposal_validate(body)
    return FilingFlow.start.run(region=region, proposal=proposal, proposer=actor)


def filing_proposal_start(*, region: Region, proposal: dict, proposer) -> FilingProposal:
    """The filing flow of a proactive case proposed by another app (the written review: reviews.hooks), from a
    proposal it validated; its artifact, the proposal row, is returned."""
    process = FilingFlow.start.run(region=region, proposal=proposal, proposer=proposer)
    return FilingProposal.objects.get(pk=process.artifact_object_id)


def filing_may_start(user) -> bool:
    return bool(scope.regions_with(user, scope.Right.PROPOSE))


def extension_start(actor, form):
    case = scope.case_for_user(actor, form.cleaned_data["case_no"].strip(), scope.Right.INVESTIGATE)
    investigation.extension_request_check(case=case)  # before the flow starts: the error names the case_no field
    return ExtensionFlow.start.run(case=case, reason=form.cleaned_data["reason"], requester=actor)


def extension_may_start(user) -> bool:
    return scope.has_exception(user, scope.Right.INVESTIGATE)


def filing_from_inspection(*, region, proposal: dict, proposer) -> FilingProposal:
    """inspections.extensions.filing_start: a not-corrected rectification's proposal goes to the leader's
    立案审批 like any other proactive proposal (FilingFlow); the proposal row is returned to link it."""
    process = FilingFlow.start.run(region=region, proposal=proposal, proposer=proposer)
    return FilingProposal.objects.get(pk=process.artifact_object_id)
