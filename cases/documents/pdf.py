"""The document as PDF (reportlab): the issuing office, title, 文号, addressee, body, ledger, basis, rights,
date and seal, in the embedded Chinese font (.fonts). The same document renders to the same bytes."""

from __future__ import annotations

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from .context import Context, as_lines, cn_date
from .fonts import FONT, cjk_font
from .kinds import SPECS
from .offices import office_name
from .texts import addressee, body, rights

KEPT_WITH_SEAL = 2  # paragraphs of the text that move to the next page with the seal block


def _styles():
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = {"fontName": FONT, "wordWrap": "CJK"}
    return {
        "office": ParagraphStyle("office", fontSize=18, leading=28, alignment=TA_CENTER, **base),
        "title": ParagraphStyle("title", fontSize=22, leading=34, alignment=TA_CENTER, spaceAfter=4, **base),
        "number": ParagraphStyle("number", fontSize=12, leading=20, alignment=TA_CENTER, spaceAfter=12, **base),
        "plain": ParagraphStyle("plain", fontSize=12, leading=21, **base),
        "body": ParagraphStyle("body", fontSize=12, leading=21, firstLineIndent=24, spaceBefore=3, **base),
        "cell": ParagraphStyle("cell", fontSize=10, leading=14, **base),
        "amount": ParagraphStyle("amount", fontSize=10, leading=14, alignment=TA_RIGHT, **base),
        "sign": ParagraphStyle("sign", fontSize=12, leading=24, alignment=TA_RIGHT, **base),
    }


def _ledger_table(c: Context, s):
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    def p(text: str, style: str = "cell"):
        from reportlab.platypus import Paragraph

        return Paragraph(escape(text), s[style])

    def n(amount: Decimal):
        return p(f"{amount:,.2f}", "amount")

    rows = [[p("序号"), p("劳动者"), p("应付（元）"), p("已付（元）"), p("尚欠（元）")]]
    for i, w in enumerate(c.workers, 1):
        rows.append([p(str(i)), p(w.name), n(w.owed), n(w.paid), n(w.outstanding)])
    rows.append([p(""), p("合计"), n(c.owed), p(""), n(c.outstanding)])
    table = Table(rows, colWidths=[14 * mm, 46 * mm, 32 * mm, 32 * mm, 32 * mm], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def render_pdf(c: Context) -> bytes:
    """The document as PDF: the issuing office, title, 文号, addressee, body, basis, rights, date and seal."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

    cjk_font()
    s = _styles()
    spec = SPECS[c.kind]

    def para(text: str, style: str = "body"):
        return Paragraph(escape(text), s[style])

    to, party = addressee(c)
    story = [para(office_name(c.office), "office"), para(c.title, "title"), para(c.number, "number")]
    if to:
        story.append(para(to, "plain"))
    story += [para(line, "plain") for line in party]
    story.append(Spacer(1, 3 * mm))
    story += [para(line) for line in body(c)]
    if spec.ledger and c.workers:
        story += [Spacer(1, 2 * mm), _ledger_table(c, s), Spacer(1, 2 * mm)]
    basis = as_lines(c.data.get("basis")) or list(spec.basis)
    story.append(para("依据：" + "；".join(basis) + "。"))
    if spec.rights:
        story += [para(line) for line in rights(c)]
    if c.data.get("contact"):
        story.append(para(f"联系方式：{c.data['contact']}"))
    seal = [
        Spacer(1, 12 * mm),
        para(office_name(c.office), "sign"),
        para("（印章）", "sign"),
        para(cn_date(c.issued_on), "sign"),
    ]
    # the seal never stands alone on a page: it goes with the last paragraphs of the text (a page break
    # comes before them rather than between them and the seal)
    story[-KEPT_WITH_SEAL:] = [KeepTogether(story[-KEPT_WITH_SEAL:] + seal)]

    def page_number(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 10)
        canvas.drawCentredString(A4[0] / 2, 15 * mm, f"— {doc.page} —")
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        topMargin=30 * mm,
        bottomMargin=28 * mm,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        title=f"{c.title} {c.number}",
        author=office_name(c.office),
        subject=c.case.case_no,
        creator="zhiqian",
        invariant=True,  # the same document renders to the same bytes
    )
    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buffer.getvalue()
