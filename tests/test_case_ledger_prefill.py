"""Issue 15 item 5: the case ledger pre-fills workers from the project's real-name roster — one line per worker
and month whose wage-sheet shortfall (应发 less what the bank paid) is known; the rest left for the inspector."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import ArrearsEntry
from projects.accounts import wage_account_open
from projects.importing import payments_import, roster_import, wage_sheet_import
from projects.prefill import case_ledger_prefill
from tests import world
from tests.factories import uscc
from tests.projectkit import ACCOUNT_NO, BANK_HEADER, ROSTER_HEADER, WAGE_HEADER, csv_bytes, worker_ids
from tests.test_case_on_the_chain import case_on_a_labour_subcontractor

pytestmark = pytest.mark.django_db
MONTH = "2026-05"


def rostered_case(n: int):
    """A case on a labour subcontractor with three rostered workers: 工人0 paid in full for May, 工人1 paid
    2,000.00 of 6,000.00, 工人2 on no wage sheet."""
    case, general = case_on_a_labour_subcontractor(n, state="investigating", ledger=False)
    project = general.project
    clerk = world.user("clerk", "360302")
    ids = worker_ids(3, start=10 * n)
    rows = [
        [i + 1, f"工人{i}", "男", number, uscc(7700 + n), "木工班", "木工", "2026-03-01", "2026-03-01",
         f"62170099{n:03d}{i:08d}", "建设银行"]
        for i, number in enumerate(ids)
    ]  # fmt: skip
    roster_import(actor=clerk, project=project, file=csv_bytes(ROSTER_HEADER, rows), filename="r.csv")
    wage_account_open(actor=clerk, project=project, bank="建设银行", account_no=ACCOUNT_NO, opened_on="2026-01-25")
    wages = [[i + 1, f"工人{i}", ids[i], MONTH, 26, "6000.00", "0", "6000.00", "已签"] for i in range(2)]
    wage_sheet_import(actor=clerk, project=project, file=csv_bytes(WAGE_HEADER, wages), filename="w.csv")
    bank = [
        [ACCOUNT_NO, "工人0", f"62170099{n:03d}{0:08d}", "6000.00", "2026-06-05", "5月工资", "否"],
        [ACCOUNT_NO, "工人1", f"62170099{n:03d}{1:08d}", "2000.00", "2026-06-05", "5月工资", "否"],
    ]
    report = payments_import(actor=clerk, project=project, file=csv_bytes(BANK_HEADER, bank), filename="b.csv",
                             month=MONTH)  # fmt: skip
    assert [r.status for r in report.rows] == ["created", "created"], report.as_dict()
    return case, project.units.get(role="labour")


def test_the_ledger_prefills_a_line_for_each_rostered_worker_from_the_wage_sheet_shortfall():
    case, unit = rostered_case(91)
    result = case_ledger_prefill(case=case, actor=world.user("inspector", "360302"), months=[MONTH])
    [entry] = result.added
    assert entry.worker.name == "工人1" and entry.amount_owed == Decimal("4000.00")
    assert (str(entry.period_start), str(entry.period_end)) == ("2026-05-01", "2026-05-31")
    assert [name for name, _m in result.left] == ["工人2"]  # no wage sheet: left for the inspector
    assert [name for name, _m in result.paid] == ["工人0"]
    case.refresh_from_db()
    assert case.amount_owed == Decimal("4000.00") and case.workers_count == 1  # the ledger's totals
    with pytest.raises(ValidationError) as again:  # the same month twice: the ledger refuses it
        case_ledger_prefill(case=case, actor=world.user("inspector", "360302"), months=[MONTH])
    assert "period_start" in again.value.message_dict
    assert ArrearsEntry.objects.filter(case=case).count() == 1


def test_the_prefill_refuses_bad_months_naming_the_field_and_writes_nothing():
    case, _unit = rostered_case(92)
    for months in ([], ["2026-13"], "2026-05", [f"2025-{m:02d}" for m in range(1, 13)] * 3):
        with pytest.raises(ValidationError) as refused:
            case_ledger_prefill(case=case, actor=world.user("inspector", "360302"), months=months)
        assert "months" in refused.value.message_dict
    assert not ArrearsEntry.objects.filter(case=case).exists()


def test_api_the_assigned_inspector_prefills_the_ledger_others_403_out_of_scope_404(client):
    case, _unit = rostered_case(93)
    url = reverse("api-case-ledger-prefill", args=[case.case_no])
    client.force_login(world.user("leader", "360302"))
    assert client.post(url, {"months": [MONTH]}, content_type="application/json").status_code == 403
    client.force_login(world.user("inspector", "360313"))
    assert client.post(url, {"months": [MONTH]}, content_type="application/json").status_code == 404
    client.force_login(world.user("inspector", "360302"))
    bad = client.post(url, {"months": ["五月"]}, content_type="application/json")
    assert bad.status_code == 400 and "months" in bad.json()["errors"]
    done = client.post(url, {"months": [MONTH]}, content_type="application/json")
    assert done.status_code == 201, done.content
    assert done.json() == {"added": 1, "left": [{"worker": "工人2", "month": MONTH}], "paid_in_full": 1}
