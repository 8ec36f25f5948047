"""Cases on the contractor chain (issue 15 item 5): a case whose employer is a unit of a registered project
gets the chain's liable units named on it — the direct employer, the general contractor (WPR art. 30: it pays
a subcontractor's workers first, 先行清偿, then recovers) and, where chosen, the construction unit (WPR art. 29:
labour costs not paid in). cases keeps the list (cases.liable_units); this module reads the chain, which
cases never imports.

    proposals = chain_liable_units_propose(case)        # what the chain would make liable
    added = case_chain_liable_units_add(case=case, actor=inspector, roles=["general"], reason="…")
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.actors import Actor
from cases.liable_units import LiableProposal, case_liable_unit_add
from cases.models import Case, CaseLiableUnit, Employer, LiableBasis, LiableRole
from cases.tx import one_transaction

from .links import registry_project
from .models import ProjectUnit

UnitRole = ProjectUnit.Role
SUBCONTRACTORS = (UnitRole.SPECIALIST, UnitRole.LABOUR)


@dataclass(frozen=True)
class Proposal:
    employer: Employer
    role: str  # LiableRole
    basis: str  # LiableBasis
    project_no: str
    already: bool  # named on the case already

    def as_dict(self) -> dict:
        return {
            "employer": self.employer.name,
            "uscc": self.employer.uscc,
            "role": self.role,
            "role_label": str(LiableRole(self.role).label),
            "basis": self.basis,
            "basis_label": str(LiableBasis(self.basis).label),
            "project_no": self.project_no,
            "already": self.already,
        }


def _units_of(case: Case) -> list[ProjectUnit]:
    """The chain units the case's employer is: in the project the case names (projects.links) when it is
    one of them, else newest project first."""
    units = list(
        ProjectUnit.objects.filter(employer_id=case.employer_id).select_related("project").order_by("-project_id", "id")
    )
    named = registry_project(case.project)
    if named is not None:
        units.sort(key=lambda u: u.project_id != named.pk)  # stable: the named project's units first
    return units


def chain_liable_units_propose(case: Case) -> list[Proposal]:
    """The units the chain makes liable for the case's workers. Empty when the employer is no unit of a
    registered project. A subcontractor's case: itself (direct), the general contractor (WPR 30) and the
    construction unit (WPR 29); the general contractor's own case: itself and the construction unit."""
    units = _units_of(case)
    if not units:
        return []
    unit = units[0]
    named = set(CaseLiableUnit.objects.filter(case=case).values_list("employer_id", "role"))
    chain = {u.role: u for u in unit.project.units.select_related("employer").order_by("id")}
    found: list[tuple[Employer, str, str]] = [
        (
            case.employer,
            LiableRole.SUBCONTRACTING_UNIT if unit.role in SUBCONTRACTORS else LiableRole.DIRECT_EMPLOYER,
            LiableBasis.EMPLOYER,
        )
    ]
    general = chain.get(UnitRole.GENERAL)
    if unit.role in SUBCONTRACTORS and general is not None:
        found.append((general.employer, LiableRole.GENERAL_CONTRACTOR, LiableBasis.WPR_30))
    construction = chain.get(UnitRole.CONSTRUCTION)
    if construction is not None and unit.role != UnitRole.CONSTRUCTION:
        found.append((construction.employer, LiableRole.CONSTRUCTION_UNIT, LiableBasis.WPR_29))
    return [
        Proposal(employer=e, role=r, basis=b, project_no=unit.project.project_no, already=(e.pk, r) in named)
        for e, r, b in found
    ]


NOTE_FOR: dict[str, object] = {LiableBasis.WPR_30: gettext_lazy("分包单位拖欠农民工工资，由施工总承包单位先行清偿")}


def _note(p: Proposal) -> str:
    return _("项目%(no)s") % {"no": p.project_no} + (f"：{NOTE_FOR[p.basis]}" if p.basis in NOTE_FOR else "")


def liable_proposals(case: Case) -> list[LiableProposal]:
    """The chain's proposals as the case page offers them (cases.liable_units.liable_unit_proposals)."""
    return [
        LiableProposal(employer=p.employer, role=p.role, basis=p.basis, note=_note(p), already=p.already)
        for p in chain_liable_units_propose(case)
    ]


@one_transaction
def case_chain_liable_units_add(
    *, case: Case, actor: Actor, roles: list[str] | None = None, reason: str = ""
) -> list[CaseLiableUnit]:
    """Name the chain's liable units on the case (按项目关联责任单位): those of `roles` (LiableRole values;
    default: the direct employer and the general contractor, WPR 30 — the construction unit only when chosen,
    since WPR 29 needs labour costs not paid in). Units already named are left as they are; one case event
    per unit added (cases.liable_units)."""
    proposals = chain_liable_units_propose(case)
    if not proposals:
        raise ValidationError({"case": [_("案件的用人单位不是已登记在建项目的参建单位。")]})
    if roles is None:
        roles = [LiableRole.DIRECT_EMPLOYER, LiableRole.SUBCONTRACTING_UNIT, LiableRole.GENERAL_CONTRACTOR]
    if not isinstance(roles, list | tuple) or any(r not in LiableRole.values for r in roles):
        raise ValidationError({"roles": [_("请选择责任角色。")]})
    added = []
    for p in proposals:
        if p.already or p.role not in roles:
            continue
        added.append(
            case_liable_unit_add(
                case=case,
                employer=p.employer,
                role=p.role,
                basis=p.basis,
                actor=actor,
                reason=reason,
                note=_note(p),
            )
        )
    return added
