"""PDFs embed their Chinese font, open in the browser, and keep the seal block with the text (issue 14 item 6)."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases.documents import document_issue, document_pdf_bytes, render_pdf
from cases.documents.context import Context, Worker
from cases.documents.fonts import FONT_FILE
from cases.models import Document, Role
from tests import world

pytestmark = pytest.mark.django_db
K = Document.Kind
BASE_14 = {"/Helvetica", "/Times-Roman", "/Courier", "/Symbol", "/ZapfDingbats"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _order(case) -> Document:
    from datetime import date

    return document_issue(
        case=case,
        kind=K.ORDER_TO_PAY,
        actor=world.user(Role.LEADER, case.region.code),
        role=Role.LEADER,
        data={"due_date": date(2026, 12, 15)},
    )


def _fonts(content: bytes) -> list[dict]:
    """Every font descriptor of the PDF: its base font and which font file it embeds (if any)."""
    found = []
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descendant = descendant.get_object()
                descriptor = descendant.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor else {}
                files = [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor]
                found.append({"name": str(descendant.get("/BaseFont")), "files": files})
    return found


def _assert_embedded(content: bytes) -> None:
    fonts = [f for f in _fonts(content) if f["name"] not in BASE_14]  # reportlab's default canvas font
    assert fonts
    for font in fonts:
        assert "STSong" not in font["name"]
        assert font["files"], f"{font['name']} is not embedded"


def _pages(content: bytes) -> list[str]:
    return [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages]


def test_the_font_ships_with_the_code():
    assert FONT_FILE.exists() and FONT_FILE.stat().st_size < 4_000_000
    assert (FONT_FILE.parent / "OFL.txt").exists()


def test_a_document_embeds_its_chinese_font_and_opens_inline(client):
    case = world.make_case("360302")
    document = _order(case)
    content = document_pdf_bytes(document)
    _assert_embedded(content)
    assert "责令" in "".join(_pages(content))  # the text still extracts (ToUnicode)

    client.force_login(world.user(Role.CLERK, "360302"))
    response = client.get(reverse("cases:document-pdf", args=[case.case_no, document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")


def test_the_timeline_pdf_embeds_its_font_and_opens_inline(client):
    case = world.make_case("360302")
    client.force_login(world.user(Role.AUDITOR, "360302"))
    response = client.get(reverse("cases:timeline-pdf", args=[case.case_no]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    _assert_embedded(response.content)


def _render(case, workers: int) -> bytes:
    from datetime import date
    from decimal import Decimal

    from django.utils import translation

    with translation.override("zh-hans"):
        title = str(K.ORDER_TO_PAY.label)
    people = [Worker(name=f"劳动者{i:02d}", owed=Decimal("8000.00"), paid=Decimal("1000.00")) for i in range(workers)]
    context = Context(
        case=case,
        office=case.region,
        kind=K.ORDER_TO_PAY,
        number="萍安人社监令〔2026〕1号",
        title=title,
        data={"due_date": date(2026, 12, 15), "contact": "0799-1234567"},
        issued_on=date(2026, 12, 1),
        due=date(2026, 12, 15),
        workers=people,
    )
    return render_pdf(context)


def test_the_seal_is_on_the_page_of_the_last_paragraph():
    """Whatever the length of the ledger, the seal block (office, 印章, date) is printed on the page that
    holds the last paragraphs of the text (the appeal rights, the contact), never alone on a page."""
    case = world.make_case("360302")
    pages_seen = set()
    for workers in range(1, 41):
        pages = _pages(_render(case, workers))
        pages_seen.add(len(pages))
        seal = [i for i, text in enumerate(pages) if "（印章）" in text]
        assert len(seal) == 1
        assert "如不服本" in pages[seal[0]] and "联系方式" in pages[seal[0]], (workers, len(pages))
    assert len(pages_seen) >= 2  # the ledgers tried do cross a page break
