"""A timeline event's data in words, for people (the auditors' PDF): each field under a label in the active
language, codes shown as their names, times in Shanghai local time, row ids left out. No key and no dict is
ever shown: a field this module does not know reads as "其他信息". A feature module adds its fields and codes
with words_register()."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..timeline.labels import event_label
from ..values import LOCAL_TZ

FIELD_LABELS: dict[str, Any] = {
    "accountability": gettext_lazy("问责"),
    "addressee": gettext_lazy("受文对象"),
    "alert": gettext_lazy("提醒"),
    "all_paid": gettext_lazy("是否全部支付"),
    "amount": gettext_lazy("金额"),
    "amount_added": gettext_lazy("新增金额"),
    "amount_owed": gettext_lazy("拖欠金额"),
    "answer_due": gettext_lazy("答复期限"),
    "applied_on": gettext_lazy("申请日期"),
    "approve_due": gettext_lazy("审批期限"),
    "approved": gettext_lazy("是否同意"),
    "by": gettext_lazy("办理环节"),
    "case_no": gettext_lazy("案件编号"),
    "case_owed": gettext_lazy("案件拖欠金额"),
    "case_paid": gettext_lazy("案件已付金额"),
    "category": gettext_lazy("类别"),
    "changes": gettext_lazy("变更内容"),
    "channel": gettext_lazy("渠道"),
    "closed_at": gettext_lazy("结案时间"),
    "closure_code": gettext_lazy("结案方式"),
    "compensation": gettext_lazy("赔偿金"),
    "compensation_rate": gettext_lazy("加付赔偿金比例（%）"),
    "conflict_declared": gettext_lazy("已声明无利害关系"),
    "corrected_on": gettext_lazy("改正日期"),
    "deadline_due": gettext_lazy("期限届满时间"),
    "deadline_state": gettext_lazy("时限状态"),
    "decide_due": gettext_lazy("决定期限"),
    "decided_at": gettext_lazy("决定时间"),
    "deciding_office": gettext_lazy("决定机构"),
    "decision": gettext_lazy("决定"),
    "decision_reason": gettext_lazy("决定理由"),
    "defence_due": gettext_lazy("陈述申辩期限"),
    "defence_submitted": gettext_lazy("已提交陈述申辩"),
    "defence_wd": gettext_lazy("陈述申辩期限（工作日）"),
    "description": gettext_lazy("说明"),
    "due_at": gettext_lazy("届满时间"),
    "due_date": gettext_lazy("期限"),
    "duplicate": gettext_lazy("疑似重复"),
    "duplicate_of": gettext_lazy("疑似重复的投诉"),
    "owed": gettext_lazy("应付金额"),
    "paid": gettext_lazy("已付金额"),
    "amount_paid": gettext_lazy("已付金额"),
    "paid_at": gettext_lazy("支付时间"),
    "employer": gettext_lazy("用人单位"),
    "project": gettext_lazy("项目"),
    "count": gettext_lazy("数量"),
    "workers_count": gettext_lazy("劳动者人数"),
    "days": gettext_lazy("天数"),
    "interval": gettext_lazy("报告间隔（工作日）"),
    "police": gettext_lazy("公安机关"),
    "procuratorate": gettext_lazy("检察院"),
    "filed": gettext_lazy("是否立案"),
    "copy_to_procuratorate": gettext_lazy("抄送检察院"),
    "expires_at_before": gettext_lazy("原期满时间"),
    "stale": gettext_lazy("超过两年投诉时效"),
    "complaints": gettext_lazy("投诉"),
    "complaint": gettext_lazy("投诉"),
    "expires_at": gettext_lazy("期满时间"),
    "facts": gettext_lazy("事实"),
    "fields": gettext_lazy("字段"),
    "findings": gettext_lazy("调查结论"),
    "ground": gettext_lazy("情形"),
    "grouped": gettext_lazy("合并"),
    "held_at": gettext_lazy("举行时间"),
    "inspectors": gettext_lazy("监察员"),
    "instruction": gettext_lazy("批示"),
    "issued_at": gettext_lazy("签发时间"),
    "kind": gettext_lazy("种类"),
    "length": gettext_lazy("期限长度"),
    "listed_at": gettext_lazy("列入时间"),
    "listed_on": gettext_lazy("列入日期"),
    "listing_decision": gettext_lazy("列入决定书文号"),
    "measure": gettext_lazy("问责措施"),
    "method": gettext_lazy("方式"),
    "months": gettext_lazy("月数"),
    "new": gettext_lazy("变更后"),
    "new_due": gettext_lazy("新的期限"),
    "next_report_due": gettext_lazy("下次报告期限"),
    "note": gettext_lazy("备注"),
    "notice": gettext_lazy("告知书"),
    "number": gettext_lazy("文号"),
    "office": gettext_lazy("机构"),
    "old": gettext_lazy("变更前"),
    "opinion": gettext_lazy("意见"),
    "order_due": gettext_lazy("限期"),
    "origin": gettext_lazy("案件来源"),
    "original_name": gettext_lazy("文件名"),
    "outcome": gettext_lazy("结果"),
    "outstanding": gettext_lazy("尚欠金额"),
    "paid_on": gettext_lazy("支付日期"),
    "penalty": gettext_lazy("处罚"),
    "penalty_amount": gettext_lazy("罚款金额"),
    "period_end": gettext_lazy("欠薪期间止"),
    "period_start": gettext_lazy("欠薪期间起"),
    "persons": gettext_lazy("人员"),
    "place": gettext_lazy("地点"),
    "pledge_chars": gettext_lazy("信用承诺书字数"),
    "previous_due_at": gettext_lazy("原届满时间"),
    "proof": gettext_lazy("送达凭证（SHA-256）"),
    "proposed_penalty": gettext_lazy("拟处罚"),
    "rate": gettext_lazy("比例"),
    "reason": gettext_lazy("理由"),
    "reasons": gettext_lazy("理由"),
    "receipt_no": gettext_lazy("投诉编号"),
    "recipient": gettext_lazy("受送达人"),
    "region": gettext_lazy("地区"),
    "removal_decision": gettext_lazy("移出决定书文号"),
    "removed_at": gettext_lazy("移出时间"),
    "report_interval": gettext_lazy("报告间隔（工作日）"),
    "requirements": gettext_lazy("要求"),
    "result": gettext_lazy("结果"),
    "role": gettext_lazy("角色"),
    "route_basis": gettext_lazy("管辖依据"),
    "satisfaction": gettext_lazy("满意度"),
    "served_at": gettext_lazy("送达时间"),
    "sha256": gettext_lazy("SHA-256"),
    "size": gettext_lazy("大小（字节）"),
    "status": gettext_lazy("状态"),
    "step": gettext_lazy("环节"),
    "superior": gettext_lazy("上级机构"),
    "target_region": gettext_lazy("目标地区"),
    "title": gettext_lazy("标题"),
    "to": gettext_lazy("至"),
    "transfer_due": gettext_lazy("移送期限"),
    "transferred_from": gettext_lazy("移出地区"),
    "trigger": gettext_lazy("启动原因"),
    "type": gettext_lazy("类型"),
    "unit": gettext_lazy("单位"),
    "username": gettext_lazy("用户名"),
    "violation": gettext_lazy("是否违法"),
    "what": gettext_lazy("事项"),
    "worker": gettext_lazy("劳动者"),
    "workers": gettext_lazy("劳动者人数"),
    "workers_added": gettext_lazy("新增劳动者人数"),
}
# Row ids: they mean nothing to a reader (the hashes are what proves the record).
HIDDEN = {
    "application", "document", "document_id", "entry", "evidence", "id", "listing", "payment", "publication",
    "record", "supervision", "task", "term_deadline", "worker_id", "password",
    "step",  # a flow node's internal name: its "title" says the same in words
}  # fmt: skip
# Codes whose names people read, per field: filled from the models' choices on first use, extended by
# words_register(). A field not listed here reads its value against all of them.
CODES: dict[str, dict[str, Any]] = {}
_registered: dict[str, dict[str, Any]] = {}
REGION_FIELDS = {"region", "office", "target_region", "superior", "transferred_from", "deciding_office"}
ROUTE_BASIS = {
    "region_code": gettext_lazy("投诉人选择的用工所在地"),
    "project_address": gettext_lazy("项目地址"),
    "employer_address": gettext_lazy("用人单位地址"),
    "city_pool": gettext_lazy("设区市受理池"),
    "province_pool": gettext_lazy("省级受理池"),
}
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_CODE = re.compile(r"[a-z0-9_]+")


def words_register(*, fields: dict[str, Any] | None = None, codes: dict[str, dict[str, Any]] | None = None) -> None:
    """A feature's field labels, and per field the names of the codes its events store (a status …)."""
    FIELD_LABELS.update(fields or {})
    for key, names in (codes or {}).items():
        _registered.setdefault(key, {}).update(names)
    CODES.clear()


