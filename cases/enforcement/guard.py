"""The one guard of enforcement (issue 13 item 1): nothing that presumes an order went unheeded — verification,
"逾期未支付", the compensation order, criminal referral, credit listing, the demand notice, the court — may happen
before the order's deadline has passed: from the day after `case.order_due`, in Asia/Shanghai. Read from the
case itself, whatever state seed data or a timer left.

And what counts as the order to pay: a served 行政处理决定书 (责令限期支付工资) or 限期支付令 — never a
penalty decision (a fine orders no wage payment)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Case, Deadline, Document, ServiceRecord
from ..penalty.rules import FINE_PAYMENT
from ..values import local_date

WAGE_ORDER_KINDS = (Document.Kind.HANDLING_DECISION, Document.Kind.ORDER_TO_PAY)
PHOTO_OR_VIDEO = {"image", "video"}


def today_local() -> date:
    return local_date(timezone.now())


def fine_due(case: Case) -> date | None:
    """The last day of the fine's payment period (15 days from the penalty decision's service, APL art 67),
    from its clock; None before the penalty decision was served."""
    clock = case.deadlines.filter(kind=FINE_PAYMENT).exclude(state=Deadline.State.CANCELLED).order_by("-id").first()
    return local_date(clock.due_at) if clock is not None else None


def performance_due(case: Case) -> date | None:
    """What the party had to perform by: the wage order's deadline; with no wage order, the fine's period."""
    return case.order_due or fine_due(case)


def first_enforceable_day(case: Case) -> date | None:
    """The first day on which the order (or, with no wage order, the fine) counts as unheeded: the day after
    its deadline."""
    due = performance_due(case)
    return due + timedelta(days=1) if due else None


def enforcement_refusal(case: Case, *, today: date | None = None) -> str | None:
    """Why nothing may yet be enforced on the case (None: the order's deadline has passed)."""
    due = performance_due(case)
    if due is None:
        return _("案件没有载明履行期限的责令文书，不能认定逾期未履行。")
    first = due + timedelta(days=1)
    if (today or today_local()) < first:
        return _("履行期限（%(due)s）尚未届满：%(first)s起方可核查履行情况、认定逾期未履行并采取后续措施。") % {
            "due": due.isoformat(),
            "first": first.isoformat(),
        }
    return None


def enforcement_guard(*, case: Case, field: str = "case", today: date | None = None) -> None:
    """ValidationError on `field` unless the order's deadline has passed (see enforcement_refusal)."""
    why = enforcement_refusal(case, today=today)
    if why:
        raise ValidationError({field: why})


def service_counts(record: ServiceRecord, document: Document) -> bool:
    """A service that counts: any method but posting; posting with photo or video proof of this case."""
    if record.method != ServiceRecord.Method.POSTED:
        return True
    proof = record.proof
    return (
        proof is not None
        and proof.case_id == document.case_id
        and (proof.content_type.split("/", 1)[0].lower() in PHOTO_OR_VIDEO)
    )


def wage_order_served(case: Case) -> Document | None:
    """The latest handling decision (or order to pay) of the case with a service that counts."""
    documents = (
        case.documents.filter(kind__in=WAGE_ORDER_KINDS)
        .prefetch_related("services__proof")
        .order_by("-issued_at", "-id")
    )
    for document in documents:
        if any(service_counts(r, document) for r in document.services.all()):
            return document
    return None
