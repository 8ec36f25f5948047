"""文书 API: a case's documents with their services, the PDF, recording a service (送达). Thin views over
cases.scope and cases.documents; the same rules as the pages (cases.web.document_views): reading needs
Right.READ_CASE, recording a service Right.INVESTIGATE; a case out of scope or another case's document: 404.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, OpenApiTypes, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import scope
from ..documents import document_serve_by_hand, documents_for
from ..models import Document, Evidence, ServiceRecord
from ..web.document_views import document_for_user, pdf_response


class ServiceRecordSerializer(serializers.ModelSerializer):
    method_display = serializers.CharField(source="get_method_display")
    proof = serializers.IntegerField(source="proof_id", allow_null=True)
    proof_sha256 = serializers.CharField(source="proof.sha256", default=None)
    recorded_by = serializers.CharField(source="recorded_by.username")

    class Meta:
        model = ServiceRecord
        fields = [
            "id",
            "method",
            "method_display",
            "served_at",
            "recipient",
            "proof",
            "proof_sha256",
            "recorded_by",
            "recorded_at",
        ]


class DocumentSerializer(serializers.ModelSerializer):
    # A plain string in the schema: an enum here would collide with other "kind" enums (drf_spectacular.W001)
    # until settings.SPECTACULAR_SETTINGS names them in ENUM_NAME_OVERRIDES.
    kind = serializers.CharField(read_only=True, help_text="文书种类: " + ", ".join(Document.Kind.values))
    services = ServiceRecordSerializer(many=True)

    class Meta:
        model = Document
        fields = ["id", "number", "kind", "title", "issued_at", "sha256", "services"]


class CaseDocumentsSerializer(serializers.Serializer):
    case_no = serializers.CharField()
    documents = DocumentSerializer(many=True)


class ServiceInputSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=ServiceRecord.Method.choices)
    served_at = serializers.DateTimeField()
    recipient = serializers.CharField(max_length=200)
    proof = serializers.IntegerField(required=False, allow_null=True, help_text="id of an evidence item of the case")


class CaseDocumentsAPI(APIView):
    @extend_schema(responses=CaseDocumentsSerializer)
    def get(self, request, case_no):
        case = scope.case_for_user(request.user, case_no)
        return Response(CaseDocumentsSerializer({"case_no": case.case_no, "documents": documents_for(case)}).data)


class PDFOrJSON(DefaultContentNegotiation):
    """The PDF bypasses the renderers; errors are JSON whatever the client accepts (e.g. application/pdf)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type


class CaseDocumentPdfAPI(APIView):
    content_negotiation_class = PDFOrJSON

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    def get(self, request, case_no, doc_id):
        return pdf_response(document_for_user(request.user, case_no, doc_id))


class DocumentServicesAPI(APIView):
    @extend_schema(request=ServiceInputSerializer, responses={201: ServiceRecordSerializer})
    def post(self, request, case_no, doc_id):
        document = document_for_user(request.user, case_no, doc_id, scope.Right.INVESTIGATE)
        payload = ServiceInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        proof = None
        if payload.validated_data.get("proof") is not None:
            proof = Evidence.objects.filter(pk=payload.validated_data["proof"], case_id=document.case_id).first()
            if proof is None:
                raise ValidationError({"proof": _("送达凭证须为本案的证据。")})
        record = document_serve_by_hand(  # the kinds with their own service step are refused, naming it
            document=document,
            method=payload.validated_data["method"],
            served_at=payload.validated_data["served_at"],
            recipient=payload.validated_data["recipient"],
            proof=proof,
            actor=request.user,
            role=scope.RIGHT_ROLE[scope.Right.INVESTIGATE],
        )
        return Response(ServiceRecordSerializer(record).data, status=status.HTTP_201_CREATED)
