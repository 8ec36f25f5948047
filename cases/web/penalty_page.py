"""The case page's penalty section: the procedure (notice, service, windows, statements, hearing, waiver, review),
the case's causes with their penalty ranges, and — for the case's inspectors — the forms of its actions."""

from __future__ import annotations

from .. import penalty, scope
from ..models import ServiceRecord, Violation


def penalty_page_context(request, case) -> dict:
    can = scope.can(request.user, scope.Right.INVESTIGATE, region=case.region, case_id=case.pk)
    return {
        "penalty": penalty.penalty_status(case),
        "causes": penalty.cause_rows(case),
        "can_penalty": can,
        "violations": Violation.choices,
        "service_methods": ServiceRecord.Method.choices,
    }
