"""Who may read and act on what: the ONE module that owns scope (SPEC §2).

A user's grants are (role, region) pairs from StaffRole. Each role covers a set of
regions — its own region (clerk, inspector, legal) or its region and everything
below it (leader, auditor) — and gives a set of rights there. Per-case exceptions
(assistance, supervising office, previous office) are guardian object permissions
on Case. Out of scope → 404 (Http404); in scope without the right → 403
(PermissionDenied). Lists are one indexed query: `region_id IN (...)` or a
`path LIKE 'prefix%'` subquery, plus a literal list of excepted case ids.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import CharField, Lookup, PositiveIntegerField, Q, QuerySet, Value
from django.http import Http404

from ..models import (
    Case,
    CaseGroupObjectPermission,
    CaseInspector,
    CaseUserObjectPermission,
    Complaint,
    Region,
    StaffRole,
)
from ..rights import (
    ASSIGNED_RIGHTS,
    BELOW_ONLY,
    EXCEPTION_RIGHTS,
    NO_CASE_DATA,
    OWN_REGION_ONLY,
    RIGHTS,
    SUBTREE_ROLES,
    Right,
)
from ..rights import RIGHT_ROLE as RIGHT_ROLE  # re-exported: where a right is exercised (the timeline's role)


@dataclass(frozen=True)
class Grant:
    role: str
    region_id: int
    region_code: str
    path: str

    @property
    def subtree(self) -> bool:
        return self.role in SUBTREE_ROLES

    def covers(self, region: Region) -> bool:
        return region.path.startswith(self.path) if self.subtree else region.pk == self.region_id

    def gives(self, right: Right, region: Region) -> bool:
        if right not in RIGHTS[self.role] or not self.covers(region):
            return False
        own = region.pk == self.region_id
        if right in OWN_REGION_ONLY and not own:
            return False
        if right in BELOW_ONLY and own:
            return False
        return True


def grants(user) -> tuple[Grant, ...]:
    """The user's (role, region) grants; cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return ()
    cached = getattr(user, "_zhiqian_grants", None)
    if cached is None:
        rows = StaffRole.objects.filter(user=user).values_list("role", "region_id", "region__code", "region__path")
        cached = tuple(Grant(*row) for row in rows)
        user._zhiqian_grants = cached
    return cached


def roles(user) -> set[str]:
    return {g.role for g in grants(user)}


def regions_with(user, right: Right) -> list[int]:
    """Ids of the offices where the user itself holds `right` (not those below)."""
    return sorted({g.region_id for g in grants(user) if right in RIGHTS[g.role]})


def has_role(user, role: str, *, region: Region | None = None) -> bool:
    return any(g.role == role and (region is None or g.region_id == region.pk) for g in grants(user))


# --- per-case exceptions: guardian grants (the user's and its office groups') and assignments ------------

MANY = 200  # a user with more per-case exceptions than this is never loaded whole: lists ask SQL instead
ASSIGNED = "assigned"  # what an active CaseInspector row is called among the grants' codenames


def _rights_of(codename: str) -> frozenset[Right]:
    return ASSIGNED_RIGHTS if codename == ASSIGNED else EXCEPTION_RIGHTS.get(codename, frozenset())


def _codenames(right: Right) -> list[str]:
    return [c for c in (*EXCEPTION_RIGHTS, ASSIGNED) if right in _rights_of(c)]


