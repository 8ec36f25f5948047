"""The arrears ledger: entries, payments, the case's totals kept in step, masking by role."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from stdnum.cn import ric

from cases import timeline
from cases.evidence import evidence_upload
from cases.ledger import ledger_all_paid, ledger_entry_add, ledger_summary, payment_record
from cases.models import ArrearsEntry, Case, CaseParty, Party, Payment, Role, TimelineEvent
from cases.services import case_exception_grant
from cases.web.case_page import case_sections_context
from tests import world
from tests.matrix import assigned_case_target
from tests.matrix_investigation import READS, sweep

pytestmark = pytest.mark.django_db

START, END = date(2026, 5, 1), date(2026, 10, 31)


def id_number(n: int) -> str:
    body = f"36030219850312{n:03d}"
    return body + ric.calc_check_digit(body + "0")


def worker(n: int, **extra) -> dict:
    return {"name": f"工人{n:02d}", "id_number": id_number(n), "phone": f"138079{n:05d}", **extra}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case():
    return Case.objects.get(case_no=assigned_case_target("360302").case_no)


@pytest.fixture
def inspector(case):
    return world.user(Role.INSPECTOR, "360302")


def add(case, inspector, n: int, amount: str = "6000.00", **kw) -> ArrearsEntry:
    return ledger_entry_add(
        case=case,
        worker=worker(n),
        period_start=kw.get("start", START),
        period_end=kw.get("end", END),
        amount_owed=Decimal(amount),
        actor=inspector,
    )


def test_twelve_workers_partial_then_full_payment_keep_the_case_totals(case, inspector):
    # before the ledger, the case carries the complaint's claim
    assert (case.workers_count, case.amount_owed) == (5, Decimal("50000.00"))
    entries = [add(case, inspector, n, amount=f"{5000 + 100 * n}.00") for n in range(1, 13)]
    owed = sum(e.amount_owed for e in entries)
    case.refresh_from_db()
    assert (case.workers_count, case.amount_owed, case.amount_paid) == (12, owed, Decimal("0.00"))
    assert not ledger_all_paid(case)

    # partial: half of each of the first six
    for entry in entries[:6]:
        payment_record(entry=entry, amount=entry.amount_owed / 2, paid_on=date(2026, 11, 10), actor=inspector)
    case.refresh_from_db()
    half = sum(e.amount_owed for e in entries[:6]) / 2
    assert case.amount_paid == half
    assert ledger_summary(case) == {
        "owed": owed,
        "paid": half,
        "outstanding": owed - half,
        "workers": 12,
        "workers_paid_in_full": 0,
    }
    assert not ledger_all_paid(case)

    # full: the rest of every entry
    for entry in entries:
        entry.refresh_from_db()
        payment_record(entry=entry, amount=entry.outstanding, paid_on=date(2026, 11, 20), actor=inspector)
    case.refresh_from_db()
    assert (case.amount_owed, case.amount_paid, case.workers_count) == (owed, owed, 12)
    assert ledger_summary(case)["workers_paid_in_full"] == 12
    assert ledger_summary(case)["outstanding"] == Decimal("0.00")
    assert ledger_all_paid(case)

    kinds = list(TimelineEvent.objects.filter(case=case, kind__startswith="ledger.").values_list("kind", flat=True))
    assert kinds.count("ledger.entry_added") == 12
    assert kinds.count("ledger.payment_recorded") == 18
    assert timeline.verify(case=case).ok
    assert CaseParty.objects.filter(case=case, kind=CaseParty.Kind.WORKER).count() == 12


def test_a_worker_with_two_periods_counts_once_and_is_paid_in_full_only_when_both_are(case, inspector):
    first = add(case, inspector, 1, "3000.00")
    second = add(case, inspector, 1, "2000.00", start=date(2025, 11, 1), end=date(2026, 4, 30))
    case.refresh_from_db()
    assert (case.workers_count, case.amount_owed) == (1, Decimal("5000.00"))
    payment_record(entry=first, amount="3000.00", paid_on=date(2026, 11, 1), actor=inspector)
    assert ledger_summary(case)["workers_paid_in_full"] == 0
    payment_record(entry=second, amount="2000", paid_on=date(2026, 11, 1), actor=inspector)
    assert ledger_summary(case)["workers_paid_in_full"] == 1


def test_overpayment_is_refused_naming_the_field(case, inspector):
    entry = add(case, inspector, 1, "1000.00")
    payment_record(entry=entry, amount="600.00", paid_on=date(2026, 11, 1), actor=inspector)
    with pytest.raises(ValidationError) as exc:
        payment_record(entry=entry, amount="400.01", paid_on=date(2026, 11, 2), actor=inspector)
    assert list(exc.value.message_dict) == ["amount"]
    assert "400.00" in exc.value.message_dict["amount"][0]
    entry.refresh_from_db()
    case.refresh_from_db()
    assert entry.amount_paid == case.amount_paid == Decimal("600.00")
    assert Payment.objects.filter(entry=entry).count() == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"worker": {"name": "张三", "id_number": "360302198503120011"}}, "worker.id_number"),  # check digit
        ({"worker": {"name": "张三", "id_number": "36030219850312001"}}, "worker.id_number"),
        ({"worker": {"name": "", "id_number": "360302198503120010"}}, "worker.name"),
        ({"worker": {"name": "张三", "id_number": "360302198503120010", "phone": "12345"}}, "worker.phone"),
        ({"worker": "张三"}, "worker"),
        ({"amount_owed": "0"}, "amount_owed"),
        ({"amount_owed": "-5"}, "amount_owed"),
        ({"amount_owed": "100.001"}, "amount_owed"),
        ({"amount_owed": "abc"}, "amount_owed"),
        ({"period_start": "2026-11-01", "period_end": "2026-10-01"}, "period_end"),
        ({"period_start": "2026-13-01"}, "period_start"),
        ({"period_start": ""}, "period_start"),
    ],
)
def test_entry_validation_names_the_field(case, inspector, changes, field):
    body = {"worker": worker(1), "period_start": START, "period_end": END, "amount_owed": "100.00", **changes}
    with pytest.raises(ValidationError) as exc:
        ledger_entry_add(case=case, actor=inspector, **body)
    assert list(exc.value.message_dict) == [field]
    assert not ArrearsEntry.objects.filter(case=case).exists()


def test_worker_ids_are_checked_by_cases_values_with_the_texts_a_person_reads(case, inspector):
    """The ledger checks a worker's ID number and mobile as intake does (cases.values): the same texts; an
    area code stdnum does not list (an abolished county's, still on the IDs issued there) is accepted."""
    cases_ = [
        ("36030219850312001", "worker.id_number", "身份证号应为18位（现为17位；15位旧号码请换成18位号码）。"),
        ("360302198503120011", "worker.id_number", "身份证号校验位错误，请核对号码。"),
        ("", "worker.id_number", "请填写劳动者身份证号。"),
    ]
    for number, field, message in cases_:
        with pytest.raises(ValidationError) as exc:
            ledger_entry_add(
                case=case, actor=inspector, worker={"name": "张三", "id_number": number},
                period_start=START, period_end=END, amount_owed="100.00",
            )  # fmt: skip
        assert exc.value.message_dict == {field: [message]}
    with pytest.raises(ValidationError) as exc:
        ledger_entry_add(
            case=case, actor=inspector, worker=worker(1, phone="12345"),
            period_start=START, period_end=END, amount_owed="100.00",
        )  # fmt: skip
    assert exc.value.message_dict == {"worker.phone": ["手机号格式错误，应为以1开头的11位手机号码。"]}
    old_county = "34052419800101002" + ric.calc_check_digit("34052419800101002" + "0")  # 340524: not in stdnum
    entry = ledger_entry_add(
        case=case, actor=inspector, period_start=START, period_end=END, amount_owed="100.00",
        worker={"name": "李四", "id_number": old_county, "phone": "+86 138 0799 0001"},
    )  # fmt: skip
    assert (entry.worker.id_number, entry.worker.phone) == (old_county, "13807990001")


def test_the_same_worker_and_period_start_twice_is_refused(case, inspector):
    add(case, inspector, 1)
    with pytest.raises(ValidationError) as exc:
        add(case, inspector, 1, "10.00", end=date(2026, 6, 30))
    assert list(exc.value.message_dict) == ["period_start"]
    assert ArrearsEntry.objects.filter(case=case).count() == 1


def test_the_same_id_number_is_the_same_party_across_cases(case, inspector):
    other = Case.objects.get(case_no=assigned_case_target("360302").case_no)
    a = add(case, inspector, 7)
    b = ledger_entry_add(
        case=other,
        worker={"name": "工人07", "id_number": id_number(7).lower()},
        period_start=START,
        period_end=END,
        amount_owed="100",
        actor=inspector,
    )
    assert a.worker_id == b.worker_id
    assert Party.objects.matching(id_number=id_number(7)).count() == 1
    # a different name for a known ID number is a typo somewhere: refused, without revealing the name
    with pytest.raises(ValidationError) as exc:
        ledger_entry_add(
            case=other,
            worker={"name": "李四", "id_number": id_number(7)},
            period_start=date(2026, 1, 1),
            period_end=END,
            amount_owed="100",
            actor=inspector,
        )
    assert list(exc.value.message_dict) == ["worker.name"]
    assert "工人07" not in exc.value.message_dict["worker.name"][0]


def test_payment_rules(case, inspector):
    entry = add(case, inspector, 1, "1000.00")
    tomorrow = timezone.localdate() + timedelta(days=1)
    for kwargs, field in [
        ({"amount": "0", "paid_on": date(2026, 11, 1)}, "amount"),
        ({"amount": "1.234", "paid_on": date(2026, 11, 1)}, "amount"),
        ({"amount": "10", "paid_on": tomorrow}, "paid_on"),
    ]:
        with pytest.raises(ValidationError) as exc:
            payment_record(entry=entry, actor=inspector, **kwargs)
        assert list(exc.value.message_dict) == [field]
    other = Case.objects.get(case_no=assigned_case_target("360302").case_no)
    foreign = evidence_upload(
        case=other,
        upload=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n"),
        description="别案凭证",
        actor=inspector,
    )
    with pytest.raises(ValidationError) as exc:
        payment_record(entry=entry, amount="10", paid_on=date(2026, 11, 1), actor=inspector, proof=foreign)
    assert list(exc.value.message_dict) == ["proof"]
    own = evidence_upload(
        case=case, upload=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n"), description="回单", actor=inspector
    )
    payment = payment_record(entry=entry, amount="10", paid_on=date(2026, 11, 1), actor=inspector, proof=own)
    assert payment.proof == own


def test_events_mask_the_worker(case, inspector):
    entry = add(case, inspector, 3, "900.00")
    payment_record(entry=entry, amount="100.00", paid_on=date(2026, 11, 1), actor=inspector)
    added, paid = TimelineEvent.objects.filter(case=case, kind__startswith="ledger.").order_by("seq")
    assert added.kind == "ledger.entry_added"
    assert added.data["worker"] == "工***"  # 工人03
    assert added.data["worker_id"] == id_number(3)[:4] + "*" * 10 + id_number(3)[-4:]
    assert added.data["amount_owed"] == "900.00"
    assert paid.kind == "ledger.payment_recorded"
    assert (paid.data["amount"], paid.data["outstanding"], paid.data["worker"]) == ("100.00", "800.00", "工***")
    assert id_number(3) not in str(added.data) + str(paid.data)


def test_a_closed_case_ledger_is_frozen(case, inspector):
    entry = add(case, inspector, 1)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    with pytest.raises(ValidationError) as exc:
        add(case, inspector, 2)
    assert "case" in exc.value.message_dict
    with pytest.raises(ValidationError):
        payment_record(entry=entry, amount="1", paid_on=date(2026, 11, 1), actor=inspector)


def _render(user, case) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("cases/_ledger.html", {"case": case, **case_sections_context(request, case)}, request)


def test_the_ledger_is_unmasked_only_for_the_office_clerk_and_assigned_inspectors(case, inspector):
    add(case, inspector, 1)
    full, masked = id_number(1), id_number(1)[:4] + "*" * 10 + id_number(1)[-4:]
    phone, masked_phone = "13807900001", "138****0001"
    unmasked_viewers = [inspector, world.second_inspector("360302"), world.user(Role.CLERK, "360302")]
    masked_viewers = [
        world.user(Role.LEADER, "360302"),
        world.user(Role.LEGAL, "360302"),
        world.user(Role.AUDITOR, "360000"),
        world.user(Role.LEADER, "360300"),
    ]
    for user in unmasked_viewers:
        html = _render(user, case)
        assert full in html and phone in html, user
    for user in masked_viewers:
        html = _render(user, case)
        assert masked in html and masked_phone in html, user
        assert full not in html and phone not in html, user
    # each unmasked view is on the timeline (PIPL); masked views are not
    viewed = TimelineEvent.objects.filter(case=case, kind="personal_data.viewed")
    assert viewed.count() == len(unmasked_viewers)
    assert viewed.first().data == {"what": "ledger", "entries": 1}


def test_only_an_investigating_user_gets_the_forms(case, inspector):
    entry = add(case, inspector, 1)
    pay_url = reverse("cases:payment-record", args=[case.case_no, entry.pk])
    add_url = reverse("cases:ledger-entry-add", args=[case.case_no])
    html = _render(inspector, case)
    assert pay_url in html and add_url in html
    for user in [world.user(Role.CLERK, "360302"), world.user(Role.LEADER, "360302")]:
        html = _render(user, case)
        assert pay_url not in html and add_url not in html
    # an assisting inspector of another office investigates too
    helper = world.user(Role.INSPECTOR, "360313")
    case_exception_grant(
        case=case, codename="assist_case", actor=world.user(Role.LEADER, "360302"), role=Role.LEADER, user=helper
    )
    assert add_url in _render(world.user(Role.INSPECTOR, "360313"), case)


def test_the_pages_add_and_pay_or_show_errors(client, case, inspector):
    client.force_login(inspector)
    body = {
        "worker_name": "王五",
        "worker_id_number": id_number(5),
        "worker_phone": "",
        "period_start": "2026-05-01",
        "period_end": "2026-10-31",
        "amount_owed": "7,200.00",
    }
    url = reverse("cases:ledger-entry-add", args=[case.case_no])
    response = client.post(url, body)
    assert response.status_code == 302
    assert response["Location"].endswith("#ledger")
    entry = ArrearsEntry.objects.get(case=case)
    assert entry.amount_owed == Decimal("7200.00")
    response = client.post(url, {**body, "worker_id_number": "360302198503120011"})
    assert response.status_code == 400
    assert "校验位" in response.context["ledger_entry_form"].errors["worker_id_number"][0]
    assert b"zq-card" in response.content  # the case page again

    pay = reverse("cases:payment-record", args=[case.case_no, entry.pk])
    response = client.post(pay, {"amount": "8000.00", "paid_on": "2026-11-20", "proof": ""})
    assert response.status_code == 400
    assert "amount" in response.context["payment_form"].errors
    assert response.context["payment_entry_id"] == entry.pk
    response = client.post(pay, {"amount": "7200", "paid_on": "2026-11-20", "proof": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.amount_paid == Decimal("7200.00") and ledger_all_paid(case)
    # an entry of another case under this case's number
    other_entry = add(Case.objects.get(case_no=assigned_case_target("360302").case_no), inspector, 9)
    assert client.post(reverse("cases:payment-record", args=[case.case_no, other_entry.pk]), {}).status_code == 404


def test_the_api_lists_masked_by_role_and_creates(client, case, inspector):
    url = reverse("api-case-ledger", args=[case.case_no])
    client.force_login(inspector)
    response = client.post(
        url,
        {"worker": worker(4), "period_start": "2026-05-01", "period_end": "2026-10-31", "amount_owed": "4800.50"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    entry_id = response.json()["id"]
    pay = reverse("api-case-payments", args=[case.case_no, entry_id])
    response = client.post(pay, {"amount": "5000", "paid_on": "2026-11-20"}, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["amount"]
    response = client.post(pay, {"amount": "800.50", "paid_on": "2026-11-20"}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["outstanding"] == "4000.00"

    body = client.get(url).json()
    assert body["unmasked"] is True
    assert body["entries"][0]["worker_id_number"] == id_number(4)
    assert body["summary"] == {
        "owed": "4800.50",
        "paid": "800.50",
        "outstanding": "4000.00",
        "workers": 1,
        "workers_paid_in_full": 0,
    }
    client.force_login(world.user(Role.AUDITOR, "360000"))
    body = client.get(url).json()
    assert body["unmasked"] is False
    assert body["entries"][0]["worker_id_number"].count("*") == 10
    assert client.post(url, {}, content_type="application/json").status_code == 403


def test_the_ledger_api_reads_follow_the_matrix(client):
    assert not sweep(client, READS["api-case-ledger"])
