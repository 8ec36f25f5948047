"""挂牌督办: the states, the clocks' kinds, and the rules that propose a supervision (SPEC §4.3 step 1; *config*)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Case as Case_
from django.db.models import Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy

from ..deadlines import PROVINCE_CONFIG, RULES, Rule, rules_register
from ..models import Case, Deadline, ProvinceConfig, Supervision
from ..provinces import province_config
from ..values import in_office_language

COMPLETE = "supervision.complete"
REPORT = "supervision.report"
GRACE = "supervision.report_grace"
EXCEPTION = "supervise_case"

rules_register(
    {
        GRACE: Rule(
            gettext_lazy("督办进展报告催报期限"),
            RULES[REPORT].length,  # always started with the province's report interval
            Deadline.Unit.WORKING_DAYS,
            f"挂牌督办通知书{PROVINCE_CONFIG}",
            "supervision.report_reminded",
            0,
        )
    }
)

S = Supervision.Status
OPEN = [S.PROPOSED, S.ACTIVE, S.CLOSING, S.OVERDUE]  # the model's one-open-per-case constraint
RUNNING = [S.ACTIVE, S.CLOSING, S.OVERDUE]  # a notice was issued and the supervision is not closed
REPORTING = [S.ACTIVE, S.OVERDUE]  # the lower office reports (and may apply for closure)
OPEN_DEADLINE = [Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.OVERDUE]
CASE_CLOSED = [Case.Status.CLOSED, Case.Status.WITHDRAWN]

WORKERS, AMOUNT, GROUP_INCIDENT, MEDIA_REPORTED = "workers", "amount", "group_incident", "media_reported"
LEADER_INSTRUCTED, SUPERIOR_SUPERVISED = "leader_instructed", "superior_supervised"
REASON_LABELS = {
    WORKERS: gettext_lazy("涉及劳动者人数达到督办标准"),
    AMOUNT: gettext_lazy("欠薪金额达到督办标准"),
    GROUP_INCIDENT: gettext_lazy("引发群体性事件"),
    MEDIA_REPORTED: gettext_lazy("媒体报道"),
    LEADER_INSTRUCTED: gettext_lazy("领导批示"),
    SUPERIOR_SUPERVISED: gettext_lazy("上级督办"),
}
# Seed 二(六): cases with a leader's instruction, a superior's supervision or a media report come first.
PRIORITY_FLAGS = (LEADER_INSTRUCTED, SUPERIOR_SUPERVISED, MEDIA_REPORTED)
# The case flags (cases.flags) that meet a rule by themselves, in the order the reasons are stated.
FLAG_RULES = (GROUP_INCIDENT, MEDIA_REPORTED, LEADER_INSTRUCTED, SUPERIOR_SUPERVISED)
# Rules of the apps above cases, each a filter over cases (reason → the Q's factory): early warning's red signal
# left unhandled past its day (earlywarning registers it; cases never imports it).
EXTRA_RULES: dict[str, Callable[[], Q]] = {}


def supervision_rule_register(reason: str, label, q: Callable[[], Q]) -> None:
    """A rule of an app above cases: the cases `q()` selects meet it; `label` states it in the notice."""
    REASON_LABELS[reason] = label
    EXTRA_RULES[reason] = q


def _rule_q(config: ProvinceConfig) -> Q:
    q = Q(workers_count__gte=config.supervision_min_workers) | Q(amount_owed__gte=config.supervision_min_amount)
    for flag in FLAG_RULES:
        q |= Q(**{flag: True})
    for extra in EXTRA_RULES.values():
        q |= extra()
    return q


def _priority_q() -> Q:
    q = Q(pk__in=[])
    for flag in PRIORITY_FLAGS:
        q |= Q(**{flag: True})
    return q


def supervision_rules(case: Case) -> list[str]:
    """The rule reasons that hold for the case (no side effects): its province's thresholds, inclusive."""
    config = province_config(case.region)
    reasons = []
    if case.workers_count >= config.supervision_min_workers:
        reasons.append(WORKERS)
    if case.amount_owed >= config.supervision_min_amount:
        reasons.append(AMOUNT)
    reasons += [flag for flag in FLAG_RULES if getattr(case, flag)]
    reasons += [reason for reason, q in EXTRA_RULES.items() if Case.objects.filter(q(), pk=case.pk).exists()]
    return reasons


def supervision_priority(case: Case) -> bool:
    """Seed 二(六): a leader's instruction, a superior's supervision or a media report puts the case first."""
    return any(getattr(case, flag) for flag in PRIORITY_FLAGS)


def reasons_text(reasons: list[str]) -> str:
    """The reasons as the notice states them (documents are always in the office's language, Chinese)."""
    return in_office_language(lambda: "、".join(str(REASON_LABELS[r]) for r in reasons if r in REASON_LABELS))


def supervision_candidates(*, limit: int = 100) -> list[Case]:
    """Open cases below a superior that meet their province's rules and were never supervised or proposed,
    the priority cases first (supervision_priority), then by id.

    The same test as supervision_rules(), as one query per province with its own settings (and one for
    every province left at the defaults). A proposal that was declined is not made again; a leader may
    still start a supervision by hand.
    """
    configs = list(ProvinceConfig.objects.select_related("province"))
    q = Q(pk__in=[])
    for config in configs:
        q |= Q(region__path__startswith=config.province.path) & _rule_q(config)
    default = _rule_q(ProvinceConfig())
    for config in configs:
        default &= ~Q(region__path__startswith=config.province.path)
    q |= default
    ever = Supervision.objects.filter(case_id=OuterRef("pk"))
    return list(
        Case.objects.filter(q, region__parent__isnull=False)
        .exclude(status__in=CASE_CLOSED)
        .filter(~Exists(ever))
        .select_related("region__parent")
        .annotate(priority=Case_(When(_priority_q(), then=Value(0)), default=Value(1)))
        .order_by("priority", "id")[:limit]
    )