class _Exceptions:
    """The user's per-case rights. One statement reads up to MANY + 1 of them; when there are no more than
    MANY they are all here, else (a user helping on thousands of cases) each question is answered in SQL:
    a case's rights by one small query, a list by subqueries. Cached on the user object for the request."""

    def __init__(self, user) -> None:
        self.user = user
        # An office's grant reaches its case staff, never an administrator by that role alone (SPEC §2).
        self.with_groups = any(g.role not in NO_CASE_DATA for g in grants(user))
        rows = list(self._union()[: MANY + 1])
        self.complete = len(rows) <= MANY
        self.rights = self._fold(rows) if self.complete else {}
        self._held: dict[Right, bool] = {}

    def _sources(self, codenames: list[str] | None = None, case_id: int | None = None) -> list[tuple[QuerySet, str]]:
        """Each source of exceptions with its case-id field, optionally of these codenames or of this case."""
        perms = {} if codenames is None else {"permission__codename__in": codenames}
        case = {} if case_id is None else {"content_object_id": case_id}
        sources: list[tuple[QuerySet, str]] = [
            (CaseUserObjectPermission.objects.filter(user=self.user, **perms, **case), "content_object_id")
        ]
        if self.with_groups:
            groups = CaseGroupObjectPermission.objects.filter(group__user=self.user, **perms, **case)
            sources.append((groups, "content_object_id"))
        if codenames is None or ASSIGNED in codenames:
            assigned = CaseInspector.objects.filter(inspector=self.user, active=True)
            sources.append((assigned if case_id is None else assigned.filter(case_id=case_id), "case_id"))
        return sources

    def _union(self, **kwargs) -> QuerySet:
        """(case id, codename) rows of every source, in one statement."""
        first, *rest = [
            qs.values_list(field, Value(ASSIGNED, output_field=CharField()))
            if field == "case_id"
            else qs.values_list(field, "permission__codename")
            for qs, field in self._sources(**kwargs)
        ]
        return first.union(*rest, all=True) if rest else first

    @staticmethod
    def _fold(rows) -> dict[int, frozenset[Right]]:
        rights: dict[int, frozenset[Right]] = {}
        for case_id, codename in rows:
            rights[case_id] = rights.get(case_id, frozenset()) | _rights_of(codename)
        return rights

    def on(self, case_id: int) -> frozenset[Right]:
        if self.complete:
            return self.rights.get(case_id, frozenset())
        if case_id not in self.rights:
            self.rights[case_id] = self._fold(self._union(case_id=case_id)).get(case_id, frozenset())
        return self.rights[case_id]

    def held(self, right: Right) -> bool:
        if self.complete:
            return any(right in rights for rights in self.rights.values())
        if right not in self._held:
            self._held[right] = self._union(codenames=_codenames(right)).exists()
        return self._held[right]

    def q(self, right: Right, field: str, *, rare: bool = False) -> Q | None:
        """Q over `field` (a case id) for the cases where an exception gives `right`; None: there are none.
        `rare`: the rows so matched are few among many (tasks), so PostgreSQL should probe the index of
        `field` with the ids (= ANY(ARRAY(…))) rather than walk the table in id order testing each row."""
        if self.complete:
            ids = sorted(case_id for case_id, rights in self.rights.items() if right in rights)
            return Q(**{f"{field}__in": ids}) if ids else None
        first, *rest = [qs.values(case_field) for qs, case_field in self._sources(codenames=_codenames(right))]
        case_ids = first.union(*rest, all=True) if rest else first
        lookup = "zhiqian_any" if rare and connection.vendor == "postgresql" else "in"
        return Q(**{f"{field}__{lookup}": case_ids})


@PositiveIntegerField.register_lookup
class _AnyOfSubquery(Lookup):
    """`field = ANY(ARRAY(subquery))` (PostgreSQL): the subquery runs once, and its ids probe the index."""

    lookup_name = "zhiqian_any"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def _exceptions(user) -> _Exceptions | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_zhiqian_exceptions", None)
    if cached is None:
        cached = user._zhiqian_exceptions = _Exceptions(user)
    return cached


def exception_rights(user, case_id: int | None) -> frozenset[Right]:
    """What per-case grants and assignments give `user` on this case."""
    exceptions = _exceptions(user)
    return exceptions.on(case_id) if exceptions is not None and case_id is not None else frozenset()


def has_exception(user, right: Right) -> bool:
    """Whether a per-case grant or an assignment gives `user` this right on some case."""
    exceptions = _exceptions(user)
    return exceptions is not None and exceptions.held(right)


def exception_q(user, right: Right, field: str = "pk", *, rare: bool = False) -> Q | None:
    """Q over `field` (a case id) for the cases where a per-case grant or an assignment gives `user` this
    right; None when there are none. Literal ids for a few, subqueries on the grants for many: one
    statement either way, and none of a heavy helper's thousands of grants passes through Python."""
    exceptions = _exceptions(user)
    return exceptions.q(right, field, rare=rare) if exceptions is not None else None


def region_ids(user, right: Right) -> list[int]:
    """Ids of every region where `user` holds `right`: its own office, or its subtree.

    A literal list, not a subquery: PostgreSQL then estimates from the region_id
    statistics how many cases match, and picks the (region_id, id) index for a small
    subtree and the primary key for a large one (bench/explain.py, docs/performance.md).
    """
    cache = user.__dict__.setdefault("_zhiqian_region_ids", {})
    if right not in cache:
        ids: set[int] = set()
        for g in grants(user):
            if right not in RIGHTS[g.role]:
                continue
            if not g.subtree or right in OWN_REGION_ONLY:
                ids.add(g.region_id)
                continue
            below = set(Region.objects.filter(path__startswith=g.path).values_list("pk", flat=True))
            if right in BELOW_ONLY:
                below.discard(g.region_id)
            ids |= below
        cache[right] = sorted(ids)
    return cache[right]


def region_q(user, right: Right, field: str = "region") -> Q:
    """Q over `field` (a FK to Region) for the regions where `user` holds `right`."""
    return Q(**{f"{field}_id__in": region_ids(user, right)})


def holds_anywhere(user, right: Right) -> bool:
    return any(right in RIGHTS[g.role] for g in grants(user)) or has_exception(user, right)


def _covered(user, region: Region) -> bool:
    return any(g.covers(region) and g.role not in NO_CASE_DATA for g in grants(user))


def can(user, right: Right, *, region: Region, case_id: int | None = None) -> bool:
    if any(g.gives(right, region) for g in grants(user)):
        return True
    return right in exception_rights(user, case_id)


def in_scope(user, *, region: Region, case_id: int | None = None) -> bool:
    return _covered(user, region) or bool(exception_rights(user, case_id))


