"""案由: the violations a case is about — arrears (LSIR art 26 / WPR) or those of WPR arts 54–57 (no wage account,
no real-name system, no rights notice board, no deposit, no monthly wage sheet, paying in kind …) — each with the
basis of its penalty and that basis's range. An order to correct names them (cases.documents.penalty_texts)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import timeline
from ..actors import Actor, Staff
from ..models import VIOLATED, Case, CaseCause, Role, Violation
from ..transitions import lock
from ..tx import one_transaction
from ..values import clean_text
from .bounds import basis_get, basis_range


def causes_of(case: Case) -> QuerySet[CaseCause]:
    return CaseCause.objects.filter(case=case, removed_at__isnull=True).select_related("basis").order_by("id")


def violations_of(case: Case) -> set[str]:
    """The violations the case is about (for routing: an order to correct with no arrears cause is not "unpaid")."""
    return set(causes_of(case).values_list("violation", flat=True))


def cause_rows(case: Case) -> list[dict]:
    """The case's causes as the page and the API show them: the violation, the provision, the penalty range."""
    rows = []
    for cause in causes_of(case):
        low, high = basis_range(cause.basis, workers=max(case.workers_count, 1))
        rows.append(
            {
                "id": cause.pk,
                "violation": cause.violation,
                "label": cause.get_violation_display(),
                "provision": VIOLATED.get(cause.violation, ("", ""))[0],
                "basis": cause.basis.code,
                "basis_title": cause.basis.title,
                "measure": cause.basis.get_measure_display(),
                "min": basis_range(cause.basis)[0],
                "max": basis_range(cause.basis)[1],
                "case_min": low,
                "case_max": high,
                "note": cause.note,
            }
        )
    return rows


@one_transaction
def case_cause_add(*, case: Case, actor: Staff, violation: str, note: str = "") -> CaseCause:
    """Add a cause to the case; its penalty basis is the violation's (domain-rules §3)."""
    if violation not in Violation.values:
        raise ValidationError({"violation": _("请选择违法行为。")})
    lock(case)
    if causes_of(case).filter(violation=violation).exists():
        raise ValidationError({"violation": _("本案已有该案由。")})
    if case.status in (Case.Status.CLOSED, Case.Status.WITHDRAWN):
        raise ValidationError({"violation": _("案件已办结，不能修改案由。")})
    note = clean_text(note)[:2000]
    basis = basis_get(VIOLATED[violation][1], field="violation")
    cause = CaseCause.objects.create(
        case=case, violation=violation, basis=basis, note=note, added_by=actor, added_at=timezone.now()
    )
    timeline.record(
        case,
        "case.cause_added",
        actor=actor,
        role=Role.INSPECTOR,
        data={"violation": violation, "basis": basis.title, "note": note},
    )
    return cause


@one_transaction
def case_cause_remove(*, case: Case, actor: Actor, cause_id, reason: str = "") -> CaseCause:
    """Remove a cause added in error (the row stays, marked removed)."""
    cause = causes_of(case).filter(pk=cause_id).first() if str(cause_id or "").isdigit() else None
    if cause is None:
        raise ValidationError({"cause": _("本案没有该案由。")})
    if case.status in (Case.Status.CLOSED, Case.Status.WITHDRAWN):
        raise ValidationError({"cause": _("案件已办结，不能修改案由。")})
    lock(case)
    cause.removed_at = timezone.now()
    cause.save(update_fields=["removed_at"])
    timeline.record(
        case,
        "case.cause_removed",
        actor=actor,
        role=Role.INSPECTOR,
        data={"violation": cause.violation, "reason": clean_text(reason)[:2000]},
    )
    return cause
