"""Who of the joint meeting may see and do what: the ONE module of these rules, on top of cases.scope (the
labour bureau's grants) and projects.scope (the industry departments' projects).

- the joint-meeting office of a region (联席会议办公室): a MemberRole "office" there, or the labour bureau's
  leader of the region (the human-resources department leads the joint meeting; its office sits in the
  bureau). It issues 督办 and 约谈 to a department of its region or below, or to the government of a region
  below; it reads and closes its own matters and reads those of the offices below it;
- a department (housing, transport, water through projects.IndustryRole; development, finance, public
  security, a government through MemberRole) reads the matters addressed to it at its region and, read only,
  to the same department below; it reports progress on those addressed to its own region;
- industry departments: their projects (projects.scope, unchanged);
- finance and development: the government-invested projects of their region and below, with their funding
  figures (labour costs paid into the wage account, the wage deposit) — no roster, no worker;
- public security: the criminal referrals transferred to the police of its region (the case's office,
  R310 art 5: the police at the same level), to acknowledge and to record the filing decision;
- none of them holds a case or complaint grant: complaint and case pages answer 403 (cases.scope).

Out of scope → 404 (Http404); in scope without the right → 403 (PermissionDenied).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cases import scope as case_scope
from cases.models import Referral, Region, Role
from projects import scope as project_scope
from projects.models import Project

from .models import INDUSTRY, Department, Matter, MemberRole

# the referral's states once it is with the police (transferred) — before that it is the bureau's own matter
WITH_POLICE = [
    Referral.Status.TRANSFERRED,
    Referral.Status.FILED,
    Referral.Status.HANDED_OVER,
    Referral.Status.NOT_FILED,
    Referral.Status.RECONSIDERATION,
    Referral.Status.SUPERVISION_REQUESTED,
    Referral.Status.CONCLUDED,
]
# the police's answers the police user records: the decision (R310 art 8) and the reconsideration (art 9)
POLICE_ANSWERS = [Referral.Status.TRANSFERRED, Referral.Status.RECONSIDERATION]
FUNDING = frozenset({Department.FINANCE, Department.DEVELOPMENT})


@dataclass(frozen=True)
class Seat:
    """A department's seat at a region (held through MemberRole or projects.IndustryRole)."""

    department: str
    region_id: int
    path: str

    def covers(self, region: Region) -> bool:
        return region.path.startswith(self.path)


def seats(user) -> tuple[Seat, ...]:
    """The user's department seats (member roles and industry roles); cached on the user."""
    if not getattr(user, "is_authenticated", False):
        return ()
    cached = user.__dict__.get("_zhiqian_seats")
    if cached is None:
        rows = MemberRole.objects.filter(user=user).values_list("department", "region_id", "region__path")
        industry = [(d, r, p) for d, r, p in project_scope.industry_roles(user) if d in INDUSTRY]
        cached = user.__dict__["_zhiqian_seats"] = tuple(Seat(*row) for row in [*rows, *industry])
    return cached


def _departments(user, *wanted: str) -> list[Seat]:
    return [s for s in seats(user) if s.department in wanted]


def is_member(user) -> bool:
    """A user of a member department (not the office): its landing page is the department's queue."""
    return any(s.department != Department.OFFICE for s in seats(user))


def office_regions(user) -> list[tuple[int, str]]:
    """(region id, path) of the offices the user acts for: its office seats and its labour-bureau leaderships."""
    found = {(s.region_id, s.path) for s in _departments(user, Department.OFFICE)}
    found |= {(g.region_id, g.path) for g in case_scope.grants(user) if g.role == Role.LEADER}
    return sorted(found)


def acts_for_office(user, region: Region) -> bool:
    return any(rid == region.pk for rid, _ in office_regions(user))


def is_office(user) -> bool:
    return bool(office_regions(user))


def sees_matters(user) -> bool:
    return is_office(user) or bool(seats(user))


def acts_for_addressee(user, matter: Matter) -> bool:
    return any(s.department == matter.addressee_department and s.region_id == matter.addressee_region_id
               for s in seats(user))  # fmt: skip


