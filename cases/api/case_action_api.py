"""`POST /api/v1/cases/<case_no>/suspend/` and `…/resume/` (中止调查 / 恢复调查): the same service as
the page form (cases.web.case_actions)."""

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from ..web.case_actions import case_action_perform
from .serializers import CaseSerializer


class CaseActionAPI(APIView):
    action = ""

    @extend_schema(request=OpenApiTypes.OBJECT, responses=CaseSerializer)
    def post(self, request, case_no: str):
        case = case_action_perform(request.user, case_no, self.action, request.data.get("reason", ""))
        return Response(CaseSerializer(case).data)
