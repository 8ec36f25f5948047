"""REST API for cases (SPEC §7): thin views over cases.scope and cases.selectors."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import scope, selectors, timeline
from .serializers import CaseSerializer, TimelineSerializer


class NewestFirst(CursorPagination):
    ordering = "-id"
    page_size = 25


@extend_schema(
    parameters=[
        OpenApiParameter("status", str),
        OpenApiParameter("region", str, description="six-digit region code; includes the regions below it"),
        OpenApiParameter("q", str, description="case number, receipt number, employer name or USCC, complainant name"),
    ]
)
class CaseListAPI(generics.ListAPIView):
    serializer_class = CaseSerializer
    pagination_class = NewestFirst

    def get_queryset(self):
        p = self.request.query_params
        return selectors.case_list_for_user(
            self.request.user, status=p.get("status", ""), region=p.get("region", ""), q=p.get("q", "")
        )


class CaseDetailAPI(APIView):
    @extend_schema(responses=CaseSerializer)
    def get(self, request, case_no):
        return Response(CaseSerializer(scope.case_for_user(request.user, case_no)).data)


class CaseTimelineAPI(APIView):
    @extend_schema(responses=TimelineSerializer)
    def get(self, request, case_no):
        case = scope.case_for_user(request.user, case_no, scope.Right.READ_TIMELINE)
        events = timeline.for_case(case).select_related("complaint")
        data = {"case_no": case.case_no, "chain_ok": timeline.chain_ok(case), "events": events}
        return Response(TimelineSerializer(data).data)
