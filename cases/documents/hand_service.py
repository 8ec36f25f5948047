"""Service recorded by hand on any document (the generic endpoint, POST …/documents/<id>/services/), except the
documents whose service starts the party's periods or the next step: they are served through their own step
(one service each), which opens those periods. Serving them here would leave the periods unopened, so it is
refused with a message that names the step (issue 13 gaps item 3)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..actors import Staff
from ..models import Document, Evidence, ServiceRecord
from .services import document_serve

K = Document.Kind

# the kinds served only through their own step, and where that step is
SERVED_BY_STEP: dict[str, object] = {
    K.PRE_DECISION_NOTICE: _(
        "行政处罚告知书请在办案流程的“送达行政处罚告知书”步骤中送达：送达之日起，当事人的陈述、申辩期限和"
        "听证申请期限方开始计算。"
    ),
    K.HEARING_NOTICE: _(
        "听证通知书请在案件页面行政处罚程序中的“记录听证通知书送达”登记送达（听证须在送达七个工作日后举行）。"
    ),
    K.DEMAND_NOTICE: _("催告书请在办案流程的“送达催告书”步骤中送达：送达十日后方可申请人民法院强制执行。"),
}


def hand_service_refusal(document: Document) -> str | None:
    """Why `document` may not be served by hand (None: it may)."""
    message = SERVED_BY_STEP.get(document.kind)
    return str(message) if message is not None else None


def document_serve_by_hand(
    *,
    document: Document,
    method: str,
    served_at: datetime,
    recipient: str,
    proof: Evidence | None,
    actor: Staff,
    role: str,
) -> ServiceRecord:
    """document_serve for the generic endpoint: refused (on "document", naming the step) for the kinds that
    have their own service step; nothing is recorded then."""
    why = hand_service_refusal(document)
    if why:
        raise ValidationError({"document": why})
    return document_serve(
        document=document, method=method, served_at=served_at, recipient=recipient, proof=proof, actor=actor, role=role
    )