def _codes() -> dict[str, dict[str, Any]]:
    if not CODES:
        from ..models import (
            Case,
            ClosureCode,
            Complaint,
            Deadline,
            Decision,
            Document,
            Referral,
            Role,
            Satisfaction,
            ServiceRecord,
            Supervision,
        )
        from ..models.cases import Channel
        from ..models.supervision import CrimeGround

        def names(*choices) -> dict[str, Any]:
            return {value: label for c in choices for value, label in c.choices}

        statuses = names(Complaint.Status, Case.Status, Deadline.State, Supervision.Status, Referral.Status)
        CODES.update(
            {
                "role": names(Role),
                "by": names(Role),
                "kind": names(Document.Kind),
                "method": names(ServiceRecord.Method),
                "unit": names(Deadline.Unit),
                "deadline_state": names(Deadline.State),
                "status": statuses,
                "old": statuses,
                "new": statuses,
                "origin": names(Case.Origin),
                "decision": names(Decision),
                "ground": names(CrimeGround.Ground),
                "closure_code": names(ClosureCode),
                "satisfaction": names(Satisfaction),
                "channel": names(Channel),
                "route_basis": dict(ROUTE_BASIS),
            }
        )
        for key, registered in _registered.items():
            CODES.setdefault(key, {}).update(registered)
        CODES[""] = {code: label for names_ in list(CODES.values()) for code, label in names_.items()}
    return CODES


