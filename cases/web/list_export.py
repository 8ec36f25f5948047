"""Every staff list as XLSX with the filters it shows (issue 14 item 6): one mechanism for all the lists.

A list view builds its queryset exactly as for the page (the scope rules and the filters of the query
string), then, when the query string asks `format=xlsx`, answers the file instead of the page:

    qs = ...  # the list's filtered queryset, through its scope module
    if export_requested(request):
        return xlsx_response(qs, CASE_COLUMNS, title="案件列表")

The page links to it with `{% load zhiqian_export %}{% export_link %}`, which carries the current query
string (without the page cursor). Headers and choice names are Chinese whatever the user's language; every
text cell is safe from formula injection (cases.xlsx).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header

from ..xlsx import EXPORT_PARAM, EXPORT_VALUE, Column, export_query, rows_xlsx

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 2000

__all__ = ["Column", "XLSX_CONTENT_TYPE", "export_query", "export_requested", "xlsx_response"]


def export_requested(request) -> bool:
    return request.GET.get(EXPORT_PARAM) == EXPORT_VALUE


def xlsx_response(rows: Iterable, columns: Sequence[Column], *, title: str) -> HttpResponse:
    """All the rows (not one page) as an XLSX attachment named after the list and today's date."""
    if isinstance(rows, QuerySet):
        rows = rows.iterator(chunk_size=CHUNK)
    with translation.override("zh-hans"):
        content = rows_xlsx(rows, columns, title=title)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = f"{title}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    response["Cache-Control"] = "private, no-store"
    return response
