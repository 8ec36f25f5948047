"""`GET /api/v1/dashboard/` (SPEC §7): the region dashboard's figures as JSON, a thin view over
cases.dashboard.dashboard_for (404 for a region outside the user's scope, 403 without case data), with
the page's filter form (cases.web.dashboard_views.DashboardFilterForm)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from ..dashboard import dashboard_for
from ..web.dashboard_views import DashboardFilterForm, live_refresh


def _json(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


class DashboardAPI(APIView):
    """Totals and one row per child region of `region` (default: the user's highest region) over
    the local days from..to (default: this year up to today), with a monthly trend and the live
    figures (open cases, overdue deadlines, open supervisions now). Amounts are strings in yuan."""

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, description="six-digit region code in the user's scope"),
            OpenApiParameter("from", OpenApiTypes.DATE, description="first day (Beijing time)"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="last day (Beijing time)"),
            OpenApiParameter("year", int, description="instead of from/to: a year"),
            OpenApiParameter("quarter", int, description="with year: a quarter (1–4)"),
            OpenApiParameter("month", int, description="with year: a month (1–12)"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        live_refresh()
        form = DashboardFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
        data = dashboard_for(
            user=request.user,
            region_code=form.cleaned_data["region"] or None,
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
        )
        return Response(_json(data))
