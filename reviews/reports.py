"""A wage-payment report: validated figures, attachments checked as evidence is (type by content and extension,
size limit; cases.evidence), one report per employer due (a second answer is "already submitted" with the first's
receipt), submitted online by the employer (with its USCC and the campaign's code) or entered by staff from
paper. One event on the campaign's region's timeline."""

from __future__ import annotations

import hmac
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import timeline
from cases.actors import Actor
from cases.evidence import _check as evidence_check
from cases.stored_files import storage_save
from cases.tx import one_transaction
from cases.values import compact, required_text, uscc_problem, yuan

from .models import Attachment, Campaign, Due, Report
from .services import window_is_open

MAX_ATTACHMENTS = 3
_PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")
INT_FIELDS = {
    "headcount": gettext_lazy("年末职工人数"),
    "migrant_workers": gettext_lazy("农民工人数"),
    "contracts_signed": gettext_lazy("签订劳动合同人数"),
}
MONEY_FIELDS = {
    "wages_due": gettext_lazy("全年应发工资"),
    "wages_paid": gettext_lazy("全年实发工资"),
    "arrears_year_end": gettext_lazy("年末拖欠工资"),
}


class AlreadySubmitted(Exception):
    """The employer has reported in this campaign: its report (and receipt) is `report`."""

    def __init__(self, report: Report):
        super().__init__(report.receipt_no)
        self.report = report


@dataclass(frozen=True)
class Upload:
    file: UploadedFile
    description: str = ""


def _yes_no(value: Any) -> bool | None:
    text = str(value if value is not None else "").strip().lower()
    return {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}.get(text)


def report_validate(data: dict) -> dict:
    """The report's figures, cleaned; ValidationError naming every wrong field."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for field, label in INT_FIELDS.items():
        try:
            value = int(str(data.get(field, "")).strip())
            if value < 0:
                raise ValueError
            clean[field] = value
        except (TypeError, ValueError):
            errors[field] = [_("%(label)s须为不小于 0 的整数。") % {"label": label}]
    for field, label in MONEY_FIELDS.items():
        try:
            amount = yuan(Decimal(str(data.get(field, "")).strip().replace(",", "")))
            if amount < 0 or amount >= Decimal("1e12"):
                raise ValueError
            clean[field] = amount
        except (InvalidOperation, TypeError, ValueError):
            errors[field] = [_("%(label)s须为不小于 0 的金额（元）。") % {"label": label}]
    if "headcount" in clean:
        for field in ("migrant_workers", "contracts_signed"):
            if field in clean and clean[field] > clean["headcount"]:
                errors[field] = [_("%(label)s不能多于年末职工人数。") % {"label": INT_FIELDS[field]}]
    if "wages_due" in clean and "wages_paid" in clean and clean["wages_paid"] > clean["wages_due"]:
        errors["wages_paid"] = [_("全年实发工资不能多于全年应发工资。")]
    clean["construction"] = bool(_yes_no(data.get("construction")))
    for key, words in (("wage_account", _("是否开立农民工工资专用账户")), ("real_name", _("是否实行实名制管理"))):
        answer = _yes_no(data.get(key))
        if clean["construction"] and answer is None:
            errors[key] = [_("工程建设领域单位请选择%(label)s。") % {"label": words}]
        clean[key] = answer if clean["construction"] else None
    try:
        clean["contact_name"] = required_text(
            data.get("contact_name"), field="contact_name", label=_("填报人"), limit=64
        )
    except ValidationError as err:
        errors.update(err.message_dict)
    phone = str(data.get("contact_phone") or "").strip()
    if not _PHONE.match(phone) or len(re.sub(r"\D", "", phone)) < 7:
        errors["contact_phone"] = [_("请填写有效的联系电话（手机或固定电话）。")]
    clean["contact_phone"] = phone
    if errors:
        raise ValidationError(errors)
    return clean


def _attachments_check(uploads: list[Upload]) -> list[tuple[Upload, Any]]:
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": [_("附件最多 %(n)d 个。") % {"n": MAX_ATTACHMENTS}]})
    checked = []
    for upload in uploads:
        try:
            checked.append((upload, evidence_check(upload.file, upload.description or _("报送材料"))))
        except ValidationError as err:
            messages = [m for ms in err.message_dict.values() for m in ms]
            raise ValidationError({"attachments": [f"{upload.file.name}：{m}" for m in messages]}) from err
    return checked


def _store(report: Report, checked: list[tuple[Upload, Any]]) -> list[Attachment]:
    from cases.evidence import _original_name

    now = timezone.now()
    rows = []
    for upload, (file_type, sha256, size, description) in checked:
        upload.file.seek(0)
        stored = storage_save(f"reviews/{now:%Y/%m}/{uuid.uuid4().hex}{file_type.extensions[0]}", upload.file)
        rows.append(Attachment(report=report, file=stored, original_name=_original_name(upload.file.name),
                               content_type=file_type.content_type, size=size, sha256=sha256,
                               description=description))  # fmt: skip
    return Attachment.objects.bulk_create(rows)


def due_for_code(*, uscc: str, code: str) -> Due:
    """The open campaign's due row of this USCC and code; errors name "uscc" (its check) or "code"."""
    number = compact(uscc)
    if not number:
        raise ValidationError({"uscc": [_("请填写统一社会信用代码。")]})
    if problem := uscc_problem(number):
        raise ValidationError({"uscc": [problem]})
    given = compact(code)
    for due in Due.objects.filter(employer__uscc=number).select_related("campaign"):
        if given and hmac.compare_digest(due.code, given):
            return due
    raise ValidationError({"code": [_("报送码与统一社会信用代码不符，请核对劳动保障监察机构发给贵单位的通知。")]})


