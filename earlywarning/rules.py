"""Every rule a signal can cite: its code (stored on the signal, never shown), its title in Chinese and its
legal or plan reference. The monthly check's rules (earlywarning.checks) and the other sources' rules are
listed here; a rule added later (the deposits rule after the deposits app lands) adds its entry with
`rule_register` from its own module."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RuleInfo:
    code: str
    title: object  # a lazy translation
    reference: object


RULES: dict[str, RuleInfo] = {}


def rule_register(code: str, title, reference) -> RuleInfo:
    info = RuleInfo(code, title, reference)
    RULES[code] = info
    return info


def rule_title(code: str) -> str:
    info = RULES.get(code)
    return str(info.title) if info else str(_("其他预警情形"))


def rule_reference(code: str) -> str:
    info = RULES.get(code)
    return str(info.reference) if info else ""


# the monthly check (earlywarning.checks)
LABOUR_COST_LATE = rule_register(
    "labour_cost_late",
    _("人工费用未按月足额拨付至工资专用账户"),
    _("《保障农民工工资支付条例》第二十四条；人工费用拨付周期不得超过1个月"),
)
WAGE_SHEET_MISSING = rule_register(
    "wage_sheet_missing", _("有考勤但未编制工资支付表"), _("《保障农民工工资支付条例》第十五条、第三十一条")
)
UNPAID_WORKERS = rule_register(
    "unpaid_workers", _("有考勤的实名制人员当月无工资发放记录"), _("《保障农民工工资支付条例》第三十一条")
)
PAID_BELOW_SHEET = rule_register(
    "paid_below_sheet", _("实发工资低于工资支付表应发金额"), _("《保障农民工工资支付条例》第十五条")
)
BELOW_MINIMUM_WAGE = rule_register(
    "below_minimum_wage", _("实发工资低于当地最低工资标准"), _("《最低工资规定》；本省最低工资标准")
)
NOT_VIA_ACCOUNT = rule_register(
    "not_via_account", _("工资未通过工资专用账户发放"), _("《保障农民工工资支付条例》第二十六条")
)
NOT_BY_GENERAL = rule_register(
    "not_by_general", _("实行总包代发的项目由分包单位自行发放工资"), _("《保障农民工工资支付条例》第三十一条")
)
ACCOUNT_NOT_OPENED = rule_register(
    "account_not_opened",
    _("施工合同签订后逾期未开设工资专用账户"),
    _("《工程建设领域农民工工资专用账户管理暂行办法》：合同签订之日起30日内开立"),
)
NOTICE_BOARD_MISSING = rule_register(
    "notice_board_missing", _("施工现场未设置维权信息告示牌"), _("《保障农民工工资支付条例》第三十四条")
)
# data quality of the real-name records (earlywarning.checks.quality)
CONTRACT_MISSING = rule_register(
    "contract_missing",
    _("有考勤的实名制人员未登记劳动合同签订日期"),
    _("《保障农民工工资支付条例》第二十八条：先签订劳动合同并进行用工实名登记，再进入项目现场施工"),
)
DOUBLE_PAID = rule_register(
    "double_paid",
    _("同一人员同月在两个项目领取工资"),
    _("《保障农民工工资支付条例》第二十八条、第三十一条：实名制管理与工资支付数据核对（数据质量）"),
)
# the other sources (earlywarning.sources)
COMPLAINT_CLUSTER = rule_register(
    "complaint_cluster", _("同一项目或单位短期内投诉集中"), _("江西省治欠保支三年行动计划 二（二）欠薪预警")
)
UNIT_LISTED = rule_register("unit_listed", _("参建单位被列入拖欠农民工工资失信联合惩戒对象名单"), _("人社部令第45号"))
UNIT_OPEN_CASES = rule_register(
    "unit_open_cases", _("参建单位在其他地区有在办欠薪案件"), _("江西省治欠保支三年行动计划 二（七）")
)
PROJECT_STOPPED = rule_register("project_stopped", _("在建项目停工"), _("江西省治欠保支三年行动计划 二（二）"))
MANUAL = rule_register("manual", _("人工录入的预警线索"), _("日常巡查、媒体报道或热线反映"))
