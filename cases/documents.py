"""文书: issuing numbered documents (文号) as PDF, their service (送达), and reading them back (SPEC §3, §4).

Services follow style.md §5: keyword-only, `actor` explicit, one transaction, one timeline event.

`document_issue(case=, kind=, actor=, role=, data=)` takes the facts the flow step knows in `data`
(JSON-serialisable after normalisation; dates may be `date` objects or ISO strings):

- ``facts``: str or list of str — the facts found (违法事实 / 案件事实);
- ``due_date``: the deadline of notices, orders and supervision (orders to pay / correct default to
  ``case.order_due``, and must agree with it);
- ``basis``: str or list of str — replaces the kind's default legal basis;
- ``reason``: why (non-acceptance, withdrawal, listing, accountability);
- ``addressee``: who the document is addressed to when that is not the employer (referral letter: the
  police; accountability decision: the office or official);
- ``decision``: the operative part of a handling decision; ``measure``: of an accountability decision;
- ``penalty_amount`` / ``compensation_rate``: fall-backs for ``case.penalty_amount`` / ``case.compensation_rate``;
- ``place``, ``materials`` (inquiry notice), ``report_interval`` (supervision notice, working days),
  ``contact`` (any kind: the office's contact line).

The PDF text is the legal document itself and is always rendered in Chinese.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import timeline
from .models import ArrearsEntry, Case, CaseParty, Document, Evidence, Region, ServiceRecord
from .services import office_number_next
from .values import LOCAL_TZ, yuan, yuan_text

K = Document.Kind

# --- the issuing office: names and the 文号 ------------------------------------------------------

PROVINCE_ABBREVIATIONS = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉", "23": "黑",
    "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫",
    "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼", "50": "渝", "51": "川", "52": "黔",
    "53": "云", "54": "藏", "61": "陕", "62": "甘", "63": "青", "64": "宁", "65": "新", "71": "台",
    "81": "港", "82": "澳",
}  # fmt: skip
# The peoples named in autonomous regions, prefectures, counties and banners (自治区/州/县/旗).
_PEOPLES = (
    "维吾尔 柯尔克孜 乌孜别克 鄂伦春 鄂温克 达斡尔 塔吉克 塔塔尔 哈萨克 俄罗斯 土家 布依 哈尼 傈僳 拉祜 东乡 "
    "纳西 景颇 仫佬 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 朝鲜 德昂 保安 裕固 独龙 赫哲 门巴 珞巴 基诺 蒙古 "
    "壮 回 藏 苗 彝 侗 瑶 白 傣 黎 佤 畲 水 土 羌 怒 京 满 各"
).split()
_AUTONOMOUS = re.compile(rf"(?:(?:{'|'.join(_PEOPLES)})族?)+自治(?:区|州|县|旗)$")
_SUFFIXES = ("特别行政区", "林区", "地区", "市", "区", "县", "旗", "盟", "州")


def _base_abbreviation(region: Region) -> str:
    if region.level == Region.Level.PROVINCE and region.code[:2] in PROVINCE_ABBREVIATIONS:
        return PROVINCE_ABBREVIATIONS[region.code[:2]]
    name = region.name
    stripped = _AUTONOMOUS.sub("", name)
    if len(stripped) >= 2 and stripped != name:
        return stripped
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def office_abbreviation(region: Region) -> str:
    """The office's short name in a 文号: 安源区→安源, 萍乡市→萍乡, 江西省→赣.

    文号 are unique nationwide, so where two offices would share a short name (朝阳区 in 北京 and in 长春,
    和平区 and 和平县, the many 城区) the parent's short name goes in front: 京朝阳, 长春朝阳.
    """
    base = _base_abbreviation(region)
    others = Region.objects.filter(name__startswith=base).exclude(pk=region.pk)
    if region.parent_id and any(_base_abbreviation(r) == base for r in others):
        return _base_abbreviation(region.parent) + base
    return base


def _local_name(region: Region) -> str:
    """The name an office of this region goes by: districts, counties and banners carry their city's name."""
    parent = region.parent
    if region.level == Region.Level.COUNTY and parent is not None and not region.name.endswith("市"):
        return parent.name + region.name
    return region.name


