"""Each timeline event as one sentence in the user's language (issue 14 item 3): who did what, with the values
that matter — "张三（安源区 监察员）制发《责令改正通知书》安源人社监令〔2026〕3号，履行期限 2026-12-14".

The event's label comes from labels.py (the one registry), its values in words from cases.audit.words (the
same words the auditors' PDF uses). Kinds that carry values (documents, decisions, deadlines, ledger, payments,
flags, penalty, enforcement, referral, listing, supervision, accounts) get their own template or the values
that matter after the label; the other kinds read as the label alone. A template whose values the event does
not carry falls back to the label and the values it has: never a key, never a dict.

    event_sentence(event)                     # one event
    sentences_attach(events)                  # many: one query for the offices' names, e.sentence set
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..timeline.labels import event_label

# kind → template over %(actor)s and the event's fields in words (each must be present, or the fallback reads)
TEMPLATES: dict[str, Any] = {
    "document.issued": gettext_lazy("%(actor)s制发《%(title)s》%(number)s"),
    "document.served": gettext_lazy("%(actor)s以%(method)s方式向%(recipient)s送达文书"),
    "ledger.entry_added": gettext_lazy(
        "%(actor)s登记欠薪台账：劳动者%(worker)s，%(period_start)s至%(period_end)s拖欠工资%(amount_owed)s元"
    ),
    "ledger.payment_recorded": gettext_lazy(
        "%(actor)s登记支付：劳动者%(worker)s于%(paid_on)s获付%(amount)s元，尚欠%(outstanding)s元"
    ),
    "ledger.entry_updated": gettext_lazy(
        "%(actor)s修改欠薪台账（%(changed)s）：劳动者%(worker)s，%(period_start)s至%(period_end)s拖欠工资%(amount_owed)s元"
    ),
    "ledger.entry_deleted": gettext_lazy(
        "%(actor)s删除欠薪台账：劳动者%(worker)s，%(period_start)s至%(period_end)s，%(amount_owed)s元，理由：%(reason)s"
    ),
    "ledger.entries_imported": gettext_lazy("%(actor)s批量导入欠薪台账%(count)s条，合计%(amount_owed)s元"),
    "case.flag_set": gettext_lazy("%(actor)s设置案件标记“%(flag)s”，理由：%(reason)s"),
    "case.flag_cleared": gettext_lazy("%(actor)s取消案件标记“%(flag)s”，理由：%(reason)s"),
    "case.inspectors_assigned": gettext_lazy("%(actor)s指派监察员%(inspectors)s"),
    "deadline.extended": gettext_lazy("%(actor)s将“%(kind)s”延长%(length)s，新的期限 %(new_due)s"),
    "deadline.warned": gettext_lazy("“%(kind)s”即将届满（%(due_at)s）"),
    "deadline.overdue": gettext_lazy("“%(kind)s”已超期（%(due_at)s）"),
    "task.claimed": gettext_lazy("%(actor)s领取任务“%(title)s”"),
    "task.routed": gettext_lazy("任务“%(title)s”分送%(owner)s办理"),
    "task.assigned": gettext_lazy("%(actor)s将任务“%(title)s”分派给%(assignee)s"),
    "account.created": gettext_lazy("%(actor)s创建账号%(username)s"),
    "account.role_granted": gettext_lazy("%(actor)s授予%(region)s%(role)s岗位"),
    "account.role_revoked": gettext_lazy("%(actor)s收回%(region)s%(role)s岗位"),
    "inspection.case_linked": gettext_lazy("本案由双随机抽查“%(plan_name)s”对%(target)s的检查发现"),
}
# the prefixes whose events carry values worth a sentence; any other kind reads as its label alone
VALUE_PREFIXES = (
    "document.", "deadline.", "ledger.", "case.decided", "case.handling_decided", "case.penalty_decided",
    "case.flag_", "case.closed", "case.extension_", "case.inspectors_assigned", "case.investigation_concluded",
    "case.withdrawn", "case.suspended", "penalty.", "enforcement.", "referral.", "listing.", "supervision.",
    "account.", "accountability.", "publication.", "task.claimed", "task.routed", "task.assigned",
    "inspection.case_linked",
)  # fmt: skip
# the values that matter, in the order a sentence names them (a kind without a template)
MATTERS = (
    "number", "title", "decision", "kind", "amount_owed", "penalty_amount", "amount", "paid_on", "outstanding",
    "order_due", "due_date", "new_due", "due_at", "decide_due", "defence_due", "next_report_due", "method",
    "recipient", "served_at", "closure_code", "violation", "approved", "filed", "police", "outcome", "result",
    "listed_on", "expires_at", "removed_at", "measure", "role", "region", "username", "reason",
)  # fmt: skip
MAX_VALUES = 4
DUE_FIELDS = {"order_due", "due_date", "new_due", "due_at", "decide_due", "defence_due", "next_report_due"}


def _regions(codes: Iterable[str]) -> dict[str, str]:
    from ..models import Region

    wanted = {c for c in codes if c}
    return dict(Region.objects.filter(code__in=wanted).values_list("code", "name")) if wanted else {}


def _region_codes(event) -> set[str]:
    from .words import REGION_FIELDS

    data = event.data if isinstance(event.data, dict) else {}
    return {event.actor_region} | {str(data[k]) for k in REGION_FIELDS if isinstance(data.get(k), str)}


def actor_words(event, regions: dict[str, str]) -> str:
    """张三（安源区 监察员）, or 系统 for the system's own events."""
    from ..models import Role

    if not (event.actor_id and event.actor_name):
        return _("系统")
    extra = []
    if event.actor_region:
        extra.append(regions.get(event.actor_region, event.actor_region))
    if event.actor_role:
        try:
            extra.append(str(Role(event.actor_role).label))
        except ValueError:
            pass
    return f"{event.actor_name}（{' '.join(extra)}）" if extra else event.actor_name


