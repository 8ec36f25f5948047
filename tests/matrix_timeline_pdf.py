"""Permission matrix: the auditors' timeline PDF (page and API). Every reader role in scope (200), 404 out of
scope and for the administrator (who sees no case data)."""

from __future__ import annotations

from django.urls import reverse

from tests.matrix import Entry, reader_page

ENTRIES: dict[str, Entry] = {
    "cases:timeline-pdf": Entry(lambda t: reverse("cases:timeline-pdf", args=[t.case_no]), reader_page),
    "api-case-timeline-pdf": Entry(
        lambda t: reverse("api-case-timeline-pdf", args=[t.case_no]), reader_page, anonymous=(401, 403)
    ),
}