def office_name(region: Region) -> str:
    """萍乡市安源区人力资源和社会保障局, 萍乡市人力资源和社会保障局, 江西省人力资源和社会保障厅."""
    municipality = region.level == Region.Level.PROVINCE and region.name.endswith("市")
    bureau = "厅" if region.level == Region.Level.PROVINCE and not municipality else "局"
    return f"{_local_name(region)}人力资源和社会保障{bureau}"


def government_name(region: Region) -> str:
    """The people's government at the office's level (行政复议机关 since the 2023 行政复议法, art 24)."""
    return f"{_local_name(region)}人民政府"


def police_name(region: Region) -> str:
    """The public security organ at the office's level (a district's is a branch of its city's)."""
    parent = region.parent
    if region.level == Region.Level.COUNTY and parent is not None and region.name.endswith("区"):
        return f"{parent.name}公安局{_base_abbreviation(region)}分局"
    return f"{region.name}公安厅" if region.level == Region.Level.PROVINCE else f"{region.name}公安局"


def procuratorate_name(region: Region) -> str:
    return f"{_local_name(region)}人民检察院"


# --- what each kind of document says ---------------------------------------------------------------

LSIR = "《劳动保障监察条例》"
WPR = "《保障农民工工资支付条例》"
LCL = "《中华人民共和国劳动合同法》"
APL = "《中华人民共和国行政处罚法》"
R310 = "《行政执法机关移送涉嫌犯罪案件的规定》"
DL2021 = "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》（人力资源社会保障部令第45号）"


@dataclass(frozen=True)
class KindSpec:
    code: str  # the character(s) in the 文号: 安源人社监令〔2026〕3号
    basis: tuple[str, ...]  # default legal basis
    to_employer: bool = True  # addressed to the employer (else to the addressee in data / the complainants)
    deadline: bool = False  # needs a due date
    rights: bool = False  # tells the party of 行政复议 (60 days) and 行政诉讼 (6 months)
    ledger: bool = False  # lists the arrears per worker


SPECS: dict[str, KindSpec] = {
    K.ACCEPTANCE_NOTICE: KindSpec("受", (f"{LSIR}第九条、第十四条",), to_employer=False),
    K.NON_ACCEPTANCE_NOTICE: KindSpec("不受", (f"{LSIR}第九条、第二十条、第二十一条",), to_employer=False),
    K.FILING_APPROVAL: KindSpec("审", (f"{LSIR}第十三条、第十四条",), to_employer=False),
    K.INQUIRY_NOTICE: KindSpec("询", (f"{LSIR}第十五条第一款第（三）项",), deadline=True),
    K.ORDER_TO_CORRECT: KindSpec(
        "改", (f"{LSIR}第十八条第一款第（二）项", f"{WPR}第五十四条"), deadline=True, rights=True
    ),
    K.ORDER_TO_PAY: KindSpec(
        "令", (f"{LSIR}第二十六条", f"{LCL}第八十五条", f"{WPR}第五十三条"), deadline=True, rights=True, ledger=True
    ),
    K.PRE_DECISION_NOTICE: KindSpec("告", (f"{APL}第四十四条、第四十五条、第六十三条、第六十四条", f"{LSIR}第十九条")),
    K.HANDLING_DECISION: KindSpec(
        "决", (f"{LSIR}第十八条第一款第（二）项、第二十六条", f"{LCL}第八十五条"), rights=True, ledger=True
    ),
    K.PENALTY_DECISION: KindSpec("罚", (f"{LSIR}第十八条第一款第（一）项、第三十条第一款第（三）项",), rights=True),
    K.COMPENSATION_ORDER: KindSpec("赔", (f"{LSIR}第二十六条", f"{LCL}第八十五条"), rights=True, ledger=True),
    K.WITHDRAWAL_DECISION: KindSpec("撤", (f"{LSIR}第十八条第一款第（三）项",)),
    K.REFERRAL_LETTER: KindSpec(
        "移",
        ("《中华人民共和国刑法》第二百七十六条之一", f"{R310}第三条、第六条", f"{WPR}第四十一条第二款"),
        to_employer=False,
        ledger=True,
    ),
    K.LISTING_NOTICE: KindSpec("列告", (f"{WPR}第四十八条", DL2021), deadline=True),
    K.LISTING_DECISION: KindSpec("列", (f"{WPR}第四十八条", DL2021), rights=True),
    K.SUPERVISION_NOTICE: KindSpec("督", (f"{WPR}第四条、第七条",), to_employer=False, deadline=True),
    K.ACCOUNTABILITY_DECISION: KindSpec("问", (f"{WPR}第六十二条",), to_employer=False),
}
# OfficeSequence.kind holds 24 characters: the two kinds whose "doc:<kind>" is longer get a short key.
_SEQUENCE_ALIASES = {K.NON_ACCEPTANCE_NOTICE: "doc:non_acceptance", K.ACCOUNTABILITY_DECISION: "doc:accountability"}
assert set(SPECS) == set(K.values), "every kind of document needs a KindSpec"
assert len({s.code for s in SPECS.values()}) == len(SPECS), "文号 codes must differ between kinds"


