"""The liable units of a case (责任单位, issue 15 item 5): who must pay besides — or instead of — the direct
employer. The general contractor pays first for a subcontractor's workers (WPR art. 30 先行清偿) and for illegal
subcontracting (art. 36); the construction unit answers for labour costs it did not pay in (art. 29).

    unit = case_liable_unit_add(case=case, employer=gc, role=LiableRole.GENERAL_CONTRACTOR,
                                basis=LiableBasis.WPR_30, actor=inspector, reason="劳务分包单位的劳动者")
    case_liable_unit_remove(unit=unit, actor=inspector, reason="登记有误")

Each is one transaction and one case event ("case.liable_unit_added" / "case.liable_unit_removed"); a closed
or withdrawn case is refused on "case". Which units a project's chain makes liable is the projects app's
business (projects.chain); cases only keeps the list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from .actors import Actor
from .models import Case, CaseLiableUnit, Employer, LiableBasis, LiableRole, Role
from .transitions import transition
from .tx import one_transaction
from .values import required_text

CLOSED = (Case.Status.CLOSED, Case.Status.WITHDRAWN)
OPEN_STATUSES = [s for s in Case.Status.values if s not in CLOSED]
NOTE_MAX = 300
# The roles a basis can make liable (the direct employer pays its own workers, WPR art. 3).
BASIS_ROLES: dict[str, frozenset[str]] = {
    LiableBasis.EMPLOYER: frozenset({LiableRole.DIRECT_EMPLOYER, LiableRole.SUBCONTRACTING_UNIT}),
    LiableBasis.WPR_29: frozenset({LiableRole.CONSTRUCTION_UNIT}),
    LiableBasis.WPR_30: frozenset({LiableRole.GENERAL_CONTRACTOR}),
    LiableBasis.WPR_36: frozenset(
        {LiableRole.GENERAL_CONTRACTOR, LiableRole.CONSTRUCTION_UNIT, LiableRole.SUBCONTRACTING_UNIT}
    ),
}


def _step(case: Case, event: str, actor: Actor):
    return transition(
        case,
        expect=OPEN_STATUSES,
        event=event,
        actor=actor,
        role=Role.INSPECTOR,
        subject=case,
        error_field="case",
        message=_("案件%(status)s，不能再变更责任单位。"),
    )


def _data(unit: CaseLiableUnit, reason: str) -> dict:
    return {
        "unit": unit.pk,
        "employer": unit.employer.name,
        "uscc": unit.employer.uscc,
        "role": unit.role,
        "basis": unit.basis,
        "reason": reason,
    }


@one_transaction
def case_liable_unit_add(
    *, case: Case, employer: Employer, role: str, basis: str, actor: Actor, reason: str = "", note: str = ""
) -> CaseLiableUnit:
    """Name `employer` liable in `role` on `basis`; the same unit in the same role again is refused."""
    errors: dict[str, list[str]] = {}
    if role not in LiableRole.values:
        errors["role"] = [_("请选择责任角色。")]
    if basis not in LiableBasis.values:
        errors["basis"] = [_("请选择法律依据。")]
    elif role in LiableRole.values and role not in BASIS_ROLES[basis]:
        errors["basis"] = [_("该法律依据不适用于此责任角色。")]
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = [_("说明不能超过300字。")]
    if errors:
        raise ValidationError(errors)
    reason = required_text(reason, field="reason", label=_("理由"), limit=500) if str(reason or "").strip() else ""
    with _step(case, "case.liable_unit_added", actor) as step:
        if CaseLiableUnit.objects.filter(case=case, employer=employer, role=role).exists():
            raise ValidationError({"employer": [_("该单位已以此角色列为责任单位。")]})
        unit = CaseLiableUnit.objects.create(case=case, employer=employer, role=role, basis=basis, note=note)
        step.data.update(_data(unit, reason))
    return unit


@one_transaction
def case_liable_unit_remove(*, unit: CaseLiableUnit, actor: Actor, reason: str) -> None:
    """Take a unit off the case's list (a reason is required); a document already addressed to it stays."""
    reason = required_text(reason, field="reason", label=_("理由"), limit=500)
    case = unit.case
    with _step(case, "case.liable_unit_removed", actor) as step:
        step.data.update(_data(unit, reason))
        unit.delete()


def liable_units(case: Case) -> list[CaseLiableUnit]:
    return list(CaseLiableUnit.objects.filter(case=case).select_related("employer"))


# --- what an upper layer proposes (the projects app: the registered project's chain) ---------------------


@dataclass(frozen=True)
class LiableProposal:
    """A unit an upper layer says is liable for the case's workers, in what role and on what basis; `note`
    goes with it when named (the project it comes from); `already`: named on the case in that role."""

    employer: Employer
    role: str  # LiableRole
    basis: str  # LiableBasis
    note: str = ""
    already: bool = False

    @property
    def role_label(self) -> str:
        return str(LiableRole(self.role).label)

    @property
    def basis_label(self) -> str:
        return str(LiableBasis(self.basis).label)


_proposers: list[Callable[[Case], list[LiableProposal]]] = []


def liable_proposers_register(fn: Callable[[Case], list[LiableProposal]]) -> Callable:
    """Register fn(case) → proposals (cases never imports the layers above: they register here)."""
    if fn not in _proposers:
        _proposers.append(fn)
    return fn


def liable_unit_proposals(case: Case) -> list[LiableProposal]:
    return [p for fn in _proposers for p in fn(case)]


# What the unit must do, by basis, in the words of the document (always Chinese: the legal text).
DUTIES = {
    LiableBasis.EMPLOYER: "应当按时足额支付劳动者工资",
    LiableBasis.WPR_29: "应当以未结清的工程款为限先行垫付被拖欠的农民工工资",
    LiableBasis.WPR_30: "应当先行清偿拖欠的农民工工资，再依法进行追偿",
    LiableBasis.WPR_36: "应当清偿拖欠的农民工工资",
}


def liable_unit_for_document(case: Case, value) -> dict:
    """The `liable_unit` of a document's data: the id of one of the case's liable units → what the document
    says of it (its name, USCC, role and basis, in Chinese). ValidationError on "liable_unit" otherwise."""
    if isinstance(value, dict):
        value = value.get("id")
    raw = str(value or "").strip()
    unit = (
        CaseLiableUnit.objects.filter(case=case, pk=int(raw)).select_related("employer").first()
        if raw.isdigit() and len(raw) < 18
        else None
    )
    if unit is None:
        raise ValidationError({"liable_unit": [_("请选择本案已列明的责任单位。")]})
    with translation.override("zh-hans"):
        return {
            "id": unit.pk,
            "employer_id": unit.employer_id,
            "name": unit.employer.name,
            "uscc": unit.employer.uscc,
            "role": unit.role,
            "role_label": str(unit.get_role_display()),
            "basis": unit.basis,
            "basis_label": str(LiableBasis(unit.basis).label).split("（")[0],
            "duty": DUTIES[LiableBasis(unit.basis)],
        }
