"""What the pages and the API show of a signal: its evidence in readable Chinese, never a key or a code."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Signal
from .rules import rule_reference, rule_title

# evidence keys → their label; values shown as they are (dates ISO, amounts in yuan)
EVIDENCE_LABELS = {
    "month": gettext_lazy("所属年月"),
    "due_on": gettext_lazy("应到位/应办理日期"),
    "received_on": gettext_lazy("实际到账日期"),
    "late_days": gettext_lazy("逾期天数"),
    "received": gettext_lazy("当月到账人工费用（元）"),
    "wages_due": gettext_lazy("当月应发工资（元）"),
    "workers": gettext_lazy("涉及人员"),
    "attended": gettext_lazy("当月有考勤人数"),
    "owed": gettext_lazy("未发工资（元）"),
    "shortfall": gettext_lazy("少发金额（元）"),
    "daily_minimum": gettext_lazy("最低日工资（元）"),
    "lines": gettext_lazy("涉及发放笔数"),
    "paid": gettext_lazy("本项目当月发放（元）"),
    "elsewhere": gettext_lazy("同月在其他项目领取工资"),
    "contract_signed_on": gettext_lazy("施工合同签订日期"),
    "start_on": gettext_lazy("开工日期"),
    "complaints": gettext_lazy("投诉件数"),
    "days": gettext_lazy("统计天数"),
    "since": gettext_lazy("统计起始日期"),
    "unit": gettext_lazy("单位"),
    "cases": gettext_lazy("在办案件数"),
    "regions": gettext_lazy("立案地区"),
    "workers_on_roster": gettext_lazy("在册人数"),
    "facts": gettext_lazy("基本情况"),
}


def evidence_rows(signal: Signal) -> list[tuple[str, str]]:
    """(label, value) pairs of the signal's evidence, in Chinese (the English catalogue translates labels)."""
    rows = []
    for key, value in (signal.evidence or {}).items():
        label = EVIDENCE_LABELS.get(key)
        if label is None:
            continue  # an unknown key is never shown raw
        if isinstance(value, list):
            value = "、".join(str(v) for v in value)
        rows.append((str(label), str(value)))
    return rows


def signal_summary(signal: Signal) -> str:
    """One sentence: what, where, when, how much (the proposal's facts start with it)."""
    parts = [rule_title(signal.rule)]
    if signal.project is not None:
        parts.append(_("项目：%(name)s（%(no)s）") % {"name": signal.project.name, "no": signal.project.project_no})
    if signal.unit is not None:
        parts.append(_("单位：%(name)s") % {"name": signal.unit.employer.name})
    if signal.month is not None:
        parts.append(_("所属年月：%(m)s") % {"m": f"{signal.month:%Y-%m}"})
    if signal.workers:
        parts.append(_("涉及%(n)s人") % {"n": signal.workers})
    if signal.amount:
        parts.append(_("涉及金额%(a)s元") % {"a": signal.amount})
    return "；".join(parts) + "。"


def signal_dict(signal: Signal) -> dict:
    """The API's (and the page's) reading of a signal."""
    return {
        "id": signal.pk,
        "level": signal.level,
        "level_display": signal.get_level_display(),
        "status": signal.status,
        "status_display": signal.get_status_display(),
        "source_display": signal.get_source_display(),
        "rule": signal.rule,
        "rule_title": rule_title(signal.rule),
        "rule_reference": rule_reference(signal.rule),
        "project_no": signal.project.project_no if signal.project else "",
        "project_name": signal.project.name if signal.project else "",
        "unit": signal.unit.employer.name if signal.unit else (signal.employer.name if signal.employer else ""),
        "region": signal.region.name,
        "month": f"{signal.month:%Y-%m}" if signal.month else "",
        "workers": signal.workers,
        "amount": str(signal.amount),
        "raised_at": signal.raised_at.isoformat(),
        "due_on": signal.due_on.isoformat() if signal.due_on else "",
        "escalated": signal.escalated_at is not None,
        "summary": signal_summary(signal),
        "evidence": [{"label": label, "value": value} for label, value in evidence_rows(signal)],
        "case_no": signal.case.case_no if signal.case else "",
    }


def open_signals_by_region(region_ids: list[int]) -> dict[int, dict[str, int]]:
    """Open signals (待研判, 待单位说明) by region and level, in one grouped query: {region id: {level: n}}
    (the coverage indicators' column of open signals, wired in workflows.wiring)."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Signal.objects.filter(region_id__in=region_ids, status__in=Signal.OPEN_STATUSES)
        .values_list("region_id", "level")
        .annotate(n=Count("id"))
    )
    for region_id, level, n in rows:
        counts.setdefault(region_id, {})[level] = n
    return counts
