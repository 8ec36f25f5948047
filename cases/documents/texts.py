"""What each kind of document says: one builder per kind of its operative paragraphs (BODIES), the
addressee lines, and the notice of the party's rights. The texts are the legal documents themselves and
are always in Chinese."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from ..models import Case, CaseParty, Evidence
from ..values import LOCAL_TZ, yuan, yuan_text
from .context import Context, amount_or, as_date, as_lines, cn_date, due_text
from .deposit_texts import DEPOSIT_BODIES
from .kinds import AEL, APL, LSIR, R310, SPECS, WPR, K
from .offices import government_name, office_name, police_name, procuratorate_name
from .penalty_texts import PENALTY_BODIES, causes_lines, penalty_rights_lines

# --- the operative paragraphs, kind by kind ----------------------------------------------------------


def _acceptance_notice(c: Context) -> list[str]:
    e = c.employer
    receipt = f"（投诉回执号：{c.data['receipt_no']}）" if c.data.get("receipt_no") else ""
    return [
        f"你（们）反映{e.name}{c.arrears}一事{receipt}，经审查，符合受理条件，本局决定予以受理并立案调查"
        f"（案件编号：{c.data.get('case_no') or c.case.case_no}）。",
        "本局将自立案之日起60个工作日内完成调查；情况复杂的，经本局负责人批准，可以延长30个工作日。"
        "调查期间请保持通讯畅通，如实提供相关证据材料。",
    ]


def _non_acceptance_notice(c: Context) -> list[str]:
    e = c.employer
    reason = str(c.data.get("reason", ""))
    receipt = f"（投诉回执号：{c.data['receipt_no']}）" if c.data.get("receipt_no") else ""
    return [
        f"你（们）反映{e.name}拖欠工资一事{receipt}，经审查，不符合劳动保障监察投诉受理条件，本局决定不予受理。",
        f"理由：{reason}",
        "如不服本决定，可以依法申请行政复议或者提起行政诉讼。",
    ]


def _filing_approval(c: Context) -> list[str]:
    e = c.employer
    d = c.data
    return [
        f"案件编号：{c.case.case_no}；案件来源：{c.case.get_origin_display()}；"
        f"涉及劳动者{c.workers_count}人，涉及金额{yuan_text(c.owed)}。",
        *as_lines(d.get("facts")),
        f"{e.name}涉嫌{c.arrears}，需要进一步调查处理，拟予立案。",
        f"承办人意见：建议立案。　　负责人审批意见：{d.get('opinion') or '同意立案'}。（审批日期即立案日期）",
    ]


def _inquiry_notice(c: Context) -> list[str]:
    d = c.data
    materials = as_lines(d.get("materials")) or [
        "营业执照副本及法定代表人身份证明",
        "劳动合同及职工名册",
        "工资支付台账、工资清单及银行代发记录（近两年）",
        "考勤记录",
        "工程施工合同及农民工工资专用账户资料",
    ]
    place = d.get("place") or office_name(c.office)
    return [
        f"因调查你单位涉嫌{c.arrears}一案，根据{LSIR}第十五条的规定，请你单位法定代表人或委托代理人"
        f"于{due_text(c)}前，携带下列材料到{place}接受调查询问：",
        *[f"{i}．{m}" for i, m in enumerate(materials, 1)],
        f"无理抗拒、阻挠劳动保障监察，或者不按要求报送书面材料、隐瞒事实真相、出具伪证、隐匿或者毁灭证据的，"
        f"本局将依照{LSIR}第三十条的规定予以处罚。",
    ]


def _order_to_correct(c: Context) -> list[str]:
    return [
        *c.facts,
        *causes_lines(c),
        f"现责令你单位于{due_text(c)}前改正上述违法行为，并将改正情况书面报送本局。",
        f"逾期不改正的，本局将依照{WPR}、{LSIR}第三十条等规定依法处理。",
    ]


def _order_to_pay(c: Context) -> list[str]:
    return [
        *c.facts,
        f"现责令你单位于{due_text(c)}前向上述劳动者足额支付拖欠的工资共计{yuan_text(c.outstanding)}"
        "（明细见下表），并将支付凭证报送本局。",
        "逾期不支付的，本局将责令你单位按应付金额50%以上100%以下的标准向劳动者加付赔偿金，依法予以处罚，"
        "并依法申请人民法院强制执行；以转移财产、逃匿等方法逃避支付或者有能力支付而不支付，数额较大的，"
        "将依法移送公安机关追究刑事责任；情节严重的，将列入拖欠农民工工资失信联合惩戒对象名单。",
    ]


def _pre_decision_notice(c: Context) -> list[str]:
    return [
        *c.facts,
        f"本局拟对你单位作出如下行政处罚：{_proposed_penalty(c)}。",
        *penalty_rights_lines(c),
    ]


def _handling_decision(c: Context) -> list[str]:
    d = c.data
    default = f"责令你单位向上述劳动者支付拖欠的工资共计{yuan_text(c.outstanding)}"
    decision = d.get("decision") or default + (f"，于{due_text(c)}前履行完毕" if c.due else "")
    return [
        *c.facts,
        f"本局决定：{decision}。",
        f"你单位拒不履行本决定的，本局将依照{LSIR}第三十条的规定予以处罚，并依法申请人民法院强制执行。",
    ]


def _penalty_decision(c: Context) -> list[str]:
    return [
        *c.facts,
        *[f"证据：{ev}" for ev in _evidence_list(c.case)],
        *([f"处罚依据：{c.data['basis_title']}。"] if c.data.get("basis_title") else []),
        f"本局决定对你单位处以罚款{c.penalty}。",
        f"你单位应当自收到本决定书之日起十五日内，到指定银行或者通过电子支付系统缴纳罚款（{APL}第六十七条）。"
        f"到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额（{APL}第七十二条）。",
    ]


def _compensation_order(c: Context) -> list[str]:
    d = c.data
    rate = c.compensation_rate
    outstanding = amount_or(d.get("outstanding"), c.outstanding)
    amount = amount_or(d.get("compensation"), yuan(outstanding * rate / 100))
    return [
        *c.facts,
        f"你单位逾期未按本局限期支付的要求支付劳动者工资（尚欠{yuan_text(outstanding)}）。"
        f"本局决定责令你单位按应付金额的{rate}%向劳动者加付赔偿金共计{yuan_text(amount)}，"
        f"连同拖欠的工资{f'于{due_text(c)}前' if c.due else '立即'}一并支付。",
    ]


def _withdrawal_decision(c: Context) -> list[str]:
    reason = str(c.data.get("reason", ""))
    filed = cn_date(timezone.localtime(c.case.filed_at, LOCAL_TZ).date())
    return [f"本局于{filed}对你单位立案调查（案件编号：{c.case.case_no}）。经查，{reason}", "本局决定撤销立案。"]


def _referral_letter(c: Context) -> list[str]:
    e = c.employer
    d = c.data
    # The package's other parts, when the referral service gives them (R310 art 6; cases.referral).
    parts = [
        ("一、涉嫌犯罪案件调查报告", "report"),
        ("二、证据清单", "evidence"),
        ("三、拖欠工资计算表", "wage_calculation"),
    ]
    return [
        *c.facts,
        f"{e.name}{c.arrears}，经本局责令限期支付后逾期仍不支付，涉嫌构成拒不支付劳动报酬罪。"
        f"根据{R310}第三条的规定，现将该案移送你局审查，请依法在3日内作出立案或者不予立案的决定，并书面告知本局。",
        "附件：1．涉嫌犯罪案件调查报告；2．涉案物品清单；3．限期支付令及送达回证（或张贴公告的照片、录像）；"
        "4．劳动者陈述及证人证言；5．拖欠工资计算表；6．逃匿或转移财产等情况的证据材料。",
        *[line for title, key in parts if d.get(key) for line in (title, *as_lines(d[key]))],
        f"抄送：{d.get('procuratorate') or procuratorate_name(c.office)}",
    ]


def _listing_notice(c: Context) -> list[str]:
    reason = str(c.data.get("reason", ""))
    return [
        *c.facts,
        "你单位上述行为符合列入拖欠农民工工资失信联合惩戒对象名单的情形"
        f"（{reason or '拖欠数额达到规定标准且逾期未支付'}），"
        "本局拟将你单位及其法定代表人或者主要负责人、直接负责的主管人员和其他直接责任人员列入失信联合惩戒对象名单。",
        "你单位有权进行陈述和申辩，请于"
        + (f"{due_text(c)}前" if c.due else f"收到本告知书之日起{c.data.get('defence_wd') or 5}个工作日内")
        + "向本局书面提出；逾期未提出的，视为放弃。",
    ]


def _listing_decision(c: Context) -> list[str]:
    return [
        *c.facts,
        "本局决定将你单位及其法定代表人或者主要负责人、直接负责的主管人员和其他直接责任人员列入拖欠农民工工资"
        "失信联合惩戒对象名单，期限为3年，自本决定作出之日起计算，期间在政府资金支持、政府采购、招投标、融资贷款、"
        "市场准入、税收优惠、评优评先、交通出行等方面依法依规予以限制。",
        "你单位改正违法行为满6个月，可以书面作出信用承诺，向本局申请提前移出名单。",
    ]


def _removal_decision(c: Context) -> list[str]:
    d = c.data
    listed_on, corrected_on = as_date(d.get("listed_on"), "listed_on"), as_date(d.get("corrected_on"), "corrected_on")
    listed = f"{cn_date(listed_on)}作出的" if listed_on else ""
    number = f"（{d['listing_decision']}）" if d.get("listing_decision") else ""
    return [
        f"你单位经本局{listed}列入失信联合惩戒名单决定{number}，被列入拖欠农民工工资失信联合惩戒对象名单。",
        f"你单位已于{cn_date(corrected_on) if corrected_on else '—'}改正违法行为，"
        "并书面作出信用承诺，申请提前移出名单。"
        f"经审核，你单位改正违法行为已满{d.get('months') or 6}个月，符合提前移出名单的条件。",
        *as_lines(d.get("facts")),
        "本局决定将你单位及其法定代表人或者主要负责人、直接负责的主管人员和其他直接责任人员移出拖欠农民工工资"
        "失信联合惩戒对象名单，自本决定作出之日起停止实施联合惩戒措施，并停止公开相关信息。",
    ]


def _supervision_notice(c: Context) -> list[str]:
    e = c.employer
    d = c.data
    reason = str(c.data.get("reason", ""))
    interval = d.get("report_interval") or 5
    return [
        f"{office_name(c.case.region)}承办的{e.name}{c.arrears}一案（案件编号：{c.case.case_no}），"
        f"{reason or '案情重大'}，本局决定予以挂牌督办。",
        f"请你局于{due_text(c)}前依法办结，每{interval}个工作日书面报告一次办理进展；办结后报送结案材料，申请销号。"
        "逾期未办结的，本局将予以通报，并依照有关规定启动问责程序。",
    ]


def _accountability_decision(c: Context) -> list[str]:
    e = c.employer
    d = c.data
    reason = str(c.data.get("reason", ""))
    return [
        f"在办理{e.name}{c.arrears}一案（案件编号：{c.case.case_no}）中，{reason}",
        f"本局决定：{d.get('measure', '')}。",
    ]


def _demand_duties(c: Context) -> str:
    """What the demand asks for: the unpaid wages, and/or (data "fine") the unpaid fine of the penalty decision."""
    duties = []
    if c.outstanding > 0 or not c.data.get("fine"):
        duties.append(f"向下表所列劳动者足额支付拖欠的工资共计{yuan_text(c.outstanding)}")
    if c.data.get("fine"):
        duties.append(f"缴纳罚款{yuan_text(amount_or(c.data.get('fine'), Decimal(0)))}")
    return "；".join(duties)


def _demand_notice(c: Context) -> list[str]:
    d = c.data
    decision = str(d.get("decision") or "本局作出的行政处理决定")
    return [
        *c.facts,
        f"{decision}已依法送达你单位，你单位至今未履行。根据{AEL}第三十五条、第五十四条的规定，现催告你单位"
        f"于{due_text(c)}前履行下列义务：{_demand_duties(c)}。",
        "你单位有权进行陈述和申辩。本催告书送达之日起十日后仍未履行义务的，本局将依法申请人民法院强制执行。",
    ]


def _enforcement_application(c: Context) -> list[str]:
    e = c.employer
    d = c.data
    decision = str(d.get("decision") or "本局作出的行政处理决定")
    remedies = str(d.get("remedies") or "被申请人在法定期限内未申请行政复议，也未提起行政诉讼")
    return [
        f"被申请人：{e.name}（统一社会信用代码：{e.uscc or '无'}）。",
        *c.facts,
        f"{decision}已依法送达被申请人。{remedies}，又不履行该决定。"
        f"本局已于{d.get('demand_served') or '　'}送达催告书，催告书送达十日后被申请人仍未履行。",
        f"根据{AEL}第五十三条、第五十四条、第五十五条的规定，特申请人民法院强制执行：责令被申请人向下表所列劳动者"
        f"支付拖欠的工资共计{yuan_text(c.outstanding)}。",
        "附：行政决定书及作出决定的事实、理由和依据；当事人的意见及催告情况；申请强制执行标的情况；送达回证。",
    ]


BODIES: dict[str, Callable[[Context], list[str]]] = {
    K.ACCEPTANCE_NOTICE: _acceptance_notice,
    K.NON_ACCEPTANCE_NOTICE: _non_acceptance_notice,
    K.FILING_APPROVAL: _filing_approval,
    K.INQUIRY_NOTICE: _inquiry_notice,
    K.ORDER_TO_CORRECT: _order_to_correct,
    K.ORDER_TO_PAY: _order_to_pay,
    K.PRE_DECISION_NOTICE: _pre_decision_notice,
    K.HANDLING_DECISION: _handling_decision,
    K.PENALTY_DECISION: _penalty_decision,
    K.COMPENSATION_ORDER: _compensation_order,
    K.WITHDRAWAL_DECISION: _withdrawal_decision,
    K.REFERRAL_LETTER: _referral_letter,
    K.LISTING_NOTICE: _listing_notice,
    K.LISTING_DECISION: _listing_decision,
    K.REMOVAL_DECISION: _removal_decision,
    K.SUPERVISION_NOTICE: _supervision_notice,
    K.ACCOUNTABILITY_DECISION: _accountability_decision,
    K.DEMAND_NOTICE: _demand_notice,
    K.ENFORCEMENT_APPLICATION: _enforcement_application,
    **PENALTY_BODIES,
    **DEPOSIT_BODIES,
}
assert set(BODIES) == set(K.values), "every kind of document needs a body"


def body(c: Context) -> list[str]:
    """The operative paragraphs of the document; addressed to a liable unit, the paragraph naming its role and
    the legal basis follows the facts."""
    lines = BODIES[c.kind](c)
    liable = c.data.get("liable_unit")
    if isinstance(liable, dict) and liable.get("role_label"):
        at = len(c.facts) if lines[: len(c.facts)] == c.facts else 0
        lines.insert(at, _liable_line(c, liable))
    return lines


def _liable_line(c: Context, liable: dict) -> str:
    direct = c.case.employer.name
    who = f"本案劳动者由{direct}招用，" if liable.get("name") != direct else ""
    return (
        f"{who}你单位（{liable['name']}）系本案{liable['role_label']}，"
        f"依照{liable['basis_label']}的规定，{liable['duty']}。"
    )


# --- the parts around the body ---------------------------------------------------------------------


def _proposed_penalty(c: Context) -> str:
    proposed = c.data.get("proposed_penalty")
    if proposed in (None, ""):
        return f"罚款{c.penalty}"
    amount = amount_or(proposed, Decimal("-1"))
    return f"罚款{yuan_text(amount)}" if amount >= 0 else str(proposed)


def _evidence_list(case: Case) -> list[str]:
    return [ev.description or ev.original_name for ev in Evidence.objects.filter(case=case).order_by("uploaded_at")]


def addressee(c: Context) -> tuple[str, list[str]]:
    """(主送 line, lines naming the party)."""
    e = c.employer
    party = [f"当事人：{e.name}", f"统一社会信用代码：{e.uscc or '（无）'}"]
    if e.legal_representative:
        party.append(f"法定代表人：{e.legal_representative}")
    if e.address:
        party.append(f"地址：{e.address}")
    spec = SPECS[c.kind]
    if spec.to_employer:
        return f"{e.name}：", party[1:]
    if c.kind in (K.ACCEPTANCE_NOTICE, K.NON_ACCEPTANCE_NOTICE):
        if c.data.get("addressee"):  # a complaint's notice names its complainant
            return f"{c.data['addressee']}：", party
        names = CaseParty.objects.filter(case=c.case, kind=CaseParty.Kind.COMPLAINANT).values_list(
            "party__name", flat=True
        )
        return f"{'、'.join(names) or '投诉人'}：", party
    if c.kind == K.FILING_APPROVAL:
        return "", party
    if c.kind == K.REFERRAL_LETTER:
        return f"{c.data.get('addressee') or police_name(c.office)}：", party
    if c.kind == K.ENFORCEMENT_APPLICATION:
        return f"{c.data.get('addressee') or '人民法院'}：", party
    if c.kind == K.DEPOSIT_DRAW_NOTICE:  # to the bank holding the deposit
        return f"{c.data.get('addressee') or '存储银行'}：", party
    if c.kind == K.SUPERVISION_NOTICE:
        return f"{c.data.get('addressee') or office_name(c.case.region)}：", party
    return f"{c.data.get('addressee', '')}：", party


def rights(c: Context) -> list[str]:
    return [
        f"如不服本{c.title}，可以自收到之日起六十日内向{government_name(c.office)}"
        "申请行政复议（《中华人民共和国行政复议法》第二十条），或者在六个月内依法向人民法院提起行政诉讼"
        "（《中华人民共和国行政诉讼法》第四十六条）。复议、诉讼期间，本文书不停止执行，法律另有规定的除外。"
    ]