def matters_visible(user) -> QuerySet[Matter]:
    """The matters `user` reads; 403 for a user who is neither an office nor a department."""
    if not sees_matters(user):
        raise PermissionDenied
    q = Q(pk__in=[])
    for _rid, path in office_regions(user):
        q |= Q(office_region__path__startswith=path)
    for s in seats(user):
        if s.department != Department.OFFICE:
            q |= Q(addressee_department=s.department, addressee_region__path__startswith=s.path)
    return Matter.objects.filter(q)


def matters_addressed(user) -> QuerySet[Matter]:
    """The matters addressed to one of the user's own seats (its queue)."""
    q = Q(pk__in=[])
    for s in seats(user):
        if s.department != Department.OFFICE:
            q |= Q(addressee_department=s.department, addressee_region_id=s.region_id)
    return Matter.objects.filter(q)


def _refused(user, *regions: Region) -> Exception:
    """A user of the labour bureau (no joint-meeting seat) whose grants cover the thing's region is in scope
    without the right (403); anyone else does not learn it exists (404)."""
    covered = any(g.role != Role.ADMIN and g.covers(r) for g in case_scope.grants(user) for r in regions)
    return PermissionDenied() if covered else Http404()


def matter_for_user(user, pk: int, *, act: str = "") -> Matter:
    """The matter if `user` reads it (else 404); `act` "report" (its addressee) or "office" (its office)
    else 403."""
    if not sees_matters(user):
        found = Matter.objects.select_related("office_region", "addressee_region").filter(pk=pk).first()
        if found is None:
            raise Http404
        raise _refused(user, found.office_region, found.addressee_region)
    matter = matters_visible(user).select_related("office_region", "addressee_region").filter(pk=pk).first()
    if matter is None:
        raise Http404
    if act == "report" and not acts_for_addressee(user, matter):
        raise PermissionDenied
    if act == "office" and not acts_for_office(user, matter.office_region):
        raise PermissionDenied
    return matter


def check_issue(user, *, office_region: Region) -> None:
    if not acts_for_office(user, office_region):
        raise PermissionDenied


def addressable(office_region: Region, *, department: str, region: Region) -> bool:
    """A department of the office's region or below; the government of a region strictly below it."""
    if department == Department.OFFICE or department not in Department.values:
        return False
    if not region.path.startswith(office_region.path):
        return False
    return region.pk != office_region.pk if department == Department.GOVERNMENT else True


# --- public security: the referrals transferred to its office ----------------------------------------------


def is_police(user) -> bool:
    return bool(_departments(user, Department.POLICE))


def referrals_for_police(user) -> QuerySet[Referral]:
    """The referrals transferred to the police of the user's regions; 403 for a user who is not police."""
    seats_ = _departments(user, Department.POLICE)
    if not seats_:
        raise PermissionDenied
    regions = [s.region_id for s in seats_]
    return Referral.objects.filter(case__region_id__in=regions, status__in=WITH_POLICE)


def referral_for_police(user, pk: int) -> Referral:
    """A referral transferred to the user's police office, else 404 (a bureau user of its region: 403)."""
    if not is_police(user):
        found = Referral.objects.select_related("case__region").filter(pk=pk).first()
        if found is None:
            raise Http404
        raise _refused(user, found.case.region)
    found = referrals_for_police(user).select_related("case__region", "case__employer").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def answers_for_police(user, referral: Referral) -> bool:
    return any(s.region_id == referral.case.region_id for s in _departments(user, Department.POLICE))


# --- finance and development: government-invested projects' funding ---------------------------------------


def sees_funding(user) -> bool:
    return bool(_departments(user, *FUNDING))


def funding_projects(user) -> QuerySet[Project]:
    """Government-invested projects of the user's finance/development regions and below; 403 otherwise."""
    seats_ = _departments(user, *FUNDING)
    if not seats_:
        raise PermissionDenied
    q = Q(pk__in=[])
    for s in seats_:
        q |= Q(region__path__startswith=s.path)
    return Project.objects.filter(q, government_invested=True)


def funding_regions(user) -> QuerySet[Region]:
    q = Q(pk__in=[])
    for s in _departments(user, *FUNDING):
        q |= Q(path__startswith=s.path)
    return Region.objects.filter(q)