def sequence_kind(kind: str) -> str:
    """The OfficeSequence key that numbers this kind of document (one sequence per kind)."""
    return _SEQUENCE_ALIASES.get(kind, f"doc:{kind}")


def document_number_format(*, office: Region, kind: str, year: int, serial: int) -> str:
    """安源人社监令〔2026〕3号."""
    return f"{office_abbreviation(office)}人社监{SPECS[kind].code}〔{year}〕{serial}号"


# --- rendering ---------------------------------------------------------------------------------------

FONT = "STSong-Light"


def _cn_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _lines(value) -> list[str]:
    if not value:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _as_date(value, field_name: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value, LOCAL_TZ).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValidationError({field_name: _("日期格式应为 YYYY-MM-DD。")})


@dataclass
class _Worker:
    name: str
    owed: Decimal
    paid: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.owed - self.paid


@dataclass
class _Context:
    case: Case
    office: Region
    kind: str
    number: str
    title: str
    data: dict
    issued_on: date
    due: date | None
    workers: list[_Worker] = field(default_factory=list)

    @property
    def employer(self):
        return self.case.employer

    @property
    def owed(self) -> Decimal:
        if self.workers:
            return sum((w.owed for w in self.workers), Decimal("0"))
        return self.case.amount_owed

    @property
    def outstanding(self) -> Decimal:
        if self.workers:
            return sum((w.outstanding for w in self.workers), Decimal("0"))
        return self.case.amount_owed - self.case.amount_paid

    @property
    def workers_count(self) -> int:
        return len(self.workers) or self.case.workers_count

    @property
    def arrears(self) -> str:
        """拖欠<project>N名劳动者工资共计X元."""
        project = f"在“{self.case.project.name}”项目中" if self.case.project else ""
        return f"{project}拖欠{self.workers_count}名劳动者工资共计{yuan_text(self.outstanding)}"

    @property
    def penalty(self) -> str:
        amount = self.case.penalty_amount if self.case.penalty_amount is not None else self.data.get("penalty_amount")
        return yuan_text(Decimal(str(amount))) if amount not in (None, "") else ""

    @property
    def compensation_rate(self) -> int:
        return int(self.case.compensation_rate or self.data.get("compensation_rate") or self.data.get("rate") or 0)

    @property
    def facts(self) -> list[str]:
        return _lines(self.data.get("facts")) or [
            f"经查，你单位{self.arrears}，违反了{WPR}第三条及《中华人民共和国劳动法》第五十条的规定。"
        ]


