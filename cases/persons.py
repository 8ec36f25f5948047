"""Person records: one record per person (the same resident ID number), merging the duplicates stored
before intake reused records, and what a worker is owed and was paid on each case.

    person_merge(keep=party, duplicate=other, actor=leader, reason="同一身份证号的重复记录")

Intake finds a complainant by the blind index of the ID number (cases.intake.submit); duplicates kept from
before are found by person_duplicates() and merged by person_merge(), one by one or through the
management command merge_duplicate_persons. A merge moves every row that points at the duplicate
(complaints, case roles, ledger entries, and any other model's foreign key to Party) to the record kept,
deletes the duplicate, keeps a PersonMerge row and writes one "person.merged" event on each case (or
unfiled complaint) the duplicate was part of.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, ManyToOneRel, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from . import scope, timeline
from .actors import Actor
from .masking import mask_name
from .models import ArrearsEntry, Case, CaseParty, Complaint, Party, PersonMerge, Region
from .transitions import lock
from .tx import one_transaction
from .values import required_text, yuan

REASON_MAX = 500
# The label of this module's timeline event, as people read it (for the timeline's pages).


def _regions(party: Party) -> set[Region]:
    """The offices of every case and complaint the person is part of."""
    case_ids = set(CaseParty.objects.filter(party=party).values_list("case_id", flat=True))
    case_ids |= set(ArrearsEntry.objects.filter(worker=party).values_list("case_id", flat=True))
    region_ids = set(Case.objects.filter(pk__in=case_ids).values_list("region_id", flat=True))
    region_ids |= set(Complaint.objects.filter(complainant=party).values_list("region_id", flat=True))
    return set(Region.objects.filter(pk__in=region_ids))


def _subjects(party: Party) -> list:
    case_ids = set(CaseParty.objects.filter(party=party).values_list("case_id", flat=True))
    case_ids |= set(ArrearsEntry.objects.filter(worker=party).values_list("case_id", flat=True))
    case_ids |= set(Complaint.objects.filter(complainant=party, case__isnull=False).values_list("case_id", flat=True))
    cases = list(Case.objects.filter(pk__in=case_ids).order_by("pk"))
    complaints = list(Complaint.objects.filter(complainant=party, case__isnull=True).order_by("pk"))
    return [*cases, *complaints]


def _move(keep: Party, duplicate: Party) -> dict[str, int]:
    """Point every row that names the duplicate at the record kept; {model label: rows moved}."""
    moved: dict[str, int] = {}
    # the same role on the same case twice: the duplicate's row goes (the complaint keeps its complainant)
    kept_roles = CaseParty.objects.filter(party=keep).values_list("case_id", "kind")
    for case_id, kind in list(kept_roles):
        CaseParty.objects.filter(party=duplicate, case_id=case_id, kind=kind).delete()
    for rel in Party._meta.get_fields(include_hidden=True):  # hidden: the ledger's worker (related_name "+")
        if not isinstance(rel, ManyToOneRel) or rel.field.many_to_many:
            continue  # Party.cases (through CaseParty) moves with CaseParty
        model, field = rel.related_model, rel.field.name
        assert not isinstance(model, str)  # resolved: the app registry is ready
        count = model._default_manager.filter(**{field: duplicate}).update(**{field: keep})
        if count:
            moved[model._meta.label_lower] = count
    return moved


def _ledger_clash(keep: Party, duplicate: Party) -> str:
    """A case where both records have a ledger entry for the same period (their amounts must be checked)."""
    kept = set(ArrearsEntry.objects.filter(worker=keep).values_list("case_id", "period_start"))
    for case_id, start in ArrearsEntry.objects.filter(worker=duplicate).values_list("case_id", "period_start"):
        if (case_id, start) in kept:
            return Case.objects.get(pk=case_id).case_no
    return ""


@one_transaction
def person_merge(*, keep: Party, duplicate: Party, actor: Actor, reason: str, role: str = "leader") -> PersonMerge:
    """Merge `duplicate` into `keep`: both must carry the same resident ID number. A staff actor must be a
    leader whose region covers every case and complaint of both records (PermissionDenied otherwise); the
    system (the management command) merges anywhere. The newer record's phone is kept when it has one."""
    reason = required_text(reason, field="reason", label=_("理由"), limit=REASON_MAX)
    if keep.pk == duplicate.pk:
        raise ValidationError({"duplicate": _("不能将记录与其自身合并。")})
    first, second = sorted([keep, duplicate], key=lambda p: p.pk)
    lock(first)
    lock(second)
    if not keep.id_number_index or keep.id_number_index != duplicate.id_number_index:
        raise ValidationError({"duplicate": _("两条记录的身份证号不同（或未登记身份证号），不是同一人，不能合并。")})
    if actor is not None and not scope.leads_all(actor, _regions(keep) | _regions(duplicate)):
        raise PermissionDenied(_("合并须由两条记录所涉全部案件所在地区的负责人办理。"))
    clash = _ledger_clash(keep, duplicate)
    if clash:
        raise ValidationError(
            {"duplicate": _("两条记录在案件%(case)s中有同一期间的欠薪台账，请先核对台账后再合并。") % {"case": clash}}
        )
    subjects = _subjects(duplicate)
    now = timezone.now()
    moved = _move(keep, duplicate)
    if duplicate.phone and duplicate.phone != keep.phone and (duplicate.created_at > keep.created_at or not keep.phone):
        keep.phone = duplicate.phone
        keep.save(update_fields=["phone"])
    merge = PersonMerge.objects.create(
        kept=keep, merged_party_id=duplicate.pk, merged_name=duplicate.name, moved=moved, reason=reason,
        actor=actor, at=now,
    )  # fmt: skip
    data = {"kept": keep.pk, "merged": duplicate.pk, "name": mask_name(keep.name), "moved": moved, "reason": reason}
    timeline.record_many(
        timeline.Entry(subject, "person.merged", actor=actor, role=role if actor else "", data=data, at=now)
        for subject in subjects
    )
    duplicate.delete()
    return merge


