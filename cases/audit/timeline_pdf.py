"""The auditors' timeline PDF (SPEC §6): every event of a case — and of its complaints before filing — with
its time, actor, human label and details in words, each event's hash and the previous one, the result of
verifying the chains, and page numbers ("第 n 页 共 m 页"). Chinese renders in the embedded font the
documents use (cases.documents.fonts). Reads only: nothing is written.

    pdf = timeline_pdf(case=case, viewer=request.user)
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _

from ..documents.fonts import FONT, cjk_font
from ..models import Case, Region, Role
from ..timeline import Break, for_case, verify
from ..timeline.labels import event_label
from ..values import LOCAL_TZ
from .sentences import event_sentence
from .words import data_in_words


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    chains: int
    events: int
    problem: str = ""  # the first break, in words


def _break_words(where: str, found: Break) -> str:
    reasons = {
        "content": _("事件内容与其哈希不符（事件被修改）"),
        "gap": _("序号不连续（事件被删除、插入或调换）"),
        "prev_hash": _("前一哈希与链不符（事件被删除、插入或调换）"),
        "missing_tail": _("链尾事件缺失（最后的事件被删除）"),
        "chain_deleted": _("整条链被删除"),
        "unanchored": _("存在未经系统写入的事件"),
        "head_mismatch": _("链头记录与链不符"),
        "no_head": _("链缺少链头记录"),
        "rewritten": _("链与最近一次签名检查点不符（链被改写）"),
        "checkpoint_mac": _("检查点签名无效"),
    }
    reason = str(reasons.get(found.kind, _("校验不通过")))
    if found.seq:
        return _("%(where)s第%(seq)d号事件：%(reason)s") % {"where": where, "seq": found.seq, "reason": reason}
    return f"{where}：{reason}"


def timeline_check(case: Case) -> ChainCheck:
    """Verify the case's chain and those of its complaints; the first break in words."""
    chains, events = 0, 0
    subjects = [(_("案件时间线"), {"case": case})] + [
        (_("投诉%(no)s时间线") % {"no": c.receipt_no}, {"complaint": c}) for c in case.complaints.order_by("id")
    ]
    for where, subject in subjects:
        result = verify(**subject)
        chains, events = chains + result.chains, events + result.events
        if result.first_broken is not None:
            return ChainCheck(False, chains, events, _break_words(str(where), result.first_broken))
    return ChainCheck(True, chains, events)


def _styles():
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    base = {"fontName": FONT, "wordWrap": "CJK"}
    return {
        "title": ParagraphStyle("title", fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=6, **base),
        "plain": ParagraphStyle("plain", fontSize=10.5, leading=16, **base),
        "ok": ParagraphStyle("ok", fontSize=11, leading=17, spaceBefore=4, spaceAfter=4, **base),
        "head": ParagraphStyle("head", fontSize=11, leading=16, spaceBefore=8, **base),
        "cell": ParagraphStyle("cell", fontSize=9.5, leading=14, leftIndent=12, **base),
        "hash": ParagraphStyle("hash", fontSize=7.5, leading=10, leftIndent=12, **base),
    }


def _numbered_canvas(footer: str):
    """A canvas that writes "第 n 页 共 m 页" once the page count is known."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(FONT, 9)
                text = _("第 %(page)d 页 共 %(total)d 页") % {"page": self._pageNumber, "total": total}
                self.drawCentredString(A4[0] / 2, 12 * mm, f"{footer}　{text}")
                super().showPage()
            super().save()

    return NumberedCanvas


def _actor(event, regions: dict[str, str], roles: dict[str, str]) -> str:
    name = event.actor_name if event.actor_id and event.actor_name else _("系统")
    extra = [roles.get(event.actor_role, "")] if event.actor_role else []
    if event.actor_region:
        extra.append(regions.get(event.actor_region, event.actor_region))
    extra = [e for e in extra if e]
    return f"{name}（{'，'.join(extra)}）" if extra else name


def timeline_pdf(*, case: Case, viewer) -> bytes:
    """The case's timeline as a PDF for the auditors (whoever calls this has checked Right.READ_TIMELINE)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

    cjk_font()
    s = _styles()

    def para(text: str, style: str = "plain"):
        return Paragraph(escape(text), s[style])

    events = list(for_case(case).select_related("complaint"))
    codes = {e.actor_region for e in events if e.actor_region} | {case.region.code}
    regions = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    roles = {value: str(label) for value, label in Role.choices}
    check = timeline_check(case)
    now = timezone.localtime(timezone.now(), LOCAL_TZ)
    viewer_name = getattr(viewer, "get_full_name", lambda: "")() or getattr(viewer, "username", "")

    story = [
        para(_("案件时间线（审计）"), "title"),
        para(_("案件编号：%(no)s") % {"no": case.case_no}),
        para(_("用人单位：%(name)s") % {"name": case.employer.name}),
        para(_("承办机构：%(office)s") % {"office": regions.get(case.region.code, case.region.code)}),
        para(_("导出时间：%(at)s　导出人：%(who)s") % {"at": now.strftime("%Y-%m-%d %H:%M:%S"), "who": viewer_name}),
        para(_("事件数：%(n)d") % {"n": len(events)}),
    ]
    if check.ok:
        verdict = _("哈希链校验结果：通过。已重新计算%(chains)d条链共%(events)d个事件的哈希，时间线未被篡改。") % {
            "chains": check.chains,
            "events": check.events,
        }
    else:
        verdict = _("哈希链校验结果：不通过。%(problem)s。时间线可能被篡改，请立即报告。") % {"problem": check.problem}
    story += [para(verdict, "ok"), Spacer(1, 2 * mm)]
    for event in events:
        at = timezone.localtime(event.at, LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S")
        chain = _("案件")
        if event.complaint_id and event.complaint:
            chain = _("投诉%(no)s") % {"no": event.complaint.receipt_no}
        block = [
            para(f"{chain} #{event.seq}　{at}　{event_label(event.kind)}", "head"),
            para(event_sentence(event, regions=regions), "cell"),
            para(_("操作人：%(actor)s") % {"actor": _actor(event, regions, roles)}, "cell"),
        ]
        block += [para(f"{label}：{text}", "cell") for label, text in data_in_words(event.data)]
        block += [
            para(_("哈希：%(hash)s") % {"hash": event.hash}, "hash"),
            para(_("前一哈希：%(hash)s") % {"hash": event.prev_hash}, "hash"),
        ]
        story.append(KeepTogether(block))
    if not events:
        story.append(para(_("没有事件。")))

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        title=_("案件时间线 %(no)s") % {"no": case.case_no},
        subject=case.case_no,
        creator="zhiqian",
    )
    doc.build(story, canvasmaker=_numbered_canvas(case.case_no))
    return buffer.getvalue()
