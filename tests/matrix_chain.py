"""Permission-matrix entries: cases on the contractor chain (issue 15 item 5). Naming the chain's liable units
on a case is an investigation step: its assigned inspector acts (a case whose employer is on no chain: 400
naming "case"), others in scope 403, out of scope 404. The GET side's cells are in tests/test_case_on_the_chain.py."""

from __future__ import annotations

from django.urls import reverse

from tests.matrix import Entry, assigned_case_target, inspector_acts, reader_page

ENTRIES = {
    "api-case-chain-liable-units": Entry(
        lambda t: reverse("api-case-chain-liable-units", args=[t.case_no]),
        inspector_acts(400),
        method="post",
        prepare=assigned_case_target,
        anonymous=(401, 403),
    ),
    # no body: 400 naming "months"
    "api-case-ledger-prefill": Entry(
        lambda t: reverse("api-case-ledger-prefill", args=[t.case_no]),
        inspector_acts(400),
        method="post",
        prepare=assigned_case_target,
        anonymous=(401, 403),
    ),
    # the case's liable units in HTML (cases.web.liable_unit_views): readers see the page; its assigned
    # inspector posts (no body: 400 naming the fields), others in scope 403, out of scope 404
    "cases:liable-units": Entry(lambda t: reverse("cases:liable-units", args=[t.case_no]), reader_page),
    "cases:liable-unit-add": Entry(
        lambda t: reverse("cases:liable-unit-add", args=[t.case_no]),
        inspector_acts(400),
        method="post",
        prepare=assigned_case_target,
    ),
    "cases:liable-unit-remove": Entry(
        lambda t: reverse("cases:liable-unit-remove", args=[t.case_no]),
        inspector_acts(400),
        method="post",
        prepare=assigned_case_target,
    ),
}
