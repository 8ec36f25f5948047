"""The kinds of deadline (SPEC §5, domain-rules §2): each kind's Rule — its length, unit, legal basis, the
event that starts it and its warning — in one registry, RULES, that feature modules extend (rules_register)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Deadline

Unit = Deadline.Unit
State = Deadline.State

D25 = "《关于实施〈劳动保障监察条例〉若干规定》"
LSIR = "《劳动保障监察条例》"
R310 = "《行政执法机关移送涉嫌犯罪案件的规定》"
DL2021 = "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》"
PROVINCE_CONFIG = "（省级配置，默认值）"


@dataclass(frozen=True)
class Rule:
    title: Any  # a lazy (translatable) string; stored in Chinese on the deadline
    length: int
    unit: str
    legal_basis: str
    start_event: str
    warn_before: int  # in `unit`; 0 = no warning
    max_extensions: int | None = None  # None = unlimited
    # A calendar-day period whose last day is a rest day or holiday ends on the next working day (times.days_end).
    # False for a term the decision fixes to a date (the listing's 3 years), not a period for doing something.
    holiday_rolls: bool = True
    # The party's own window (a statement, a hearing request, paying a fine, its remedies): when it runs out it
    # has ended (已届满) — never overdue, never in overdue statistics or accountability.
    party: bool = False


RULES: dict[str, Rule] = {
    # domain-rules §2 row 1 [S]
    "intake.acceptance": Rule(
        gettext_lazy("投诉受理期限"), 5, Unit.WORKING_DAYS, f"{D25}第十八条", "complaint.received", 1
    ),
    # rows 4-5 [V]: 60 WD from filing, +30 WD once with the head's approval
    "investigation.complete": Rule(
        gettext_lazy("调查期限"), 60, Unit.WORKING_DAYS, f"{LSIR}第十七条", "case.filed", 10, max_extensions=1
    ),
    "investigation.extension": Rule(
        gettext_lazy("延长调查期限"), 30, Unit.WORKING_DAYS, f"{LSIR}第十七条", "investigation.extended", 5
    ),
    # row 8 [S]: the article number is not verified ("art 36?"), so it is not cited
    "investigation.decide": Rule(
        gettext_lazy("作出处理决定期限"), 15, Unit.WORKING_DAYS, D25, "investigation.completed", 3
    ),
    # rows 23, 24, 28 [V]
    "referral.approve": Rule(gettext_lazy("移送审批期限"), 3, Unit.DAYS, f"{R310}第五条", "referral.reported", 1),
    "referral.transfer": Rule(
        gettext_lazy("向公安机关移送期限"), 24, Unit.HOURS, f"{R310}第五条", "referral.approved", 6
    ),
    "police.decide": Rule(
        gettext_lazy("公安机关立案审查期限"), 3, Unit.DAYS, f"{R310}第八条", "referral.transferred", 1
    ),
    # row 39 [U] and SPEC §4.5a: a per-province setting with this default
    "listing.defence": Rule(
        gettext_lazy("陈述申辩期限"), 5, Unit.WORKING_DAYS, f"{DL2021}{PROVINCE_CONFIG}", "listing.noticed", 1
    ),
    # row 60 [P] and SPEC §4.3: per-province settings with these defaults
    "supervision.complete": Rule(
        gettext_lazy("挂牌督办办结期限"), 15, Unit.DAYS, f"挂牌督办通知书{PROVINCE_CONFIG}", "supervision.issued", 3
    ),
    "supervision.report": Rule(
        gettext_lazy("督办进展报告期限"),
        5,
        Unit.WORKING_DAYS,
        f"挂牌督办通知书{PROVINCE_CONFIG}",
        "supervision.acknowledged",
        1,
    ),
}


def rules_register(rules: dict[str, Rule]) -> None:
    """Add the deadline kinds of a feature module (supervision, referral, listing …). A kind is defined once."""
    clash = set(rules) & set(RULES)
    if clash and any(RULES[k] != rules[k] for k in clash):
        raise ValueError(f"deadline kinds defined twice: {sorted(clash)}")
    RULES.update(rules)
    Deadline.PARTY_KINDS.update(kind for kind, rule in rules.items() if rule.party)


def rule_of(kind: str) -> Rule:
    try:
        return RULES[kind]
    except KeyError:
        raise ValidationError({"kind": _("未知的时限类型：%(kind)s") % {"kind": kind}})


def warn_before_of(deadline: Deadline) -> int:
    rule = RULES.get(deadline.kind)
    return rule.warn_before if rule else 0


@functools.cache
def stored_title(kind: str) -> str:
    """A kind's title as stored on the deadline: in the site's language (Chinese), whoever starts it."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(RULES[kind].title)
