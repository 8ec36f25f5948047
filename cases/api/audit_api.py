"""The auditors' search through the API (issue 14 item 3): the same filters and scope as the page
(cases.web.audit_views), each event as its label and sentence; the recorded data (payload) only for auditors."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import scope
from ..audit.search import case_no_of, events_search
from ..audit.sentences import sentences_attach
from ..models import Role
from ..timeline.labels import event_label
from ..values import LOCAL_TZ
from ..web.audit_views import PER_PAGE, search_filters
from ..web.forms import AuditSearchForm


class AuditEventSerializer(serializers.Serializer):
    at = serializers.CharField()
    case_no = serializers.CharField()
    receipt_no = serializers.CharField()
    event = serializers.CharField()
    sentence = serializers.CharField()
    actor = serializers.CharField()
    office = serializers.CharField()
    payload = serializers.DictField(required=False)  # the recorded data: auditors only


class AuditPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = AuditEventSerializer(many=True)


FILTERS = [
    OpenApiParameter("kind", OpenApiTypes.STR, description="事件类型"),
    OpenApiParameter("actor", OpenApiTypes.STR, description="操作人（用户名或姓名）"),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="起始日期"),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="截止日期"),
    OpenApiParameter("case_no", OpenApiTypes.STR, description="案件或投诉编号"),
    OpenApiParameter("page", OpenApiTypes.INT, description="页码"),
]


class AuditEventsAPI(APIView):
    @extend_schema(parameters=FILTERS, responses=AuditPageSerializer)
    def get(self, request):
        form = AuditSearchForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        events = events_search(user=request.user, **search_filters(form))
        page = Paginator(events, PER_PAGE).get_page(form.cleaned_data.get("page") or 1)
        auditor = Role.AUDITOR in scope.roles(request.user)
        results = []
        for e in sentences_attach(page.object_list):
            row = {
                "at": timezone.localtime(e.at, LOCAL_TZ).isoformat(),
                "case_no": case_no_of(e),
                "receipt_no": e.complaint.receipt_no if e.complaint_id and e.complaint else "",
                "event": event_label(e.kind),
                "sentence": e.sentence,
                "actor": e.actor_name,
                "office": e.office,
            }
            if auditor:
                row["payload"] = e.data
            results.append(row)
        body = {"count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages}
        return Response(AuditPageSerializer({**body, "results": results}).data)
