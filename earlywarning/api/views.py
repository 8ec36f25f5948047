"""REST API of the early warning: the signals (list with filters, one signal with its evidence), a signal
entered by hand, and a project's monthly check on demand. Thin views over earlywarning.scope, one service
each; errors as {"errors": {"field": ["message"]}} (the project's exception handler)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import scope as case_scope
from projects import scope as project_scope

from .. import scope, sources
from ..checks.run import month_of, project_month_check
from ..forms import SignalEntryForm
from ..models import Signal
from ..rules import RULES
from ..selectors import signal_dict

SIGNAL = OpenApiTypes.OBJECT


class ByNewest(CursorPagination):
    ordering = ("-raised_at", "-id")
    page_size = 50


class SignalListAPI(APIView):
    """GET: the signals the user may read, newest first (filters: level, rule, status — "active" for the
    unhandled —, region (code, with the regions below), project (its number)). POST: a signal entered by hand
    (inspection, media, hotline) by an inspector or leader of the office."""

    @extend_schema(
        operation_id="signals_list",
        parameters=[
            OpenApiParameter("level", str, description="yellow, orange or red"),
            OpenApiParameter("rule", str, description="the rule's code (GET /api/v1/signals/ rule field)"),
            OpenApiParameter(
                "status", str, description="open, explaining, interviewed, case, dismissed, resolved, active"
            ),
            OpenApiParameter("region", str, description="a region's six-digit code"),
            OpenApiParameter("project", str, description="a project's number"),
        ],
        responses={200: SIGNAL},
    )
    def get(self, request):
        qs = scope.signals_visible(request.user).select_related(
            "region", "project", "unit__employer", "employer", "case"
        )
        p = request.query_params
        if p.get("level") in Signal.Level.values:
            qs = qs.filter(level=p["level"])
        if p.get("rule") in RULES:
            qs = qs.filter(rule=p["rule"])
        if p.get("status") == "active":
            qs = qs.filter(status__in=Signal.OPEN_STATUSES)
        elif p.get("status") in Signal.Status.values:
            qs = qs.filter(status=p["status"])
        if p.get("region"):
            qs = case_scope.within_region_code(qs, p["region"][:6])
        if p.get("project"):
            qs = qs.filter(project__project_no=p["project"][:40])
        paginator = ByNewest()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([signal_dict(s) for s in page])

    @extend_schema(
        operation_id="signals_create",
        request=inline_serializer("SignalEntry", {
            "source": serializers.ChoiceField(choices=["inspection", "media", "hotline"]),
            "level": serializers.ChoiceField(choices=Signal.Level.values),
            "facts": serializers.CharField(),
            "project_no": serializers.CharField(required=False),
            "region_code": serializers.CharField(required=False),
            "workers": serializers.IntegerField(required=False),
            "amount": serializers.DecimalField(max_digits=14, decimal_places=2, required=False),
        }),
        responses={201: SIGNAL, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )  # fmt: skip
    def post(self, request):
        if not scope.handles_anywhere(request.user):
            raise PermissionDenied
        if not hasattr(request.data, "get"):
            raise ValidationError({"body": [_("请求内容应为对象。")]})
        form = SignalEntryForm(data=request.data)
        if not form.is_valid():
            raise ValidationError({k: [e["message"] for e in v] for k, v in form.errors.get_json_data().items()})
        signal = sources.signal_enter_for(request.user, form.cleaned_data)
        return Response(signal_dict(scope.signal_for_user(request.user, signal.pk)), status=status.HTTP_201_CREATED)


class SignalDetailAPI(APIView):
    """GET: one signal with its rule, its evidence in readable Chinese and its state."""

    @extend_schema(
        operation_id="signals_retrieve", responses={200: SIGNAL, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT}
    )
    def get(self, request, pk):
        if not scope.reads_anywhere(request.user):
            raise PermissionDenied
        return Response(signal_dict(scope.signal_for_user(request.user, pk)))


class ProjectCheckAPI(APIView):
    """POST {"month": "YYYY-MM"}: the project's monthly wage check now (idempotent); the outcome counts."""

    @extend_schema(
        operation_id="projects_check_create",
        request=inline_serializer("ProjectCheck", {"month": serializers.CharField()}),
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT,
                   404: OpenApiTypes.OBJECT},
    )  # fmt: skip
    def post(self, request, project_no):
        project = project_scope.project_for_user(request.user, project_no)
        if not scope.can_check(request.user, project.region):
            raise PermissionDenied
        raw = request.data.get("month") if hasattr(request.data, "get") else None
        try:
            month = month_of(raw)
        except (ValueError, TypeError, AttributeError):
            raise ValidationError({"month": [_("月份格式应为 YYYY-MM。")]}) from None
        result = project_month_check(project=project, month=month, actor=request.user)
        return Response({"month": f"{month:%Y-%m}", "outcomes": result.outcomes})
