"""What the worker's public status page and SMS say about a referral: the stage (referred, accepted, hearing,
award or settlement; the legal aid's decision, lawyer appointed, outcome) and, for an award, this complainant's
own amount — never another worker's data, never the lawyer's name (staff-only)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from cases.models import Complaint
from cases.public_status import stage
from cases.values import yuan

from .models import Claimant, Office, Referral

S = Referral.Status

# The SMS texts (cases.notifications): {reason} carries the office's name, a date or a reason.
TEXTS: dict[str, str] = {
    "arb_referred": "您的欠薪争议（回执号{receipt_no}）已转介{reason}，按欠薪案件绿色通道优先处理，"
    "仲裁委将在5日内决定是否受理。",
    "arb_accepted": "您的欠薪争议（回执号{receipt_no}）已被劳动人事争议仲裁委员会受理，应于{reason}前作出裁决。",
    "arb_rejected": "您的欠薪争议（回执号{receipt_no}）仲裁委不予受理，理由：{reason}。"
    "您可以就该争议向人民法院提起诉讼。",
    "arb_hearing": "您的欠薪争议（回执号{receipt_no}）仲裁庭已组成，仲裁委将书面通知您开庭时间。",
    "arb_awarded": "您的欠薪争议（回执号{receipt_no}）已作出仲裁裁决，请查收裁决书；可凭回执号在网上查询裁决金额。",
    "arb_mediated": "您的欠薪争议（回执号{receipt_no}）已在仲裁中调解解决；"
    "用人单位不履行的，可依法申请支付令或强制执行。",
    "arb_withdrawn": "您的欠薪争议（回执号{receipt_no}）已撤回仲裁申请。",
    "aid_referred": "您的欠薪维权（回执号{receipt_no}）已转介{reason}，追索劳动报酬免予经济困难审查。",
    "aid_accepted": "您的法律援助申请（回执号{receipt_no}）已获批准，援助中心将在3日内为您指派律师。",
    "aid_rejected": "您的法律援助申请（回执号{receipt_no}）未获批准，理由：{reason}。"
    "如有异议可向司法行政部门申请异议审查。",
    "aid_assigned": "您的法律援助（回执号{receipt_no}）已指派律师，律师将与您联系。",
    "aid_closed": "您的法律援助（回执号{receipt_no}）已结案，结果：{reason}。",
}


def _money(value) -> str:
    return f"{yuan(value):,}"


def _referrals_of(complaint: Complaint):
    """The referrals naming this complainant: of the complaint itself, or of its case with them as a claimant."""
    q = Q(complaint=complaint, case__isnull=True)
    if complaint.case_id and complaint.status != Complaint.Status.REFUSED:
        party = complaint.complainant
        same = Q(worker_id=party.pk)
        if party.id_number_index:
            same |= Q(worker__id_number_index=party.id_number_index)
        q |= Q(case_id=complaint.case_id, pk__in=Claimant.objects.filter(same).values("referral_id"))
    return Referral.objects.filter(q).select_related("region").order_by("referred_at", "id")


def _mine(referral: Referral, complaint: Complaint) -> Claimant | None:
    party = complaint.complainant
    same = Q(worker_id=party.pk)
    if party.id_number_index:
        same |= Q(worker__id_number_index=party.id_number_index)
    return referral.claimants.filter(same).first()


def referral_stages(complaint: Complaint) -> list[dict]:
    stages: list[dict] = []
    for r in _referrals_of(complaint):
        office = f"{r.region.name}{Office(r.office).label}"
        if r.office == Office.ARBITRATION:
            stages.append(stage("arbitration_referred", _("已转介劳动人事争议仲裁委员会"), r.referred_at,
                                office + (_("，绿色通道") if r.green_channel else "")))  # fmt: skip
            if r.status == S.REJECTED:
                stages.append(stage("arbitration_rejected", _("仲裁委不予受理"), r.decided_at,
                                    _("可向人民法院提起诉讼")))  # fmt: skip
                continue
            if r.decided_at:
                due = r.award_deadline.due_at.date().isoformat() if r.award_deadline else ""
                stages.append(stage("arbitration_accepted", _("仲裁委已受理"), r.decided_at,
                                    _("裁决期限：%(due)s") % {"due": due} if due else ""))  # fmt: skip
            if r.tribunal_at:
                stages.append(stage("arbitration_hearing", _("仲裁庭已组成，审理中"), r.tribunal_at))
            if r.status in (S.AWARDED, S.MEDIATED):
                mine = _mine(r, complaint)
                detail = ""
                if mine is not None and mine.amount_awarded is not None:
                    detail = _("您的金额：%(amount)s元") % {"amount": _money(mine.amount_awarded)}
                    if r.status == S.AWARDED:
                        detail += "；" + (_("终局裁决") if mine.final else _("非终局裁决，可在15日内向人民法院起诉"))
                label = _("已作出仲裁裁决") if r.status == S.AWARDED else _("已调解结案")
                stages.append(stage(f"arbitration_{r.status}", label, r.ended_at, detail))
            elif r.status == S.WITHDRAWN:
                stages.append(stage("arbitration_withdrawn", _("已撤回仲裁申请"), r.ended_at))
        else:
            stages.append(stage("legal_aid_referred", _("已转介法律援助中心"), r.referred_at,
                                office + _("，追索劳动报酬免予经济困难审查")))  # fmt: skip
            if r.status == S.REJECTED:
                stages.append(stage("legal_aid_rejected", _("不予法律援助"), r.decided_at, r.reject_reason))
                continue
            if r.decided_at:
                stages.append(stage("legal_aid_accepted", _("已决定给予法律援助"), r.decided_at))
            if r.lawyer_name:
                stages.append(stage("legal_aid_assigned", _("已指派律师"), None))
            if r.status == S.AID_CLOSED:
                detail = r.get_aid_outcome_display()
                if r.amount_recovered and not r.case_id:
                    detail += "；" + _("追回%(amount)s元") % {"amount": _money(r.amount_recovered)}
                stages.append(stage("legal_aid_closed", _("法律援助已结案"), r.ended_at, detail))
    return stages
