"""File answers shared by the pages and the API: evidence downloads and the XLSX ledger export."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from .. import evidence as evidence_services
from ..models import Evidence
from . import ledger_export


def evidence_file_response(evidence: Evidence) -> FileResponse:
    """The stored file as an attachment under its original name, with the type we detected."""
    return FileResponse(
        evidence_services.evidence_open(evidence),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


def xlsx_response(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=ledger_export.XLSX_CONTENT_TYPE)
    disposition = content_disposition_header(True, ledger_export.export_filename())
    assert disposition is not None  # always one for an attachment
    response["Content-Disposition"] = disposition
    return response
