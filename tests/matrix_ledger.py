"""Permission-matrix entries of the ledger's corrections on the case page (issue 14 item 4): editing a line,
deleting it with a reason, importing lines, the import template. Only the case's investigating inspector acts
(the rule adding a line uses, Right.INVESTIGATE); others in scope 403, out of scope 404. The POSTs carry
incomplete bodies: the inspector's answer is the form's 400, nothing written."""

from __future__ import annotations

from django.urls import reverse

from tests.matrix import Entry, assigned_case_target, inspector_acts
from tests.matrix_investigation import ledger_target


def _entry_url(name: str):
    return lambda t: reverse(name, args=[t.case_no, t.entry_id])


def _case_url(name: str):
    return lambda t: reverse(name, args=[t.case_no])


ENTRIES: dict[str, Entry] = {
    "cases:ledger-entry-edit": Entry(
        _entry_url("cases:ledger-entry-edit"), inspector_acts(400), method="post", prepare=ledger_target,
        data={"worker_name": ""},
    ),
    "cases:ledger-entry-delete": Entry(
        _entry_url("cases:ledger-entry-delete"), inspector_acts(400), method="post", prepare=ledger_target,
        data={"reason": ""},
    ),
    "cases:ledger-import": Entry(
        _case_url("cases:ledger-import"), inspector_acts(400), method="post", prepare=assigned_case_target,
        data={"paste": ""},
    ),
    "cases:ledger-template": Entry(
        _case_url("cases:ledger-template"), inspector_acts(200), prepare=assigned_case_target
    ),
}  # fmt: skip
