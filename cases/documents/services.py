"""文书 services: issuing numbered documents (文号) as PDF, their service (送达), reading them back (SPEC §3, §4).

Services follow style.md §5: keyword-only, `actor` explicit, one transaction, one timeline event.

`document_issue(case=, kind=, actor=, role=, data=)` takes the facts the flow step knows in `data`
(JSON-serialisable after normalisation; dates may be `date` objects or ISO strings):

- ``facts``: str or list of str — the facts found (违法事实 / 案件事实);
- ``due_date``: the deadline of notices, orders and supervision (orders to pay / correct default to
  ``case.order_due``, and must agree with it);
- ``basis``: str or list of str — replaces the kind's default legal basis;
- ``reason``: why (non-acceptance, withdrawal, listing, accountability);
- ``addressee``: who the document is addressed to when that is not the employer (referral letter: the
  police; accountability decision: the office or official);
- ``decision``: the operative part of a handling decision; ``measure``: of an accountability decision;
- ``penalty_amount`` / ``compensation_rate``: fall-backs for ``case.penalty_amount`` / ``case.compensation_rate``;
- ``place``, ``materials`` (inquiry notice), ``report_interval`` (supervision notice, working days),
  ``contact`` (any kind: the office's contact line).

The PDF text is the legal document itself and is always rendered in Chinese.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import timeline
from ..actors import Actor, Staff
from ..liable_units import liable_unit_for_document
from ..models import Case, Complaint, Document, Evidence, Region, ServiceRecord
from ..services import office_number_next
from ..stored_files import remove_on_rollback
from ..tx import one_transaction
from ..values import LOCAL_TZ
from .context import Context, as_date, ledger_rows
from .kinds import SPECS, K, document_number_format, sequence_kind
from .pdf import render_pdf
from .service_clock import service_clock_close, service_clock_start


def _validate_issue(case: Case, kind: str, office: Region, data: dict, due: date | None) -> None:
    spec = SPECS[kind]
    if office.pk != case.region_id and not case.region.path.startswith(office.path):
        raise ValidationError({"office": _("制发机构须为案件承办机构或其上级机构。")})
    if spec.deadline and due is None:
        raise ValidationError({"due_date": _("该文书须载明期限（due_date）。")})
    required: dict[str, str] = {
        K.NON_ACCEPTANCE_NOTICE: "reason",
        K.WITHDRAWAL_DECISION: "reason",
        K.ACCOUNTABILITY_DECISION: "measure",
    }
    if kind in required and not str(data.get(required[kind], "")).strip():
        raise ValidationError({required[kind]: _("该文书须载明此项内容。")})
    if kind == K.ACCOUNTABILITY_DECISION and not str(data.get("addressee", "")).strip():
        raise ValidationError({"addressee": _("问责决定书须载明被问责的单位或人员。")})
    if kind == K.PENALTY_DECISION and case.penalty_amount is None:
        try:
            if Decimal(str(data.get("penalty_amount"))) <= 0:
                raise ArithmeticError
        except ArithmeticError:  # decimal.InvalidOperation too
            raise ValidationError({"penalty_amount": _("行政处罚决定书须载明罚款金额。")})
    if kind == K.COMPENSATION_ORDER:
        try:
            given = case.compensation_rate or data.get("compensation_rate") or data.get("rate")
            rate = int(given) if given is not None else 0
        except (TypeError, ValueError):
            rate = 0
        if not 50 <= rate <= 100:
            raise ValidationError({"compensation_rate": _("加付赔偿金比例须在50%至100%之间。")})


def _due_date(case: Case, kind: str, data: dict) -> date | None:
    given = as_date(data.get("due_date"), "due_date")
    if kind in (K.ORDER_TO_PAY, K.ORDER_TO_CORRECT) and case.order_due:
        if given is not None and given != case.order_due:
            raise ValidationError({"due_date": _("期限与案件记录的限期（order_due）不一致。")})
        return case.order_due
    return given


def _store(document: Document, pdf: bytes, year: int) -> None:
    """Save the PDF with the default storage (MEDIA_ROOT), under documents/<year>/; removed again if the
    issuing transaction rolls back (cases.stored_files)."""
    name = f"{document.region.code}-{year}-{document.kind}-{document.serial:05d}.pdf"
    document.file.save(name, ContentFile(pdf), save=False)
    remove_on_rollback(document.file.name, storage=document.file.storage)


def document_write(
    *,
    kind: str,
    office: Region,
    data: dict,
    at: datetime,
    actor: Actor | None,
    case: Case | None,
    complaint: Complaint | None = None,
    context_case: Case | None = None,
    due=None,
    workers: list | None = None,
) -> Document:
    """The writing shared by every issuer (a case's documents, a complainant's notices): the next 文号 of the
    office's sequence for this kind and the Shanghai-local year of `at`, the title, the PDF rendered and
    stored (removed again if the transaction rolls back), the row. The caller validates, locks and records
    the event. `context_case`: what the text speaks of when the row belongs to no case (a complaint's claim)."""
    speaks_of = context_case or case
    if speaks_of is None:
        raise ValueError("a document speaks of a case or of a complaint's claim (context_case)")
    issued_on = timezone.localtime(at, LOCAL_TZ).date()
    year = issued_on.year
    serial = office_number_next(region=office, kind=sequence_kind(kind), year=year)
    number = document_number_format(office=office, kind=kind, year=year, serial=serial)
    with translation.override("zh-hans"):
        title = str(K(kind).label)
    context = Context(
        case=speaks_of,
        office=office,
        kind=kind,
        number=number,
        title=title,
        data=data,
        issued_on=issued_on,
        due=due,
        workers=workers or [],
    )
    pdf = render_pdf(context)
    document = Document(
        case=case,
        complaint=complaint,
        kind=kind,
        region=office,
        year=year,
        serial=serial,
        number=number,
        title=title,
        data=data,
        sha256=hashlib.sha256(pdf).hexdigest(),
        issued_by=actor,
        issued_at=at,
    )
    _store(document, pdf, year)
    document.save(force_insert=True)
    return document


@one_transaction
def document_issue(
    *,
    case: Case,
    kind: str,
    actor: Actor,
    role: str,
    data: dict,
    at: datetime | None = None,
    office: Region | None = None,
    case_locked: bool = False,
) -> Document:
    """Number (文号), render, store and record one document of `case`.

    `office` is the issuing office: the case's handling office unless a superior office issues it
    (a supervision notice, an accountability decision). The number comes from the office's sequence of
    this kind for the Shanghai-local year of `at`, in this transaction: no gap, no duplicate.
    `case_locked`: the caller holds the case row locked in this transaction (a step of the transition
    kernel on the case), so the lock taken before the number is already there.
    Its own transaction when called alone; the caller's, without a savepoint, inside one (cases.tx).
    """
    if kind not in SPECS:
        raise ValidationError({"kind": _("未知的文书种类：%(kind)s") % {"kind": kind}})
    if not isinstance(data, dict):
        raise ValidationError({"data": _("文书内容须为字典。")})
    at = at or timezone.now()
    if timezone.is_naive(at):
        at = timezone.make_aware(at, LOCAL_TZ)
    office = office or case.region
    if data.get("liable_unit") not in (None, ""):  # addressed to a liable unit of the case (责任单位)
        data = {**data, "liable_unit": liable_unit_for_document(case, data["liable_unit"])}
    due = _due_date(case, kind, data)  # before normalising: a datetime deadline is a Shanghai date
    data = timeline.normalise({**data, "due_date": due} if due else data)
    _validate_issue(case, kind, office, data, due)

    # Lock the case before the number: every issuer takes the locks in the same order (case, sequence).
    if not case_locked:
        Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").get()
    document = document_write(
        case=case, kind=kind, office=office, data=data, at=at, actor=actor, due=due,
        workers=ledger_rows(case) if SPECS[kind].ledger else [],
    )  # fmt: skip
    number, title = document.number, document.title
    service_clock_start(document)  # row 10: to be served within 7 working days
    timeline.record(
        case,
        "document.issued",
        actor=actor,
        role=role,
        data={
            "document_id": document.pk,
            "number": number,
            "kind": kind,
            "title": title,
            "sha256": document.sha256,
            "office": office.code,
            "issued_at": at,
            "due_date": due,
        },
    )
    return document


def document_subject(document: Document) -> Case | Complaint:
    """Whose timeline records the document: its case, else its complaint (a notice before or without a case)."""
    subject = document.case or document.complaint
    assert subject is not None  # constraint document_case_or_complaint
    return subject


def document_pdf_bytes(document: Document) -> bytes:
    """The stored PDF, as issued (raises FileNotFoundError if the file is gone)."""
    with document.file.open("rb") as f:
        return f.read()


def document_verify(document: Document) -> bool:
    """True if the stored file still hashes to the SHA-256 recorded at issue."""
    try:
        digest = hashlib.sha256(document_pdf_bytes(document)).hexdigest()
    except (FileNotFoundError, OSError, ValueError):
        return False
    return hmac.compare_digest(digest, document.sha256)


def _is_photo_or_video(evidence: Evidence) -> bool:
    return evidence.content_type.split("/", 1)[0].lower() in {"image", "video"}


@transaction.atomic
def document_serve(
    *,
    document: Document,
    method: str,
    served_at: datetime,
    recipient: str,
    actor: Staff,
    role: str,
    proof: Evidence | None = None,
) -> ServiceRecord:
    """Record how and when a document reached the party (送达).

    Posting (公告/张贴送达) needs photo or video proof from the same case (SPEC §4.4: an order to pay
    "served, or posted with photo/video proof").
    """
    errors: dict[str, str] = {}
    if method not in ServiceRecord.Method.values:
        errors["method"] = _("未知的送达方式。")
    if not isinstance(served_at, datetime):
        errors["served_at"] = _("请填写送达时间。")
    else:
        if timezone.is_naive(served_at):
            served_at = timezone.make_aware(served_at, LOCAL_TZ)
        if served_at > timezone.now():
            errors["served_at"] = _("送达时间不能晚于当前时间。")
        elif served_at < document.issued_at.replace(second=0, microsecond=0):
            errors["served_at"] = _("送达时间不能早于文书签发时间。")
        elif served_at < document.issued_at:
            # the form's time is to the minute: served in the minute of issue is served at the issue
            served_at = document.issued_at
    recipient = (recipient or "").strip()
    if not recipient:
        errors["recipient"] = _("请填写受送达人。")
    if proof is not None and proof.case_id != document.case_id:
        errors["proof"] = _("送达凭证须为本案的证据。")
    elif method == ServiceRecord.Method.POSTED and (proof is None or not _is_photo_or_video(proof)):
        errors["proof"] = _("公告（张贴）送达须附张贴现场的照片或录像作为凭证。")
    if errors:
        raise ValidationError(errors)
    record = ServiceRecord.objects.create(
        document=document,
        method=method,
        served_at=served_at,
        recipient=recipient[:200],
        proof=proof,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    if not ServiceRecord.objects.filter(document=document).exclude(pk=record.pk).exists():
        service_clock_close(document, served_at=served_at)
    timeline.record(
        document_subject(document),
        "document.served",
        actor=actor,
        role=role,
        data={
            "document_id": document.pk,
            "number": document.number,
            "method": method,
            "served_at": served_at,
            "recipient": record.recipient,
            "proof": proof.sha256 if proof else None,
        },
    )
    return record


# --- selectors ---------------------------------------------------------------------------------------


def documents_for(case: Case) -> QuerySet[Document]:
    """The case's documents in the order they were issued, with their service records."""
    services = ServiceRecord.objects.select_related("proof", "recorded_by").order_by("served_at", "id")
    return (
        Document.objects.filter(case=case)
        .select_related("case", "region")
        .prefetch_related(Prefetch("services", queryset=services))
        .order_by("issued_at", "id")
    )
