"""文书 pages and API: thin views over cases.scope and cases.documents.

Reading a case's documents needs Right.READ_CASE; recording a service needs Right.INVESTIGATE (the
inspectors assigned to the case). A case out of scope answers 404, a document of another case too.
Documents are issued by the flows' steps (cases.documents.document_issue), not by an endpoint.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from drf_spectacular.utils import OpenApiResponse, OpenApiTypes, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from . import scope
from .documents import document_pdf_bytes, document_serve, documents_for
from .models import Document, Evidence, ServiceRecord


def _document(user, case_no: str, doc_id: int, right: scope.Right = scope.Right.READ_CASE) -> Document:
    case = scope.case_for_user(user, case_no, right)
    return get_object_or_404(documents_for(case), pk=doc_id)


def pdf_response(document: Document) -> HttpResponse:
    """The stored PDF as a download named after its 文号 (RFC 6266 / RFC 5987 for the Chinese name)."""
    response = HttpResponse(document_pdf_bytes(document), content_type="application/pdf")
    fallback = f"{document.case.case_no}-{document.kind}-{document.year}-{document.serial}.pdf"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(document.number + '.pdf', safe='')}"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Document-SHA256"] = document.sha256
    return response


@require_GET
@login_required
def document_pdf(request, case_no: str, doc_id: int):
    return pdf_response(_document(request.user, case_no, doc_id))


# --- API -------------------------------------------------------------------------------------------


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
        return pdf_response(_document(request.user, case_no, doc_id))


class DocumentServicesAPI(APIView):
    @extend_schema(request=ServiceInputSerializer, responses={201: ServiceRecordSerializer})
    def post(self, request, case_no, doc_id):
        document = _document(request.user, case_no, doc_id, scope.Right.INVESTIGATE)
        payload = ServiceInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        proof = None
        if payload.validated_data.get("proof") is not None:
            proof = Evidence.objects.filter(pk=payload.validated_data["proof"], case_id=document.case_id).first()
            if proof is None:
                raise ValidationError({"proof": _("送达凭证须为本案的证据。")})
        record = document_serve(
            document=document,
            method=payload.validated_data["method"],
            served_at=payload.validated_data["served_at"],
            recipient=payload.validated_data["recipient"],
            proof=proof,
            actor=request.user,
            role=scope.RIGHT_ROLE[scope.Right.INVESTIGATE],
        )
        return Response(ServiceRecordSerializer(record).data, status=status.HTTP_201_CREATED)
