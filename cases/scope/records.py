"""Scope of the employer and person records: seen only through the cases in scope (part of cases.scope)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from ..models import Case, Employer, Party, Region, Role
from . import RIGHT_ROLE, Right, cases_visible, exception_rights, grants, holds_anywhere


def _record_cases(user, q: Q) -> QuerySet[Case]:
    if not holds_anywhere(user, Right.READ_CASE):
        raise Http404  # as a case: no case data for a role that reads none (the administrator)
    return cases_visible(user).filter(q).distinct()


def employer_for_user(user, employer_id: int) -> tuple[Employer, QuerySet[Case]]:
    """The employer and its cases `user` may read; 404 unless one of them is in scope."""
    cases = _record_cases(user, Q(employer_id=employer_id))
    employer = Employer.objects.filter(pk=employer_id).first()
    if employer is None or not cases.exists():
        raise Http404
    return employer, cases


def party_for_user(user, party_id: int) -> tuple[Party, QuerySet[Case]]:
    """The person and the cases (as a party or on the ledger) `user` may read; 404 unless one is in scope."""
    cases = _record_cases(user, Q(case_parties__party_id=party_id) | Q(ledger__worker_id=party_id))
    party = Party.objects.filter(pk=party_id).first()
    if party is None or not cases.exists():
        raise Http404
    return party, cases


EMPLOYER_CORRECTORS = (Right.INTAKE, Right.APPROVE, Right.SUPERVISE)  # the office's clerk, a leader over the case
EMPLOYER_REPLACERS = (*EMPLOYER_CORRECTORS, Right.INVESTIGATE)  # and an inspector on the case


def role_on_any(user, rights: tuple[Right, ...], cases) -> str | None:
    """The role in which `user` holds the first of `rights` on one of `cases` (a queryset or a list);
    None: none of them. Two queries, whatever the number of cases."""
    if isinstance(cases, QuerySet):
        pairs = list(cases.order_by().values_list("pk", "region_id").distinct())
    else:
        pairs = [(c.pk, c.region_id) for c in cases]
    regions = list(Region.objects.filter(pk__in={region_id for _pk, region_id in pairs}))
    for right in rights:
        if any(g.gives(right, r) for g in grants(user) for r in regions) or any(
            right in exception_rights(user, pk) for pk, _region in pairs
        ):
            return RIGHT_ROLE[right]
    return None


def leads_all(user, regions) -> bool:
    """Whether a leader's grant of `user` covers every one of `regions` (a person merge's authority)."""
    return all(any(g.role == Role.LEADER and g.covers(r) for g in grants(user)) for r in regions)