def _ledger(case: Case) -> list[_Worker]:
    rows = (
        ArrearsEntry.objects.filter(case=case)
        .values("worker_id", "worker__name")
        .annotate(owed=Sum("amount_owed"), paid=Sum("amount_paid"))
        .order_by("worker__name", "worker_id")
    )
    return [_Worker(r["worker__name"], r["owed"], r["paid"]) for r in rows]


def _amount(value, default: Decimal) -> Decimal:
    """An amount given in `data` (as computed by the calling service), else the default."""
    try:
        return Decimal(str(value)) if value not in (None, "") else default
    except ArithmeticError:
        return default


def _due(c: _Context) -> str:
    return _cn_date(c.due) if c.due else ""


def _body(c: _Context) -> list[str]:
    """The operative paragraphs of each kind of document."""
    e = c.employer
    d = c.data
    reason = str(d.get("reason", ""))
    if c.kind == K.ACCEPTANCE_NOTICE:
        return [
            f"你（们）反映{e.name}{c.arrears}一事，经审查，符合受理条件，本局决定予以受理并立案调查"
            f"（案件编号：{c.case.case_no}）。",
            "本局将自立案之日起60个工作日内完成调查；情况复杂的，经本局负责人批准，可以延长30个工作日。"
            "调查期间请保持通讯畅通，如实提供相关证据材料。",
        ]
    if c.kind == K.NON_ACCEPTANCE_NOTICE:
        return [
            f"你（们）反映{e.name}拖欠工资一事，经审查，不符合劳动保障监察投诉受理条件，本局决定不予受理。",
            f"理由：{reason}",
        ]
    if c.kind == K.FILING_APPROVAL:
        return [
            f"案件编号：{c.case.case_no}；案件来源：{c.case.get_origin_display()}；"
            f"涉及劳动者{c.workers_count}人，涉及金额{yuan_text(c.owed)}。",
            *_lines(d.get("facts")),
            f"{e.name}涉嫌{c.arrears}，需要进一步调查处理，拟予立案。",
            f"承办人意见：建议立案。　　负责人审批意见：{d.get('opinion') or '同意立案'}。（审批日期即立案日期）",
        ]
    if c.kind == K.INQUIRY_NOTICE:
        materials = _lines(d.get("materials")) or [
            "营业执照副本及法定代表人身份证明",
            "劳动合同及职工名册",
            "工资支付台账、工资清单及银行代发记录（近两年）",
            "考勤记录",
            "工程施工合同及农民工工资专用账户资料",
        ]
        place = d.get("place") or office_name(c.office)
        return [
            f"因调查你单位涉嫌{c.arrears}一案，根据{LSIR}第十五条的规定，请你单位法定代表人或委托代理人"
            f"于{_due(c)}前，携带下列材料到{place}接受调查询问：",
            *[f"{i}．{m}" for i, m in enumerate(materials, 1)],
            f"无理抗拒、阻挠劳动保障监察，或者不按要求报送书面材料、隐瞒事实真相、出具伪证、隐匿或者毁灭证据的，"
            f"本局将依照{LSIR}第三十条的规定予以处罚。",
        ]
    if c.kind == K.ORDER_TO_CORRECT:
        return [
            *c.facts,
            f"现责令你单位于{_due(c)}前改正上述违法行为，并将改正情况书面报送本局。",
            f"逾期不改正的，本局将依照{WPR}、{LSIR}第三十条等规定依法处理。",
        ]
    if c.kind == K.ORDER_TO_PAY:
        return [
            *c.facts,
            f"现责令你单位于{_due(c)}前向上述劳动者足额支付拖欠的工资共计{yuan_text(c.outstanding)}"
            "（明细见下表），并将支付凭证报送本局。",
            "逾期不支付的，本局将责令你单位按应付金额50%以上100%以下的标准向劳动者加付赔偿金，依法予以处罚，"
            "并依法申请人民法院强制执行；以转移财产、逃匿等方法逃避支付或者有能力支付而不支付，数额较大的，"
            "将依法移送公安机关追究刑事责任；情节严重的，将列入拖欠农民工工资失信联合惩戒对象名单。",
        ]
    if c.kind == K.PRE_DECISION_NOTICE:
        return [
            *c.facts,
            f"本局拟对你单位作出如下行政处罚：{_proposed_penalty(c)}。",
            f"根据{APL}第四十四条、第四十五条的规定，你单位有权进行陈述和申辩；符合{APL}第六十三条规定情形的，"
            "有权要求举行听证。请于收到本告知书之日起五个工作日内向本局提出；逾期未提出的，视为放弃上述权利。",
        ]
    if c.kind == K.HANDLING_DECISION:
        default = f"责令你单位向上述劳动者支付拖欠的工资共计{yuan_text(c.outstanding)}"
        decision = d.get("decision") or default + (f"，于{_due(c)}前履行完毕" if c.due else "")
        return [
            *c.facts,
            f"本局决定：{decision}。",
            f"你单位拒不履行本决定的，本局将依照{LSIR}第三十条的规定予以处罚，并依法申请人民法院强制执行。",
        ]
    if c.kind == K.PENALTY_DECISION:
        return [
            *c.facts,
            *[f"证据：{ev}" for ev in _evidence_list(c.case)],
            f"本局决定对你单位处以罚款{c.penalty}。",
            f"你单位应当自收到本决定书之日起十五日内，到指定银行或者通过电子支付系统缴纳罚款（{APL}第六十七条）。"
            f"到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额（{APL}第七十二条）。",
        ]
    if c.kind == K.COMPENSATION_ORDER:
        rate = c.compensation_rate
        outstanding = _amount(d.get("outstanding"), c.outstanding)
        amount = _amount(d.get("compensation"), yuan(outstanding * rate / 100))
        return [
            *c.facts,
            f"你单位逾期未按本局限期支付的要求支付劳动者工资（尚欠{yuan_text(outstanding)}）。"
            f"本局决定责令你单位按应付金额的{rate}%向劳动者加付赔偿金共计{yuan_text(amount)}，"
            f"连同拖欠的工资{f'于{_due(c)}前' if c.due else '立即'}一并支付。",
        ]
    if c.kind == K.WITHDRAWAL_DECISION:
        filed = _cn_date(timezone.localtime(c.case.filed_at, LOCAL_TZ).date())
        return [f"本局于{filed}对你单位立案调查（案件编号：{c.case.case_no}）。经查，{reason}", "本局决定撤销立案。"]
    if c.kind == K.REFERRAL_LETTER:
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
            *[line for title, key in parts if d.get(key) for line in (title, *_lines(d[key]))],
            f"抄送：{d.get('procuratorate') or procuratorate_name(c.office)}",
        ]
    if c.kind == K.LISTING_NOTICE:
        return [
            *c.facts,
            "你单位上述行为符合列入拖欠农民工工资失信联合惩戒对象名单的情形"
            f"（{reason or '拖欠数额达到规定标准且逾期未支付'}），"
            "本局拟将你单位及其法定代表人或者主要负责人、直接负责的主管人员和其他直接责任人员列入失信联合惩戒对象名单。",
            f"你单位有权进行陈述和申辩，请于{_due(c)}前向本局书面提出；逾期未提出的，视为放弃。",
        ]
    if c.kind == K.LISTING_DECISION:
        return [
            *c.facts,
            "本局决定将你单位及其法定代表人或者主要负责人、直接负责的主管人员和其他直接责任人员列入拖欠农民工工资"
            "失信联合惩戒对象名单，期限为3年，自本决定作出之日起计算，期间在政府资金支持、政府采购、招投标、融资贷款、"
            "市场准入、税收优惠、评优评先、交通出行等方面依法依规予以限制。",
            "你单位改正违法行为满6个月，可以书面作出信用承诺，向本局申请提前移出名单。",
        ]
    if c.kind == K.SUPERVISION_NOTICE:
        interval = d.get("report_interval") or 5
        return [
            f"{office_name(c.case.region)}承办的{e.name}{c.arrears}一案（案件编号：{c.case.case_no}），"
            f"{reason or '案情重大'}，本局决定予以挂牌督办。",
            f"请你局于{_due(c)}前依法办结，每{interval}个工作日书面报告一次办理进展；办结后报送结案材料，申请销号。"
            "逾期未办结的，本局将予以通报，并依照有关规定启动问责程序。",
        ]
    if c.kind == K.ACCOUNTABILITY_DECISION:
        return [
            f"在办理{e.name}{c.arrears}一案（案件编号：{c.case.case_no}）中，{reason}",
            f"本局决定：{d.get('measure', '')}。",
        ]
    raise AssertionError(c.kind)


