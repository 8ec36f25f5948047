"""The kinds of document: what each needs and cites (KindSpec), and how each is numbered (the 文号)."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Document, Region
from .offices import office_abbreviation

K = Document.Kind

LSIR = "《劳动保障监察条例》"
WPR = "《保障农民工工资支付条例》"
LCL = "《中华人民共和国劳动合同法》"
APL = "《中华人民共和国行政处罚法》"
R310 = "《行政执法机关移送涉嫌犯罪案件的规定》"
AEL = "《中华人民共和国行政强制法》"
DEP2021_DEPOSIT = "《工程建设领域农民工工资保证金规定》（人社部发〔2021〕65号）"
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
    # the defence window runs from the notice's service: it states the working days, not a date
    K.LISTING_NOTICE: KindSpec("列告", (f"{WPR}第四十八条", DL2021)),
    K.LISTING_DECISION: KindSpec("列", (f"{WPR}第四十八条", DL2021), rights=True),
    K.REMOVAL_DECISION: KindSpec("移出", (f"{WPR}第四十八条", DL2021)),  # early removal (信用修复)
    K.SUPERVISION_NOTICE: KindSpec("督", (f"{WPR}第四条、第七条",), to_employer=False, deadline=True),
    K.ACCOUNTABILITY_DECISION: KindSpec("问", (f"{WPR}第六十二条",), to_employer=False),
    # 催告 (AEL arts 35, 54): served on the party; ten days later the court may be applied to
    K.DEMAND_NOTICE: KindSpec("催", (f"{AEL}第三十五条、第五十四条",), deadline=True, ledger=True),
    # 申请人民法院强制执行 (AEL arts 53-55): addressed to the court
    K.ENFORCEMENT_APPLICATION: KindSpec(
        "执", (f"{AEL}第五十三条、第五十四条、第五十五条",), to_employer=False, ledger=True
    ),
    K.HEARING_NOTICE: KindSpec("听", (f"{APL}第六十三条、第六十四条",)),
    # the wage guarantee deposit (DEP2021): the bank pays the workers in 5 WD; the contractor tops up in 10 WD
    K.DEPOSIT_DRAW_NOTICE: KindSpec(
        "保支", (f"{WPR}第三十二条、第三十三条", DEP2021_DEPOSIT), to_employer=False, deadline=True, ledger=True
    ),
    K.DEPOSIT_TOPUP_ORDER: KindSpec("保补", (f"{WPR}第三十二条", DEP2021_DEPOSIT), deadline=True),
}
# OfficeSequence.kind holds 24 characters: the two kinds whose "doc:<kind>" is longer get a short key.
_SEQUENCE_ALIASES: dict[str, str] = {
    K.NON_ACCEPTANCE_NOTICE: "doc:non_acceptance",
    K.ENFORCEMENT_APPLICATION: "doc:enforcement_app",
    K.ACCOUNTABILITY_DECISION: "doc:accountability",
}
assert set(SPECS) == set(K.values), "every kind of document needs a KindSpec"
assert len({s.code for s in SPECS.values()}) == len(SPECS), "文号 codes must differ between kinds"


def sequence_kind(kind: str) -> str:
    """The OfficeSequence key that numbers this kind of document (one sequence per kind)."""
    return _SEQUENCE_ALIASES.get(kind, f"doc:{kind}")


def document_number_format(*, office: Region, kind: str, year: int, serial: int) -> str:
    """安源人社监令〔2026〕3号."""
    return f"{office_abbreviation(office)}人社监{SPECS[kind].code}〔{year}〕{serial}号"
