"""Case actions outside the main path of the flow: suspending and resuming the investigation
(中止调查 / 恢复调查) by an assigned inspector. A page form and an API endpoint, one service each."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from . import investigation, scope
from .serializers import CaseSerializer

ACTIONS = {"suspend": investigation.case_suspend, "resume": investigation.case_resume}


def _perform(user, case_no: str, action: str, reason: str):
    case = scope.case_for_user(user, case_no, scope.Right.INVESTIGATE)
    return ACTIONS[action](case=case, actor=user, reason=reason)


@require_POST
@login_required
def case_action(request, case_no: str, action: str):
    from django.contrib import messages

    try:
        _perform(request.user, case_no, action, request.POST.get("reason", ""))
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    return redirect("cases:detail", case_no=case_no)


class CaseActionAPI(APIView):
    action = ""

    @extend_schema(request=OpenApiTypes.OBJECT, responses=CaseSerializer)
    def post(self, request, case_no: str):
        case = _perform(request.user, case_no, self.action, request.data.get("reason", ""))
        return Response(CaseSerializer(case).data)