def _proposed_penalty(c: _Context) -> str:
    proposed = c.data.get("proposed_penalty")
    if proposed in (None, ""):
        return f"罚款{c.penalty}"
    amount = _amount(proposed, Decimal("-1"))
    return f"罚款{yuan_text(amount)}" if amount >= 0 else str(proposed)


def _evidence_list(case: Case) -> list[str]:
    return [ev.description or ev.original_name for ev in Evidence.objects.filter(case=case).order_by("uploaded_at")]


def _addressee(c: _Context) -> tuple[str, list[str]]:
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
        names = CaseParty.objects.filter(case=c.case, kind=CaseParty.Kind.COMPLAINANT).values_list(
            "party__name", flat=True
        )
        return f"{c.data.get('addressee') or '、'.join(names) or '投诉人'}：", party
    if c.kind == K.FILING_APPROVAL:
        return "", party
    if c.kind == K.REFERRAL_LETTER:
        return f"{c.data.get('addressee') or police_name(c.office)}：", party
    if c.kind == K.SUPERVISION_NOTICE:
        return f"{c.data.get('addressee') or office_name(c.case.region)}：", party
    return f"{c.data.get('addressee', '')}：", party


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


def _ledger_table(c: _Context, s):
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


def _rights(c: _Context) -> list[str]:
    return [
        f"如不服本{c.title}，可以自收到之日起六十日内向{government_name(c.office)}"
        "申请行政复议（《中华人民共和国行政复议法》第二十条），或者在六个月内依法向人民法院提起行政诉讼"
        "（《中华人民共和国行政诉讼法》第四十六条）。复议、诉讼期间，本文书不停止执行，法律另有规定的除外。"
    ]