def person_duplicates() -> Iterator[list[Party]]:
    """Each group of records sharing a resident ID number (blind index), oldest first: the first is kept."""
    keys = (
        Party.objects.exclude(id_number_index="")
        .values("id_number_index")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("id_number_index")
        .values_list("id_number_index", flat=True)
    )
    for key in list(keys):
        yield list(Party.objects.filter(id_number_index=key).order_by("created_at", "pk"))


@dataclass(frozen=True)
class CaseAmounts:
    """One case of a worker: how the worker appears, what was claimed, what the ledger owes and paid."""

    case: Case
    roles: list[str]
    claimed: Decimal
    owed: Decimal
    paid: Decimal

    @property
    def outstanding(self) -> Decimal:
        return yuan(self.owed - self.paid)


def person_cases(party: Party, cases: QuerySet[Case]) -> list[CaseAmounts]:
    """For each of `cases` (those the viewer may read), the person's roles and amounts on it."""
    rows = []
    for case in cases.select_related("region", "employer").order_by("-filed_at", "-pk"):
        roles = sorted(
            {str(CaseParty.Kind(k).label) for k in CaseParty.objects.filter(case=case, party=party).values_list(
                "kind", flat=True)}
        )  # fmt: skip
        ledger = ArrearsEntry.objects.filter(case=case, worker=party).aggregate(
            o=Sum("amount_owed"), p=Sum("amount_paid")
        )
        if ledger["o"] is not None and not roles:
            roles = [str(CaseParty.Kind.WORKER.label)]
        claimed = Complaint.objects.filter(case=case, complainant=party).aggregate(s=Sum("amount_owed"))["s"]
        rows.append(CaseAmounts(case=case, roles=roles, claimed=yuan(claimed), owed=yuan(ledger["o"]),
                                paid=yuan(ledger["p"])))  # fmt: skip
    return rows


def person_merges(party: Party) -> QuerySet[PersonMerge]:
    return PersonMerge.objects.filter(kept=party).select_related("actor").order_by("-at", "-id")