def _word(key: str, value: Any, regions: dict[str, str]) -> str:
    from .words import REGION_FIELDS, value_words

    if key in REGION_FIELDS and isinstance(value, str) and value in regions:
        return regions[value]
    if key == "flag" and isinstance(value, str):
        from ..flags import FLAGS

        return str(FLAGS.get(value, _("其他标记")))
    if key in ("amount", "amount_owed", "outstanding", "penalty_amount", "case_owed", "case_paid"):
        return str(value)
    text = value_words(key, value)
    if key in DUE_FIELDS and len(text) == 19 and text.endswith(" 23:59:59"):
        return text[:10]  # a deadline's last second is its day
    return text


def event_sentence(event, *, regions: dict[str, str] | None = None) -> str:
    """The event as one sentence in the active language: who did what, with the values that matter."""
    from .words import FIELD_LABELS, HIDDEN

    if regions is None:
        regions = _regions(_region_codes(event))
    actor = actor_words(event, regions)
    label = event_label(event.kind)
    data = event.data if isinstance(event.data, dict) else {}
    if not event.kind.startswith(VALUE_PREFIXES):
        return f"{actor}：{label}" if event.actor_id else label
    words = {k: _word(k, v, regions) for k, v in data.items() if k not in HIDDEN and v not in (None, "", [], {})}
    template = TEMPLATES.get(event.kind)
    if template is not None:
        try:
            return str(template) % {"actor": actor, **words}
        except KeyError:
            pass
    values = [f"{FIELD_LABELS[k]} {words[k]}" for k in MATTERS if k in words and k in FIELD_LABELS and k != "title"][
        :MAX_VALUES
    ]
    head = f"{actor}：{label}"
    if "title" in words and event.kind.startswith("document."):
        head += f"《{words['title']}》"
    return f"{head}，{'，'.join(values)}" if values else head


def sentences_attach(events: Iterable) -> list:
    """The events as a list, each with .sentence and .office (the actor's office by name); one query."""
    events = list(events)
    codes: set[str] = set()
    for e in events:
        codes |= _region_codes(e)
    regions = _regions(codes)
    for e in events:
        e.sentence = event_sentence(e, regions=regions)
        e.office = regions.get(e.actor_region, "") if e.actor_region else ""
    return events
