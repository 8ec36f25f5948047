"""The rectification order of a double-random inspection and its verification (整改核查): corrected (an
evidence note), or not corrected — then a proactive case is proposed through the filing flow (立案审批, origin
双随机抽查) and the inspection links it; when the leader files it, the case's timeline names the inspection.

Keyword-only, `actor` explicit, one transaction each, one event per change (the region's chain; the case's for
the link)."""

from __future__ import annotations

from datetime import date
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import timeline
from cases.actors import Actor
from cases.models import Case, FilingProposal
from cases.proactive import filing_proposal_validate
from cases.tx import one_transaction
from projects.models import ProjectUnit

from . import clocks, extensions
from .models import Inspection, RectifyResult

OWNER_ROLES = (ProjectUnit.Role.GENERAL, ProjectUnit.Role.CONSTRUCTION)


def _fail(field: str, message: str) -> NoReturn:
    raise ValidationError({field: [message]})


def _event(inspection: Inspection, kind: str, *, actor: Actor, data: dict) -> None:
    timeline.record(inspection.plan.region, kind, actor=actor, data={
        "plan": inspection.plan_id, "inspection": inspection.pk, "name": inspection.target.name, **data,
    })  # fmt: skip


def rectifications_of(user) -> QuerySet[Inspection]:
    """The rectification orders of this user's inspections (as one of the two inspectors): pending first."""
    return (
        Inspection.objects.filter(inspectors__user=user, outcome=Inspection.Outcome.RECTIFY)
        .select_related("plan", "plan__region", "target__employer", "target__project", "filing__case")
        .order_by("rectified_on", "rectify_due", "pk")
        .distinct()
    )


def _pending(inspection: Inspection, verified_on: date, note: str) -> tuple[Inspection, str]:
    inspection = Inspection.objects.select_for_update().select_related("plan", "plan__region").get(pk=inspection.pk)
    if inspection.outcome != Inspection.Outcome.RECTIFY or inspection.rectified_on:
        _fail("verified_on", _("该检查没有待核查的整改。"))
    note = (note or "").strip() or _fail("note", _("请填写整改核查情况。"))
    if (
        not verified_on
        or (inspection.inspected_on and verified_on < inspection.inspected_on)
        or verified_on > timezone.localdate()
    ):
        _fail("verified_on", _("核查日期须在检查日期之后且不晚于今天。"))
    return inspection, note[:300]


@one_transaction
def inspection_rectification_verify(*, inspection: Inspection, verified_on: date, note: str,
                                    actor: Actor) -> Inspection:  # fmt: skip
    """Verified as corrected (the evidence in the note): the rectification clock closed (met, or late)."""
    inspection, note = _pending(inspection, verified_on, note)
    inspection.rectified_on, inspection.rectify_note = verified_on, note
    inspection.rectify_result = RectifyResult.CORRECTED
    inspection.save(update_fields=["rectified_on", "rectify_note", "rectify_result"])
    clocks.close(inspection, clocks.RECTIFY)
    _event(inspection, "inspection.rectification_verified", actor=actor, data={
        "verified_on": verified_on.isoformat(), "note": note,
        "late": verified_on > inspection.rectify_due if inspection.rectify_due else False,
    })  # fmt: skip
    return inspection


def _employer_of(inspection: Inspection) -> dict:
    """The unit the case is against: the target employer, or the project's general contractor (else its
    construction unit)."""
    employer = inspection.target.employer
    if employer is None and inspection.target.project_id:
        units = ProjectUnit.objects.filter(project_id=inspection.target.project_id, role__in=OWNER_ROLES)
        unit = min(units.select_related("employer"), key=lambda u: OWNER_ROLES.index(u.role), default=None)
        employer = unit.employer if unit is not None else None
    if employer is None:
        _fail("target", _("该项目未登记施工总承包或建设单位，请通过“主动立案”页面提出立案。"))
    return {"name": employer.name, "uscc": employer.uscc, "address": employer.address,
            "uscc_override_reason": employer.uscc_override_reason}  # fmt: skip


