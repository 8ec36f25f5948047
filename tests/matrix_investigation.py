"""Permission-matrix entries of the investigation: evidence, ledger, records, the case ledger export.

Writes go to a fresh case assigned to the office's inspector (tests.matrix.assigned_case_target):
its inspector succeeds, everyone else in scope gets 403, out of scope 404. Two writes cannot
carry a successful body in a static dict and expect the 400 of their own validation instead,
which is only reached past the permission check: the evidence uploads (no file: nothing is
written to storage here; real uploads are in tests/test_evidence.py) and the records (the two
inspectors' ids differ per office; real records are in tests/test_records.py).

A URL answering GET and POST has one MATRIX entry (its POST); READS holds its GET side, swept by
`sweep` from tests/test_evidence.py, tests/test_ledger.py and tests/test_records.py.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from cases.models import Case
from tests import world
from tests.matrix import (
    IN_SCOPE,
    OUT_OF_SCOPE,
    Entry,
    Target,
    assigned_case_target,
    inspector_acts,
    kind,
    reader_list,
    reader_page,
)

API_ANON = (401, 403)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)

LEDGER_ENTRY = {
    "worker_name": "矩阵工人",
    "worker_id_number": "360302198503120010",
    "worker_phone": "13807990002",
    "period_start": "2026-05-01",
    "period_end": "2026-10-31",
    "amount_owed": "8000.00",
}
PAYMENT = {"amount": "1000.00", "paid_on": "2026-11-20"}
# No inspectors: the 400 of the records' own rule (two inspectors), reached past the permission check.
RECORD = {"kind": "inquiry", "held_at": "2026-11-20T09:30", "place": "项目部", "subject": "班组长", "content": "询问"}


@dataclass
class InvestigationTarget(Target):
    entry_id: int = 0
    evidence_id: int = 0


_media: override_settings | None = None


def matrix_media() -> None:
    """Evidence written while the matrix runs goes to a temporary MEDIA_ROOT, removed at exit.

    test_matrix has no `settings` fixture to use; this override stays on for the rest of the session.
    """
    global _media
    if _media is None:
        root = tempfile.mkdtemp(prefix="zhiqian-test-media-")
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        _media = override_settings(MEDIA_ROOT=root)
        _media.enable()


def _assigned(code: str) -> tuple[Target, Case]:
    target = assigned_case_target(code)
    return target, Case.objects.get(case_no=target.case_no)


def ledger_target(code: str) -> InvestigationTarget:
    """An assigned case at `code` with one ledger entry, added by its inspector."""
    from cases.ledger import ledger_entry_add

    target, case = _assigned(code)
    entry = ledger_entry_add(
        case=case,
        worker={"name": "矩阵工人", "id_number": "360302199001010027", "phone": ""},
        period_start="2026-05-01",
        period_end="2026-10-31",
        amount_owed="5000.00",
        actor=world.user("inspector", code),
    )
    return InvestigationTarget(case_no=target.case_no, receipt_no=target.receipt_no, entry_id=entry.pk)


def evidence_target(code: str) -> InvestigationTarget:
    """An assigned case at `code` with one evidence file (a PNG), uploaded by its inspector."""
    from cases.evidence import evidence_upload

    matrix_media()
    target, case = _assigned(code)
    evidence = evidence_upload(
        case=case,
        upload=SimpleUploadedFile("site.png", PNG, content_type="image/png"),
        description="现场照片",
        actor=world.user("inspector", code),
    )
    return InvestigationTarget(case_no=target.case_no, receipt_no=target.receipt_no, evidence_id=evidence.pk)


def _case_url(name: str):
    return lambda t: reverse(name, args=[t.case_no])


ENTRIES: dict[str, Entry] = {
    # staff pages: POST handlers of the case page's sections, downloads, the export
    "cases:evidence-upload": Entry(
        _case_url("cases:evidence-upload"),
        inspector_acts(400),
        method="post",
        prepare=assigned_case_target,
        data={"description": "没有文件"},
    ),
    "cases:evidence-download": Entry(
        lambda t: reverse("cases:evidence-download", args=[t.case_no, t.evidence_id]),
        reader_page,
        prepare=evidence_target,
    ),
    "cases:ledger-entry-add": Entry(
        _case_url("cases:ledger-entry-add"),
        inspector_acts(302),
        method="post",
        prepare=assigned_case_target,
        data=LEDGER_ENTRY,
    ),
    "cases:payment-record": Entry(
        lambda t: reverse("cases:payment-record", args=[t.case_no, t.entry_id]),
        inspector_acts(302),
        method="post",
        prepare=ledger_target,
        data=PAYMENT,
    ),
    "cases:record-add": Entry(
        _case_url("cases:record-add"),
        inspector_acts(400),
        method="post",
        prepare=assigned_case_target,
        data=RECORD,
    ),
    "cases:export": Entry(lambda t: reverse("cases:export"), reader_list, scoped=False),
    # API
    "api-case-export": Entry(lambda t: reverse("api-case-export"), reader_list, scoped=False, anonymous=API_ANON),
    "api-case-evidence": Entry(
        _case_url("api-case-evidence"),
        inspector_acts(400),
        method="post",
        prepare=assigned_case_target,
        data={"description": "没有文件"},
        anonymous=API_ANON,
    ),
    "api-case-evidence-download": Entry(
        lambda t: reverse("api-case-evidence-download", args=[t.case_no, t.evidence_id]),
        reader_page,
        prepare=evidence_target,
        anonymous=API_ANON,
    ),
    "api-case-ledger": Entry(
        _case_url("api-case-ledger"),
        inspector_acts(201),
        method="post",
        prepare=assigned_case_target,
        data=LEDGER_ENTRY,
        anonymous=API_ANON,
    ),
    "api-case-payments": Entry(
        lambda t: reverse("api-case-payments", args=[t.case_no, t.entry_id]),
        inspector_acts(201),
        method="post",
        prepare=ledger_target,
        data=PAYMENT,
        anonymous=API_ANON,
    ),
    "api-case-records": Entry(
        _case_url("api-case-records"),
        inspector_acts(400),
        method="post",
        prepare=assigned_case_target,
        data=RECORD,
        anonymous=API_ANON,
    ),
}

# The GET side of the URLs above that also answer GET (MATRIX holds their POST side).
READS: dict[str, Entry] = {
    "api-case-evidence": Entry(_case_url("api-case-evidence"), reader_page, anonymous=API_ANON),
    "api-case-ledger": Entry(_case_url("api-case-ledger"), reader_page, anonymous=API_ANON),
    "api-case-records": Entry(_case_url("api-case-records"), reader_page, anonymous=API_ANON),
}


def sweep(client, entry: Entry) -> list[str]:
    """test_permission_matrix's cells for one entry: every role × level × in / out of scope."""
    from cases.models import Role

    failures = []
    for role in Role.values:
        for level, code in world.LEVELS.items():
            for in_scope in [True, False] if entry.scoped else [True]:
                target_code = IN_SCOPE[(kind(role), level)] if in_scope else OUT_OF_SCOPE[level]
                url = entry.url(entry.prepare(target_code))
                client.force_login(world.user(role, code))
                status = getattr(client, entry.method)(url, entry.data or {}).status_code
                expected = entry.expect(role, in_scope)
                if status != expected:
                    failures.append(f"{role}@{level} {'in' if in_scope else 'out'} {url}: {status} != {expected}")
                client.logout()
    response = getattr(client, entry.method)(entry.url(entry.prepare("360302")), entry.data or {})
    if response.status_code not in entry.anonymous:
        failures.append(f"anonymous {response.status_code} not in {entry.anonymous}")
    return failures