def render_pdf(c: _Context) -> bytes:
    """The document as PDF: the issuing office, title, 文号, addressee, body, basis, rights, date and seal."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    s = _styles()
    spec = SPECS[c.kind]

    def para(text: str, style: str = "body"):
        return Paragraph(escape(text), s[style])

    to, party = _addressee(c)
    story = [para(office_name(c.office), "office"), para(c.title, "title"), para(c.number, "number")]
    if to:
        story.append(para(to, "plain"))
    story += [para(line, "plain") for line in party]
    story.append(Spacer(1, 3 * mm))
    story += [para(line) for line in _body(c)]
    if spec.ledger and c.workers:
        story += [Spacer(1, 2 * mm), _ledger_table(c, s), Spacer(1, 2 * mm)]
    basis = _lines(c.data.get("basis")) or list(spec.basis)
    story.append(para("依据：" + "；".join(basis) + "。"))
    if spec.rights:
        story += [para(line) for line in _rights(c)]
    if c.data.get("contact"):
        story.append(para(f"联系方式：{c.data['contact']}"))
    story += [
        Spacer(1, 12 * mm),
        para(office_name(c.office), "sign"),
        para("（印章）", "sign"),
        para(_cn_date(c.issued_on), "sign"),
    ]

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


# --- services ----------------------------------------------------------------------------------------


def _validate_issue(case: Case, kind: str, office: Region, data: dict, due: date | None) -> None:
    spec = SPECS[kind]
    if office.pk != case.region_id and not case.region.path.startswith(office.path):
        raise ValidationError({"office": _("制发机构须为案件承办机构或其上级机构。")})
    if spec.deadline and due is None:
        raise ValidationError({"due_date": _("该文书须载明期限（due_date）。")})
    required = {
        K.NON_ACCEPTANCE_NOTICE: "reason",
        K.WITHDRAWAL_DECISION: "reason",
        K.ACCOUNTABILITY_DECISION: "measure",
    }
    if kind in required and not str(data.get(required[kind], "")).strip():
        raise ValidationError({required[kind]: _("该文书须载明此项内容。")})
    if kind == K.ACCOUNTABILITY_DECISION and not str(data.get("addressee", "")).strip():
        raise ValidationError({"addressee": _("问责决定书须载明被问责的单位或人员。")})
    if kind == K.PENALTY_DECISION and case.penalty_amount is None:
        try:
            if Decimal(str(data.get("penalty_amount"))) <= 0:
                raise ArithmeticError
        except ArithmeticError:  # decimal.InvalidOperation too
            raise ValidationError({"penalty_amount": _("行政处罚决定书须载明罚款金额。")})
    if kind == K.COMPENSATION_ORDER:
        try:
            rate = int(case.compensation_rate or data.get("compensation_rate") or data.get("rate"))
        except (TypeError, ValueError):
            rate = 0
        if not 50 <= rate <= 100:
            raise ValidationError({"compensation_rate": _("加付赔偿金比例须在50%至100%之间。")})


def _due_date(case: Case, kind: str, data: dict) -> date | None:
    given = _as_date(data.get("due_date"), "due_date")
    if kind in (K.ORDER_TO_PAY, K.ORDER_TO_CORRECT) and case.order_due:
        if given is not None and given != case.order_due:
            raise ValidationError({"due_date": _("期限与案件记录的限期（order_due）不一致。")})
        return case.order_due
    return given


def _store(document: Document, pdf: bytes, year: int) -> None:
    """Save the PDF with the default storage (MEDIA_ROOT), under documents/<year>/."""
    name = f"{document.region.code}-{year}-{document.kind}-{document.serial:05d}.pdf"
    document.file.save(name, ContentFile(pdf), save=False)


@transaction.atomic
def document_issue(
    *,
    case: Case,
    kind: str,
    actor,
    role: str,
    data: dict,
    at: datetime | None = None,
    office: Region | None = None,
) -> Document:
    """Number (文号), render, store and record one document of `case`.

    `office` is the issuing office: the case's handling office unless a superior office issues it
    (a supervision notice, an accountability decision). The number comes from the office's sequence of
    this kind for the Shanghai-local year of `at`, in this transaction: no gap, no duplicate.
    """
    if kind not in SPECS:
        raise ValidationError({"kind": _("未知的文书种类：%(kind)s") % {"kind": kind}})
    if not isinstance(data, dict):
        raise ValidationError({"data": _("文书内容须为字典。")})
    at = at or timezone.now()
    if timezone.is_naive(at):
        at = timezone.make_aware(at, LOCAL_TZ)
    office = office or case.region
    due = _due_date(case, kind, data)  # before normalising: a datetime deadline is a Shanghai date
    data = timeline.normalise({**data, "due_date": due} if due else data)
    _validate_issue(case, kind, office, data, due)

    # Lock the case before the number: every issuer takes the locks in the same order (case, sequence).
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").get()
    issued_on = timezone.localtime(at, LOCAL_TZ).date()
    year = issued_on.year
    serial = office_number_next(region=office, kind=sequence_kind(kind), year=year)
    number = document_number_format(office=office, kind=kind, year=year, serial=serial)
    with translation.override("zh-hans"):
        title = str(K(kind).label)
    context = _Context(
        case=case,
        office=office,
        kind=kind,
        number=number,
        title=title,
        data=data,
        issued_on=issued_on,
        due=due,
        workers=_ledger(case) if SPECS[kind].ledger else [],
    )
    pdf = render_pdf(context)
    document = Document(
        case=case,
        kind=kind,
        region=office,
        year=year,
        serial=serial,
        number=number,
        title=title,
        data=data,
        sha256=hashlib.sha256(pdf).hexdigest(),
        issued_by=actor,
        issued_at=at,
    )
    _store(document, pdf, year)
    document.save(force_insert=True)
    timeline.record(
        case,
        "document.issued",
        actor=actor,
        role=role,
        data={
            "document_id": document.pk,
            "number": number,
            "kind": kind,
            "title": title,
            "sha256": document.sha256,
            "office": office.code,
            "issued_at": at,
            "due_date": due,
        },
    )
    return document


def document_pdf_bytes(document: Document) -> bytes:
    """The stored PDF, as issued (raises FileNotFoundError if the file is gone)."""
    with document.file.open("rb") as f:
        return f.read()


def document_verify(document: Document) -> bool:
    """True if the stored file still hashes to the SHA-256 recorded at issue."""
    try:
        digest = hashlib.sha256(document_pdf_bytes(document)).hexdigest()
    except (FileNotFoundError, OSError, ValueError):
        return False
    return hmac.compare_digest(digest, document.sha256)


def _is_photo_or_video(evidence: Evidence) -> bool:
    return evidence.content_type.split("/", 1)[0].lower() in {"image", "video"}


@transaction.atomic
def document_serve(
    *,
    document: Document,
    method: str,
    served_at: datetime,
    recipient: str,
    actor,
    role: str,
    proof: Evidence | None = None,
) -> ServiceRecord:
    """Record how and when a document reached the party (送达).

    Posting (公告/张贴送达) needs photo or video proof from the same case (SPEC §4.4: an order to pay
    "served, or posted with photo/video proof").
    """
    errors: dict[str, str] = {}
    if method not in ServiceRecord.Method.values:
        errors["method"] = _("未知的送达方式。")
    if not isinstance(served_at, datetime):
        errors["served_at"] = _("请填写送达时间。")
    else:
        if timezone.is_naive(served_at):
            served_at = timezone.make_aware(served_at, LOCAL_TZ)
        if served_at > timezone.now():
            errors["served_at"] = _("送达时间不能晚于当前时间。")
        elif served_at < document.issued_at:
            errors["served_at"] = _("送达时间不能早于文书签发时间。")
    recipient = (recipient or "").strip()
    if not recipient:
        errors["recipient"] = _("请填写受送达人。")
    if proof is not None and proof.case_id != document.case_id:
        errors["proof"] = _("送达凭证须为本案的证据。")
    elif method == ServiceRecord.Method.POSTED and (proof is None or not _is_photo_or_video(proof)):
        errors["proof"] = _("公告（张贴）送达须附张贴现场的照片或录像作为凭证。")
    if errors:
        raise ValidationError(errors)
    record = ServiceRecord.objects.create(
        document=document,
        method=method,
        served_at=served_at,
        recipient=recipient[:200],
        proof=proof,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    timeline.record(
        document.case,
        "document.served",
        actor=actor,
        role=role,
        data={
            "document_id": document.pk,
            "number": document.number,
            "method": method,
            "served_at": served_at,
            "recipient": record.recipient,
            "proof": proof.sha256 if proof else None,
        },
    )
    return record


# --- selectors ---------------------------------------------------------------------------------------


def documents_for(case: Case) -> QuerySet[Document]:
    """The case's documents in the order they were issued, with their service records."""
    services = ServiceRecord.objects.select_related("proof", "recorded_by").order_by("served_at", "id")
    return (
        Document.objects.filter(case=case)
        .select_related("case", "region")
        .prefetch_related(Prefetch("services", queryset=services))
        .order_by("issued_at", "id")
    )
