"""A published or draft circular (通报) as PDF, in the documents' embedded Chinese font (cases.documents): the
issuing office, the title, the text, the office and the date under it."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone

from cases.documents.context import cn_date
from cases.documents.fonts import FONT, cjk_font
from cases.documents.offices import office_name
from cases.values import LOCAL_TZ

from .models import Circular


def circular_pdf(circular: Circular) -> bytes:
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    cjk_font()
    base = {"fontName": FONT, "wordWrap": "CJK"}
    office = ParagraphStyle("office", fontSize=18, leading=28, alignment=TA_CENTER, **base)
    title = ParagraphStyle("title", fontSize=20, leading=30, alignment=TA_CENTER, spaceAfter=12, **base)
    text = ParagraphStyle("body", fontSize=12, leading=21, firstLineIndent=24, spaceBefore=3, **base)
    sign = ParagraphStyle("sign", fontSize=12, leading=24, alignment=TA_RIGHT, **base)
    issuer = office_name(circular.region)
    when = timezone.localtime(circular.published_at or circular.drafted_at, LOCAL_TZ).date()
    story = [Paragraph(escape(issuer), office), Paragraph(escape(circular.title), title)]
    story += [Paragraph(escape(line), text) for line in circular.body.splitlines() if line.strip()]
    story += [Spacer(1, 12 * mm), Paragraph(escape(issuer), sign), Paragraph(cn_date(when), sign)]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, topMargin=30 * mm, bottomMargin=28 * mm, leftMargin=28 * mm,
                            rightMargin=26 * mm, title=circular.title, author=issuer, creator="zhiqian",
                            invariant=True)  # fmt: skip
    doc.build(story)
    return buffer.getvalue()