def within_region_code(qs: QuerySet, code: str, field: str = "region") -> QuerySet:
    """`qs` narrowed to the office with six-digit `code` and every office below it (a list's region filter,
    within what scope already allows); nothing for a code that names no region."""
    region = Region.objects.filter(code=(code or "").strip()).only("path").first()
    if region is None:
        return qs.none()
    return qs.filter(**{f"{field}__path__startswith" if field else "path__startswith": region.path})


# --- cases ---------------------------------------------------------------------------


def cases_visible(user, right: Right = Right.READ_CASE) -> QuerySet[Case]:
    """Cases the user may read. A user with no such right anywhere gets 403."""
    if not holds_anywhere(user, right):
        raise PermissionDenied
    q = region_q(user, right)
    excepted = exception_q(user, right)
    if excepted is not None:
        q |= excepted
    return Case.objects.filter(q)


def case_for_user(user, case_no: str, right: Right = Right.READ_CASE) -> Case:
    """The case, if `user` may see it (else 404) and holds `right` on it (else 403)."""
    case = Case.objects.select_related("region", "employer", "project").filter(case_no=case_no).first()
    if case is None or not in_scope(user, region=case.region, case_id=case.pk):
        raise Http404
    if not can(user, right, region=case.region, case_id=case.pk):
        raise PermissionDenied
    return case


# --- complaints ----------------------------------------------------------------------


def complaints_visible(user) -> QuerySet[Complaint]:
    if not holds_anywhere(user, Right.READ_COMPLAINT):
        raise PermissionDenied
    q = region_q(user, Right.READ_COMPLAINT)
    excepted = exception_q(user, Right.READ_COMPLAINT, "case_id")
    if excepted is not None:
        q |= excepted
    return Complaint.objects.filter(q)


def complaint_for_user(user, receipt_no: str, right: Right = Right.READ_COMPLAINT) -> Complaint:
    complaint = Complaint.objects.select_related("region").filter(receipt_no=receipt_no).first()
    if complaint is None or not in_scope(user, region=complaint.region, case_id=complaint.case_id):
        raise Http404
    if not can(user, right, region=complaint.region, case_id=complaint.case_id):
        raise PermissionDenied
    return complaint


def can_flag(user, case: Case) -> bool:
    """Case flags (cases.flags): the inspectors assigned to the case (or assisting on it), the leaders of its
    office, and the leaders of the offices above it (who supervise it: 上级督办 is theirs to record)."""
    return any(
        can(user, right, region=case.region, case_id=case.pk)
        for right in (Right.INVESTIGATE, Right.APPROVE, Right.SUPERVISE)
    )


def case_for_flagging(user, case_no: str) -> tuple[Case, str]:
    """The case (out of scope 404) if the user may set its flags (else 403), and the role they act in."""
    case = case_for_user(user, case_no)
    for right in (Right.APPROVE, Right.SUPERVISE, Right.INVESTIGATE):
        if can(user, right, region=case.region, case_id=case.pk):
            return case, RIGHT_ROLE[right]
    raise PermissionDenied


def can_unmask(user, case: Case) -> bool:
    """Personal data unmasked: the handling office's clerk and the inspectors assigned to the case."""
    return can(user, Right.UNMASK, region=case.region, case_id=case.pk)


# --- per-case exceptions (the only guardian writes) ------------------------------------


def office_group(region: Region):
    from django.contrib.auth.models import Group

    return Group.objects.get_or_create(name=f"office:{region.code}")[0]


def forget(user) -> None:
    """Drop the grants cached on this user object (after a grant or an assignment changes)."""
    for attr in ("_zhiqian_grants", "_zhiqian_exceptions", "_zhiqian_region_ids"):
        user.__dict__.pop(attr, None)


def exception_grant(*, case: Case, codename: str, user=None, region: Region | None = None) -> None:
    """Grant a per-case exception to one user, or to every staff member of an office."""
    from guardian.shortcuts import assign_perm

    if codename not in EXCEPTION_RIGHTS:
        raise ValueError(f"unknown exception {codename!r}")
    if (user is None) == (region is None):
        raise ValueError("grant to a user or to an office, not both")
    assign_perm(f"cases.{codename}", _grantee(user, region), case)


def exception_revoke(*, case: Case, codename: str, user=None, region: Region | None = None) -> None:
    from guardian.shortcuts import remove_perm

    remove_perm(f"cases.{codename}", _grantee(user, region), case)


def _grantee(user, region: Region | None):
    """Who holds a per-case exception: the user, else every staff member of the office (its group)."""
    if user is not None:
        return user
    assert region is not None, "a per-case exception goes to a user or to an office"
    return office_group(region)


# The parts kept in modules of their own, re-exported here: `cases.scope` stays the one place of every rule.
from .admin import manages_region, regions_managed_q  # noqa: E402, F401
from .events import EVENT_SEARCHERS, events_visible, may_search_events  # noqa: E402, F401
from .records import (  # noqa: E402, F401
    EMPLOYER_CORRECTORS,
    EMPLOYER_REPLACERS,
    employer_for_user,
    leads_all,
    party_for_user,
    role_on_any,
)
