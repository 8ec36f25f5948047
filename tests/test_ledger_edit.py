"""Issue 14 item 4: the ledger corrected on the case page — a line edited, a line deleted with its reason (kept
for the audit, recorded on the timeline, no longer counted), all field errors at once, bulk paste and XLSX
import (every row's errors naming row and field, nothing half-written), the import template; the pages in
scope 200/302, out of scope 404, wrong role 403."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cases import ledger_import
from cases.ledger import ledger_entry_add, ledger_summary, payment_record
from cases.ledger_edit import IMPORT_MAX_ROWS, ledger_line_delete, ledger_line_update, ledger_lines_import
from cases.models import ArrearsEntry, Case, CaseParty, Role, TimelineEvent
from tests import world
from tests.matrix import assigned_case_target
from tests.test_ledger import END, START, id_number, worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return Case.objects.get(case_no=assigned_case_target("360302").case_no)


@pytest.fixture
def inspector():
    return world.user(Role.INSPECTOR, "360302")


def add(case, inspector, n: int, amount: str = "6000.00") -> ArrearsEntry:
    return ledger_entry_add(case=case, worker=worker(n), period_start=START, period_end=END,
                            amount_owed=Decimal(amount), actor=inspector)  # fmt: skip


def events(case, kind: str) -> list:
    return list(TimelineEvent.objects.filter(case=case, kind=kind).order_by("seq"))


def row(n: int, **over) -> dict:
    return {"row": n, "name": f"工人{n:02d}", "id_number": id_number(n), "phone": "", "period_start": "2026-05-01",
            "period_end": "2026-10-31", "amount_owed": "5000.00", **over}  # fmt: skip


# --- services -------------------------------------------------------------------------------------


def test_a_line_is_edited_with_one_event_and_the_totals_follow(case, inspector):
    entry = add(case, inspector, 1)
    add(case, inspector, 2)
    ledger_line_update(entry=entry, worker=worker(1), period_start=START, period_end=date(2026, 9, 30),
                       amount_owed="5500.00", actor=inspector)  # fmt: skip
    entry.refresh_from_db()
    assert entry.amount_owed == Decimal("5500.00") and entry.period_end == date(2026, 9, 30)
    case.refresh_from_db()
    assert case.amount_owed == Decimal("11500.00") == ledger_summary(case)["owed"]
    [event] = events(case, "ledger.entry_updated")
    assert event.data["changed"] == "期间止、应付金额" and event.data["amount_owed"] == "5500.00"


def test_an_edit_reports_every_field_error_at_once_and_changes_nothing(case, inspector):
    entry = add(case, inspector, 1)
    with pytest.raises(ValidationError) as err:
        ledger_line_update(entry=entry, worker={"name": "", "id_number": "123", "phone": "12"},
                           period_start="2026-13-01", period_end="", amount_owed="-1", actor=inspector)  # fmt: skip
    fields = set(err.value.message_dict)
    assert fields == {"worker.name", "worker.id_number", "worker.phone", "period_start", "period_end", "amount_owed"}
    entry.refresh_from_db()
    assert entry.amount_owed == Decimal("6000.00") and not events(case, "ledger.entry_updated")


def test_an_edit_never_owes_less_than_was_paid_nor_clashes_with_another_line(case, inspector):
    entry = add(case, inspector, 1)
    other = ledger_entry_add(case=case, worker=worker(1), period_start=date(2026, 11, 1), period_end=date(2026, 11, 30),
                             amount_owed="100.00", actor=inspector)  # fmt: skip
    payment_record(entry=entry, amount="3000.00", paid_on=date(2026, 11, 20), actor=inspector)
    with pytest.raises(ValidationError) as err:
        ledger_line_update(entry=entry, worker=worker(1), period_start=START, period_end=END, amount_owed="2999.99",
                           actor=inspector)  # fmt: skip
    assert "3000.00" in err.value.message_dict["amount_owed"][0]
    with pytest.raises(ValidationError) as err:
        ledger_line_update(entry=other, worker=worker(1), period_start=START, period_end=END, amount_owed="100.00",
                           actor=inspector)  # fmt: skip
    assert "period_start" in err.value.message_dict


def test_a_line_is_deleted_with_its_reason_kept_for_the_audit(case, inspector):
    entry = add(case, inspector, 1)
    add(case, inspector, 2, "4000.00")
    with pytest.raises(ValidationError) as err:
        ledger_line_delete(entry=entry, reason="  ", actor=inspector)
    assert "reason" in err.value.message_dict
    assert ArrearsEntry.objects.filter(pk=entry.pk).exists()
    ledger_line_delete(entry=entry, reason="重复登记", actor=inspector)
    kept = ArrearsEntry.with_deleted.get(pk=entry.pk)
    assert kept.deleted_at and kept.deleted_by == inspector and kept.delete_reason == "重复登记"
    assert not ArrearsEntry.objects.filter(pk=entry.pk).exists()
    case.refresh_from_db()
    assert (case.amount_owed, case.workers_count) == (Decimal("4000.00"), 1)
    assert not CaseParty.objects.filter(case=case, party=entry.worker, kind=CaseParty.Kind.WORKER).exists()
    [event] = events(case, "ledger.entry_deleted")
    assert event.data["reason"] == "重复登记" and event.data["amount_owed"] == "6000.00"
    # the same worker and period may be entered again; a deleted line can be neither paid nor deleted again
    add(case, inspector, 1)
    with pytest.raises(ValidationError):
        ledger_line_delete(entry=kept, reason="再删", actor=inspector)
    with pytest.raises(ValidationError):
        payment_record(entry=kept, amount="1.00", paid_on=date(2026, 11, 20), actor=inspector)


def test_a_line_with_payments_cannot_be_deleted(case, inspector):
    entry = add(case, inspector, 1)
    payment_record(entry=entry, amount="100.00", paid_on=date(2026, 11, 20), actor=inspector)
    with pytest.raises(ValidationError) as err:
        ledger_line_delete(entry=entry, reason="录错", actor=inspector)
    assert "已登记支付" in err.value.message_dict["entry"][0]


def test_an_import_writes_every_row_and_one_event_with_its_count(case, inspector):
    entries = ledger_lines_import(case=case, rows=[row(n) for n in range(1, 13)], actor=inspector)
    assert len(entries) == 12
    case.refresh_from_db()
    assert (case.workers_count, case.amount_owed) == (12, Decimal("60000.00"))
    [event] = events(case, "ledger.entries_imported")
    assert event.data["count"] == 12 and event.data["amount_owed"] == "60000.00"
    assert CaseParty.objects.filter(case=case, kind=CaseParty.Kind.WORKER).count() >= 12


def test_an_import_with_bad_rows_names_each_row_and_field_and_writes_nothing(case, inspector):
    add(case, inspector, 20)
    rows = [row(1), row(2, id_number="360302198503120011"), row(3, amount_owed="abc", period_end="2026-04-01"),
            row(4), row(5, id_number=id_number(4)), row(6, name="", phone="123")]  # fmt: skip
    before = (ArrearsEntry.objects.count(), TimelineEvent.objects.filter(case=case).count())
    with pytest.raises(ValidationError) as err:
        ledger_lines_import(case=case, rows=rows, actor=inspector)
    messages = err.value.message_dict["rows"]
    assert any(m.startswith("第2行【身份证号】") for m in messages), messages
    assert any(m.startswith("第3行【应付金额】") for m in messages), messages
    assert any(m.startswith("第3行【期间止】") for m in messages), messages
    assert any(m.startswith("第5行【期间起】") and "第4行" in m for m in messages), messages
    assert any(m.startswith("第6行【姓名】") for m in messages) and any(
        m.startswith("第6行【手机号】") for m in messages
    )
    assert not any(m.startswith(("第1行", "第4行")) for m in messages)
    assert (ArrearsEntry.objects.count(), TimelineEvent.objects.filter(case=case).count()) == before
    # a row that clashes with the ledger, found only when written: the whole import rolls back
    with pytest.raises(ValidationError) as err:
        ledger_lines_import(case=case, rows=[row(7), row(8, id_number=id_number(20), name="工人20")], actor=inspector)
    assert err.value.message_dict["rows"][0].startswith("第8行【期间起】")
    assert not ArrearsEntry.objects.filter(case=case, worker__name="工人07").exists()
    with pytest.raises(ValidationError):
        ledger_lines_import(case=case, rows=[], actor=inspector)
    with pytest.raises(ValidationError):
        ledger_lines_import(case=case, rows=[row(1)] * (IMPORT_MAX_ROWS + 1), actor=inspector)


def test_pasted_lines_and_months_are_read_as_rows():
    text = ("姓名\t身份证号\t手机号\t期间起\t期间止\t应付金额\n"
            f"张三\t{id_number(1)}\t13807990001\t2026-05\t2026-10\t7,200.00\n\n"
            f"李四\t{id_number(2)}\t2026/5/1\t2026年10月31日\t3000\n")  # fmt: skip
    first, second = ledger_import.rows_from_paste(text)
    assert first == {
        "row": 2,
        "name": "张三",
        "id_number": id_number(1),
        "phone": "13807990001",
        "period_start": date(2026, 5, 1),
        "period_end": date(2026, 10, 31),
        "amount_owed": "7,200.00",
    }
    assert second["row"] == 4 and second["phone"] == "" and second["period_end"] == date(2026, 10, 31)


def test_an_xlsx_is_read_from_its_template_and_a_bad_file_is_refused():
    book = load_workbook(io.BytesIO(ledger_import.template_xlsx()))
    assert [c.value for c in book.active[1]] == list(ledger_import.HEADERS)
    out = Workbook()
    out.active.append(list(ledger_import.HEADERS))
    out.active.append(["王五", id_number(5), None, date(2026, 5, 1), date(2026, 10, 31), 6400.5])
    buffer = io.BytesIO()
    out.save(buffer)
    [only] = ledger_import.rows_from_xlsx(SimpleUploadedFile("a.xlsx", buffer.getvalue()))
    assert only["row"] == 2 and only["amount_owed"] == "6400.50" and only["period_start"] == date(2026, 5, 1)
    with pytest.raises(ValidationError) as err:
        ledger_import.rows_from_xlsx(SimpleUploadedFile("a.xlsx", b"not a workbook"))
    assert "xlsx" in err.value.message_dict["file"][0]


# --- pages ----------------------------------------------------------------------------------------


def urls(case, entry) -> dict:
    return {
        "edit": reverse("cases:ledger-entry-edit", args=[case.case_no, entry.pk]),
        "delete": reverse("cases:ledger-entry-delete", args=[case.case_no, entry.pk]),
        "import": reverse("cases:ledger-import", args=[case.case_no]),
        "template": reverse("cases:ledger-template", args=[case.case_no]),
    }


def test_the_pages_edit_delete_and_import(client, case, inspector):
    entry = add(case, inspector, 1)
    client.force_login(inspector)
    u = urls(case, entry)
    body = {"worker_name": "工人01", "worker_id_number": "", "worker_phone": "", "period_start": "2026-05-01",
            "period_end": "2026-10-31", "amount_owed": "6100.00"}  # fmt: skip
    response = client.post(u["edit"], body)
    assert response.status_code == 302 and response["Location"].endswith("#ledger")
    entry.refresh_from_db()
    assert entry.amount_owed == Decimal("6100.00") and entry.worker.id_number == id_number(1)  # kept when empty
    # every error at once, on the case page again, the ledger tab shown
    response = client.post(u["edit"], {**body, "worker_name": "", "amount_owed": "x", "period_start": "bad"})
    assert response.status_code == 400 and response.context["tab"] == "ledger"
    assert set(response.context["ledger_edit_form"].errors) == {"worker_name", "amount_owed", "period_start"}
    response = client.post(u["delete"], {"reason": ""})
    assert response.status_code == 400 and "reason" in response.context["ledger_delete_form"].errors
    paste = "\n".join(f"工人{n:02d}\t{id_number(n)}\t\t2026-05-01\t2026-10-31\t5000" for n in range(2, 5))
    response = client.post(u["import"], {"paste": paste + f"\n坏行\t{id_number(9)[:-1]}0\t\t2026-05-01\t2026-10-31\t1"})
    assert response.status_code == 400
    assert "第4行【身份证号】" in response.content.decode()
    assert ArrearsEntry.objects.filter(case=case).count() == 1
    assert client.post(u["import"], {"paste": paste}).status_code == 302
    assert ArrearsEntry.objects.filter(case=case).count() == 4
    assert client.post(u["import"], {"paste": ""}).status_code == 400
    assert client.post(u["delete"], {"reason": "录入重复"}).status_code == 302
    assert ArrearsEntry.objects.filter(case=case).count() == 3
    response = client.get(u["template"])
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_pages_answer_404_out_of_scope_and_403_to_a_wrong_role(client, case, inspector):
    entry = add(case, inspector, 1)
    u = urls(case, entry)
    for who, status in [(world.user(Role.INSPECTOR, "360313"), 404), (world.user(Role.CLERK, "360302"), 403),
                        (world.user(Role.LEADER, "360302"), 403)]:  # fmt: skip
        client.force_login(who)
        assert client.get(u["template"]).status_code == status, who
        for name in ("edit", "delete", "import"):
            assert client.post(u[name], {"reason": "x", "paste": "x"}).status_code == status, (who, name)
    assert ArrearsEntry.objects.filter(pk=entry.pk).exists()
    # an entry of another case through this case's URL
    other = Case.objects.exclude(pk=case.pk).filter(region=case.region).first()
    client.force_login(inspector)
    if other is not None:
        assert client.post(reverse("cases:ledger-entry-delete", args=[other.case_no, entry.pk]),
                           {"reason": "x"}).status_code in (403, 404)  # fmt: skip
