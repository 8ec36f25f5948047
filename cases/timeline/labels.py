"""Human labels of the timeline's event kinds: what the case page, the complaint page and the public status
page show instead of the stored key (the key stays in the record and in the API). A feature module adds its
kinds with labels_register(); an unknown kind reads as a generic label, never as the key."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LABELS = {
    "complaint.received": _("收到投诉"),
    "complaint.accepted": _("投诉已受理"),
    "complaint.refused": _("决定不予受理"),
    "complaint.supplement_requested": _("要求补正材料"),
    "complaint.supplemented": _("已补正材料"),
    "complaint.transferred": _("移送管辖"),
    "complaint.transfer_disputed": _("对移送管辖提出异议"),
    "complaint.jurisdiction_designated": _("上级指定管辖"),
    "complaint.escalation_reviewed": _("超期受理督办意见"),
    "case.filed": _("立案"),
    "case.complaint_linked": _("并入投诉"),
    "case.inspectors_assigned": _("指派监察员"),
    "case.suspended": _("中止调查"),
    "case.resumed": _("恢复调查"),
    "case.extension_requested": _("申请延长调查期限"),
    "case.extension_refused": _("不批准延长调查期限"),
    "case.investigation_concluded": _("调查终结"),
    "case.decided": _("作出处理决定"),
    "case.pre_decision_notified": _("行政处罚事先告知"),
    "case.legal_reviewed": _("法制审核"),
    "case.penalty_decided": _("作出行政处罚决定"),
    "case.penalty_returned": _("处罚决定退回"),
    "case.verified": _("履行情况核查"),
    "case.order_overdue": _("逾期未履行"),
    "case.withdrawn": _("撤销立案"),
    "case.withdrawal_returned": _("撤销立案退回"),
    "case.closed": _("结案"),
    "case.flag_set": _("设置案件标记"),
    "case.flag_cleared": _("取消案件标记"),
    "case.complainants_notified": _("告知投诉人"),
    "case.complainants_notice_recorded": _("登记告知投诉人情况"),
    "case.crime_ground_recorded": _("记录涉嫌犯罪情形"),
    "document.issued": _("制发文书"),
    "document.served": _("送达文书"),
    "ledger.entry_added": _("登记欠薪台账"),
    "ledger.payment_recorded": _("登记支付"),
    "record.added": _("制作笔录"),
    "evidence.uploaded": _("上传证据"),
    "deadline.warned": _("时限预警"),
    "deadline.overdue": _("时限超期"),
    "deadline.extended": _("时限延长"),
    "task.claimed": _("认领任务"),
    "task.released": _("释放任务"),
    "permission.granted": _("授予案件权限"),
    "permission.revoked": _("收回案件权限"),
    "personal_data.viewed": _("查看个人信息"),
}
PREFIXES = {
    "supervision.": _("挂牌督办"),
    "referral.": _("涉嫌犯罪移送"),
    "listing.": _("失信联合惩戒名单"),
    "accountability.": _("问责"),
}
OTHER = _("其他记录")


def labels_register(labels: dict) -> None:
    """Add the labels of a feature's event kinds (a kind is labelled once)."""
    LABELS.update(labels)


def event_label(kind: str) -> str:
    """The event kind as people read it, in the active language."""
    if kind in LABELS:
        return str(LABELS[kind])
    for prefix, label in PREFIXES.items():
        if kind.startswith(prefix):
            return str(label)
    return str(OTHER)
