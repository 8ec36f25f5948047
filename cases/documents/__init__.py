"""文书: issuing numbered documents (文号) as PDF, their service (送达), and reading them back (SPEC §3, §4).

- offices: the issuing office's names and its short name in a 文号;
- kinds: what each kind of document needs and cites (KindSpec, SPECS) and how it is numbered;
- context, texts: the facts a document is written from, and what each kind says (one builder per kind);
- pdf: drawing the document (reportlab);
- services: document_issue, document_serve, document_verify, documents_for (services.py says what
  document_issue takes in `data`);
- hand_service: document_serve_by_hand, the generic endpoint's service, refusing the kinds served by their step.
"""

from .hand_service import SERVED_BY_STEP, document_serve_by_hand, hand_service_refusal
from .kinds import (
    APL,
    DL2021,
    LCL,
    LSIR,
    R310,
    SPECS,
    WPR,
    K,
    KindSpec,
    document_number_format,
    sequence_kind,
)
from .offices import (
    PROVINCE_ABBREVIATIONS,
    government_name,
    office_abbreviation,
    office_name,
    police_name,
    procuratorate_name,
)
from .pdf import FONT, render_pdf
from .services import (
    document_issue,
    document_pdf_bytes,
    document_serve,
    document_verify,
    documents_for,
)
from .texts import BODIES

__all__ = [
    "APL",
    "BODIES",
    "DL2021",
    "FONT",
    "K",
    "KindSpec",
    "LCL",
    "LSIR",
    "PROVINCE_ABBREVIATIONS",
    "R310",
    "SERVED_BY_STEP",
    "SPECS",
    "WPR",
    "document_issue",
    "document_number_format",
    "document_pdf_bytes",
    "document_serve",
    "document_serve_by_hand",
    "document_verify",
    "documents_for",
    "government_name",
    "hand_service_refusal",
    "office_abbreviation",
    "office_name",
    "police_name",
    "procuratorate_name",
    "render_pdf",
    "sequence_kind",
]
