"""The deposit's rules (工资保证金, WPR art 32, DEP2021): what the deposits app finds for a project and month
(deposits.selectors.deposit_findings — deposits sits below this app and never imports it) as findings of the
monthly check, per project (check) and over the month's project set (check_many,
deposits.selectors.deposit_findings_many). A deposit not made after its 20 working days (row 53) and a top-up
missed after a drawdown (row 55) are orange and red; a deposit made late and a bank guarantee about to expire
are yellow."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from deposits import selectors as deposit_selectors
from projects.models import ProjectUnit

from ..rules import rule_register
from .base import LEVEL, Finding, MonthData
from .monthset import Found, MonthSet

DEPOSIT_MISSING = rule_register(
    deposit_selectors.MISSING,
    _("工资保证金逾期未存储"),
    _("《保障农民工工资支付条例》第三十二条；《工程建设领域农民工工资保证金规定》：开工前或合同签订后20个工作日内存储"),
)
DEPOSIT_LATE = rule_register(
    deposit_selectors.LATE_DEPOSIT,
    _("工资保证金逾期存储"),
    _("《工程建设领域农民工工资保证金规定》：20个工作日内存储"),
)
GUARANTEE_EXPIRING = rule_register(
    deposit_selectors.GUARANTEE_EXPIRING,
    _("替代保证金的银行保函即将到期"),
    _("《工程建设领域农民工工资保证金规定》：保函有效期须覆盖工程期间"),
)
TOPUP_MISSED = rule_register(
    deposit_selectors.TOPUP_MISSED,
    _("动用工资保证金后逾期未补足"),
    _("《工程建设领域农民工工资保证金规定》：动用后10个工作日内补足"),
)
# (level, one signal for the project rather than one a month)
_HOW = {
    deposit_selectors.MISSING: (LEVEL.ORANGE, False),
    deposit_selectors.LATE_DEPOSIT: (LEVEL.YELLOW, True),
    deposit_selectors.GUARANTEE_EXPIRING: (LEVEL.YELLOW, False),
    deposit_selectors.TOPUP_MISSED: (LEVEL.RED, True),
}

CODES = tuple(_HOW)


def check(data: MonthData) -> list[Finding]:
    general = next((u for u in data.units.values() if u.role == ProjectUnit.Role.GENERAL), None)
    found = []
    for f in deposit_selectors.deposit_findings(data.project, data.month):
        level, monthly = _HOW[f.kind]
        found.append(Finding(f.kind, level, unit=general, monthly=monthly, amount=f.amount,
                             evidence={"on": f.on.isoformat(), "amount": str(f.amount), "text": f.text}))  # fmt: skip
    return found


def check_many(ms: MonthSet) -> list[Found]:
    """The set-based form: deposits.selectors.deposit_findings_many over the month's project set."""
    found = []
    for f in deposit_selectors.deposit_findings_many(ms.projects, ms.month):
        level, monthly = _HOW[f.kind]
        found.append(Found(f.project_id, f.kind, level, ms.general.get(f.project_id), monthly=monthly, amount=f.amount,
                           evidence={"on": f.on.isoformat(), "amount": str(f.amount), "text": f.text}))  # fmt: skip
    return found