@one_transaction
def inspection_rectification_fail(*, inspection: Inspection, verified_on: date, note: str, workers_count,
                                  amount_owed, actor: Actor) -> Inspection:  # fmt: skip
    """Not corrected by the due day: the verification recorded and a proactive case proposed (the filing flow,
    origin 双随机抽查, facts from the findings and the note); the inspection links the proposal."""
    inspection, note = _pending(inspection, verified_on, note)
    project = inspection.target.project
    proposal = filing_proposal_validate({
        "origin": Case.Origin.DOUBLE_RANDOM, "employer": _employer_of(inspection),
        "project": {"name": project.name, "address": project.address} if project else {},
        "workers_count": workers_count, "amount_owed": amount_owed,
        "facts": _("双随机抽查（%(plan)s）发现：%(findings)s；责令于%(due)s前整改，核查未整改：%(note)s") % {
            "plan": inspection.plan.name, "findings": inspection.findings,
            "due": inspection.rectify_due.isoformat() if inspection.rectify_due else "", "note": note,
        },
    })  # fmt: skip
    filing = extensions.filing_start(region=inspection.plan.region, proposal=proposal, proposer=actor)
    inspection.rectified_on, inspection.rectify_note, inspection.filing = verified_on, note, filing
    inspection.rectify_result = RectifyResult.NOT_CORRECTED
    inspection.save(update_fields=["rectified_on", "rectify_note", "rectify_result", "filing"])
    clocks.close(inspection, clocks.RECTIFY)
    _event(inspection, "inspection.rectification_failed", actor=actor,
           data={"verified_on": verified_on.isoformat(), "note": note, "filing": filing.pk})  # fmt: skip
    return inspection


@one_transaction
def inspection_case_filed(*, filing: FilingProposal, case: Case, actor: Actor) -> list[Inspection]:
    """The leader filed the case proposed from an inspection: the case's timeline names the inspection and its
    plan ("inspection.case_linked"). No inspection for this filing: nothing."""
    inspections = list(Inspection.objects.filter(filing=filing).select_related("plan", "target__employer",
                                                                               "target__project"))  # fmt: skip
    for inspection in inspections:
        timeline.record(case, "inspection.case_linked", actor=actor, data={
            "inspection": inspection.pk, "plan": inspection.plan_id, "plan_name": inspection.plan.name,
            "target": inspection.target.name,
        })  # fmt: skip
    return inspections


def inspections_of_case(case: Case) -> QuerySet[Inspection]:
    return Inspection.objects.filter(filing__case=case).select_related("plan")


def case_origin_links(case: Case) -> list[tuple[str, str]]:
    """cases.web.origin_links finder: the inspections a double-random case was proposed from."""
    if case.origin != Case.Origin.DOUBLE_RANDOM:
        return []
    from django.urls import reverse

    return [
        (_("抽查检查：%(target)s（%(plan)s）") % {"target": i.target.name, "plan": i.plan.name},
         reverse("inspections:inspection", args=[i.pk]))
        for i in inspections_of_case(case).select_related("target__employer", "target__project")
    ]  # fmt: skip


@one_transaction
def inspection_case_start(*, inspection: Inspection, checklist: dict, findings: str, inspected_on: date,
                          workers_count, amount_owed, actor: Actor) -> Inspection:  # fmt: skip
    """The inspectors' record when the finding needs a case at once: a proactive case proposed through the filing
    flow (origin 双随机抽查, the facts from the findings) and linked (services.inspection_case_propose)."""
    from .services import checklist_validate, inspection_case_propose

    inspection = Inspection.objects.select_related("plan", "plan__region", "target__employer",
                                                   "target__project").get(pk=inspection.pk)  # fmt: skip
    checklist_validate(checklist)
    findings = (findings or "").strip() or _fail("findings", _("请填写检查发现的问题。"))
    if not inspected_on or inspected_on > timezone.localdate():
        _fail("inspected_on", _("检查日期不得晚于今天。"))
    project = inspection.target.project
    proposal = filing_proposal_validate({
        "origin": Case.Origin.DOUBLE_RANDOM, "employer": _employer_of(inspection),
        "project": {"name": project.name, "address": project.address} if project else {},
        "workers_count": workers_count, "amount_owed": amount_owed,
        "facts": _("双随机抽查（%(plan)s）于%(on)s发现：%(findings)s") % {
            "plan": inspection.plan.name, "on": inspected_on.isoformat(), "findings": findings,
        },
    })  # fmt: skip
    filing = extensions.filing_start(region=inspection.plan.region, proposal=proposal, proposer=actor)
    return inspection_case_propose(inspection=inspection, checklist=checklist, findings=findings,
                                   inspected_on=inspected_on, filing=filing, actor=actor)  # fmt: skip
