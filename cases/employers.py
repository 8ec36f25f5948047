"""Employer records: correcting an employer's USCC, name, legal representative or address, and replacing
the employer of a case before a decision is issued.

    employer_correct(employer=e, actor=clerk, uscc="91360302MA…", legal_representative="王某", reason="…")
    case_employer_replace(case=c, employer=other, actor=clerk, reason="营业执照显示实际用工单位为…")

Each change is kept twice: a row of EmployerChange (the employer page's history) and one timeline event
on each case of the employer (a complaint not yet filed: on the complaint's own chain), with the old
and the new value. A case whose decision was issued keeps its employer: the documents name it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import timeline
from .actors import Actor
from .intake.region_index import _address_parse
from .intake.submit import employer_get_or_create
from .intake.validation import CleanEmployer
from .masking import mask_name
from .models import Case, Complaint, Document, Employer, EmployerChange
from .numbering import employer_name_key
from .transitions import expect_status, lock, transition
from .tx import one_transaction
from .values import compact, required_text, uscc_problem

REASON_MAX = 500
# What a correction may change, with its limit (the model's max_length) and its label.
CORRECTABLE = {
    "uscc": (18, gettext_lazy("统一社会信用代码")),
    "name": (200, gettext_lazy("单位名称")),
    "legal_representative": (64, gettext_lazy("法定代表人（主要负责人）")),
    "address": (300, gettext_lazy("地址")),
}
UNSET = object()
# A case keeps its employer once a decision has been issued on it: these documents name the employer.
DECISION_DOCUMENTS = (
    Document.Kind.ORDER_TO_CORRECT,
    Document.Kind.ORDER_TO_PAY,
    Document.Kind.PRE_DECISION_NOTICE,
    Document.Kind.HANDLING_DECISION,
    Document.Kind.PENALTY_DECISION,
    Document.Kind.COMPENSATION_ORDER,
    Document.Kind.WITHDRAWAL_DECISION,
)
REPLACEABLE = (Case.Status.FILED, Case.Status.INVESTIGATING, Case.Status.SUSPENDED, Case.Status.DECIDING)


def _reason(reason) -> str:
    return required_text(reason, field="reason", label=_("理由"), limit=REASON_MAX)


def _clean(field: str, value) -> str:
    limit, label = CORRECTABLE[field]
    if field == "uscc":
        code = compact(value)
        if not code:
            raise ValidationError({"uscc": _("请填写统一社会信用代码。")})
        problem = uscc_problem(code)
        if problem:
            raise ValidationError({"uscc": problem})
        return code
    text = " ".join(str(value or "").split())
    if field == "address" and not text:
        return ""
    return required_text(text, field=field, label=str(label), limit=limit)


def _on_timeline(field: str, old: str, new: str) -> dict:
    if field == "legal_representative":
        return {"old": mask_name(old), "new": mask_name(new)}
    return {"old": old, "new": new}


def _subjects(employer: Employer) -> list:
    """Where an employer's change is recorded: each of its cases, each of its complaints not yet filed."""
    cases = list(Case.objects.filter(employer=employer).order_by("pk"))
    complaints = list(Complaint.objects.filter(employer=employer, case__isnull=True).order_by("pk"))
    return [*cases, *complaints]


