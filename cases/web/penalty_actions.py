"""Case actions of the penalty procedure and of the case's causes, recorded whenever they come during the window:
the party's statements, a hearing request, the hearing (notice, its service, the record), a written waiver; a
cause added. The page forms post here; the API (cases.api.penalty_api) calls the same `penalty_action_perform`.
One service each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import penalty, scope
from .investigation_forms import proof_for


def _s(data, key: str) -> str:
    """A text field of the form or JSON body: a string whatever was sent (a number, a list …)."""
    value = data.get(key)
    return "" if value is None else str(value)


def _serve_hearing_notice(case, user, d):
    return penalty.penalty_hearing_notice_serve(
        case=case,
        actor=user,
        method=_s(d, "method"),
        served_at=_s(d, "served_at"),
        recipient=_s(d, "recipient"),
        proof=proof_for(case, d.get("proof")),
    )


ACTIONS = {
    "statement": lambda case, user, d: penalty.penalty_statement_record(
        case=case, actor=user, text=_s(d, "text"), made_on=_s(d, "made_on")
    ),
    "hearing-request": lambda case, user, d: penalty.penalty_hearing_request(
        case=case, actor=user, requested_on=_s(d, "requested_on")
    ),
    "hearing": lambda case, user, d: penalty.penalty_hearing_schedule(
        case=case, actor=user, scheduled_at=_s(d, "scheduled_at"), place=_s(d, "place")
    ),
    "hearing-notice-served": _serve_hearing_notice,
    "hearing-held": lambda case, user, d: penalty.penalty_hearing_hold(
        case=case, actor=user, held_at=_s(d, "held_at"), record=_s(d, "record")
    ),
    "waiver": lambda case, user, d: penalty.penalty_rights_waive(
        case=case, actor=user, waived_on=_s(d, "waived_on"), note=_s(d, "note")
    ),
    "cause": lambda case, user, d: penalty.case_cause_add(
        case=case, actor=user, violation=_s(d, "violation"), note=_s(d, "note")
    ),
}


def penalty_action_perform(user, case_no: str, action: str, data):
    """The case in the user's scope (404), the inspector's right on it (403), then the action's one service."""
    if action not in ACTIONS:
        raise Http404
    case = scope.case_for_user(user, case_no, scope.Right.INVESTIGATE)
    if not hasattr(data, "get"):  # a JSON array or a bare value
        raise ValidationError({"body": _("请求内容须为对象（字段名：值）。")})
    return case, ACTIONS[action](case, user, data)


@require_POST
@login_required
def penalty_action(request, case_no: str, action: str):
    try:
        penalty_action_perform(request.user, case_no, action, request.POST)
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    return redirect(reverse("cases:detail", args=[case_no]) + "#penalty")
