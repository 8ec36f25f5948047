"""The auditors' timeline PDF through the API (SPEC §6): the same answer as the page (cases.web.case_views)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from ..web.case_views import timeline_pdf_response
from .document_api import PDFOrJSON


class CaseTimelinePdfAPI(APIView):
    content_negotiation_class = PDFOrJSON

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    def get(self, request, case_no):
        return timeline_pdf_response(request, case_no)
