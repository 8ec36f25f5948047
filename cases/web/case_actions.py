"""Case actions outside the main path of the flow: suspending and resuming the investigation
(中止调查 / 恢复调查) by an assigned inspector. The page form; the API endpoint is cases.api.case_action_api;
one service each."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .. import investigation, scope

ACTIONS = {"suspend": investigation.case_suspend, "resume": investigation.case_resume}


def case_action_perform(user, case_no: str, action: str, reason: str):
    """The case in the user's scope (Right.INVESTIGATE), then the action's one service."""
    case = scope.case_for_user(user, case_no, scope.Right.INVESTIGATE)
    return ACTIONS[action](case=case, actor=user, reason=reason)


@require_POST
@login_required
def case_action(request, case_no: str, action: str):
    from django.contrib import messages

    try:
        case_action_perform(request.user, case_no, action, request.POST.get("reason", ""))
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    return redirect("cases:detail", case_no=case_no)
