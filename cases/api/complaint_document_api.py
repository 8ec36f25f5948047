"""A complaint's own documents (受理通知书 / 不予受理告知书) for staff: `GET /api/v1/complaints/<receipt_no>/documents/`
and `…/documents/<id>/pdf/`. Right.READ_COMPLAINT on the complaint (out of scope 404, without the right 403);
another complaint's document: 404."""

from drf_spectacular.utils import OpenApiResponse, OpenApiTypes, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import scope
from ..documents.complaint_notices import complaint_documents
from ..web.document_views import complaint_document_for_user, pdf_response
from .document_api import PDFOrJSON


class ComplaintDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    issued_at = serializers.DateTimeField()
    sha256 = serializers.CharField()


class ComplaintDocumentsSerializer(serializers.Serializer):
    receipt_no = serializers.CharField()
    documents = ComplaintDocumentSerializer(many=True)


class ComplaintDocumentsAPI(APIView):
    @extend_schema(responses=ComplaintDocumentsSerializer)
    def get(self, request, receipt_no: str):
        complaint = scope.complaint_for_user(request.user, receipt_no)
        data = {"receipt_no": complaint.receipt_no, "documents": complaint_documents(complaint)}
        return Response(ComplaintDocumentsSerializer(data).data)


class ComplaintDocumentPdfAPI(APIView):
    content_negotiation_class = PDFOrJSON

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    def get(self, request, receipt_no: str, doc_id: int):
        return pdf_response(complaint_document_for_user(request.user, receipt_no, doc_id))
