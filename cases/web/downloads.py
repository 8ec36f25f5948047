"""File answers shared by the pages and the API: evidence downloads and the XLSX ledger export."""

from __future__ import annotations

import functools

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from .. import evidence as evidence_services
from ..models import Evidence
from . import ledger_export


class StoredFileMissing(Http404):
    """A record whose stored file is gone: 404 with a message saying so (the page: file_missing_page; the
    API: cases.api.errors), never a 500."""


def missing_document(document) -> StoredFileMissing:
    return StoredFileMissing(
        _("文书“%(number)s”的存储文件不存在，无法下载。请联系系统管理员从备份中恢复。") % {"number": document.number}
    )


def file_missing_page(view):
    """A page view that serves a stored file: a missing file answers a 404 page that says which file."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except StoredFileMissing as missing:
            context = {"message": str(missing), "case_no": kwargs.get("case_no")}
            return render(request, "cases/file_missing.html", context, status=404)

    return wrapper


def evidence_file_response(evidence: Evidence) -> FileResponse:
    """The stored file as an attachment under its original name, with the type we detected."""
    try:
        opened = evidence_services.evidence_open(evidence)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise StoredFileMissing(
            _("证据“%(name)s”的存储文件不存在，无法下载。请联系系统管理员从备份中恢复。")
            % {"name": evidence.original_name}
        )
    return FileResponse(
        opened,
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
