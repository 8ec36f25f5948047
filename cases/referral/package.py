"""The referral package (移送材料, R310 art 6; domain-rules §5): the report, the evidence list and the wage
calculation, issued as the numbered referral letter (cases.documents.document_issue, its own event)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..actors import Actor
from ..documents import document_issue, police_name, procuratorate_name
from ..models import ArrearsEntry, Case, Document, Role
from ..values import local_date, yuan_text
from .eligibility import Eligibility
from .months import months_between, months_text


def package_data(case: Case, eligibility: Eligibility, facts: str) -> dict:
    """The package's parts (R310 art 6; domain-rules §5): report, evidence list, wage calculation."""
    filed = local_date(case.filed_at).isoformat()
    report = [
        _("本局于%(filed)s对%(employer)s立案调查（案件编号：%(no)s），经调查核实：")
        % {"filed": filed, "employer": case.employer.name, "no": case.case_no},
        *[f"{i}．{reason}" for i, reason in enumerate(eligibility.reasons, 1)],
        _("以上事实有劳动者陈述、工资台账、责令支付文书及送达凭证等证据证实。"),
    ]
    evidence = [
        f"{i}．{e.description}（{e.original_name}，SHA-256：{e.sha256[:16]}…）"
        for i, e in enumerate(case.evidence.order_by("uploaded_at", "id"), 1)
    ]
    wages = []
    entries = ArrearsEntry.objects.filter(case=case).select_related("worker").order_by("worker__name", "period_start")
    for i, e in enumerate(entries, 1):
        months = months_text(months_between(e.period_start, e.period_end))
        wages.append(
            f"{i}．{e.worker.name}：{e.period_start.isoformat()}至{e.period_end.isoformat()}（{months}个月），"
            f"应付{yuan_text(e.amount_owed)}，已付{yuan_text(e.amount_paid)}，"
            f"尚欠{yuan_text(e.amount_owed - e.amount_paid)}"
        )
    data = {
        "report": report,
        "evidence": evidence or [_("（无）")],
        "wage_calculation": wages,
        "addressee": police_name(case.region),
        "procuratorate": procuratorate_name(case.region),
    }
    data["facts"] = (facts or "").strip() or _(
        "本局在办理%(employer)s拖欠劳动者工资一案（案件编号：%(no)s）中，发现该单位涉嫌拒不支付劳动报酬犯罪。"
    ) % {"employer": case.employer.name, "no": case.case_no}
    return data


def package_issue(case: Case, eligibility: Eligibility, actor: Actor, facts: str) -> Document:
    return document_issue(
        case=case,
        kind=Document.Kind.REFERRAL_LETTER,
        actor=actor,
        role=Role.INSPECTOR,
        data=package_data(case, eligibility, facts),
    )
