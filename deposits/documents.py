"""The documents of a deposit's return, which belong to no case (the receipt of the application, the 30-day
public notice, the return or release of the guarantee): numbered per office, year and kind (文号) from the
same office sequences as every document (cases.numbering), drawn as PDF with the same font, stored with
their hash. The case documents of a drawdown are cases.documents' own (document_write)."""

from __future__ import annotations

import hashlib
import io
from datetime import datetime
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.utils import timezone, translation

from cases.actors import Staff
from cases.documents import FONT, office_abbreviation, office_name
from cases.documents.context import cn_date
from cases.numbering import office_number_next
from cases.values import LOCAL_TZ

from .models import Deposit, DepositDocument

CODES: dict[str, str] = {
    DepositDocument.Kind.APPLICATION: "保申",
    DepositDocument.Kind.NOTICE: "保公",
    DepositDocument.Kind.RETURN: "保返",
}
BASIS = "依据：《保障农民工工资支付条例》第三十二条；《工程建设领域农民工工资保证金规定》（人社部发〔2021〕65号）。"


def _pdf(*, office_title: str, title: str, number: str, lines: list[str], issued: str) -> bytes:
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = {"fontName": FONT, "wordWrap": "CJK"}
    center = ParagraphStyle("c", fontSize=18, leading=28, alignment=TA_CENTER, **base)
    body = ParagraphStyle("b", fontSize=12, leading=21, firstLineIndent=24, **base)
    right = ParagraphStyle("r", fontSize=12, leading=24, alignment=TA_RIGHT, **base)
    story = [Paragraph(escape(office_title), center), Paragraph(escape(title), center),
             Paragraph(escape(number), center), Spacer(1, 4 * mm)]  # fmt: skip
    story += [Paragraph(escape(line), body) for line in [*lines, BASIS]]
    story += [Spacer(1, 12 * mm), Paragraph(escape(office_title), right), Paragraph("（印章）", right),
              Paragraph(escape(issued), right)]  # fmt: skip
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=f"{title} {number}", creator="zhiqian", invariant=True).build(story)
    return buffer.getvalue()


def deposit_document_write(
    *, deposit: Deposit, kind: str, lines: list[str], actor: Staff, at: datetime
) -> DepositDocument:
    """Number, render and store one return document of `deposit` (inside the caller's transaction)."""
    office = deposit.region
    issued_on = timezone.localtime(at, LOCAL_TZ).date()
    serial = office_number_next(region=office, kind=f"dep:{kind}"[:24], year=issued_on.year)
    number = f"{office_abbreviation(office)}人社{CODES[kind]}〔{issued_on.year}〕{serial}号"
    with translation.override("zh-hans"):
        title = str(DepositDocument.Kind(kind).label)
    pdf = _pdf(office_title=office_name(office), title=title, number=number, lines=lines, issued=cn_date(issued_on))
    document = DepositDocument(deposit=deposit, kind=kind, number=number, title=title, lines=lines,
                               sha256=hashlib.sha256(pdf).hexdigest(), issued_by=actor, issued_at=at)  # fmt: skip
    document.file.save(f"{number}.pdf", ContentFile(pdf), save=False)
    document.save(force_insert=True)
    return document
