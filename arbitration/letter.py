"""The referral letter (转介函) as PDF, drawn with the documents' font (cases.documents) when asked for: the
receiving office, the workers and their claims, the green channel or the no-means-test rule, the basis."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone, translation

from cases.documents import office_name
from cases.documents.context import cn_date
from cases.documents.fonts import cjk_font
from cases.values import LOCAL_TZ, yuan

from .models import Office, Referral
from .services import office_label


def _money(value) -> str:
    return f"{yuan(value):,}"


def _lines(referral: Referral) -> list[str]:
    subject = referral.subject
    source = (
        f"案件{referral.case.case_no}" if referral.case is not None else f"投诉（回执号{subject.receipt_no}）"  # type: ignore[union-attr]
    )
    claimants = "；".join(
        f"{c.worker.name}，请求支付劳动报酬{_money(c.amount_claimed)}元"
        for c in referral.claimants.select_related("worker")
    )
    lines = [
        f"{office_label(referral)}：",
        f"我局在办理{source}中，发现劳动者与{referral.employer.name}之间的劳动报酬争议属于劳动争议，"
        f"现将有关情况转介你{'委' if referral.is_arbitration else '中心'}。",
        f"转介事由：{referral.facts}",
        f"申请人及请求：{claimants}。",
    ]
    if referral.is_arbitration:
        if referral.green_channel:
            lines.append("本争议系农民工追索劳动报酬，请按欠薪争议绿色通道优先受理、优先开庭、优先裁决。")
        lines.append("依据：《劳动争议调解仲裁法》第二十九条、第四十三条、第四十七条。")
    else:
        lines.append("农民工请求支付劳动报酬申请法律援助的，不受经济困难条件的限制，请免予经济困难审查并及时指派律师。")
        lines.append("依据：《法律援助法》第三十二条、第四十二条、第四十三条。")
    return lines


def referral_letter_pdf(referral: Referral) -> bytes:
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    base = {"fontName": cjk_font(), "wordWrap": "CJK"}
    center = ParagraphStyle("c", fontSize=18, leading=28, alignment=TA_CENTER, **base)
    body = ParagraphStyle("b", fontSize=12, leading=21, firstLineIndent=24, **base)
    right = ParagraphStyle("r", fontSize=12, leading=24, alignment=TA_RIGHT, **base)
    subject = referral.subject
    bureau = office_name(subject.region)
    title = "劳动争议仲裁转介函" if referral.office == Office.ARBITRATION else "法律援助转介函"
    with translation.override("zh-hans"):
        story = [Paragraph(escape(bureau), center), Paragraph(escape(title), center),
                 Paragraph(escape(referral.number), center), Spacer(1, 4 * mm)]  # fmt: skip
        story += [Paragraph(escape(line), body) for line in _lines(referral)]
        issued = cn_date(timezone.localtime(referral.referred_at, LOCAL_TZ).date())
        story += [Spacer(1, 12 * mm), Paragraph(escape(bureau), right), Paragraph("（印章）", right),
                  Paragraph(escape(issued), right)]  # fmt: skip
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=f"{title} {referral.number}", creator="zhiqian",
                      invariant=True).build(story)  # fmt: skip
    return buffer.getvalue()
