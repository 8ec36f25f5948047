"""Who may read and do what with referrals; built on cases.scope (the one place of the bureau's rules).

- a user of the arbitration commission or the legal-aid centre (OfficeRole) reads and handles the referrals
  sent to that office of its region, and holds no case data of the labour bureau (no StaffRole);
- the bureau's staff read the referrals of the complaints and cases they read; the clerk of a refused
  complaint's office (Right.INTAKE) refers it; the inspector assigned to a case or its office's leader
  (Right.INVESTIGATE / APPROVE) refers the case;
- out of scope → 404, in scope without the right → 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cases import scope as case_scope
from cases.models import Case, Complaint

from .models import Office, Referral

Right = case_scope.Right


def office_roles(user) -> tuple[tuple[str, int], ...]:
    """(office, region id) of the user's commission / legal-aid roles; cached on the user."""
    if not getattr(user, "is_authenticated", False):
        return ()
    cached = user.__dict__.get("_zhiqian_office_roles")
    if cached is None:
        from .models import OfficeRole

        cached = user.__dict__["_zhiqian_office_roles"] = tuple(
            OfficeRole.objects.filter(user=user).values_list("office", "region_id")
        )
    return cached


def is_office_user(user, office: str | None = None) -> bool:
    return any(office is None or o == office for o, _ in office_roles(user))


def is_arbitration_user(user) -> bool:
    return is_office_user(user, Office.ARBITRATION)


def is_legal_aid_user(user) -> bool:
    return is_office_user(user, Office.LEGAL_AID)


def _bureau_reads(user) -> bool:
    return case_scope.holds_anywhere(user, Right.READ_CASE) or case_scope.holds_anywhere(user, Right.READ_COMPLAINT)


def reads_anywhere(user) -> bool:
    return is_office_user(user) or _bureau_reads(user)


def referrals_visible(user) -> QuerySet[Referral]:
    """The referrals `user` may read; 403 for a user who reads none anywhere."""
    if not reads_anywhere(user):
        raise PermissionDenied
    q = Q(pk__in=[])
    for office, region_id in office_roles(user):
        q |= Q(office=office, region_id=region_id)
    if case_scope.holds_anywhere(user, Right.READ_CASE):
        q |= Q(case__in=case_scope.cases_visible(user).values("pk"))
    if case_scope.holds_anywhere(user, Right.READ_COMPLAINT):
        q |= Q(case__isnull=True, complaint__in=case_scope.complaints_visible(user).values("pk"))
    return Referral.objects.filter(q)


def handles(user, referral: Referral) -> bool:
    """The office user the referral was sent to (its office at its region)."""
    return (referral.office, referral.region_id) in office_roles(user)


def referral_for_user(user, pk: int, *, act: bool = False) -> Referral:
    """The referral if `user` may read it (else 404); with `act`, only its office's users (else 403)."""
    referral = (
        Referral.objects.select_related("region", "employer", "case", "complaint", "referred_by").filter(pk=pk).first()
    )
    if referral is None or not (handles(referral=referral, user=user) or _bureau_sees(user, referral)):
        raise Http404
    if act and not handles(user, referral):
        raise PermissionDenied
    return referral


def _bureau_sees(user, referral: Referral) -> bool:
    if referral.case_id:
        case = referral.case
        assert case is not None
        return case_scope.can(user, Right.READ_CASE, region=case.region, case_id=case.pk)
    complaint = referral.complaint
    assert complaint is not None
    return case_scope.can(user, Right.READ_COMPLAINT, region=complaint.region, case_id=complaint.case_id)


def can_refer_complaint(user, complaint: Complaint) -> bool:
    """The clerk of the office that refused the complaint (as a labour dispute) refers it."""
    return complaint.status == Complaint.Status.REFUSED and case_scope.can(
        user, Right.INTAKE, region=complaint.region, case_id=complaint.case_id
    )


def can_refer_case(user, case: Case) -> bool:
    """The inspector assigned to the case, or its office's leader, refers it while it is open."""
    if case.status in (Case.Status.CLOSED, Case.Status.WITHDRAWN):
        return False
    return case_scope.can(user, Right.INVESTIGATE, region=case.region, case_id=case.pk) or case_scope.can(
        user, Right.APPROVE, region=case.region, case_id=case.pk
    )


def complaint_to_refer(user, receipt_no: str) -> Complaint:
    """The refused complaint `user` may refer: 404 out of scope, 403 without the right or when not refused."""
    complaint = case_scope.complaint_for_user(user, receipt_no)
    if not can_refer_complaint(user, complaint):
        raise PermissionDenied
    return complaint


def case_to_refer(user, case_no: str) -> Case:
    case = case_scope.case_for_user(user, case_no)
    if not can_refer_case(user, case):
        raise PermissionDenied
    return case
