"""`GET /api/v1/cases/<case_no>/penalty/` (the penalty procedure and the case's causes) and
`POST /api/v1/cases/<case_no>/penalty/<action>/` (statement, hearing-request, hearing, hearing-notice-served,
hearing-held, waiver, cause): the same services as the page forms (cases.web.penalty_actions)."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import penalty, scope
from ..web.penalty_actions import penalty_action_perform


def _plain(value):
    """Amounts as strings ("20000.00"), as the rest of the API gives them."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _state(case) -> dict:
    return _plain(
        {"case_no": case.case_no, "procedure": penalty.penalty_status(case), "causes": penalty.cause_rows(case)}
    )


class PenaltyAPI(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, case_no: str):
        case = scope.case_for_user(request.user, case_no)
        return Response(_state(case))


class PenaltyActionAPI(APIView):
    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, case_no: str, action: str):
        case, _done = penalty_action_perform(request.user, case_no, action, request.data)
        return Response(_state(case), status=status.HTTP_201_CREATED)