def _receipt_no(due: Due) -> str:
    return f"SC{due.campaign.year}{due.campaign.region.code}{due.pk:06d}"


@one_transaction
def report_submit(*, due: Due, data: dict, uploads: list[Upload], actor: Actor, paper: bool = False) -> Report:
    """The report of `due` (online: `actor` None, inside the window; paper: the staff member who entered it,
    also after the close, marked late). Nothing is written unless every check passes."""
    due = Due.objects.select_for_update().select_related("campaign", "campaign__region", "employer").get(pk=due.pk)
    existing = Report.objects.filter(due=due).first()
    if existing is not None:
        raise AlreadySubmitted(existing)
    campaign = due.campaign
    now = timezone.now()
    open_now = window_is_open(campaign, now)
    if not paper and not open_now:
        if timezone.localdate(now) < campaign.opens_on or campaign.status == Campaign.Status.DRAFT:
            day = f"{campaign.opens_on:%Y-%m-%d}"
            raise ValidationError({"code": [_("报送尚未开始（%(day)s开始）。") % {"day": day}]})
        raise ValidationError({"code": [_("报送期限已过，请向劳动保障监察机构书面报送。")]})
    if paper and campaign.status == Campaign.Status.DRAFT:
        raise ValidationError({"status": [_("报送尚未开始。")]})
    clean = report_validate(data)
    checked = _attachments_check(uploads)
    late = paper and not open_now and timezone.localdate(now) > campaign.closes_on
    with transaction.atomic():  # a rollback removes the stored files again (cases.stored_files)
        report = Report.objects.create(
            due=due, campaign=campaign, receipt_no=_receipt_no(due),
            channel=Report.Channel.PAPER if paper else Report.Channel.ONLINE,
            late=late, submitted_at=now, entered_by=actor if paper else None, **clean,
        )  # fmt: skip
        attachments = _store(report, checked)
        timeline.record(campaign.region, "review.report_entered" if paper else "review.report_submitted",
                        actor=actor if paper else None, at=now, data={
                            "campaign": campaign.pk, "due": due.pk, "employer": due.employer_id,
                            "receipt_no": report.receipt_no, "late": late,
                            "attachments": [{"sha256": a.sha256, "size": a.size} for a in attachments],
                        })  # fmt: skip
    return report
