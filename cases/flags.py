"""Case flags (issue 13 item 11): 群体性事件, 媒体反映, 领导批示, 上级督办, 政府投资项目.

Set and cleared by `case_flag_set(case=, flag=, value=, reason=, actor=, role=)`, always with a reason, on an
open case; each change is one case event ("case.flag_set" / "case.flag_cleared") naming the flag and the
reason. Who may: the inspectors assigned to the case, the leaders of its office and those
of the offices above it (cases.scope.can_flag; the endpoints ask it). What reads them:

- the supervision proposal rules (cases.supervision.rules): a group incident or a media report meets a rule;
  a leader's instruction, a superior's supervision and a media report put the case first among the proposals
  (seed 二(六): 领导批示、上级督办的案件以及媒体反映的案件及时开展调查取证);
- the listing criteria's incident branch (DL2021 art 5 (2), accountability.listing.criteria): a group
  incident, with the reason recorded when it was flagged;
- publication and accountability read `group_incident` and `media_reported` as before.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .actors import Actor
from .models import Case, TimelineEvent
from .transitions import transition
from .tx import one_transaction
from .values import required_text

FLAGS = {
    "group_incident": gettext_lazy("群体性事件"),
    "media_reported": gettext_lazy("媒体反映"),
    "leader_instructed": gettext_lazy("领导批示"),
    "superior_supervised": gettext_lazy("上级督办"),
    "government_invested": gettext_lazy("政府投资项目"),
}
OPEN = [
    Case.Status.FILED,
    Case.Status.INVESTIGATING,
    Case.Status.SUSPENDED,
    Case.Status.DECIDING,
    Case.Status.ENFORCING,
]
SET, CLEARED = "case.flag_set", "case.flag_cleared"


def case_flags(case: Case) -> list[dict]:
    """Each flag with its label and whether the case has it (for the page and the API)."""
    return [{"flag": f, "title": str(label), "set": bool(getattr(case, f))} for f, label in FLAGS.items()]


@one_transaction
def case_flag_set(*, case: Case, flag: str, value: bool, reason: str, actor: Actor, role: str) -> Case:
    """Set (`value` True) or clear a flag of an open case, with a reason: one case event."""
    if flag not in FLAGS:
        raise ValidationError({"flag": [_("未知的案件标记：%(flag)s") % {"flag": flag}]})
    if not isinstance(value, bool):
        raise ValidationError({"value": [_("请选择设置或取消该标记。")]})
    reason = required_text(reason, field="reason", label=_("理由"), limit=500)
    message = _("案件当前状态为“%(status)s”，不能更改标记。")
    with transition(
        case,
        expect=OPEN,
        event=SET if value else CLEARED,
        actor=actor,
        role=role,
        subject=case,
        error_field="case",
        message=message,
    ) as step:
        if bool(getattr(case, flag)) == value:
            text = _("该案件已有“%(label)s”标记。") if value else _("该案件没有“%(label)s”标记。")
            raise ValidationError({"flag": [text % {"label": FLAGS[flag]}]})
        step.set(**{flag: value})
        step.data.update(flag=flag, reason=reason)
    return case


def case_flag_reason(case: Case, flag: str) -> str:
    """The reason given when the flag was last set ("" when it was never set through case_flag_set)."""
    events = TimelineEvent.objects.filter(case=case, kind=SET).order_by("-seq").values_list("data", flat=True)
    for data in events:
        if isinstance(data, dict) and data.get("flag") == flag:
            return str(data.get("reason", ""))
    return ""
