"""REST API of the accountability app (SPEC §7).

Public (AllowAny, throttled per client address like the complaint endpoints): the published credit list
and major violations, and the employer's defence and early-removal application. Staff: the
accountability register, scoped to leaders and auditors (their region and below).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import throttling

from . import accountability, listing, publication
from .forms import DefenceForm, RemovalForm


class PublicThrottle(throttling.PublicListThrottle):
    """Per client address on the shared cache ("public_lists" rate), a bucket of its own beside the complaints'."""


class PublicAPI:
    permission_classes = [AllowAny]
    authentication_classes: list = []
    # posts (the defence, the removal application) also count against "public_posts"
    throttle_classes = [PublicThrottle, throttling.PublicPostThrottle]


class ListedNewestFirst(CursorPagination):
    ordering = ("-listed_at", "-id")
    page_size = 20


class PersonSerializer(serializers.Serializer):
    name = serializers.CharField()
    id_number = serializers.CharField(help_text="masked: first 4 and last 4 characters")
    role = serializers.CharField()


class CreditListingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    employer_name = serializers.CharField()
    uscc = serializers.CharField()
    address = serializers.CharField()
    legal_representative = serializers.CharField()
    persons = PersonSerializer(many=True)
    reasons = serializers.ListField(child=serializers.CharField())
    deciding_office = serializers.CharField()
    decision_number = serializers.CharField()
    listed_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()

    def to_representation(self, instance):
        return super().to_representation(listing.listing_public(instance))


@extend_schema(parameters=[OpenApiParameter("q", str, description="part of the employer's name, or its USCC")])
class CreditListAPI(PublicAPI, generics.ListAPIView):
    serializer_class = CreditListingSerializer
    pagination_class = ListedNewestFirst

    def get_queryset(self):
        return listing.credit_list_public(q=self.request.query_params.get("q", ""))


class EntrySerializer(serializers.Serializer):
    employer_name = serializers.CharField()
    uscc = serializers.CharField()
    address = serializers.CharField()
    legal_representative = serializers.CharField()
    facts = serializers.CharField()
    handling = serializers.CharField()


class PublicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    office = serializers.CharField()
    region_code = serializers.CharField()
    published_at = serializers.DateTimeField()
    entries = EntrySerializer(many=True)

    def to_representation(self, instance):
        return super().to_representation(publication.publication_public(instance))


class PeriodNewestFirst(CursorPagination):
    ordering = ("-period_end", "id")
    page_size = 20


@extend_schema(
    parameters=[
        OpenApiParameter("period", str, description="2026Q3 (county, city) or 2026H2 (province)"),
        OpenApiParameter("region", str, description="six-digit code: that office and those below it"),
    ]
)
class ViolationListAPI(PublicAPI, generics.ListAPIView):
    serializer_class = PublicationSerializer
    pagination_class = PeriodNewestFirst

    def get_queryset(self):
        p = self.request.query_params
        period = p.get("period", "").strip()
        if period and publication.period_parse(period) is None:
            raise ValidationError({"period": ["期次格式应为 2026Q3 或 2026H2"]})
        return publication.publications_public(period=period, region=p.get("region", "")).prefetch_related("entries")


def _form_errors(form) -> dict:
    return {k: [e["message"] for e in v] for k, v in form.errors.get_json_data().items()}


class ListingDefenceAPI(PublicAPI, APIView):
    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})
    def post(self, request):
        form = DefenceForm(data=request.data if isinstance(request.data, dict) else {})
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        d = form.cleaned_data
        listing.listing_defence_submit(notice_number=d["notice_number"], uscc=d["uscc"], defence=d["defence"])
        return Response({"notice_number": d["notice_number"], "received": True}, status=status.HTTP_201_CREATED)


class RemovalApplicationAPI(PublicAPI, APIView):
    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})
    def post(self, request):
        form = RemovalForm(data=request.data if isinstance(request.data, dict) else {})
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        d = form.cleaned_data
        application = listing.removal_apply(
            notice_number=d["notice_number"], uscc=d["uscc"], corrected_on=d["corrected_on"], pledge=d["pledge"]
        )
        return Response(
            {"notice_number": d["notice_number"], "status": application.status, "applied_at": application.applied_at},
            status=status.HTTP_201_CREATED,
        )


class AccountabilitySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    case_no = serializers.CharField(source="case.case_no", default=None)
    region_code = serializers.CharField(source="region.code")
    region_name = serializers.CharField(source="region.name")
    deciding_region_code = serializers.CharField(source="deciding_region.code")
    trigger = serializers.CharField()
    trigger_display = serializers.CharField(source="get_trigger_display")
    status = serializers.CharField()
    measure = serializers.CharField()
    decision_number = serializers.CharField(source="decision.number", default=None)
    opened_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField()
    year = serializers.IntegerField()


class NewestFirst(CursorPagination):
    ordering = "-id"
    page_size = 25


@extend_schema(
    parameters=[
        OpenApiParameter("region", str, description="six-digit code of the office held to account (and below)"),
        OpenApiParameter("year", int),
    ]
)
class AccountabilityRegisterAPI(generics.ListAPIView):
    serializer_class = AccountabilitySerializer
    pagination_class = NewestFirst

    def get_queryset(self):
        p = self.request.query_params
        year = p.get("year", "").strip()
        if year and not year.isdigit():
            raise ValidationError({"year": ["年度须为四位数字"]})
        return accountability.accountability_register(
            self.request.user, region=p.get("region", ""), year=int(year) if year else None
        )