def _region_name(code: str) -> str:
    from ..models import Region

    name = Region.objects.filter(code=code).values_list("name", flat=True).first()
    return name or code


def _kind_words(value: str) -> str:
    from ..deadlines import RULES

    if value in RULES:
        return str(RULES[value].title)
    if "." in value:
        return event_label(value)
    return str(_codes()["kind"].get(value) or _codes()[""].get(value, value))


def value_words(key: str, value: Any) -> str:
    """One value as people read it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, dict):
        return "；".join(f"{label}：{text}" for label, text in data_in_words(value))
    if isinstance(value, list | tuple):
        return "、".join(value_words(key, v) for v in value) or "—"
    if isinstance(value, str):
        if _ISO.match(value):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return value
            if moment.tzinfo is not None:
                moment = moment.astimezone(LOCAL_TZ)
            return moment.strftime("%Y-%m-%d %H:%M:%S")
        if key == "kind":
            return _kind_words(value)
        if key in REGION_FIELDS and value.isdigit() and len(value) == 6:
            return _region_name(value)
        if _CODE.fullmatch(value):
            codes = _codes()
            name = codes.get(key, {}).get(value) or codes[""].get(value)
            if name is not None:
                return str(name)
        return value
    return str(value)


def data_in_words(data: dict) -> list[tuple[str, str]]:
    """The event's fields as (label, text), in the order they were recorded; row ids left out."""
    rows = []
    for key, value in (data or {}).items():
        if key in HIDDEN or value in (None, "", [], {}):
            continue
        label = FIELD_LABELS.get(key)
        rows.append((str(label) if label is not None else _("其他信息"), value_words(key, value)))
    return rows
