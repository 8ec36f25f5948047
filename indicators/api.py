"""REST API of the coverage indicators: the figures of a region and month, as on the page (the same
indicators.figures.coverage_for: 404 for a region outside the user's scope, 403 for a role that opens none).
Errors as {"errors": {"field": ["message"]}} (cases.api.errors)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from .figures import coverage_for, parse_month


def plain(value):
    """Amounts and shares as strings ("30000.00", "79.9"), months as YYYY-MM, recursively."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return f"{value:%Y-%m}"
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


class CoverageAPI(APIView):
    """GET: the coverage indicators of a region (default: the user's highest) and month (default: the last whole
    month) — projects under construction, the share with real-name management, a wage account and 总包代发 against
    the year's targets, wages due and paid — for the region, each region below it and twelve months; every
    figure with the URL of the project list behind it."""

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, description="six-digit region code"),
            OpenApiParameter("month", str, description="YYYY-MM"),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        month, errors = parse_month(request.query_params.get("month"))
        if errors:
            raise ValidationError(errors)
        region = (request.query_params.get("region") or "").strip() or None
        data = coverage_for(user=request.user, region_code=region, month=month)
        data.pop("live", None)
        return Response(plain(data))
