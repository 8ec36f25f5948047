"""Case flags on the case page (cases.flags): set or clear one flag with a reason. The API endpoint is
cases.api.case_flags_api; one service. Who may: cases.scope.case_for_flagging (the case's inspectors, the
leaders of its office and of the offices above it; out of scope 404, otherwise 403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import scope
from ..flags import case_flag_set
from ..models import Case

ACTIONS = {"set": True, "clear": False}


def case_flag_perform(user, case_no: str, data) -> Case:
    """The case the user may flag, then the one service. `value` is "set"/"clear" (the form) or a boolean."""
    case, role = scope.case_for_flagging(user, case_no)
    value = data.get("value")
    if isinstance(value, str):
        if value not in ACTIONS:
            raise ValidationError({"value": [_("请选择设置或取消该标记。")]})
        value = ACTIONS[value]
    return case_flag_set(
        case=case, flag=str(data.get("flag") or ""), value=value, reason=data.get("reason", ""), actor=user, role=role
    )


@require_POST
@login_required
def case_flag(request, case_no: str):
    try:
        case_flag_perform(request.user, case_no, request.POST)
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("已更新案件标记。"))
    return redirect("cases:detail", case_no=case_no)