@one_transaction
def employer_correct(
    *,
    employer: Employer,
    actor: Actor,
    reason: str,
    role: str = "",
    uscc=UNSET,
    name=UNSET,
    legal_representative=UNSET,
    address=UNSET,
) -> list[EmployerChange]:
    """Correct one or more fields of an employer's record; one EmployerChange per changed field and one
    "employer.corrected" event (all fields, old → new) on each case / unfiled complaint of the employer.
    ValidationError naming the field on a bad value, on a USCC another employer already holds, on nothing
    to change, and on an empty reason."""
    given = {"uscc": uscc, "name": name, "legal_representative": legal_representative, "address": address}
    given = {f: v for f, v in given.items() if v is not UNSET}
    reason = _reason(reason)
    if not given:
        raise ValidationError({"non_field_errors": _("请至少填写一项要更正的内容。")})
    lock(employer)
    clean = {f: _clean(f, v) for f, v in given.items()}
    changes = {f: (getattr(employer, f), v) for f, v in clean.items() if getattr(employer, f) != v}
    if not changes:
        raise ValidationError({next(iter(clean)): _("与现有记录相同，没有需要更正的内容。")})
    if "uscc" in changes:
        holder = Employer.objects.filter(uscc=clean["uscc"]).exclude(pk=employer.pk).first()
        if holder is not None:
            raise ValidationError(
                {"uscc": _("该统一社会信用代码已属于用人单位“%(name)s”；如为同一单位，请更换案件的用人单位。")
                 % {"name": holder.name}}
            )  # fmt: skip
    update: dict[str, object] = {f: new for f, (_old, new) in changes.items()}
    if "uscc" in changes:
        update["uscc_override_reason"] = ""  # a checked code needs no waiver
    if "name" in changes:
        update["name_key"] = employer_name_key(clean["name"])
    if "address" in changes and employer.region_id is None:
        place = _address_parse(clean["address"])
        update["region_id"] = place.id if place else None
    for f, v in update.items():
        setattr(employer, f, v)
    employer.save(update_fields=list(update))
    now = timezone.now()
    rows = EmployerChange.objects.bulk_create(
        [
            EmployerChange(employer=employer, kind=EmployerChange.Kind.CORRECTED, field=f, old_value=old,
                           new_value=new, reason=reason, actor=actor, at=now)
            for f, (old, new) in changes.items()
        ]
    )  # fmt: skip
    data = {
        "employer": employer.pk,
        "employer_name": employer.name,
        # the legal representative is a natural person: the surname only on the append-only timeline (the
        # full names stay on EmployerChange, the employer page's history)
        "changes": {f: _on_timeline(f, old, new) for f, (old, new) in changes.items()},
        "reason": reason,
    }
    timeline.record_many(
        timeline.Entry(subject, "employer.corrected", actor=actor, role=role, data=data, at=now)
        for subject in _subjects(employer)
    )
    return rows


def employer_replaceable(case: Case) -> bool:
    """Whether the case may still change its employer: open and no decision issued."""
    return case.status in REPLACEABLE and not _decided(case)


def _decided(case: Case) -> bool:
    return bool(case.decision) or case.documents.filter(kind__in=DECISION_DOCUMENTS).exists()


@one_transaction
def case_employer_replace(
    *, case: Case, employer: Employer | CleanEmployer, actor: Actor, role: str = "", reason: str
) -> Case:
    """Put `employer` on the case (and on its complaints) instead of the one recorded: only before a decision
    is issued; after that a ValidationError on "employer". `employer` may be a validated employer
    (CleanEmployer: found by its USCC or name, else created, as intake does). One "case.employer_replaced"
    event and a history row on the new employer (previous_employer: the old one)."""
    reason = _reason(reason)
    lock(case)
    message = _("案件%(status)s，不能更换用人单位。")
    expect_status(case, REPLACEABLE, error_field="employer", message=message)
    if _decided(case):
        raise ValidationError({"employer": _("本案已作出处理决定（文书已载明用人单位），不能更换用人单位。")})
    if isinstance(employer, CleanEmployer):
        employer, _created = employer_get_or_create(employer)
    if employer.pk == case.employer_id:
        raise ValidationError({"employer": _("新用人单位与案件现有用人单位相同。")})
    previous = case.employer
    now = timezone.now()
    with transition(case, expect=None, locked=True, event="case.employer_replaced", actor=actor, role=role,
                    at=now) as step:  # fmt: skip
        step.set(employer=employer)
        receipts = list(case.complaints.order_by("pk").values_list("receipt_no", flat=True))
        case.complaints.update(employer=employer)
        EmployerChange.objects.create(employer=employer, kind=EmployerChange.Kind.REPLACED, case=case,
                                      previous_employer=previous, old_value=previous.name, new_value=employer.name,
                                      reason=reason, actor=actor, at=now)  # fmt: skip
        step.data.update(
            old={"employer": previous.pk, "name": previous.name, "uscc": previous.uscc},
            new={
                "employer": employer.pk,
                "name": employer.name,
                "uscc": employer.uscc,
                "legal_representative": mask_name(employer.legal_representative),
            },
            complaints=receipts,
            reason=reason,
        )
    return case


def employer_history(employer: Employer) -> QuerySet[EmployerChange]:
    """Corrections of the employer, and the cases moved onto or off it, newest first."""
    return (
        EmployerChange.objects.filter(Q(employer=employer) | Q(previous_employer=employer))
        .select_related("actor", "case", "employer", "previous_employer")
        .order_by("-at", "-id")
    )
