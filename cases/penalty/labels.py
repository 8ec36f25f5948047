"""Human labels of the timeline events the penalty procedure and the causes write (what the timeline shows
instead of the event key)."""

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "case.pre_decision_notified": _("发出行政处罚告知书"),
    "case.legal_reviewed": _("法制审核"),
    "case.penalty_decided": _("作出行政处罚决定"),
    "penalty.statement_recorded": _("记录当事人陈述申辩"),
    "penalty.hearing_requested": _("当事人要求听证"),
    "penalty.hearing_scheduled": _("发出听证通知书"),
    "penalty.hearing_held": _("举行听证"),
    "penalty.rights_waived": _("当事人书面放弃陈述申辩、听证"),
    "penalty.statements_reviewed": _("复核当事人陈述申辩"),
    "case.cause_added": _("增加案由"),
    "case.cause_removed": _("撤除案由"),
}


def event_label(kind: str) -> str:
    """The event's label, or its key when it is not one of these."""
    label = EVENT_LABELS.get(kind)
    return str(label) if label is not None else kind
